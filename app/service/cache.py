"""Recent evaluations of a generation, kept so that the next page, a facet or a sort order does
not evaluate the query again (as Elasticsearch's request cache does).

An entry is keyed by the query as searched (text, translations on or off, the term limit), not by
the page, filters or sort, which are applied to it afresh. The cache is bounded in entries and in
the bytes of the arrays it holds, drops the least recently used entry first, and lives with its
generation: a new generation starts empty.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class CacheLimits:
    """How much a generation's cache may hold."""

    entries: int
    megabytes: float


class ResultCache:
    """A bounded least-recently-used map, safe to share between threads."""

    def __init__(self, limits: CacheLimits) -> None:
        self.limits = limits
        self._entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable):
        """The entry for ``key``, or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key: Hashable, value: object, size: int) -> None:
        """Keep ``value`` (of about ``size`` bytes), letting go of the oldest entries as needed."""
        budget = self.limits.megabytes * 1_000_000
        if self.limits.entries <= 0 or size > budget:
            return
        with self._lock:
            if key in self._entries:
                self._bytes -= self._entries.pop(key)[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while len(self._entries) > self.limits.entries or self._bytes > budget:
                _key, (_value, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def __len__(self) -> int:
        return len(self._entries)


def cache_of(generation, limits: CacheLimits | None) -> ResultCache | None:
    """The result cache of ``generation`` (made on first use), or None when caching is off."""
    if limits is None or limits.entries <= 0 or limits.megabytes <= 0:
        return None
    return generation.memo("results", lambda: ResultCache(limits))
