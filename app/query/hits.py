"""A query's matches: the documents it matches, increasing, and each one's score."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# A hit's scores are looked up by laying them out over the keys when at least one key in this
# many is asked for.
_SPREAD = 4


@dataclass(frozen=True)
class Hits:
    """Matching documents (keys, increasing) and their scores."""

    keys: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return int(self.keys.size)

    def score_of(self, keys: np.ndarray) -> np.ndarray:
        """The scores of ``keys``, which must all be among these hits."""
        if keys.size * _SPREAD < self.keys.size:
            return self.scores[np.searchsorted(self.keys, keys)]
        # Many keys: the scores laid out over the keys' span and picked, instead of a binary
        # search each (0.15 against 1.2 ms for 60,000 keys among 76,000).
        spread = np.empty(int(self.keys[-1]) + 1 if self.keys.size else 0)
        spread[self.keys] = self.scores
        return spread[keys]


NO_HITS = Hits(np.zeros(0, np.int64), np.zeros(0, np.float64))
