"""A document's text analysed once for the index: every term's positions, and where tokens start.

The same terms and positions as the query analyzer (``tokens``) gives, computed a run at a
time: a run of Han characters is folded whole and its characters become arrays (code points and
positions) without a Python object per character.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from .boundaries import joined_word, placed
from .chinese import fold
from .english import CapitalLines
from .scripts import HAN
from .tokens import GAP, index_form, on_heading


@dataclass
class Analysed:
    """A text analysed for the index.

    ``words``: each word's positions. ``han_codes`` and ``han_positions``: the folded code point
    of each Han character and its position, in text order. ``run_positions`` and ``run_starts``:
    where each run of tokens at consecutive positions and consecutive characters begins (a run
    of Han characters, or one word), so that a position's character offset is
    ``run_starts[r] + position - run_positions[r]``. ``length``: how many tokens.
    """

    words: dict[str, list[int]]
    han_codes: np.ndarray
    han_positions: np.ndarray
    run_positions: list[int]
    run_starts: list[int]
    length: int

    def positions(self) -> dict[str, list[int]]:
        """Every term's positions, words and Han characters alike."""
        found = {term: list(positions) for term, positions in self.words.items()}
        for code, position in zip(self.han_codes.tolist(), self.han_positions.tolist(), strict=True):
            found.setdefault(chr(code), []).append(position)
        return found

    def starts(self) -> list[tuple[int, int]]:
        """(position, character offset) of every token, in order."""
        occupied = sorted({p for positions in self.positions().values() for p in positions})
        return [(position, self.offset(position)) for position in occupied]

    def offset(self, position: int) -> int:
        """The character offset where the token at ``position`` starts."""
        # bisect on the list itself: numpy's searchsorted would copy it into an array each call.
        run = bisect_right(self.run_positions, position) - 1
        return self.run_starts[run] + position - self.run_positions[run]


def analyse(text: str) -> Analysed:
    """Analyse ``text`` in one pass (see the module's docstring)."""
    words: dict[str, list[int]] = {}
    run_positions: list[int] = []
    run_starts: list[int] = []
    han_lengths: list[int] = []
    han_runs: list[int] = []  # index into run_positions of each Han run
    lines = CapitalLines(text)
    position = -1
    pending_gap = False
    for kind, start, end, gap, joined in placed(text):
        pending_gap = pending_gap or gap
        if kind == HAN:
            first = position + 1 + (GAP if pending_gap and position >= 0 else 0)
            han_runs.append(len(run_positions))
            han_lengths.append(end - start)
            position = first + end - start - 1
        else:
            written = text[start:end]
            term = index_form(kind, written, written.isupper() and on_heading(lines, written, start))
            whole = None
            if joined is not None:
                written = joined_word(text, joined)
                whole = index_form(kind, written, on_heading(lines, written, joined[0]))
                if term is None and whole is not None:
                    # The whole word stands in the part's place, and starts where the word does.
                    term, whole, start = whole, None, joined[0]
                elif whole == term:
                    whole = None
            if term is None:
                continue
            first = position = position + 1 + (GAP if pending_gap and position >= 0 else 0)
            found = words.get(term)
            if found is None:
                words[term] = [position]
            else:
                found.append(position)
            if whole is not None:
                words.setdefault(whole, []).append(position)
        run_positions.append(first)
        run_starts.append(start)
        pending_gap = False
    codes, han_positions = _han_tokens(text, run_positions, run_starts, han_runs, han_lengths)
    length = sum(map(len, words.values())) + len(han_positions)
    return Analysed(words, codes, han_positions, run_positions, run_starts, length)


def _han_tokens(text: str, run_positions, run_starts, han_runs, han_lengths) -> tuple[np.ndarray, np.ndarray]:
    """The folded code point and position of every Han character, from the runs (a text
    without Chinese is not folded at all)."""
    if not han_runs:
        return np.zeros(0, np.uint32), np.zeros(0, np.uint32)
    all_codes = np.frombuffer(fold(text).encode("utf-32-le"), dtype=np.uint32)
    index = np.asarray(han_runs)
    lengths = np.asarray(han_lengths)
    within = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    starts = np.repeat(np.asarray(run_starts)[index], lengths) + within
    positions = np.repeat(np.asarray(run_positions)[index], lengths) + within
    return all_codes[starts], positions.astype(np.uint32)


def positioned_terms(text: str) -> list[tuple[int, str]]:
    """(position, term) of every index term of ``text``, in order."""
    return sorted((position, term) for term, found in analyse(text).positions().items() for position in found)


def terms(text: str) -> list[str]:
    """The index terms of ``text``, in order."""
    return [term for _position, term in positioned_terms(text)]
