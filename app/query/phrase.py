"""Phrase search for an index where every Chinese character is a term.

A two- to four-character Chinese word is a phrase of single-character terms, and such
characters occur hundreds of times in a long text. Whoosh's own phrase matcher walks those
occurrences span by span; this one lets the intersection of the terms pick the candidate
documents (skipping whole blocks) and tests each candidate with one set lookup per word.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import pairwise

from whoosh import matching
from whoosh import query as wq
from whoosh.query.spans import Span, SpanWrappingMatcher

from ..analysis.scripts import is_han
from .bm25 import average_length, bm25, idf
from .matchers import ScoredMatcher
from .positions import Postings, all_starts, first_start


class ExactPhrase(wq.Phrase):
    """A phrase whose words must stand next to each other, in order (``slop`` 1).

    With any other slop it is Whoosh's ``Phrase``.
    """

    def matcher(self, searcher, context=None):
        """Documents holding the words in a row; scored as the intersection of the words."""
        if self.slop != 1 or len(self.words) < 2:
            return super().matcher(searcher, context)
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[fieldname]
        reader = searcher.reader()
        try:
            words = [field.to_bytes(word) for word in self.words]
        except ValueError:
            return matching.NullMatcher()
        if any((fieldname, word) not in reader for word in words):
            return matching.NullMatcher()
        intersection = wq.And([wq.Term(fieldname, word) for word in dict.fromkeys(words)]).matcher(searcher, context)
        if not intersection.is_active():
            return matching.NullMatcher()
        matcher = PhraseMatcher(intersection, reader, fieldname, words)
        if self.boost != 1.0:
            matcher = matching.WrappingMatcher(matcher, boost=self.boost)
        return matcher


class PhraseMatcher(SpanWrappingMatcher):
    """Keeps the documents of ``child`` where ``words`` stand in a row."""

    def __init__(self, child, reader, fieldname: str, words: list[bytes]) -> None:
        self.reader = reader
        self.fieldname = fieldname
        self.words = words
        self._leaves = {word: reader.postings(fieldname, word) for word in dict.fromkeys(words)}
        super().__init__(child)

    def copy(self):
        """A copy at the same place."""
        return self.__class__(self.child.copy(), self.reader, self.fieldname, self.words)

    def _replacement(self, newchild):
        return self.__class__(newchild, self.reader, self.fieldname, self.words)

    def _positions(self, word: bytes, docnum: int) -> list[int]:
        leaf = self._leaves[word]
        if leaf.is_active() and leaf.id() < docnum:
            leaf.skip_to(docnum)
        if not leaf.is_active() or leaf.id() != docnum:
            return []
        return leaf.value_as("positions")

    def _get_spans(self) -> list[Span]:
        docnum = self.child.id()
        found = [self._positions(word, docnum) for word in self.words]
        if not all(found):
            return []
        start = first_start(found)
        return [] if start is None else [Span(start, start + len(found) - 1)]


# -- Phrases of Han characters, found through the Han pair index ---------------------------------

# A long phrase reads at most this many of its pairs, and stops once candidates are this few.
_MAX_PAIRS_READ = 6
_FEW_CANDIDATES = 32


class PairPhrase(ExactPhrase):
    """A phrase of Chinese characters: the documents holding each of its pairs of adjacent
    characters come from the pairs files; a phrase of three or more characters is confirmed by
    positions in those documents only. Scored by BM25 on the phrase's own frequency."""

    def __init__(self, fieldname: str, words: list[str], generation, boost: float = 1.0, char_ranges=None) -> None:
        super().__init__(fieldname, words, boost=boost, char_ranges=char_ranges)
        self._generation = generation
        self._found: tuple[list[int], list[float]] | None = None

    def matches(self) -> tuple[list[int], list[float]]:
        """(document numbers in order, scores), computed once per query."""
        if self._found is None:
            self._found = self._find()
        return self._found

    def _find(self) -> tuple[list[int], list[float]]:
        generation = self._generation
        docnums_of = generation.docnums_of_keys()
        pairs = list(dict.fromkeys(first + second for first, second in pairwise(self.words)))
        if len(self.words) == 2:
            counts = generation.pairs.postings(pairs[0])
            found = {docnums_of[key]: count for key, count in counts.items() if key in docnums_of}
        else:
            # The rarest pairs narrow the candidates; positions confirm them, so once few are
            # left the commoner pairs need not be read at all.
            pairs.sort(key=generation.pairs.size)
            candidates = set(generation.pairs.postings(pairs[0]))
            for pair in pairs[1:_MAX_PAIRS_READ]:
                if len(candidates) <= _FEW_CANDIDATES:
                    break
                candidates.intersection_update(generation.pairs.postings(pair))
            found = self._confirmed(sorted(docnums_of[key] for key in candidates if key in docnums_of))
        weight = idf(generation.searcher.doc_count_all(), len(found))
        average = average_length(generation, self.fieldname)
        lengths = generation.lengths(self.fieldname)
        ordered = sorted(found)
        scores = [self.boost * bm25(weight, found[docnum], lengths[docnum], average) for docnum in ordered]
        return ordered, scores

    def _confirmed(self, docnums: list[int]) -> dict[int, int]:
        """How often the phrase occurs in each of ``docnums`` (when it does at all), from the
        positions of its characters: holding every pair of the phrase is not enough (立法 and
        辦法會 hold both pairs of 立法會)."""
        postings = Postings(self._generation.searcher, self.fieldname)
        found = {}
        for docnum in docnums:
            positions = [postings.positions(word, docnum) for word in self.words]
            if all(positions) and (starts := all_starts(positions)):
                found[docnum] = len(starts)
        return found

    def matcher(self, searcher, context=None):
        """The phrase's documents in the segment ``searcher`` reads, with their scores."""
        docnums, scores = self.matches()
        offset = _offset_of(self._generation.searcher, searcher)
        low = bisect_left(docnums, offset)
        high = bisect_left(docnums, offset + searcher.reader().doc_count_all())
        if low == high:
            return matching.NullMatcher()
        return ScoredMatcher([docnum - offset for docnum in docnums[low:high]], scores[low:high])


def _offset_of(top, searcher) -> int:
    """The first document number of the segment ``searcher`` reads within ``top`` (any searcher
    over the same readers)."""
    if searcher.reader() is top.reader():
        return 0
    for leaf, offset in top.leaf_searchers():
        if leaf.reader() is searcher.reader():
            return offset
    raise ValueError("a searcher of another index")


def bind(query: wq.Query, generation) -> wq.Query:
    """``query`` with each phrase of Chinese characters answered from ``generation``'s Han pair index."""
    if isinstance(query, ExactPhrase) and not isinstance(query, PairPhrase):
        if query.slop == 1 and len(query.words) > 1 and all(len(word) == 1 and is_han(word) for word in query.words):
            bound = PairPhrase(query.fieldname, list(query.words), generation, query.boost, query.char_ranges)
            for where in ("startchar", "endchar"):  # where the parser found it in the query
                if hasattr(query, where):
                    setattr(bound, where, getattr(query, where))
            return bound
        return query
    if query.is_leaf():
        return query
    return query.apply(lambda child: bind(child, generation))
