"""The documents of a generation, by key: which are live, their Whoosh number, length, date,
the document each was found in, facet values, and the copies each has, in one array file
(``arrays``) read without copying.

Searches work on document keys: the postings hold keys, and the table turns them into what
scoring, filters, facets and sorting need. Each build writes the table anew from the previous
one and the documents it added; a key whose file changed or went away is no longer live. The
copies are grouped anew each build over the live documents (``grouping.group_copies``), from the
content hash and MinHash signature kept for every key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import copies, grouping
from .arrays import ArrayFile, write
from .codec import Format

TABLE = "table.arrays"
TABLE_FORMAT = Format("table", 5)
# Facets and filters: the values a document has for each (lang: what a language filter matches;
# language: its own tags, shown as the language facet; concept: the glossary concepts it names).
FACET_FIELDS = ("lang", "language", "year", "author", "tag", "concept")
# Where the parts of a document's indexed string start, as positions (``index.content``): the
# text after the title, the metadata after the text, the tags after the authors, and what comes
# after the tags (the description, the recipients). A search by field (``title:``) keeps the
# occurrences inside its part. ``NO_POSITION``: the part and those after it hold no token.
SECTIONS = ("text_from", "meta_from", "tags_from", "tags_to")
NO_POSITION = 2**32 - 1


@dataclass
class DocumentRow:
    """What the table keeps of one document."""

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


def write_table(
    generation: Path, rows: Iterable[DocumentRow], live_keys: Iterable[int], docnums: Mapping[int, int], base=None
) -> None:
    """Write the table of ``generation``: the ``base`` table's documents (None for a full build)
    and ``rows``; ``live_keys`` are the documents the generation holds, ``docnums`` their
    numbers in Whoosh's index."""
    rows = sorted(rows, key=lambda row: row.key)
    size = max([row.key + 1 for row in rows] + [int(base["length"].size) if base is not None else 0])
    length = np.zeros(size, dtype=np.uint32)
    date = np.zeros(size, dtype=np.int64)
    dated = np.zeros(size, dtype=np.uint8)
    parent = np.full(size, -1, dtype=np.int64)
    sections = {name: np.full(size, NO_POSITION, dtype=np.uint32) for name in SECTIONS}
    content_hash = np.zeros(size, dtype=np.uint64)
    signature = np.zeros((size, copies.PERMUTATIONS), dtype=np.uint16)
    signed = np.zeros(size, dtype=np.uint8)
    values: dict[str, list[str]] = {name: [] for name in FACET_FIELDS}
    pairs: dict[str, tuple[list, list]] = {name: ([], []) for name in FACET_FIELDS}
    if base is not None:
        old = base["length"].size
        length[:old], date[:old], dated[:old] = base["length"], base["date"], base["dated"]
        parent[:old] = base["parent"]
        content_hash[:old], signature[:old], signed[:old] = (
            base["copy.hash"],
            base["copy.signature"],
            base["copy.signed"],
        )
        for name in SECTIONS:
            sections[name][:old] = base[name]
        for name in FACET_FIELDS:
            values[name] = list(base.meta["facets"][name])
            pairs[name] = (base[f"{name}.key"].tolist(), base[f"{name}.value"].tolist())
    numbers = {name: {value: number for number, value in enumerate(values[name])} for name in FACET_FIELDS}
    for row in rows:
        length[row.key], date[row.key], dated[row.key] = row.length, row.date, row.dated
        parent[row.key] = row.parent
        content_hash[row.key] = row.content_hash
        if row.fingerprint is not None and row.fingerprint.signature is not None:
            signature[row.key], signed[row.key] = row.fingerprint.signature, 1
        for name, position in zip(SECTIONS, row.sections, strict=True):
            sections[name][row.key] = position
        for name in FACET_FIELDS:
            for value in row.facets.get(name, ()):
                number = numbers[name].get(value)
                if number is None:
                    number = numbers[name][value] = len(values[name])
                    values[name].append(value)
                pairs[name][0].append(row.key)
                pairs[name][1].append(number)
    live = np.zeros(size, dtype=np.uint8)
    docnum = np.full(size, -1, dtype=np.int64)
    for key in live_keys:
        live[key] = 1
        docnum[key] = docnums[key]
    arrays = {"live": live, "docnum": docnum, "length": length, "date": date, "dated": dated, "parent": parent}
    arrays.update(sections)
    arrays.update({"copy.hash": content_hash, "copy.signature": signature, "copy.signed": signed})
    arrays.update(_copy_groups(np.flatnonzero(live), content_hash, signature, signed, base))
    for name in FACET_FIELDS:
        arrays[f"{name}.key"] = np.asarray(pairs[name][0], dtype=np.uint32)
        arrays[f"{name}.value"] = np.asarray(pairs[name][1], dtype=np.uint32)
    write(generation / TABLE, arrays, TABLE_FORMAT, {"facets": values})


# Odd weights that turn a signature into one number: equal signatures, equal numbers.
_ROW_WEIGHTS = (np.arange(copies.PERMUTATIONS, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)) | np.uint64(1)


def _copy_groups(
    keys: np.ndarray, content_hash: np.ndarray, signature: np.ndarray, signed: np.ndarray, base=None
) -> dict:
    """Each key's group of copies among the live ``keys``: the key of its first member (itself
    for a document without copies, or not live), and its similarity to that member.

    Documents are grouped in key order, and only a group's first member draws others in: so when
    a build adds documents after the ``base`` table's keys and removes none that another live
    document's group is led by, the others keep their groups, and the new ones are grouped
    against the first members and their own exact copies alone (as a full grouping would group
    them, but where one band holds more than ``grouping.RUN_PAIRS`` documents)."""
    group = np.arange(content_hash.size, dtype=np.int64)
    similarity = np.ones(content_hash.size, dtype=np.float32)
    grouped = keys
    if base is not None:
        old = int(base["live"].size)
        before, kept = np.asarray(base["copy.group"], dtype=np.int64), keys[keys < old]
        if base["live"][kept].all() and np.isin(before[kept], kept).all():
            group[:old], similarity[:old] = before, base["copy.similarity"]
            added = keys[keys >= old]
            # An exact copy joins the group of its first copy, a member of it or not: those come too.
            digest = (signature.astype(np.uint64) * _ROW_WEIGHTS).sum(axis=1) + content_hash * (signed == 0)
            same = np.isin(content_hash[kept], content_hash[added]) | np.isin(digest[kept], digest[added])
            grouped = np.concatenate([kept[(before[kept] == kept) | same], added])
    if grouped.size:
        found = grouping.group_copies(grouped, content_hash[grouped].tolist(), signature[grouped], signed[grouped] == 1)
        group[found.keys], similarity[found.keys] = found.group, found.similarity
    return {"copy.group": group, "copy.similarity": similarity}


class Table:
    """The table of a generation, open for searching."""

    def __init__(self, generation: Path) -> None:
        self.arrays = ArrayFile(generation / TABLE, TABLE_FORMAT)
        self.live = self.arrays["live"].astype(bool)
        self.docnum = self.arrays["docnum"]
        self.length = self.arrays["length"]
        self.date = self.arrays["date"]
        self.dated = self.arrays["dated"]
        self.parent = self.arrays["parent"]
        # The first member of each document's group of copies (itself when it has none).
        self.copy_group = self.arrays["copy.group"]
        self.copy_similarity = self.arrays["copy.similarity"]
        self.content_hash = self.arrays["copy.hash"]
        self.sections = {name: self.arrays[name] for name in SECTIONS}
        self.live_keys = np.flatnonzero(self.live)
        self.documents = int(self.live_keys.size)
        total = int(self.length[self.live_keys].astype(np.int64).sum())
        self.average_length = total / self.documents if self.documents else 0.0
        self.facet_values: dict[str, list[str]] = self.arrays.meta["facets"]

    def children(self, key: int) -> np.ndarray:
        """The keys of the live documents found in document ``key`` (a message's attachments,
        a bundle's members), in the order they were read."""
        return np.flatnonzero((self.parent == key) & self.live)

    def facet(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(keys, value numbers) of the facet ``name``: one row per value a document has."""
        return self.arrays[f"{name}.key"], self.arrays[f"{name}.value"]

    def close(self) -> None:
        """Let go of the file."""
        self.arrays.close()
