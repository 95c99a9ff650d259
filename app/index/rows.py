"""The table's rows of the documents a writer adds, kept as columns until the table is written.

A build's writers add documents by the hundred thousand; a row kept as an object (a dataclass
with a dict of lists of strings and an array) costs over a kilobyte in Python and more again when
a worker sends its rows to the build. ``Rows`` keeps them as growing arrays (about 380 bytes a
document, most of it the copy signature) and each facet's distinct values once, numbered; it
crosses the process boundary as those arrays. Given a file stem to ``spill`` to, it writes its
rows out every ``ROWS_CHUNK`` of them (an ``ArrayFile`` of the ``ROWS_FORMAT``: the columns and
each facet's pairs), so that a build worker's memory does not grow with the archive; the files
are read back when the table is written, and removed by ``discard``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import arrays, copies
from .codec import Format

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
# Rows kept in memory before those of a ``Rows`` with a file stem to spill to are written out
# (some 6 MB of arrays), and the format of the files they are written to.
ROWS_CHUNK = 16_384
ROWS_FORMAT = Format("rows", 1)


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

    def __init__(self, spill: Path | None = None) -> None:
        self.count = 0
        self._spill = spill
        self._written: list[Path] = []  # the files rows were written out to, in order
        self._held = 0  # the rows in memory: the last ``count - ROWS_CHUNK * len(_written)``
        self._columns = {name: _empty(dtype, width, _FIRST_CAPACITY) for name, (dtype, width) in _COLUMNS.items()}
        self._values: dict[str, dict[str, int]] = {name: {} for name in FACET_FIELDS}
        self._pairs: dict[str, list[np.ndarray]] = {name: [] for name in FACET_FIELDS}
        self._pending: dict[str, tuple[list[int], list[int]]] = {name: ([], []) for name in FACET_FIELDS}

    def append(self, row: DocumentRow) -> None:
        """Add ``row``."""
        if self._held == len(self._columns["key"]):
            if self._spill is not None and self._held >= ROWS_CHUNK:
                self._write_out()
            else:
                self._columns = {name: _grown(array) for name, array in self._columns.items()}
        at, columns = self._held, self._columns
        columns["key"][at], columns["length"][at] = row.key, row.length
        columns["date"][at], columns["dated"][at] = row.date, row.dated
        columns["parent"][at], columns["sections"][at] = row.parent, row.sections
        columns["content_hash"][at] = row.content_hash
        if row.fingerprint is not None and row.fingerprint.signature is not None:
            columns["signature"][at], columns["signed"][at] = row.fingerprint.signature, 1
        else:  # arrays written out are filled again: nothing of an earlier row may stay
            columns["signature"][at], columns["signed"][at] = 0, 0
        for name in FACET_FIELDS:
            numbers, (keys, pending) = self._values[name], self._pending[name]
            for value in row.facets.get(name, ()):
                keys.append(row.key)
                pending.append(numbers.setdefault(value, len(numbers)))
            if len(keys) >= 4096:  # a Python int in a list takes 40 bytes, in an array 8
                self._settle(name)
        self._held += 1
        self.count += 1

    def column(self, name: str) -> np.ndarray:
        """The column ``name`` (one of those of ``DocumentRow`` but the facets and fingerprint,
        and "signature", "signed"), a row per document added."""
        held = self._columns[name][: self._held]
        if not self._written:
            return held
        return np.concatenate([*self._read_back(name), held])

    def values(self, name: str) -> list[str]:
        """The values of facet ``name``, by number."""
        return list(self._values[name])

    def pairs(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(keys, value numbers) of facet ``name``: one pair per value a document has."""
        self._settle(name)
        written = self._read_back(f"{name}.pairs")
        joined = np.concatenate([np.zeros((0, 2), dtype=np.int64), *written, *self._pairs[name]])
        return joined[:, 0], joined[:, 1]

    def discard(self) -> None:
        """Remove the files the rows were written out to (once the table holds them)."""
        for path in self._written:
            path.unlink(missing_ok=True)
        self._written = []

    def _write_out(self) -> None:
        """Write the rows held in memory to the next file of ``spill``, and let go of them."""
        for name in FACET_FIELDS:
            self._settle(name)
        held = {name: self._columns[name][: self._held] for name in _COLUMNS}
        for name in FACET_FIELDS:
            held[f"{name}.pairs"] = np.concatenate([np.zeros((0, 2), dtype=np.int64), *self._pairs[name]])
            self._pairs[name] = []
        path = self._spill.with_name(f"{self._spill.name}.rows{len(self._written)}")
        arrays.write(path, held, ROWS_FORMAT)
        self._written.append(path)
        self._held = 0

    def _read_back(self, name: str) -> list[np.ndarray]:
        """The array ``name`` of each file written out, in order, read into memory."""
        found = []
        for path in self._written:
            written = arrays.ArrayFile(path, ROWS_FORMAT)
            try:
                found.append(np.array(written[name]))
            finally:
                written.close()
        return found

    def _settle(self, name: str) -> None:
        keys, numbers = self._pending[name]
        if keys:
            self._pairs[name].append(np.column_stack([np.asarray(keys, np.int64), np.asarray(numbers, np.int64)]))
            self._pending[name] = ([], [])

    def __getstate__(self) -> dict:
        # Sent as the rows held in memory (a view pickles as the values it shows) and the names
        # of the files the others were written out to.
        for name in FACET_FIELDS:
            self._settle(name)
        return {**self.__dict__, "_columns": {name: self._columns[name][: self._held] for name in _COLUMNS}}


def _empty(dtype: type, width: int, capacity: int) -> np.ndarray:
    shape = (capacity,) if width == 1 else (capacity, width)
    return np.zeros(shape, dtype=dtype)


def _grown(array: np.ndarray) -> np.ndarray:
    grown = np.zeros((max(len(array) * 2, _FIRST_CAPACITY), *array.shape[1:]), dtype=array.dtype)
    grown[: len(array)] = array
    return grown
