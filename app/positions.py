"""Term positions in a document, read from the index, and where a phrase's words stand in a row."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from whoosh.matching.wrappers import FilterMatcher


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
            matcher = reader.postings(self.fieldname, word)
            if isinstance(matcher, FilterMatcher):  # deletions: never asked for a deleted document
                matcher = matcher.child
            self._matchers[(word, segment)] = matcher
        if not _seek(matcher, local):
            return []
        return matcher.value_as("positions")


def _seek(matcher, target: int) -> bool:
    """Move ``matcher`` forward to document ``target``; True when the term is in it."""
    if not matcher.is_active():
        return False
    if matcher.id() >= target:
        return matcher.id() == target
    if not hasattr(matcher, "_read_ids"):  # postings kept with the term, not in blocks
        matcher.skip_to(target)
        return matcher.is_active() and matcher.id() == target
    # Whoosh's W3 leaf matcher: skip whole blocks, then bisect inside the block.
    if target > matcher.block_max_id():
        matcher._skip_to_block(lambda: target > matcher.block_max_id())
        if not matcher.is_active():
            return False
    if matcher._ids is None:
        matcher._read_ids()
    matcher._i = bisect_left(matcher._ids, target, matcher._i)
    return matcher._ids[matcher._i] == target


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
