"""Evaluating a parsed query: every matching document and its score, in one pass.

A search needs every match (for the total and the facets) and the best ones (for the page). A
term's postings are read whole and scored with ``bm25`` as one array; phrases come from
``phrase``; the query's AND, OR and NOT are operations on sorted arrays of document keys.
Nothing here walks documents one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from ..index.postings.terms import TermPostings
from . import bm25, patterns, phrase
from .parse import NO_DEADLINE, Deadline


@dataclass(frozen=True)
class Hits:
    """Matching documents (keys, increasing) and their scores."""

    keys: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return int(self.keys.size)

    def score_of(self, keys: np.ndarray) -> np.ndarray:
        """The scores of ``keys``, which must all be among these hits."""
        return self.scores[np.searchsorted(self.keys, keys)]


NO_HITS = Hits(np.zeros(0, np.int64), np.zeros(0, np.float64))


class PostingsReader:
    """A term's postings for one search, each read once: ``reader(term)``."""

    def __init__(self, terms) -> None:
        self.terms = terms
        self._read: dict[str, TermPostings] = {}

    def has_read(self, term: str) -> bool:
        """True when ``term``'s postings have been read in this search."""
        return term in self._read

    def __call__(self, term: str) -> TermPostings:
        """The live postings of ``term``."""
        found = self._read.get(term)
        if found is None:
            found = self._read[term] = self.terms.postings(term)
        return found


class Evaluator:
    """Evaluates queries against one generation; each term or phrase is read once per search."""

    def __init__(self, generation, fieldname: str, max_terms: int, deadline: Deadline = NO_DEADLINE) -> None:
        self.generation = generation
        self.fieldname = fieldname
        self.max_terms = max_terms
        self.deadline = deadline
        self.postings = PostingsReader(generation.terms)
        self.weighting = bm25.weighting(generation)
        self._memo: dict[object, Hits] = {}

    def hits(self, query: wq.Query) -> Hits:
        """Each matching document's score for ``query``."""
        key = _memo_key(query)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._evaluate(query)
        return found

    def _evaluate(self, query: wq.Query) -> Hits:
        self.deadline.check()
        if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
            return NO_HITS
        if isinstance(query, wq.Term):
            found = self._term(query.text) if query.fieldname == self.fieldname else NO_HITS
        elif isinstance(query, wq.Phrase):
            found = self._phrase(query) if query.fieldname == self.fieldname else NO_HITS
        elif isinstance(query, wq.And):
            found = self._and(query.subqueries)
        elif isinstance(query, wq.Or):
            found = self._or([child for child in query.subqueries if not isinstance(child, wq.Not)])
        elif isinstance(query, wq.AndNot):
            found = _without(self.hits(query.a), self.hits(query.b))
        elif isinstance(query, wq.AndMaybe):
            found = _plus(self.hits(query.a), self.hits(query.b))
        elif isinstance(query, wq.Require):
            required = self.hits(query.b)
            kept = self.hits(query.a)
            found = _select(kept, np.isin(kept.keys, required.keys, assume_unique=True))
        elif isinstance(query, wq.Not):
            found = NO_HITS  # a NOT alone matches nothing; inside AND it excludes (``_and``)
        elif patterns.is_pattern(query):
            words = patterns.expand(query, self.generation.terms, self.max_terms)
            found = self._or([wq.Term(self.fieldname, word) for word in words])
        elif isinstance(query, wq.Every):
            keys = self.generation.table.live_keys.astype(np.int64)
            found = Hits(keys, np.ones(keys.size))
        else:
            raise ValueError(f"a query of a kind that cannot be searched: {type(query).__name__}")
        boost = getattr(query, "boost", 1.0)
        return found if boost == 1.0 else Hits(found.keys, found.scores * boost)

    def _term(self, text: str) -> Hits:
        """BM25 of ``text`` in every document holding it."""
        found = self.postings(text)
        return Hits(found.keys, self.weighting.scores(found.keys.size, found.keys, found.freqs))

    def _phrase(self, query: wq.Phrase) -> Hits:
        """A phrase of Han characters scores by its own frequency; a phrase of words as the sum
        of its words' scores, as Whoosh's ``Phrase`` does."""
        words = list(query.words)
        if len(words) == 1:
            return self._term(words[0])
        keys, counts = phrase.find(self.postings, words, phrase_offsets(query), query.slop, self.deadline)
        if phrase.is_han_phrase(words):
            return Hits(keys, self.weighting.scores(keys.size, keys, counts))
        scores = np.zeros(keys.size)
        for word in words:
            scores += self._term(word).score_of(keys)
        return Hits(keys, scores)

    def _and(self, children) -> Hits:
        included = [self.hits(child) for child in children if not isinstance(child, wq.Not)]
        excluded = [self.hits(child.query) for child in children if isinstance(child, wq.Not)]
        if not included:
            return NO_HITS
        parts = sorted(included, key=len)
        keys = parts[0].keys
        for part in parts[1:]:
            keys = np.intersect1d(keys, part.keys, assume_unique=True)
        for part in excluded:
            keys = keys[~np.isin(keys, part.keys, assume_unique=True)]
        scores = np.zeros(keys.size)
        for part in parts:
            scores += part.score_of(keys)
        return Hits(keys, scores)

    def _or(self, children) -> Hits:
        parts = [self.hits(child) for child in children]  # each child checks the deadline
        parts = [part for part in parts if len(part)]
        if not parts:
            return NO_HITS
        if len(parts) == 1:
            return parts[0]
        keys, owners = np.unique(np.concatenate([part.keys for part in parts]), return_inverse=True)
        return Hits(keys, np.bincount(owners, weights=np.concatenate([part.scores for part in parts])))


def phrase_offsets(query: wq.Phrase) -> list[int]:
    """Where each word of a phrase stands from the first (consecutive unless the phrase says)."""
    return list(getattr(query, "offsets", None) or range(len(query.words)))


def _select(hits: Hits, mask: np.ndarray) -> Hits:
    return Hits(hits.keys[mask], hits.scores[mask])


def _without(kept: Hits, excluded: Hits) -> Hits:
    return _select(kept, ~np.isin(kept.keys, excluded.keys, assume_unique=True))


def _plus(base: Hits, extra: Hits) -> Hits:
    scores = base.scores.copy()
    inside = np.isin(base.keys, extra.keys, assume_unique=True)
    scores[inside] += extra.score_of(base.keys[inside])
    return Hits(base.keys, scores)


def _memo_key(query: wq.Query) -> object:
    """A key equal for equal leaves (a term typed twice, or in an expansion, is read once)."""
    if isinstance(query, wq.Term):
        return ("term", query.fieldname, query.text, query.boost)
    return id(query)
