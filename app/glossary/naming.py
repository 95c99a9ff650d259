"""The concepts a document names: every form of a glossary concept found in its analysed text.

A form is found where the search would find it as a phrase: its index terms (folded, stemmed,
either script) at consecutive positions of the document's analysed string, which holds its
title, text and metadata (so a position gap, at a blank line or punctuation between Han
characters, breaks a form as it breaks a phrase). Forms are taken as ``Glossary.find`` takes
them in a query: from the left, the longest form at each start, none overlapping, so "Hong Kong
Alliance" names the Alliance and not also Hong Kong. A form the glossary lists for two concepts
(``ambiguous``) names both; no other form is shared (a test of the glossary keeps it so).

The search is per start, not per form: a document's words are looked up among the forms' first
words, and its Han characters are paired with their successors in one numpy pass and looked up
among the forms' first two characters, so a document costs about as much for 500 concepts as
for five.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..analysis.index_pass import Analysed
from ..analysis.scripts import is_han
from . import Glossary, load


@dataclass(frozen=True)
class Named:
    """A concept a document names: how often, and the position of its first mention."""

    concept: str
    count: int
    first: int


@dataclass(frozen=True)
class _Form:
    terms: tuple[str, ...]
    offsets: tuple[int, ...]  # each term's position after the first's (a gap where punctuation breaks it)
    concepts: tuple[str, ...]

    @property
    def second(self) -> tuple[str, int] | None:
        return (self.terms[1], self.offsets[1]) if len(self.terms) > 1 else None


def _pair(first: int, second: int) -> int:
    return (first << 21) | second  # code points fit in 21 bits


class Namer:
    """The glossary's forms compiled for finding them in analysed documents."""

    def __init__(self, glossary: Glossary) -> None:
        # Forms by their first term and their second with its offset (None for a form of one
        # term), longest first. A form keeps the gaps its own punctuation makes, as a query does.
        by_terms = glossary.forms_by_terms()
        forms: dict[tuple[tuple[str, ...], tuple[int, ...]], _Form] = {}
        for concept in glossary.concepts:
            for text in concept.forms:
                placed = glossary.placed(text)
                if not placed:
                    continue
                key = (tuple(term for _p, term in placed), tuple(p - placed[0][0] for p, _term in placed))
                concepts = tuple(item.id for item in by_terms[key[0]])
                forms.setdefault(key, _Form(key[0], key[1], concepts))
        by_start: dict[tuple[str, tuple[str, int] | None], list[_Form]] = {}
        for form in forms.values():
            by_start.setdefault((form.terms[0], form.second), []).append(form)
        for found in by_start.values():
            found.sort(key=lambda form: -len(form.terms))
        self._by_start = by_start
        self._seconds: dict[str, list[tuple[str, int] | None]] = {}
        for first, second in sorted(by_start, key=lambda start: (start[0], start[1] is None, start[1] or ("", 0))):
            self._seconds.setdefault(first, []).append(second)  # a longer form before a form of one term
        self._words = frozenset(first for first in self._seconds if not _han_term(first))
        # Han forms are found by their first two characters when both are Han, by their first
        # alone otherwise (a form of one character, or a character then a word).
        pairs = {_pair(ord(a), ord(b[0])) for a, b in by_start if _han_term(a) and _follows(b)}
        singles = {ord(a) for a, b in by_start if _han_term(a) and not _follows(b)}
        self._pairs = np.array(sorted(pairs), dtype=np.int64)
        self._singles = np.array(sorted(singles), dtype=np.int64)

    def named(self, analysed: Analysed) -> list[Named]:
        """The concepts ``analysed`` names, in the order of their first mention."""
        positions = _Positions(analysed)
        found: dict[int, _Form] = {}
        for start, first in self._starts(analysed):
            form = self._longest_at(start, first, positions)
            if form is not None:
                found[start] = form
        counts: dict[str, int] = {}
        firsts: dict[str, int] = {}
        end = -1
        for start in sorted(found):
            if start < end:
                continue  # inside a longer form found further left
            form = found[start]
            end = start + form.offsets[-1] + 1
            for concept in form.concepts:
                counts[concept] = counts.get(concept, 0) + 1
                firsts.setdefault(concept, start)
        return sorted((Named(concept, counts[concept], firsts[concept]) for concept in counts), key=lambda n: n.first)

    def _longest_at(self, start: int, first: str, positions: _Positions) -> _Form | None:
        """The longest form that starts at ``start`` with the term ``first``."""
        best = None
        for second in self._seconds[first]:
            if second is not None and not positions.has(second[0], start + second[1]):
                continue
            for form in self._by_start[first, second]:
                if best is not None and len(form.terms) <= len(best.terms):
                    break
                if all(
                    positions.has(form.terms[step], start + form.offsets[step]) for step in range(2, len(form.terms))
                ):
                    best = form
                    break
        return best

    def _starts(self, analysed: Analysed) -> Iterable[tuple[int, str]]:
        """(position, first term) of every place a form might start."""
        for term in self._words.intersection(analysed.words):
            for position in analysed.words[term]:
                yield position, term
        codes = analysed.han_codes.astype(np.int64)
        places = analysed.han_positions.astype(np.int64)
        if not codes.size:
            return
        starts = _among(codes, self._singles)
        if codes.size > 1:
            following = places[1:] == places[:-1] + 1
            starts[:-1] |= _among(np.where(following, _pair(codes[:-1], codes[1:]), -1), self._pairs)
        for index in np.flatnonzero(starts).tolist():
            yield int(places[index]), chr(int(codes[index]))


class _Positions:
    """Whether a term stands at a position of one document, each term's positions gathered once."""

    def __init__(self, analysed: Analysed) -> None:
        self._analysed = analysed
        self._sets: dict[str, frozenset[int]] = {}

    def has(self, term: str, position: int) -> bool:
        found = self._sets.get(term)
        if found is None:
            if _han_term(term):
                analysed = self._analysed
                found = frozenset(analysed.han_positions[analysed.han_codes == ord(term)].tolist())
            else:
                found = frozenset(self._analysed.words.get(term, ()))
            self._sets[term] = found
        return position in found


def _among(values: np.ndarray, sorted_values: np.ndarray) -> np.ndarray:
    """Which of ``values`` are in ``sorted_values`` (a binary search each: cheaper than ``isin``
    for a few thousand values against a fixed list)."""
    if not sorted_values.size:
        return np.zeros(values.size, dtype=bool)
    places = np.minimum(np.searchsorted(sorted_values, values), sorted_values.size - 1)
    return sorted_values[places] == values


def _follows(second: tuple[str, int] | None) -> bool:
    """Whether a form's second term is a Han character right after its first."""
    return second is not None and second[1] == 1 and _han_term(second[0])


def _han_term(term: str) -> bool:
    return len(term) == 1 and is_han(term)


@lru_cache(maxsize=1)
def namer() -> Namer:
    """The project glossary's namer (compiled once per process)."""
    return Namer(load())
