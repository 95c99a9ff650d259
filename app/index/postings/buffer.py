"""Buffering postings: documents go in, in increasing key order; a part comes out.

A ``PostingsBuffer`` keeps each document's postings as small arrays until they reach its memory
budget, then sorts them by term and writes them as a part (``encode``, ``writing``): a run. When
the buffer is closed its runs are merged into one part (``merge``), so a build leaves one part
per writer however many documents it held.
"""

from __future__ import annotations

import contextlib
import ctypes
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ...analysis import Analysed
from .. import packing
from .encode import encode
from .merge import merge
from .part import PAIR_SHIFT, files
from .writing import PartWriter

# Bytes a document's postings take in the buffer, per token and per posting (an estimate).
_BYTES_PER_TOKEN = 4
_BYTES_PER_POSTING = 24
# Positions (or postings, for terms without positions) encoded at a time when writing a run.
_SLICE = 250_000
# What a document gives, each kind written to a group of the part: single Han characters and
# pairs of them (by code), words (by number, in the order first seen), pairs of adjacent words
# (first number << 32 | second).
_KINDS = {"han": "han", "pairs": "han", "words": "words", "phrases": "phrases"}


class _Held(NamedTuple):
    """One document's postings of one kind: terms, how often each, and (for the kinds that
    have them) the positions of each term in turn."""

    terms: np.ndarray
    freqs: np.ndarray
    positions: np.ndarray | None


class PostingsBuffer:
    """Collects the postings of documents and writes them as the part ``folder/name``."""

    def __init__(self, folder: Path, name: str, memory_mb: float) -> None:
        self.folder = folder
        self.name = name
        self.budget = memory_mb * 1_000_000
        self.runs: list[Path] = []
        self.runs_written = 0
        self._word_ids: dict[str, int] = {}
        self._words: list[str] = []
        self._reset()

    def _reset(self) -> None:
        self._keys: list[int] = []
        self._held: dict[str, list[_Held]] = {kind: [] for kind in _KINDS}
        self._bytes = 0
        self._first_key: int | None = None
        self._last_key = -1

    def add(self, key: int, analysed: Analysed) -> None:
        """Add the postings of the document ``key`` (keys must increase from call to call)."""
        if key <= self._last_key:
            raise ValueError(f"document keys must increase: {key} after {self._last_key}")
        if self._first_key is None:
            self._first_key = key
        self._last_key = key
        codes, positions = analysed.han_codes, analysed.han_positions
        order = np.argsort(codes, kind="stable")
        sorted_codes = codes[order]
        firsts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]]) if codes.size else np.zeros(0, int)
        han_freqs = np.diff(np.r_[firsts, codes.size])
        self._held["han"].append(_Held(sorted_codes[firsts], han_freqs, positions[order]))
        adjacent = positions[1:] == positions[:-1] + 1
        pairs = (codes[:-1][adjacent].astype(np.int64) << PAIR_SHIFT) | codes[1:][adjacent]
        pair_codes, pair_counts = np.unique(pairs, return_counts=True)
        self._held["pairs"].append(_Held(pair_codes, pair_counts, None))
        ids, freqs, word_positions = [], [], []
        for term, found in analysed.words.items():
            number = self._word_ids.get(term)
            if number is None:
                number = self._word_ids[term] = len(self._words)
                self._words.append(term)
            ids.append(number)
            freqs.append(len(found))
            word_positions += found
        ids_array, freqs_array = np.array(ids, dtype=np.int64), np.array(freqs, dtype=np.int64)
        positions_array = np.array(word_positions, dtype=np.int64)
        self._held["words"].append(_Held(ids_array, freqs_array, positions_array))
        # Pairs of adjacent words, as (first id << 32 | second id), and how often each occurs.
        order = np.argsort(positions_array, kind="stable")
        in_order, owners = positions_array[order], np.repeat(ids_array, freqs_array)[order]
        firsts_of, seconds_of = _adjacent(in_order)
        phrase_codes, phrase_counts = np.unique(packing.pack(owners[firsts_of], owners[seconds_of]), return_counts=True)
        self._held["phrases"].append(_Held(phrase_codes, phrase_counts, None))
        self._keys.append(key)
        self._bytes += _BYTES_PER_TOKEN * analysed.length + _BYTES_PER_POSTING * (
            firsts.size + pair_codes.size + len(ids) + phrase_codes.size
        )
        if self._bytes >= self.budget:
            self._flush()

    def _flush(self) -> None:
        if not self._keys:
            return
        keys = np.array(self._keys, dtype=np.int64)
        stem = self.folder / f"{self.name}-run{len(self.runs)}"
        writer = PartWriter(stem, (self._first_key, self._last_key + 1))
        try:
            # Each kind is joined, written and let go before the next, to keep the peak low.
            for kind, group in _KINDS.items():
                self._write(writer, group, kind, keys, self._held.pop(kind))
            writer.close()
        except BaseException:
            writer.abandon()
            raise
        self.runs.append(stem)
        self.runs_written += 1
        self._reset()

    def _write(self, writer: PartWriter, group: str, kind: str, keys: np.ndarray, held: list[_Held]) -> None:
        """Write the postings ``held`` of one kind (one per document of ``keys``) to ``group``."""
        terms = np.concatenate([document.terms for document in held])
        order_of, names = self._term_order(kind, terms)
        positions = None if held[0].positions is None else np.concatenate([document.positions for document in held])
        for encoded in _sorted(
            order_of,
            np.repeat(keys, [document.terms.size for document in held]),
            np.concatenate([document.freqs for document in held]),
            positions,
        ):
            if names is not None:
                encoded.terms = names[encoded.terms]
            writer.add(group, encoded)

    def _term_order(self, kind: str, terms: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """What to sort the terms of a kind by (the part's order of them), and the term each
        value stands for (None: the values are the terms: Han codes)."""
        if kind == "han":
            return terms.astype(np.int64), None
        if kind == "pairs":
            return terms, None
        if kind == "words":
            ranks = np.argsort(np.argsort(np.array(self._words, dtype=object), kind="stable"))
            by_rank = np.array(sorted(self._words), dtype=object)
            return (ranks[terms] if terms.size else terms), by_rank
        unique_codes, code_numbers = np.unique(terms, return_inverse=True)
        firsts, seconds = packing.unpack(unique_codes)
        pairs = zip(firsts.tolist(), seconds.tolist(), strict=True)
        texts = np.array([f"{self._words[first]} {self._words[second]}" for first, second in pairs], dtype=object)
        text_order = np.argsort(texts, kind="stable")
        text_rank = np.empty_like(text_order)
        text_rank[text_order] = np.arange(text_order.size)
        return (text_rank[code_numbers] if terms.size else terms), texts[text_order]

    def close(self) -> Path | None:
        """Write what is left and merge the runs into the part ``folder/name``; its stem, or
        None when no document was added."""
        self._flush()
        if not self.runs:
            return None
        stem = self.folder / self.name
        if len(self.runs) == 1:
            for source, target in zip(files(self.runs[0]), files(stem), strict=True):
                source.rename(target)
        else:
            _give_back_freed_memory()
            merge(self.runs, stem)
            for run in self.runs:
                for path in files(run):
                    path.unlink()
        self.runs = [stem]
        return stem


def _give_back_freed_memory() -> None:
    """Return the memory the buffer's arrays took to the system (glibc's ``malloc_trim``; none
    elsewhere). Freed, it stays with the process, scattered between live blocks, and the merge's
    work arrays would come on top of it: a worker of 15,000 documents went from 306 to 190 MB
    resident before its merge."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _sorted(terms: np.ndarray, keys: np.ndarray, freqs: np.ndarray, positions: np.ndarray | None):
    """Encode postings given in key order, sorted by term (keys stay in order within a term): a
    slice of terms at a time, so the work arrays stay small however many postings there are."""
    order = np.argsort(terms, kind="stable")
    starts = None
    if positions is not None:
        starts = packing.starts(freqs)[order]
    terms, keys, freqs = terms[order], keys[order], freqs[order]
    del order
    weight = freqs if positions is not None else np.ones_like(freqs)
    for chunk in _term_slices(terms, weight):
        chunk_positions = None
        if positions is not None:
            chunk_positions = positions[packing.spans(starts[chunk], freqs[chunk])]
        yield encode(terms[chunk], keys[chunk], freqs[chunk], chunk_positions)


def _term_slices(terms: np.ndarray, weight: np.ndarray):
    """Slices of the postings (sorted by term) of about ``_SLICE`` weight each, cut between terms."""
    ends = np.cumsum(weight)
    first = 0
    while first < terms.size:
        last = int(np.searchsorted(ends, ends[first] - weight[first] + _SLICE, side="right"))
        last = max(last, first + 1)
        while last < terms.size and terms[last] == terms[last - 1]:
            last += 1
        yield slice(first, last)
        first = last


def _adjacent(positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indexes (first, second) of every two entries of ``positions`` (sorted) one place apart.
    Two terms may share a position (a hyphenated word's whole form and its part): each is
    paired with every term of the next position."""
    if positions.size < 2 or (positions[1:] != positions[:-1]).all():
        adjacent = np.flatnonzero(positions[1:] == positions[:-1] + 1)
        return adjacent, adjacent + 1
    lows = np.searchsorted(positions, positions + 1, "left")
    counts = np.searchsorted(positions, positions + 1, "right") - lows
    return np.repeat(np.arange(positions.size), counts), packing.spans(lows, counts)
