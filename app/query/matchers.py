"""A matcher over documents whose scores are already known, for Whoosh's collectors."""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate

from whoosh import matching

# Documents per block: a top-N search skips a block whose best score cannot enter the top.
BLOCK = 128


class ScoredMatcher(matching.Matcher):
    """Documents with precomputed scores, in blocks whose best score lets a top-N search skip
    them (Whoosh's block quality)."""

    def __init__(self, ids: list[int], scores: list[float], position: int = 0, best: tuple | None = None) -> None:
        self._ids = ids
        self._scores = scores
        self._i = position
        if best is None:
            blocks = [max(scores[start : start + BLOCK]) for start in range(0, len(scores), BLOCK)]
            # best from each block on, for max_quality
            later = list(accumulate(reversed(blocks), max))[::-1]
            best = (blocks, later)
        self._best = best

    def is_active(self) -> bool:
        """More documents to come."""
        return self._i < len(self._ids)

    def id(self) -> int:
        """The current document."""
        return self._ids[self._i]

    def score(self) -> float:
        """The current document's score."""
        return self._scores[self._i]

    weight = score

    def next(self) -> bool:
        """Move on; True when a new block starts."""
        self._i += 1
        return self._i % BLOCK == 0

    def skip_to(self, target: int) -> None:
        """Move to the first document at or after ``target``."""
        if self.is_active() and self._ids[self._i] < target:
            self._i = bisect_left(self._ids, target, self._i)

    def supports_block_quality(self) -> bool:
        """Blocks carry their best score."""
        return True

    def block_quality(self) -> float:
        """The best score in the current block."""
        return self._best[0][self._i // BLOCK]

    def max_quality(self) -> float:
        """The best score still to come."""
        return self._best[1][self._i // BLOCK] if self.is_active() else 0.0

    def skip_to_quality(self, minquality: float) -> int:
        """Skip the blocks whose best score is no better than ``minquality``."""
        skipped = 0
        while self.is_active() and self.block_quality() <= minquality:
            self._i = (self._i // BLOCK + 1) * BLOCK
            skipped += 1
        return skipped

    def replace(self, minquality: float = 0):
        """Nothing, once no document left can score above ``minquality``."""
        if not self.is_active() or (minquality and self.max_quality() <= minquality):
            return matching.NullMatcher()
        return self

    def copy(self):
        """A copy at the same place."""
        return ScoredMatcher(self._ids, self._scores, self._i, self._best)

    def all_ids(self):
        """Every document from here on."""
        return iter(self._ids[self._i :])

    def supports(self, astype: str) -> bool:
        """No posting values."""
        return False

    def term(self):
        """Not a single term."""
        return None
