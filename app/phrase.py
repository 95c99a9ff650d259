"""Phrase search for an index where every Chinese character is a term.

A two- to four-character Chinese word is a phrase of single-character terms, and such
characters occur hundreds of times in a long text. Whoosh's own phrase matcher walks those
occurrences span by span; this one lets the intersection of the terms pick the candidate
documents (skipping whole blocks) and tests each candidate with one set lookup per word.
"""

from __future__ import annotations

from whoosh import matching
from whoosh import query as wq
from whoosh.query.spans import Span, SpanWrappingMatcher


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


def first_start(positions: list[list[int]]) -> int | None:
    """The first position where word 0, word 1... stand in a row, given each word's positions
    in one document; None if they never do. Walks the rarest word's positions only."""
    rarest = min(range(len(positions)), key=lambda index: len(positions[index]))
    others = [(index, set(found)) for index, found in enumerate(positions) if index != rarest]
    for pos in positions[rarest]:
        start = pos - rarest
        if all(start + index in found for index, found in others):
            return start
    return None


def all_starts(positions: list[list[int]]) -> list[int]:
    """Every position where the words stand in a row (for marking each occurrence)."""
    rarest = min(range(len(positions)), key=lambda index: len(positions[index]))
    others = [(index, set(found)) for index, found in enumerate(positions) if index != rarest]
    return [
        pos - rarest
        for pos in positions[rarest]
        if all(pos - rarest + index in found for index, found in others)
    ]
