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

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import copies, grouping
from .arrays import ArrayFile, write
from .codec import Format
from .rows import FACET_FIELDS, NO_POSITION, SECTIONS, Rows

TABLE = "table.arrays"
TABLE_FORMAT = Format("table", 5)


def write_table(
    generation: Path, batches: Sequence[Rows], live_keys: np.ndarray, docnums: np.ndarray, base=None
) -> None:
    """Write the table of ``generation``: the ``base`` table's documents (None for a full build)
    and the rows of ``batches``; ``live_keys`` are the documents the generation holds, and
    ``docnums`` their numbers in Whoosh's index, in the same order."""
    added = [batch for batch in batches if batch.count]
    batch_keys = [batch.column("key") for batch in added]
    ends = [int(keys.max()) + 1 for keys in batch_keys]
    size = max([*ends, int(base["length"].size) if base is not None else 0, 0])
    length = np.zeros(size, dtype=np.uint32)
    date = np.zeros(size, dtype=np.int64)
    dated = np.zeros(size, dtype=np.uint8)
    parent = np.full(size, -1, dtype=np.int64)
    sections = {name: np.full(size, NO_POSITION, dtype=np.uint32) for name in SECTIONS}
    content_hash = np.zeros(size, dtype=np.uint64)
    signature = np.zeros((size, copies.PERMUTATIONS), dtype=np.uint16)
    signed = np.zeros(size, dtype=np.uint8)
    # Each facet's values, numbered in the order first met: the base table's, then the batches'.
    numbers: dict[str, dict[str, int]] = {name: {} for name in FACET_FIELDS}
    pairs: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {name: [] for name in FACET_FIELDS}
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
            numbers[name] = {value: number for number, value in enumerate(base.meta["facets"][name])}
            pairs[name].append((np.asarray(base[f"{name}.key"]), np.asarray(base[f"{name}.value"])))
    for batch, keys in zip(added, batch_keys, strict=True):
        length[keys], date[keys], dated[keys] = batch.column("length"), batch.column("date"), batch.column("dated")
        parent[keys] = batch.column("parent")
        starts = batch.column("sections")  # each column read once: a batch's rows may be read back from files
        for number, name in enumerate(SECTIONS):
            sections[name][keys] = starts[:, number]
        content_hash[keys], signature[keys] = batch.column("content_hash"), batch.column("signature")
        signed[keys] = batch.column("signed")
        for name in FACET_FIELDS:
            # The batch's value numbers turned into the table's, new values numbered after the others.
            renumber = np.array([numbers[name].setdefault(value, len(numbers[name])) for value in batch.values(name)])
            pair_keys, pair_values = batch.pairs(name)
            pairs[name].append((pair_keys, renumber[pair_values] if pair_values.size else pair_values))
    live = np.zeros(size, dtype=np.uint8)
    docnum = np.full(size, -1, dtype=np.int64)
    live[live_keys], docnum[live_keys] = 1, docnums
    arrays = {"live": live, "docnum": docnum, "length": length, "date": date, "dated": dated, "parent": parent}
    arrays.update(sections)
    arrays.update({"copy.hash": content_hash, "copy.signature": signature, "copy.signed": signed})
    arrays.update(_copy_groups(np.flatnonzero(live), content_hash, signature, signed, base))
    for name in FACET_FIELDS:
        # Pairs by key (a stable sort: a document's values keep their order), as rows were added.
        joined_keys = np.concatenate([np.zeros(0, np.uint32), *(keys for keys, _ in pairs[name])]).astype(np.uint32)
        joined_values = np.concatenate([np.zeros(0, np.uint32), *(found for _, found in pairs[name])])
        order = np.argsort(joined_keys, kind="stable")
        arrays[f"{name}.key"] = joined_keys[order]
        arrays[f"{name}.value"] = joined_values.astype(np.uint32)[order]
    write(generation / TABLE, arrays, TABLE_FORMAT, {"facets": {name: list(numbers[name]) for name in FACET_FIELDS}})


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
        # Every row, in order (a full build): the signatures as they are, not a copy of 256 bytes a document.
        rows = signature if grouped.size == signature.shape[0] else signature[grouped]
        found = grouping.group_copies(grouped, content_hash[grouped].tolist(), rows, signed[grouped] == 1)
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
