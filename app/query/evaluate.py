"""Evaluating a parsed query: every matching document and its score, in one pass.

A search needs every match (for the total and the facets) and the best ones (for the page). A
term's postings are read whole and scored with ``bm25`` as one array; phrases come from
``phrase``; the query's AND, OR and NOT are operations on sorted arrays of document keys.
Nothing here walks documents one at a time.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from ..index import packing
from ..index.postings.terms import TermPostings
from . import bm25, exact, near, patterns, phrase
from .hits import NO_HITS, Hits
from .nodes import FIELDS, Near, field_of, typed_as
from .parse import NO_DEADLINE, Deadline


class PostingsReader:
    """A term's postings for one search, each read once: ``reader(term)``."""

    def __init__(self, terms) -> None:
        self.terms = terms
        self._read: dict[str, TermPostings] = {}

    def at_hand(self, term: str) -> bool:
        """True when ``term``'s postings cost this search nothing, or nothing after it: read in
        this search, or decoded postings the generation keeps or would keep once read (a common
        word or character, which the next searches find decoded)."""
        return term in self._read or self.terms.would_keep(term)

    def __call__(self, term: str) -> TermPostings:
        """The live postings of ``term``."""
        found = self._read.get(term)
        if found is None:
            found = self._read[term] = self.terms.postings(term)
        return found


class Evaluator:
    """Evaluates queries against one generation; each term or phrase is read once per search."""

    def __init__(
        self, generation, fieldname: str, max_terms: int, deadline: Deadline = NO_DEADLINE, as_typed: bool = False
    ) -> None:
        self.generation = generation
        # Only the characters as typed (``exact``): each word and phrase confirmed in the text.
        self.as_typed = as_typed
        self.fieldname = fieldname
        self.max_terms = max_terms
        self.deadline = deadline
        self.postings = PostingsReader(generation.terms)
        self.weighting = bm25.weighting(generation)
        self._memo: dict[object, Hits] = {}

    def hits(self, query: wq.Query) -> Hits:
        """Each matching document's score for ``query``."""
        key = _memo_key(query, self.as_typed)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._evaluate(query)
        return found

    def _evaluate(self, query: wq.Query) -> Hits:
        self.deadline.check()
        if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
            return NO_HITS
        if isinstance(query, wq.Term | wq.Phrase):
            found = self._leaf(query)
        elif isinstance(query, Near):
            found = self._near(query)
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
            found = _select(kept, packing.within(kept.keys, required.keys))
        elif isinstance(query, wq.Not):
            found = NO_HITS  # a NOT alone matches nothing; inside AND it excludes (``_and``)
        elif patterns.is_pattern(query):
            words = patterns.expand(query, self.generation.terms, self.max_terms)
            found = self._or([wq.Term(query.fieldname, word) for word in words])
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

    def _leaf(self, query: wq.Term | wq.Phrase) -> Hits:
        """A term or a phrase, in the whole content or in one part (``title:``); exactly as
        typed when the search asks for it."""
        if field_of(query) in FIELDS:
            return self._in_part(query)  # read as typed in the whole content already
        if query.fieldname != self.fieldname:
            return NO_HITS
        found = self._term(query.text) if isinstance(query, wq.Term) else self._phrase(query)
        return self._typed_only(query, found) if self.as_typed else found

    def _typed_only(self, query: wq.Term | wq.Phrase, found: Hits) -> Hits:
        """Those of ``found`` where ``query`` occurs written as it was typed (none for a form
        the search added, which was not typed)."""
        typed = getattr(query, "typed", None)
        if typed is None or not len(found):
            return NO_HITS
        tokens = exact.typed_tokens(typed)
        words = [query.text] if isinstance(query, wq.Term) else list(query.words)
        if len(tokens) != len(words):
            return found  # a word the analysis cuts otherwise (a hyphenated one): as folded
        starts, _ends = self.occurrences(query, found.keys)
        kept = exact.as_typed(starts, tokens, self.generation.document, self.deadline)
        return _select(found, np.isin(found.keys, kept, assume_unique=True))

    def _in_part(self, query: wq.Term | wq.Phrase) -> Hits:
        """A term or phrase found in one part of documents (``title:``): its occurrences in the
        documents holding it, kept where they lie inside the part, counted and scored."""
        if isinstance(query, wq.Term):
            whole = wq.Term(self.fieldname, query.text)
        else:
            whole = _in_content(query, self.fieldname)
        whole = typed_as(whole, getattr(query, "typed", None))
        holding = self.hits(whole)
        if not len(holding):
            return NO_HITS
        starts, _ends = self.occurrences(whole, holding.keys)
        keys, counts = np.unique(packing.high(self._inside(starts, field_of(query))), return_counts=True)
        return Hits(keys, self.weighting.scores(keys.size, keys, counts))

    def _inside(self, starts: np.ndarray, field: str) -> np.ndarray:
        """The occurrences ``starts`` (``key << 32 | position``) that lie in the part ``field``
        of their document (``index.table.SECTIONS``)."""
        sections = self.generation.table.sections
        keys, positions = packing.high(starts), packing.low(starts)
        bounds = {
            "title": (None, "text_from"),
            "text": ("text_from", "meta_from"),
            "author": ("meta_from", "tags_from"),
            "tag": ("tags_from", "tags_to"),
        }[field]
        inside = np.ones(starts.size, dtype=bool)
        if bounds[0] is not None:
            inside &= positions >= sections[bounds[0]][keys]
        inside &= positions < sections[bounds[1]][keys]
        return starts[inside]

    def occurrences(self, query: wq.Query, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where ``query`` (a term, a phrase, or the Or of them) occurs in the documents
        ``keys``: the positions of its first and of its last term, as ``key << 32 | position``,
        in order."""
        if isinstance(query, wq.Or):
            found = [self.occurrences(child, keys) for child in query.subqueries if not isinstance(child, wq.Not)]
            starts = np.concatenate([pair[0] for pair in found]) if found else np.zeros(0, np.int64)
            ends = np.concatenate([pair[1] for pair in found]) if found else np.zeros(0, np.int64)
            order = np.lexsort((ends, starts))
            return starts[order], ends[order]
        if isinstance(query, wq.Term) or (isinstance(query, wq.Phrase) and len(query.words) == 1):
            word = query.text if isinstance(query, wq.Term) else query.words[0]
            starts = phrase.occurrences(self.postings.terms, self.postings(word), keys)
            ends = starts
        elif isinstance(query, wq.Phrase):
            offsets = phrase_offsets(query)
            starts = phrase.phrase_starts(self.postings, list(query.words), offsets, keys)
            ends = starts + offsets[-1]
        else:
            raise ValueError(f"no occurrences for a query of the kind {type(query).__name__}")
        if field_of(query) in FIELDS:
            inside = np.isin(starts, self._inside(starts, field_of(query)))
            starts, ends = starts[inside], ends[inside]
        return starts, ends

    def _near(self, query: Near) -> Hits:
        """Documents where every part of ``query`` stands in a stretch of the text with at most
        ``distance`` positions from one part to the next, in any order. Each such stretch
        counts ``1 / (1 + positions between its parts)`` (an adjacent pair counts 1), so the
        closer score higher, and the sum is scored as one term's frequency."""
        parts = [part for part in query.subqueries if not isinstance(part, wq.Not)]
        holding = [self.hits(part) for part in parts]
        keys = phrase._intersection([found.keys for found in holding])
        if not keys.size:
            return NO_HITS
        self.deadline.check()
        keys, freqs = near.stretches([self.occurrences(part, keys) for part in parts], query.distance)
        return Hits(keys, self.weighting.scores(keys.size, keys, freqs) * len(parts))

    def _and(self, children) -> Hits:
        included = [self.hits(child) for child in children if not isinstance(child, wq.Not)]
        excluded = [self.hits(child.query) for child in children if isinstance(child, wq.Not)]
        if not included:
            return NO_HITS
        parts = sorted(included, key=len)
        keys = parts[0].keys
        for part in parts[1:]:
            keys = packing.intersect(keys, part.keys)
        for part in excluded:
            keys = keys[~packing.within(keys, part.keys)]
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
        return Hits(*packing.summed([part.keys for part in parts], [part.scores for part in parts]))


def _in_content(query: wq.Phrase, fieldname: str) -> wq.Phrase:
    """The phrase ``query`` searched in the whole content."""
    found = type(query)(fieldname, list(query.words), slop=query.slop, boost=1.0)
    if hasattr(query, "offsets"):
        found.offsets = list(query.offsets)
    return found


def phrase_offsets(query: wq.Phrase) -> list[int]:
    """Where each word of a phrase stands from the first (consecutive unless the phrase says)."""
    return list(getattr(query, "offsets", None) or range(len(query.words)))


def _select(hits: Hits, mask: np.ndarray) -> Hits:
    return Hits(hits.keys[mask], hits.scores[mask])


def _without(kept: Hits, excluded: Hits) -> Hits:
    return _select(kept, ~packing.within(kept.keys, excluded.keys))


def _plus(base: Hits, extra: Hits) -> Hits:
    scores = base.scores.copy()
    inside = packing.within(base.keys, extra.keys)
    scores[inside] += extra.score_of(base.keys[inside])
    return Hits(base.keys, scores)


def _memo_key(query: wq.Query, as_typed: bool = False) -> object:
    """A key equal for equal leaves (a term typed twice, or in an expansion, is read once;
    exactly as typed, what it was typed as counts too)."""
    if isinstance(query, wq.Term):
        return ("term", query.fieldname, query.text, query.boost, getattr(query, "typed", None) if as_typed else None)
    return id(query)
