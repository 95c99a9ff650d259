"""Date ranges: ``date:2019-06..2020-12`` in a query, and the ``from``/``to`` parameters.

A bound is a year, a month or a day (``2019``, ``2019-06``, ``2019-06-04``); either end of a
range may be left open (``..2014``, ``2021-06-04..``). A document's date has its own precision,
and a document is selected when the span its date stands for *overlaps* the range: a document
dated only ``2019`` may be from June 2019, so ``date:2019-06..2020-12`` selects it, and a
researcher reads its date as written in the result; a document dated ``2019-05-30`` is not
selected. Documents without a date are never selected by a date range.

Dates are compared as whole days ``YYYYMMDD``; the index keeps a date as its digits padded with
zeros, so a month or a day of ``00`` says the date stops at the year or the month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .parse import QueryError

_BOUND = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# What the table's 14 digits (YYYYMMDDhhmmss) are divided by to give the day.
_TIME_DIGITS = 10**6


@dataclass(frozen=True)
class DateRange:
    """Days from ``low`` to ``high`` (``YYYYMMDD``, either None when open), and the range as
    written."""

    low: int | None
    high: int | None
    text: str

    def selects(self, dates: np.ndarray, dated: np.ndarray) -> np.ndarray:
        """Mask of the documents (their table ``dates`` and ``dated`` flags) whose date overlaps
        the range."""
        day = dates.astype(np.int64) // _TIME_DIGITS
        first, last = day, _last_day(day)
        mask = dated.astype(bool).copy()
        if self.low is not None:
            mask &= last >= self.low
        if self.high is not None:
            mask &= first <= self.high
        return mask

    def covers(self, date: str | None) -> bool:
        """True when a document dated ``date`` (as written, at its own precision) is selected."""
        if not date:
            return False
        digits = re.sub(r"\D", "", date)[:8].ljust(8, "0")
        mask = self.selects(np.array([int(digits) * _TIME_DIGITS]), np.array([1]))
        return bool(mask[0])


def _last_day(day: np.ndarray) -> np.ndarray:
    """The last day each date may stand for: ``20190000`` (a year) to ``20199999``, ``20190600``
    (a month) to ``20190699``, a day to itself."""
    month, date = (day // 100) % 100, day % 100
    return np.where(month == 0, day + 9999, np.where(date == 0, day + 99, day))


def parse_bound(text: str, *, end: bool, shown: str) -> int | None:
    """A bound of a range as a day ``YYYYMMDD``: a year or a month from its first day, or to its
    last when it ``end``s the range (None for an empty bound); ``QueryError`` naming ``shown``
    (the part of the query or the parameter) when it is not a date."""
    if not text:
        return None
    found = _BOUND.match(text)
    if not found:
        raise QueryError("date_invalid", name=shown, value=text)
    year, month, day = found.group(1), found.group(2), found.group(3)
    if (month is not None and not 1 <= int(month) <= 12) or (day is not None and not 1 <= int(day) <= 31):
        raise QueryError("date_invalid", name=shown, value=text)
    if end:
        return int(year + (month or "99") + (day or "99"))
    return int(year + (month or "00") + (day or "00"))


def parse_range(text: str, shown: str) -> DateRange:
    """``2019``, ``2019-06..2020-12``, ``..2014`` or ``2021-06-04..`` as a ``DateRange``;
    ``QueryError`` naming ``shown`` when it is none of these, or ends before it starts."""
    low_text, dots, high_text = text.partition("..")
    if not dots:
        high_text = low_text
    if not low_text and not high_text:
        raise QueryError("date_invalid", name=shown, value=text)
    low = parse_bound(low_text, end=False, shown=shown)
    high = parse_bound(high_text, end=True, shown=shown)
    if low is not None and high is not None and low > high:
        raise QueryError("date_backwards", name=shown, value=text)
    return DateRange(low, high, text)


def between(low_text: str, high_text: str, low_name: str, high_name: str) -> DateRange | None:
    """The range of the ``from`` and ``to`` parameters (None when neither is given), each bound
    checked under its own name."""
    if not low_text and not high_text:
        return None
    low = parse_bound(low_text, end=False, shown=low_name)
    high = parse_bound(high_text, end=True, shown=high_name)
    if low is not None and high is not None and low > high:
        raise QueryError("date_backwards", name=f"{low_name}/{high_name}", value=f"{low_text}..{high_text}")
    return DateRange(low, high, f"{low_text}..{high_text}")


# ``date:`` and its range, where a word may start, outside quotes (``date:`` followed by a space
# is a word, as an unknown field is).
_DATE_PART = re.compile(r"(?<![^\s(])date:([^\s()\"]+)", re.IGNORECASE)


@dataclass(frozen=True)
class DatedQuery:
    """A query's words (what is left once its date ranges are taken out; ``*`` when nothing is)
    and its ranges, each as written."""

    words: str
    ranges: tuple[DateRange, ...]


def take_dates(text: str) -> DatedQuery:
    """The ``date:`` parts of the query ``text`` as ranges, and the rest of it; ``QueryError``
    naming the part at fault (``date:2019-13``)."""
    ranges: list[DateRange] = []
    pieces = text.split('"')
    for number in range(0, len(pieces), 2):  # the pieces outside quotes

        def taken(match: re.Match) -> str:
            ranges.append(parse_range(match.group(1), match.group(0)))
            return " "

        pieces[number] = _DATE_PART.sub(taken, pieces[number])
    words = '"'.join(pieces).strip()
    if ranges and not re.sub(r"[\s()]|\b(?:AND|OR)\b", "", words):
        words = "*"
    return DatedQuery(words, tuple(ranges))
