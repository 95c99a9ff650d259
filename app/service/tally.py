"""How many of a set of documents have each value of a facet, without a pass over all their rows.

A facet's rows pair a document with a value. A value that many documents have (at least one in
``DENSE_SHARE``) is kept as a bitmap over keys, so its count among the documents asked for is the
population count of two bitmaps ANDed, 64 documents a step, however many of them there are
(Lucene's dense doc-id sets); a rarer value keeps its rows, sorted by document, and only the
rows of the documents asked for are read. A bitmap never takes more than the rows it replaces
would, so the tally is bounded by the rows, as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..index import packing

# A value is kept as a bitmap when at least one document in this many has it: its bitmap (one
# bit a key) is then no larger than its rows would be (four bytes each, and an eight a document).
DENSE_SHARE = 32
# Rare values' rows are looked at one by one when there is at most one for this many keys, else
# only the rows of the documents asked for are found (by where each document's rows start).
_FEW_ROWS = 8


def words(mask: np.ndarray, count: int) -> np.ndarray:
    """The boolean ``mask`` over keys as ``count`` 64-bit words, key ``k`` at bit ``k % 64`` of
    word ``k // 64``."""
    packed = np.zeros(count * 8, dtype=np.uint8)
    bits = np.packbits(mask, bitorder="little")
    packed[: bits.size] = bits
    return packed.view(np.uint64)


@dataclass(frozen=True)
class Tally:
    """A facet's rows, as bitmaps for its common values and rows for the others."""

    values: int
    dense: np.ndarray  # the common values' numbers
    bitmaps: np.ndarray  # uint64 [dense values, words]: the documents having each
    sparse_keys: np.ndarray  # the other rows' documents, sorted
    sparse_values: np.ndarray  # and their values
    sparse_start: np.ndarray  # where the rows of key k start in them (and the last ends)

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
        sparse_start = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(keys[~chosen], minlength=size), out=sparse_start[1:])
        return cls(values, dense, bitmaps.reshape(dense.size, width), keys[~chosen], value_of[~chosen], sparse_start)

    def count(self, allowed: np.ndarray) -> np.ndarray:
        """How many of the documents ``allowed`` (a mask over keys) have each value."""
        found = np.zeros(self.values, dtype=np.int64)
        if self.dense.size:
            anded = self.bitmaps & words(allowed, self.bitmaps.shape[1])
            found[self.dense] = np.bitwise_count(anded).sum(axis=1, dtype=np.int64)
        if self.sparse_values.size * _FEW_ROWS <= allowed.size:  # few rows: each one looked at
            found += np.bincount(self.sparse_values[allowed[self.sparse_keys]], minlength=self.values)
        elif self.sparse_values.size:
            documents = np.flatnonzero(allowed)
            starts = self.sparse_start[documents]
            rows = packing.spans(starts, self.sparse_start[documents + 1] - starts)
            found += np.bincount(self.sparse_values[rows], minlength=self.values)
        return found
