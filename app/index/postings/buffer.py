"""Writing postings: documents go in, in increasing key order; parts come out.

A ``PostingsWriter`` keeps each document's postings as small arrays until they reach its memory
budget, then sorts them by term and writes them as a part (``encode``, ``part``): a run. When the
writer is closed its runs are merged into one part (``merge``), so a build leaves one part per
writer however many documents it held.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...analysis import Analysed
from .encode import Encoded, encode
from .merge import concatenate, merge
from .part import PAIR_SHIFT, files, write_part

# Bytes a document's postings take in the buffer, per token and per posting (an estimate).
_BYTES_PER_TOKEN = 4
_BYTES_PER_POSTING = 24


class PostingsWriter:
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
        self._docs: list[tuple[int, int, int, int]] = []  # key, han postings, pairs, word postings
        self._han: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._pairs: list[tuple[np.ndarray, np.ndarray]] = []
        self._word: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._held = 0
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
        self._han.append((sorted_codes[firsts], han_freqs, positions[order]))
        adjacent = positions[1:] == positions[:-1] + 1
        pairs = (codes[:-1][adjacent].astype(np.int64) << PAIR_SHIFT) | codes[1:][adjacent]
        pair_codes, pair_counts = np.unique(pairs, return_counts=True)
        self._pairs.append((pair_codes, pair_counts))
        ids, freqs, word_positions = [], [], []
        for term, found in analysed.words.items():
            number = self._word_ids.get(term)
            if number is None:
                number = self._word_ids[term] = len(self._words)
                self._words.append(term)
            ids.append(number)
            freqs.append(len(found))
            word_positions += found
        self._word.append((np.array(ids, dtype=np.int64), np.array(freqs, dtype=np.int64), np.array(word_positions)))
        self._docs.append((key, firsts.size, pair_codes.size, len(ids)))
        self._held += _BYTES_PER_TOKEN * analysed.length + _BYTES_PER_POSTING * (
            firsts.size + pair_codes.size + len(ids)
        )
        if self._held >= self.budget:
            self._flush()

    def _flush(self) -> None:
        if not self._docs:
            return
        keys = np.array([doc[0] for doc in self._docs], dtype=np.int64)
        han_keys = np.repeat(keys, [doc[1] for doc in self._docs])
        pair_keys = np.repeat(keys, [doc[2] for doc in self._docs])
        word_keys = np.repeat(keys, [doc[3] for doc in self._docs])
        singles = _sorted(
            np.concatenate([part[0] for part in self._han]).astype(np.int64),
            han_keys,
            np.concatenate([part[1] for part in self._han]),
            np.concatenate([part[2] for part in self._han]),
        )
        pairs = _sorted(
            np.concatenate([part[0] for part in self._pairs]),
            pair_keys,
            np.concatenate([part[1] for part in self._pairs]),
            None,
        )
        ranks = np.argsort(np.argsort(np.array(self._words, dtype=object), kind="stable"))
        word_ids = np.concatenate([part[0] for part in self._word])
        words = _sorted(
            ranks[word_ids] if word_ids.size else word_ids,
            word_keys,
            np.concatenate([part[1] for part in self._word]),
            np.concatenate([part[2] for part in self._word]),
        )
        words.terms = np.array(sorted(self._words), dtype=object)[words.terms] if len(words.terms) else words.terms
        stem = self.folder / f"{self.name}-run{len(self.runs)}"
        write_part(stem, {"han": concatenate([singles, pairs]), "words": words}, (self._first_key, self._last_key + 1))
        self.runs.append(stem)
        self.runs_written += 1
        self._reset()

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
            merge(self.runs, stem)
            for run in self.runs:
                for path in files(run):
                    path.unlink()
        self.runs = [stem]
        return stem


def _sorted(terms: np.ndarray, keys: np.ndarray, freqs: np.ndarray, positions: np.ndarray | None) -> Encoded:
    """Encode postings given in key order: sort them by term (keys stay in order within a term)."""
    order = np.argsort(terms, kind="stable")
    if positions is not None:
        starts = np.cumsum(freqs) - freqs
        counts = freqs[order]
        moved = np.repeat(starts[order] - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))
        positions = positions[moved]
    return encode(terms[order], keys[order], freqs[order], positions)
