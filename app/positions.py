"""Term positions in a document, read from the index, and where a phrase's words stand in a row."""

from __future__ import annotations

from whoosh.reading import IndexReader


class Postings:
    """Positions of terms in documents, read forward with one matcher per term: a page of hits,
    visited in document order, reads each term's postings once."""

    def __init__(self, reader: IndexReader, fieldname: str) -> None:
        self.reader = reader
        self.fieldname = fieldname
        self._matchers: dict[str, object] = {}

    def positions(self, word: str, docnum: int) -> list[int]:
        """Token positions of ``word`` in document ``docnum``."""
        matcher = self._matchers.get(word)
        if matcher is None or (matcher.is_active() and matcher.id() > docnum):
            if (self.fieldname, word) not in self.reader:
                return []
            matcher = self._matchers[word] = self.reader.postings(self.fieldname, word)
        if matcher.is_active() and matcher.id() < docnum:
            matcher.skip_to(docnum)
        if not matcher.is_active() or matcher.id() != docnum:
            return []
        return matcher.value_as("positions")


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
    return [pos - rarest for pos in positions[rarest] if all(pos - rarest + index in found for index, found in others)]
