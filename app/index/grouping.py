"""Grouping documents into copies by their content hash and MinHash signature (``copies.py``).

The same hash or signature is one text; candidates share one of 42 bands of 3 rows (each
band's 48 bits a key, sorted, runs of equal keys: each member paired with the first RUN_PAIRS
of its run), confirmed at 40% of the rows equal. In key order a document joins the earlier group
whose first member it is nearest, or starts one: a chain A ~ B ~ C with A far from C is never one
group. Rows are decided a stretch at a time in key order, each stretch's candidate pairs made,
compared and dropped before the next, so memory is bounded by ``_MOST_PAIRS``, not by the
archive's candidate pairs: on the benchmark's 240,000 documents (mostly near copies of each
other) making them all at once took 3.3 GB traced and 115 s.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from .copies import PERMUTATIONS, Fingerprint
from .packing import unique

BANDS, ROWS, THRESHOLD = 42, 3, 0.4
# A run sharing a band (a template filled in 10,000 times) pairs each with its first RUN_PAIRS.
RUN_PAIRS = 256
_CHUNK, _MOST_PAIRS = 1 << 16, 1 << 22


def signatures(fingerprints: list[Fingerprint]) -> tuple[np.ndarray, np.ndarray]:
    """(signatures, has_signature) of ``fingerprints`` stacked for ``group_copies`` (zeros: none)."""
    none = np.zeros(PERMUTATIONS, dtype=np.uint16)
    rows = [none if p.signature is None else p.signature for p in fingerprints]
    has = np.array([p.signature is not None for p in fingerprints], dtype=bool)
    return np.array(rows, dtype=np.uint16).reshape(-1, PERMUTATIONS), has


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The estimated Jaccard similarity of signatures ``a`` and ``b`` (rows of equal shape)."""
    return np.count_nonzero(np.asarray(a) == np.asarray(b), axis=-1) / PERMUTATIONS


@dataclass(frozen=True)
class CopyGroups:
    """Each document's group, by input row: ``group`` is the key of the group's first member (its
    lowest key; a document alone is its own group), ``similarity`` the estimated Jaccard similarity
    to it (1.0 for the first member and exact copies), ``exact``: it has the first's content hash."""

    keys: np.ndarray
    group: np.ndarray
    similarity: np.ndarray
    exact: np.ndarray

    def members(self, key: int) -> np.ndarray:
        """The keys of the group of the document ``key``, in order (empty for an unknown key)."""
        found = self.group[self.keys == key]
        return np.sort(self.keys[self.group == found[0]]) if len(found) else found

    @property
    def sizes(self) -> np.ndarray:
        """The size of each row's group (1: no copy)."""
        _, inverse, counts = np.unique(self.group, return_inverse=True, return_counts=True)
        return counts[inverse]


def _firsts(labels: np.ndarray) -> np.ndarray:
    """For each position, the first position with its label (positions in key order)."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    return first[inverse.reshape(-1)]


def _band_runs(matrix: np.ndarray, bands: int, rows: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per band: the rows sorted by the band's key (a run's members in key order), each row's place
    in that order, and where the run at each place starts."""
    found, count = [], len(matrix)
    for band in range(bands):
        key = np.zeros(count, dtype=np.uint64)
        for column in range(band * rows, (band + 1) * rows):
            key = (key << np.uint64(16)) | matrix[:, column]  # exact up to 4 rows; candidates are confirmed
        order = np.argsort(key, kind="stable")  # stable: a run's members in key order
        ordered = key[order]
        starts_run = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        place = np.empty(count, dtype=np.int32)
        place[order] = np.arange(count, dtype=np.int32)
        run_start = np.repeat(starts_run, np.diff(np.r_[starts_run, count])).astype(np.int32)
        found.append((order.astype(np.int32), place, run_start))
    return found


def _candidates(runs: list, later_rows: np.ndarray) -> np.ndarray:
    """Pairs (earlier << 32 | later) of rows sharing a band, each later one of ``later_rows``
    paired with the first RUN_PAIRS members of its run, sorted, without repeats."""
    found = []
    for order, place, run_start in runs:
        places = place[later_rows]
        first = run_start[places]
        pairs = np.minimum(places - first, RUN_PAIRS)
        within = np.arange(int(pairs.sum())) - np.repeat(np.cumsum(pairs) - pairs, pairs)
        earlier = order[np.repeat(first, pairs) + within]
        found.append((earlier.astype(np.int64) << 32) | np.repeat(later_rows, pairs))
    return unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _leaders(
    matrix: np.ndarray, threshold: float, bands: int, rows: int, most_pairs: int = _MOST_PAIRS
) -> tuple[np.ndarray, np.ndarray]:
    """(leader, equal rows) of each row of ``matrix`` (rows in key order): the earlier leader it is
    most similar to at ``threshold`` or over, else itself. Rows are decided a stretch at a time,
    each stretch's candidate pairs (about ``most_pairs``) made, compared and dropped before the
    next: memory is bounded, not the archive's candidate pairs (3.3 GB traced at 240,000)."""
    count = len(matrix)
    leader, agree = np.arange(count), np.full(count, PERMUTATIONS)
    is_leader = np.ones(count, dtype=bool)
    if not count:
        return leader, agree
    runs = _band_runs(matrix, bands, rows)
    pairs = np.cumsum(sum(np.minimum(place - first[place], RUN_PAIRS).astype(np.int64) for _o, place, first in runs))
    cuts = np.searchsorted(pairs, np.arange(most_pairs, int(pairs[-1]), most_pairs), side="right")
    bounds = np.unique(np.r_[0, cuts, count]).tolist()
    for start, end in itertools.pairwise(bounds):
        _decide(matrix, _candidates(runs, np.arange(start, end, dtype=np.int64)), threshold, leader, agree, is_leader)
    return leader, agree


def _decide(matrix, pairs, threshold: float, leader, agree, is_leader) -> None:
    """Decide the later rows of ``pairs`` (all later than every row decided before)."""
    earlier, later = pairs >> 32, pairs & 0xFFFFFFFF
    equal = np.zeros(len(pairs), dtype=np.int64)
    for start in range(0, len(pairs), _CHUNK):  # a chunk's rows compared at once, in bounded memory
        part = slice(start, start + _CHUNK)
        equal[part] = np.count_nonzero(matrix[earlier[part]] == matrix[later[part]], axis=1)
    near = equal >= int(np.ceil(threshold * PERMUTATIONS - 1e-9))
    earlier, later, equal = earlier[near], later[near], equal[near]
    # By the later row, the most similar first, the lowest leader on a tie.
    order = np.lexsort((earlier, -equal, later))
    for first, second, same in zip(earlier[order].tolist(), later[order].tolist(), equal[order].tolist(), strict=True):
        # Every earlier row is decided when a later one is: rows go in key order.
        if is_leader[second] and is_leader[first]:
            leader[second], agree[second] = first, same
            is_leader[second] = False


def group_copies(
    keys: np.ndarray,
    hashes: list[str] | list[int],
    signatures: np.ndarray,
    has_signature: np.ndarray,
    threshold: float = THRESHOLD,
    bands: int = BANDS,
    rows: int = ROWS,
) -> CopyGroups:
    """Group documents (``keys``, unique) by their content ``hashes`` (equal: the same bytes) and MinHash
    ``signatures`` (uint16 rows; only where ``has_signature``): exact copies together, and each
    document with the earlier group's first member it is nearest at ``threshold`` or over."""
    keys = np.asarray(keys, dtype=np.int64)
    count = len(keys)
    order = np.argsort(keys, kind="stable")  # positions below are in key order
    codes: dict[str | int, int] = {}
    code = np.fromiter((codes.setdefault(h, len(codes)) for h in hashes), dtype=np.int64, count=count)[order]
    has = np.asarray(has_signature, dtype=bool)[order]
    matrix = np.ascontiguousarray(signatures, dtype=np.uint16)
    if (order != np.arange(count)).any():  # keys given out of order: the rows put in key order
        matrix = matrix[order]
    # The first document with the same hash, or with the same signature: the same folded text.
    first = _firsts(code)
    signed = np.flatnonzero(has)
    signed_rows = matrix if signed.size == count else matrix[signed]
    first[signed] = signed[_firsts(signed_rows.view(np.dtype((np.void, 2 * PERMUTATIONS))).ravel())]
    del signed_rows
    is_first = has & (first == np.arange(count))
    firsts, slot = np.flatnonzero(is_first), np.cumsum(is_first) - 1  # slot: a first's place among them
    lead, equal = _leaders(matrix[firsts], threshold, bands, rows)
    leader, agreed = first.copy(), np.full(count, PERMUTATIONS)
    leader[signed] = firsts[lead[slot[first[signed]]]]
    agreed[signed] = equal[slot[first[signed]]]
    group, similar, exact = np.empty(count, dtype=np.int64), np.empty(count, dtype=np.float32), np.empty(count, bool)
    group[order], similar[order], exact[order] = keys[order][leader], agreed / PERMUTATIONS, code[leader] == code
    return CopyGroups(keys, group, similar, exact)
