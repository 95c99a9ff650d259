"""The postings of a generation: every part, with deleted documents left out.

A term is a word, a single Han character or a pair of Han characters (the pair index); its
postings are read from each part that holds it (parts hold increasing ranges of keys) and
joined. Positions are read for chosen documents only. The decoded postings of terms in many
documents are kept for the generation's life, within ``CACHED_BYTES``: the common words and
characters are read by search after search. So are their decoded positions, part by part as
searches ask for them, within ``KEPT_POSITIONS_BYTES``: a long Chinese phrase confirms its
candidates from the positions of its characters, and the common ones are the same few for every
phrase.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from ...analysis.scripts import is_han
from .. import packing
from .encode import BLOCK, decode_positions
from .part import Entry, Part, pair_code


def locate(term: str) -> tuple[str, object] | None:
    """(group, key in the group's dictionary) of a term: Han characters and pairs by code,
    pairs of words ("human right") by their text."""
    if len(term) == 1 and is_han(term):
        return "han", ord(term)
    if len(term) == 2 and is_han(term[0]) and is_han(term[1]):
        return "han", pair_code(term[0], term[1])
    return ("phrases" if " " in term else "words"), term


# A term's positions in a part are read whole when they take no more than this many bytes, or
# when at least this share of its documents is asked for; otherwise block by block.
WHOLE_BYTES = 65_536
WHOLE_SHARE = 0.5
# Decoded postings kept per generation: of terms in at least CACHED_FROM documents (fewer are
# decoded about as fast as they are found again), up to CACHED_BYTES in all (a server worker
# holds a generation, two while it replaces one). The 25 queries of the benchmark keep 29 MB at
# 60,000 documents and fill the bound at 240,000 (at 32 MB, the characters of 國家安全 found no
# room and were decoded at every search).
CACHED_FROM = 1_000
CACHED_BYTES = 64 * 2**20
# Decoded positions kept per generation, of terms whose postings are kept: a part's positions of
# a term decoded whole when a search first asks for postings in most of its blocks, up to this
# many bytes in all (four a position). At 240,000 documents, 立法會 confirmed 9,927 candidates
# from 337,746 positions of 會, decoded block by block in 13.4 ms a search. The 25 queries of the
# benchmark keep 10 MB of positions at 60,000 documents, 31 MB at 240,000.
KEPT_POSITIONS_BYTES = 64 * 2**20
# Bytes a kept posting takes, about: its key and frequency, live and in its part's arrays.
_KEPT_A_POSTING = 32


@dataclass(frozen=True)
class PartPostings:
    """A term's postings in one part, deleted documents included: the part, the term's entry
    in its dictionary, the keys, the frequencies, and the skip rows (what reading positions
    needs)."""

    part: Part
    entry: Entry
    keys: np.ndarray
    freqs: np.ndarray
    skips: np.ndarray


@dataclass
class TermPostings:
    """A term's live postings (keys increasing, and the term's frequency in each), and what
    reading its positions needs: its postings in each part that holds it (``segments``), the
    positions read whole, kept by segment for the search, and whether the generation keeps these
    postings (``shared``: then it may keep their positions too)."""

    keys: np.ndarray
    freqs: np.ndarray
    segments: list[PartPostings] = field(default_factory=list)
    whole: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    shared: bool = False


EMPTY = TermPostings(np.zeros(0, np.int64), np.zeros(0, np.int64))


class TermIndex:
    """The terms of a generation's parts; ``keep_positions`` False in a process that runs one
    search (positions decoded whole for the searches after it would be decoded for nothing)."""

    def __init__(self, parts: list[Part], live: np.ndarray, keep_positions: bool = True) -> None:
        self.parts = sorted(parts, key=lambda part: part.first_key)
        self.live = live
        self.keep_positions = keep_positions
        self._kept: dict[str, tuple[np.ndarray, np.ndarray, list[PartPostings]]] = {}
        self._kept_bytes = 0
        # (part's first key, where the term's positions start in it) -> (each posting's first
        # position's place, the positions)
        self._positions: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self._positions_bytes = 0
        self._lock = threading.Lock()

    def would_keep(self, term: str) -> bool:
        """True when the decoded postings of ``term`` are kept (``postings`` reads nothing), or
        would be kept once read: in ``CACHED_FROM`` documents or more, with room for them."""
        if term in self._kept:
            return True
        count = self.count(term)
        return count >= CACHED_FROM and self._kept_bytes + count * _KEPT_A_POSTING <= CACHED_BYTES

    def postings(self, term: str) -> TermPostings:
        """The live postings of ``term`` (their arrays read-only: those of a common term are
        shared by every search of the generation)."""
        kept = self._kept.get(term)
        if kept is not None:
            return TermPostings(*kept, shared=True)  # a whole dict of its own: positions stay with one search
        found = self._read(term)
        if found.keys.size >= CACHED_FROM:
            arrays = [found.keys, found.freqs, *(a for s in found.segments for a in (s.keys, s.freqs, s.skips))]
            size = sum(array.nbytes for array in arrays)
            with self._lock:
                if term not in self._kept and self._kept_bytes + size <= CACHED_BYTES:
                    for array in arrays:
                        array.flags.writeable = False
                    self._kept[term] = (found.keys, found.freqs, found.segments)
                    self._kept_bytes += size
                    found.shared = True
        return found

    @property
    def kept_bytes(self) -> int:
        """The bytes of the postings kept."""
        return self._kept_bytes

    @property
    def kept_positions_bytes(self) -> int:
        """The bytes of the positions kept."""
        return self._positions_bytes

    def _kept_positions(
        self, postings: TermPostings, segment: PartPostings, wanted: int
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """The positions of ``segment`` of ``postings`` decoded whole, kept from the first search
        that asks for ``wanted`` postings in most of its blocks (a phrase's candidates, not a
        page's ten) while there is room; None when the generation does not keep them."""
        if not (postings.shared and self.keep_positions and segment.entry.pos[1]):
            return None
        key = (segment.part.first_key, segment.entry.pos[0])
        found = self._positions.get(key)
        if found is not None or wanted * BLOCK < segment.entry.count:
            return found
        size = 4 * int(segment.freqs.sum()) + 8 * segment.freqs.size
        with self._lock:  # decoded once, even when two searches ask at once
            found = self._positions.get(key)
            if found is None and self._positions_bytes + size <= KEPT_POSITIONS_BYTES:
                positions = decode_positions(segment.part.read(segment.entry.pos), segment.freqs)
                if not positions.size or int(positions.max()) < 2**31:  # half the memory
                    positions = positions.astype(np.int32)
                found = (packing.starts(segment.freqs), positions)
                size = sum(array.nbytes for array in found)
                if self._positions_bytes + size <= KEPT_POSITIONS_BYTES:
                    for array in found:
                        array.flags.writeable = False
                    self._positions[key] = found
                    self._positions_bytes += size
            return found

    def _read(self, term: str) -> TermPostings:
        group, code = locate(term)
        segments = []
        for part in self.parts:
            entry = part.entry(group, code)
            if entry is not None:
                skips = part.skips(entry)
                keys, freqs = part.postings(entry, skips)
                segments.append(PartPostings(part, entry, keys, freqs, skips))
        if not segments:
            return EMPTY
        keys = np.concatenate([segment.keys for segment in segments])
        freqs = np.concatenate([segment.freqs for segment in segments])
        alive = self.live[keys]
        if not alive.all():
            keys, freqs = keys[alive], freqs[alive]
        return TermPostings(keys, freqs, segments)

    def count(self, term: str) -> int:
        """How many postings ``term`` has (deleted documents included), without reading them."""
        group, code = locate(term)
        return sum(entry.count for part in self.parts if (entry := part.entry(group, code)) is not None)

    def positions_from_postings(self, postings: TermPostings, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(key, position) of every occurrence of a term whose ``postings`` a search has read, in
        the documents ``keys`` (which must hold it), in key then position order. Where many of
        its documents are asked for, a part's positions are read whole and kept with
        ``postings`` for the rest of the search; else only the blocks of ``keys``."""
        found_keys, found_positions = [], []
        for number, segment in enumerate(postings.segments):
            part, entry = segment.part, segment.entry
            inside = keys[(keys >= part.first_key) & (keys < part.end_key)]
            if not inside.size:
                continue
            wanted = np.searchsorted(segment.keys, inside)
            kept = self._kept_positions(postings, segment, wanted.size)
            if kept is not None:
                owners, positions = _pick(kept, segment.freqs, wanted)
            elif number in postings.whole or entry.pos[1] <= WHOLE_BYTES or wanted.size >= WHOLE_SHARE * entry.count:
                owners, positions = _select(postings, number, wanted)
            else:
                owners, positions = part.positions(entry, segment.freqs, wanted, segment.skips)
            found_keys.append(segment.keys[owners])
            found_positions.append(positions)
        if not found_keys:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(found_keys), np.concatenate(found_positions)

    def positions_in_page(self, term: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(key, position) of every occurrence of ``term``, whose postings are not read, in those
        of the live documents ``keys`` (increasing; a page of results) that hold it: only the
        blocks of postings and positions that ``keys`` fall in are read, nothing is kept."""
        group, code = locate(term)
        found_keys, found_positions = [], []
        for part in self.parts:
            inside = keys[(keys >= part.first_key) & (keys < part.end_key)]
            entry = part.entry(group, code) if inside.size else None
            if entry is None or not entry.pos[1]:
                continue
            skips = part.skips(entry)
            indexes, holding, freqs = part.lookup(entry, skips, inside)
            alive = self.live[holding]
            indexes, holding = indexes[alive], holding[alive]
            if not indexes.size:
                continue
            owners, positions = part.positions(entry, freqs, indexes, skips)
            found_keys.append(holding[np.searchsorted(indexes, owners)])
            found_positions.append(positions)
        if not found_keys:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(found_keys), np.concatenate(found_positions)

    def words(self, start: str, stop: str, limit: int) -> list[str]:
        """The first ``limit`` words from ``start`` (included) to ``stop`` (excluded), in order."""
        found: set[str] = set()
        for part in self.parts:
            found.update(part.terms_from("words", start, stop, limit))
        return sorted(found)[:limit]

    def close(self) -> None:
        """Close every part."""
        for part in self.parts:
            part.close()


def _select(postings: TermPostings, number: int, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the postings ``wanted`` of segment ``number``, from its positions read
    whole (once per search): (posting of each, positions)."""
    segment = postings.segments[number]
    freqs = segment.freqs
    found = postings.whole.get(number)
    if found is None:
        positions = decode_positions(segment.part.read(segment.entry.pos), freqs)
        found = postings.whole[number] = (packing.starts(freqs), positions)
    return _pick(found, freqs, wanted)


def _pick(
    decoded: tuple[np.ndarray, np.ndarray], freqs: np.ndarray, wanted: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the postings ``wanted`` from a segment's positions decoded whole
    (``decoded``: where each posting's positions start, and the positions): (posting of each,
    positions)."""
    starts, positions = decoded
    counts = freqs[wanted]
    return np.repeat(wanted, counts), positions[packing.spans(starts[wanted], counts)].astype(np.int64, copy=False)
