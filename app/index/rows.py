"""The table's rows of the documents a writer adds, kept as columns until the table is written.

A build's writers add documents by the hundred thousand; a row kept as an object (a dataclass
with a dict of lists of strings and an array) costs over a kilobyte in Python and more again when
a worker sends its rows to the build. ``Rows`` keeps them as growing arrays (about 380 bytes a
document, most of it the copy signature) and each facet's distinct values once, numbered; it
crosses the process boundary as those arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import copies

# Facets and filters: the values a document has for each (lang: what a language filter matches;
# language: its own tags, shown as the language facet; concept: the glossary concepts it names).
FACET_FIELDS = ("lang", "language", "year", "author", "tag", "concept")
# Where the parts of a document's indexed string start, as positions (``index.content``): the
# text after the title, the metadata after the text, the tags after the authors, and what comes
# after the tags (the description, the recipients). A search by field (``title:``) keeps the
# occurrences inside its part. ``NO_POSITION``: the part and those after it hold no token.
SECTIONS = ("text_from", "meta_from", "tags_from", "tags_to")
NO_POSITION = 2**32 - 1

# The columns of a row, with their types and widths (a signature is a row of its own).
_COLUMNS: dict[str, tuple[type, int]] = {
    "key": (np.int64, 1),
    "length": (np.uint32, 1),
    "date": (np.int64, 1),
    "dated": (np.uint8, 1),
    "parent": (np.int64, 1),
    "sections": (np.uint32, len(SECTIONS)),
    "content_hash": (np.uint64, 1),
    "signature": (np.uint16, copies.PERMUTATIONS),
    "signed": (np.uint8, 1),
}
_FIRST_CAPACITY = 256


@dataclass
class DocumentRow:
    """What the table keeps of one document, as the schema makes it."""

    key: int
    length: int
    date: int
    dated: bool
    facets: dict[str, list[str]] = field(default_factory=dict)
    # The key of the document it was found in (a message of a mailbox...); -1: none.
    parent: int = -1
    # The position where each of ``SECTIONS`` starts.
    sections: tuple[int, ...] = (NO_POSITION,) * len(SECTIONS)
    # What finds its copies: the first 64 bits of its content hash, and its text's fingerprint.
    content_hash: int = 0
    fingerprint: copies.Fingerprint | None = None


class Rows:
    """Rows added one at a time, kept as columns; ``column(name)`` reads one, in the order added.

    Facet values are kept as (key, value number) pairs per facet, the values numbered in the
    order first met (``values(name)``)."""

    def __init__(self) -> None:
        self.count = 0
        self._columns = {name: _empty(dtype, width, _FIRST_CAPACITY) for name, (dtype, width) in _COLUMNS.items()}
        self._values: dict[str, dict[str, int]] = {name: {} for name in FACET_FIELDS}
        self._pairs: dict[str, list[np.ndarray]] = {name: [] for name in FACET_FIELDS}
        self._pending: dict[str, tuple[list[int], list[int]]] = {name: ([], []) for name in FACET_FIELDS}

    def append(self, row: DocumentRow) -> None:
        """Add ``row``."""
        if self.count == len(self._columns["key"]):
            self._columns = {name: _grown(array) for name, array in self._columns.items()}
        at, columns = self.count, self._columns
        columns["key"][at], columns["length"][at] = row.key, row.length
        columns["date"][at], columns["dated"][at] = row.date, row.dated
        columns["parent"][at], columns["sections"][at] = row.parent, row.sections
        columns["content_hash"][at] = row.content_hash
        if row.fingerprint is not None and row.fingerprint.signature is not None:
            columns["signature"][at], columns["signed"][at] = row.fingerprint.signature, 1
        for name in FACET_FIELDS:
            numbers, (keys, pending) = self._values[name], self._pending[name]
            for value in row.facets.get(name, ()):
                keys.append(row.key)
                pending.append(numbers.setdefault(value, len(numbers)))
            if len(keys) >= 4096:  # a Python int in a list takes 40 bytes, in an array 8
                self._settle(name)
        self.count += 1

    def column(self, name: str) -> np.ndarray:
        """The column ``name`` (one of those of ``DocumentRow`` but the facets and fingerprint,
        and "signature", "signed"), a row per document added."""
        return self._columns[name][: self.count]

    def values(self, name: str) -> list[str]:
        """The values of facet ``name``, by number."""
        return list(self._values[name])

    def pairs(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(keys, value numbers) of facet ``name``: one pair per value a document has."""
        self._settle(name)
        joined = np.concatenate([np.zeros((0, 2), dtype=np.int64), *self._pairs[name]])
        return joined[:, 0], joined[:, 1]

    def _settle(self, name: str) -> None:
        keys, numbers = self._pending[name]
        if keys:
            self._pairs[name].append(np.column_stack([np.asarray(keys, np.int64), np.asarray(numbers, np.int64)]))
            self._pending[name] = ([], [])

    def __getstate__(self) -> dict:
        # Sent as the columns filled so far (a view pickles as the values it shows).
        for name in FACET_FIELDS:
            self._settle(name)
        return {**self.__dict__, "_columns": {name: self.column(name) for name in _COLUMNS}}


def _empty(dtype: type, width: int, capacity: int) -> np.ndarray:
    shape = (capacity,) if width == 1 else (capacity, width)
    return np.zeros(shape, dtype=dtype)


def _grown(array: np.ndarray) -> np.ndarray:
    grown = np.zeros((len(array) * 2, *array.shape[1:]), dtype=array.dtype)
    grown[: len(array)] = array
    return grown
