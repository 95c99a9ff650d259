"""The timeline above the results: the matches counted by year, or by month when they all fall
within a few years, the documents without a date counted apart.

Every year (or month) from the first to the last is a bar, those without matches too, so the
shape of the bars is the shape of the archive's record. A bar carries the range it stands for,
so a link can narrow the search to it (the ``from`` and ``to`` parameters). In months, a
document dated only by its year belongs to no month: it is counted apart, as ``year_only``.
"""

from __future__ import annotations

import numpy as np

from .results import Timeline, TimelineBar

# Matches spread over at most this many years are counted by month.
MONTHS_WITHIN_YEARS = 2
# At most this many bars: a timeline longer than that shows its most recent part.
MAX_BARS = 120
_TIME_DIGITS = 10**6


def timeline(table, keys: np.ndarray) -> Timeline:
    """The timeline of the documents ``keys`` (those matched and allowed by the filters)."""
    dated = table.dated[keys].astype(bool)
    day = table.date[keys[dated]].astype(np.int64) // _TIME_DIGITS
    undated = int(keys.size - day.size)
    if not day.size:
        return Timeline("year", [], undated, 0)
    years = day // 10_000
    first, last = int(years.min()), int(years.max())
    if last - first < MONTHS_WITHIN_YEARS:
        months = (day // 100) % 100
        known = months > 0
        index = (years[known] - first) * 12 + months[known] - 1
        counts = np.bincount(index, minlength=(last - first + 1) * 12)
        bars = [_month(first + number // 12, number % 12 + 1, int(count)) for number, count in enumerate(counts)]
        bars = _trimmed(bars)
        return Timeline("month", bars[-MAX_BARS:], undated, int((~known).sum()))
    counts = np.bincount(years - first, minlength=last - first + 1)
    bars = [
        TimelineBar(str(first + number), int(count), str(first + number), str(first + number))
        for number, count in enumerate(counts)
    ]
    return Timeline("year", bars[-MAX_BARS:], undated, 0)


def _month(year: int, month: int, count: int) -> TimelineBar:
    label = f"{year:04d}-{month:02d}"
    return TimelineBar(label, count, label, label)


def _trimmed(bars: list[TimelineBar]) -> list[TimelineBar]:
    """The months from the first with a match to the last with one."""
    counted = [number for number, bar in enumerate(bars) if bar.count]
    return bars[counted[0] : counted[-1] + 1] if counted else []
