"""The same story, once: a search's results grouped by copies, and what tells each copy apart.

The index groups exact and near copies at each build (``index.copies``: the same text up to
script, punctuation, boilerplate and small edits); the table keeps each document's group as
the key of its first member. A search shows one result per group, the copy that ranks best,
with the group's other matches beside it; its total counts groups, and it says how many
documents they hold. A copy is told apart from the document shown by what a reader would
check: its language or script, its folder, its date, its format, and whether its text is the
same or nearly so.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

import numpy as np

from ..index import packing
from ..index.readers import Generation
from ..query.hits import Hits

# Most copies listed with one result, and on a document's page (each is read for its title).
RESULT_COPIES = 10
PAGE_COPIES = 50


@dataclass(frozen=True)
class Difference:
    """How a copy differs from the document it is shown with: ``kind`` is ``language`` (its
    main language or script, ``value`` its tag), ``folder`` (``value`` its folder), ``date``
    (its date, or empty when it has none), ``format`` (its format) or ``wording`` (a near
    copy: its text differs a little; ``value`` the share of it that is the same, in percent)."""

    kind: str
    value: str


@dataclass(frozen=True)
class Copy:
    """Another copy of a document: its id and title, and how it differs."""

    id: str
    title: str
    differences: tuple[Difference, ...]


@dataclass(frozen=True)
class Copies:
    """The copies of a document: the first of them, listed, and how many there are."""

    shown: tuple[Copy, ...] = ()
    total: int = 0


@dataclass(frozen=True)
class CopyIndex:
    """The groups of copies of a generation: each live key's group, the live keys in groups of
    more than one, sorted by group (``members``, with where each group starts)."""

    group: np.ndarray
    in_group: np.ndarray
    members: np.ndarray
    member_groups: np.ndarray

    def members_of(self, key: int) -> np.ndarray:
        """The live keys of the group of ``key``, itself included, in key order."""
        group = self.group[key]
        low, high = np.searchsorted(self.member_groups, [group, group + 1])
        return self.members[low:high] if high > low else np.array([key], dtype=np.int64)


def copy_index(generation: Generation) -> CopyIndex:
    """The copy groups of ``generation``, made once."""
    return generation.memo("copies", lambda: _copy_index(generation))


def _copy_index(generation: Generation) -> CopyIndex:
    table = generation.table
    group = np.asarray(table.copy_group, dtype=np.int64)
    live = table.live_keys
    sizes = np.bincount(group[live], minlength=group.size)
    in_group = np.zeros(group.size, dtype=bool)
    in_group[live] = sizes[group[live]] > 1
    members = live[in_group[live]]
    order = np.lexsort((members, group[members]))
    members = members[order]
    return CopyIndex(group, in_group, members, group[members])


def one_per_group(generation: Generation, results: Hits, untyped: np.ndarray, scores: np.ndarray) -> Hits:
    """``results`` with one document per group of copies: the one a search by relevance ranks
    first (the words as typed before translations only, then by score, then the earliest key)."""
    index = copy_index(generation)
    grouped = index.in_group[results.keys]
    if not grouped.any():
        return results
    places = np.flatnonzero(grouped)
    groups = index.group[results.keys[places]]
    untyped, scores = untyped[places], scores[places]
    # Each group's best, narrowed a rule at a time with one pass each rather than sorted (a sort
    # of 15,000 results by four keys took four times as long): those with the words as typed,
    # if the group has any; of them the best scored; of those the earliest (places increase).
    size = index.group.size
    typed = np.zeros(size, dtype=bool)
    typed[groups[~untyped]] = True
    chosen = untyped != typed[groups]
    best = np.full(size, -np.inf)
    np.maximum.at(best, groups[chosen], scores[chosen])
    chosen &= scores == best[groups]
    candidates = np.flatnonzero(chosen)
    first = np.full(size, places.size, dtype=np.int64)
    np.minimum.at(first, groups[candidates], candidates)
    keep = ~grouped
    keep[places[first[first < places.size]]] = True
    return Hits(results.keys[keep], results.scores[keep])


def copies_of(
    generation: Generation,
    key: int,
    among: np.ndarray | None = None,
    most: int = PAGE_COPIES,
    record: dict | None = None,
) -> Copies:
    """The other live copies of document ``key`` (only those in the keys ``among``, when given):
    how many, and the first ``most`` in key order, each with how it differs from ``key`` (whose
    ``record`` is read unless given)."""
    index = copy_index(generation)
    if not index.in_group[key]:
        return Copies()
    members = index.members_of(key)
    members = members[members != key]
    if among is not None:
        members = members[packing.within(members, among)]
    shown = generation.record(key) if record is None else record
    similarity = generation.table.copy_similarity
    found = []
    for other in members[:most].tolist():
        record = generation.record(other)
        # Each is measured against the group's first member: the lower says how alike these two are.
        near = min(float(similarity[key]), float(similarity[other]))
        found.append(Copy(record["id"], record["title"], differences(shown, record, near)))
    return Copies(tuple(found), int(members.size))


def differences(shown: dict, other: dict, similarity: float = 1.0) -> tuple[Difference, ...]:
    """How the document of record ``other`` differs from that of record ``shown`` (``similarity``:
    the estimated share of their text that is the same; under 1, a near copy)."""
    found = []
    language = _main_language(other)
    if language != _main_language(shown):
        found.append(Difference("language", language))
    folder = posixpath.dirname(other["path"])
    if folder != posixpath.dirname(shown["path"]):
        found.append(Difference("folder", folder))
    if other.get("date") != shown.get("date"):
        found.append(Difference("date", other.get("date") or ""))
    if other.get("format") != shown.get("format"):
        found.append(Difference("format", other.get("format") or ""))
    if other.get("hash") != shown.get("hash") and similarity < 1.0:
        found.append(Difference("wording", str(round(similarity * 100))))
    return tuple(found)


def _main_language(record: dict) -> str:
    languages = record.get("languages") or []
    return languages[0]["tag"] if languages else ""
