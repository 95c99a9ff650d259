"""Term positions in a document, read from the index, and where a phrase's words stand in a row."""

from __future__ import annotations

from bisect import bisect_right

from ..index.whoosh_internals import seek, unfiltered


class Postings:
    """Positions of terms in documents, read forward, one reader per term and segment.

    Documents must be asked for in increasing order (a page of hits, the candidates of a
    phrase): each term's postings are then read once, and a block that holds several of the
    documents is decoded once. Within a block the document is found by bisection, where
    Whoosh's own ``skip_to`` steps posting by posting.
    """

    def __init__(self, searcher, fieldname: str) -> None:
        self.fieldname = fieldname
        self._segments = [(offset, leaf.reader()) for leaf, offset in searcher.leaf_searchers()]
        self._starts = [offset for offset, _reader in self._segments]
        self._matchers: dict[tuple[str, int], object] = {}

    def positions(self, word: str, docnum: int) -> list[int]:
        """Token positions of ``word`` in document ``docnum``."""
        segment = bisect_right(self._starts, docnum) - 1
        offset, reader = self._segments[segment]
        local = docnum - offset
        matcher = self._matchers.get((word, segment))
        if matcher is None or (matcher.is_active() and matcher.id() > local):
            if (self.fieldname, word) not in reader:
                return []
            # Deleted documents are never asked for: their filter is not needed.
            matcher = unfiltered(reader.postings(self.fieldname, word))
            self._matchers[(word, segment)] = matcher
        if not seek(matcher, local):
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
