"""How many of a set of documents have each value of a facet, without a pass over all their rows.

A facet's rows pair a document with a value, sorted by document, and only the rows of the
documents asked for are read. A value that many documents have (at least one in
``DENSE_SHARE``) is also kept as a bitmap over keys, so that its count among many documents is
the population count of two bitmaps ANDed, 64 documents a step, however many of them there are
(Lucene's dense doc-id sets); for a few documents their rows cost less than every word of the
bitmaps, and the count reads whichever costs less. A bitmap never takes more than the rows of
its value, so the tally is bounded by twice the rows.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..index import packing

# A value is kept as a bitmap when at least one document in this many has it: its bitmap (one
# bit a key) is then no larger than its rows (eight bytes each: a key and a value).
DENSE_SHARE = 64
# Rows are looked at one by one when there is at most one for this many keys, else only the rows
# of the documents asked for are found (by where each document's rows start).
_FEW_ROWS = 8
# A word of the bitmaps ANDed and counted costs about this share of a row found and counted
# (0.2 ms for 40 bitmaps of 240,000 keys, 10 ns a row).
_WORDS_PER_ROW = 8
# Finding the rows of a document asked for, by where they start, costs about as much as this many
# rows read in a pass over all of them (171,000 rows of rare concepts, 240,000 keys: a pass 0.5 ms,
# the rows of 91,000 documents found 1.4 ms).
_ROWS_PER_DOCUMENT = 4


def words(mask: np.ndarray, count: int) -> np.ndarray:
    """The boolean ``mask`` over keys as ``count`` 64-bit words, key ``k`` at bit ``k % 64`` of
    word ``k // 64``."""
    packed = np.zeros(count * 8, dtype=np.uint8)
    bits = np.packbits(mask, bitorder="little")
    packed[: bits.size] = bits
    return packed.view(np.uint64)


@dataclass(frozen=True)
class Rows:
    """Rows (document, value), sorted by document, and, when they are too many to look at one by
    one, where the rows of key k start in them (and the last ends)."""

    keys: np.ndarray
    values: np.ndarray
    start: np.ndarray | None

    @classmethod
    def of(cls, keys: np.ndarray, values: np.ndarray, size: int) -> Rows:
        """The rows ``keys`` (sorted) and ``values`` over ``size`` keys."""
        start = None
        if keys.size * _FEW_ROWS > size:
            start = np.zeros(size + 1, dtype=np.int64)
            np.cumsum(np.bincount(keys, minlength=size), out=start[1:])
        return cls(keys.astype(np.int32), values.astype(np.int32), start)

    def add(self, found: np.ndarray, allowed: np.ndarray, asked: int, documents: Callable[[], np.ndarray]) -> None:
        """Count into ``found`` the values of the documents ``allowed`` (a mask over the keys,
        ``asked`` of them; ``documents()`` gives their keys): by a pass over every row, or by
        finding the rows of those documents, whichever reads less."""
        if self.start is None or asked * _ROWS_PER_DOCUMENT > self.keys.size:
            # ``take`` and ``compress``: numpy's general indexing costs half as much again here.
            found += np.bincount(self.values.compress(allowed.take(self.keys)), minlength=found.size)
        else:
            keys = documents()
            starts = self.start[keys]
            rows = packing.spans(starts, self.start[keys + 1] - starts)
            found += np.bincount(self.values[rows], minlength=found.size)


@dataclass(frozen=True)
class Tally:
    """A facet's rows, its common values' apart from the others', and the common values'
    bitmaps."""

    values: int
    dense: np.ndarray  # the common values' numbers
    bitmaps: np.ndarray  # uint64 [dense values, words]: the documents having each
    dense_rows: Rows  # the common values' rows
    sparse_rows: Rows  # the others'

    @classmethod
    def of(cls, keys: np.ndarray, value_of: np.ndarray, values: int, size: int) -> Tally:
        """The tally of the rows (``keys``, sorted, and their ``value_of``) of ``values``
        values over ``size`` keys."""
        documents = np.bincount(value_of, minlength=values)
        dense = np.flatnonzero(documents * DENSE_SHARE >= max(size, 1))
        width = (size + 63) // 64
        bitmaps = np.zeros(dense.size * width, dtype=np.uint64)
        bitmap_of = np.full(values, -1, dtype=np.int64)
        bitmap_of[dense] = np.arange(dense.size)
        chosen = bitmap_of[value_of] >= 0
        where = bitmap_of[value_of[chosen]] * width + (keys[chosen] >> 6)
        np.bitwise_or.at(bitmaps, where, np.left_shift(np.uint64(1), (keys[chosen] & 63).astype(np.uint64)))
        return cls(
            values,
            dense,
            bitmaps.reshape(dense.size, width),
            Rows.of(keys[chosen], value_of[chosen], size),
            Rows.of(keys[~chosen], value_of[~chosen], size),
        )

    def count(self, allowed: np.ndarray) -> np.ndarray:
        """How many of the documents ``allowed`` (a mask over keys) have each value."""
        found = np.zeros(self.values, dtype=np.int64)
        documents = functools.cache(lambda: np.flatnonzero(allowed))  # found once, if at all
        asked = np.count_nonzero(allowed)
        if self.dense.size:
            # The common values' rows of the documents asked for, as many as they have on average.
            rows = asked * self.dense_rows.values.size / max(allowed.size, 1)
            if rows * _WORDS_PER_ROW > self.bitmaps.size:
                anded = self.bitmaps & words(allowed, self.bitmaps.shape[1])
                found[self.dense] = np.bitwise_count(anded).sum(axis=1, dtype=np.int64)
            else:
                self.dense_rows.add(found, allowed, asked, documents)
        self.sparse_rows.add(found, allowed, asked, documents)
        return found
