"""Dates as precise as their source says: ``"2018"``, ``"2018-06"`` or ``"2018-06-30"``.

The archive dates documents by day at most: a time of day is dropped, and a date known only to
the month or the year stays a month or a year (``date: 2018`` is not 1 January 2018).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from dateutil import parser as date_parser

_YEAR = r"(?P<year>\d{4})"
# Numeric forms: 2018, 2018-06, 2018/6/30, 2018.06.30, and an ISO timestamp (its time dropped).
_NUMERIC = re.compile(
    rf"{_YEAR}(?:(?P<sep>[-/.])(?P<month>\d{{1,2}})(?:(?P=sep)(?P<day>\d{{1,2}})(?:[T ]\d{{1,2}}:\d{{2}}.*)?)?)?"
)
# Chinese forms: 2018年, 2018年6月, 2018年6月30日 (日 or 號/号).
_CHINESE = re.compile(rf"{_YEAR}\s*年(?:\s*(?P<month>\d{{1,2}})\s*月(?:\s*(?P<day>\d{{1,2}})\s*[日號号])?)?")
# Compact forms: 20180630, and a PDF's D:20180630120000+08'00' (D:2018 and D:201806 too).
_COMPACT = re.compile(rf"(?:D:)?{_YEAR}(?:(?P<month>\d{{2}})(?:(?P<day>\d{{2}})\d{{0,6}})?)?(?:[Zz+\-'].*)?")
_FIRST_YEAR, _LAST_YEAR = 1000, 9999
# A date in a file's name: 2021-06-04, 2021_06_04, 2021.06.04, 20210604, 2021-06, 2021年6月4日,
# standing apart from other digits and Latin letters (so that 12345678, a version or a serial
# number is not one). A year alone is not taken: "2047 plan" is not dated 2047.
_NAME_DATE = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"(?P<year>\d{4})(?P<sep>[-_.])(?P<month>\d{1,2})(?:(?P=sep)(?P<day>\d{1,2})(?!\d)|(?![-_.]?\d))"
    r"|(?P<cyear>\d{4})年(?P<cmonth>\d{1,2})月(?:(?P<cday>\d{1,2})[日號号])?"
    r"|(?P<dyear>\d{4})(?P<dmonth>\d{2})(?P<dday>\d{2})(?!\d)"
    r")"
)
# Years a file name's date may name: four digits in a name are often not a year.
_FIRST_NAME_YEAR, _LAST_NAME_YEAR = 1800, 2099


def iso_date(value: object) -> str | None:
    """``value`` (a YAML date, a datetime, or text) as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``,
    keeping the precision the source gives; None when it is not a date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()  # the day as written, in the timestamp's own zone
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return None
    text = unicodedata.normalize("NFKC", " ".join(str(value).split()))
    if not text:
        return None
    for pattern in (_NUMERIC, _CHINESE, _COMPACT):
        if match := pattern.fullmatch(text):
            return _checked(match["year"], match["month"], match["day"])
    return _parsed(text)


def _checked(year: str, month: str | None, day: str | None) -> str | None:
    """The date of these parts at their precision, or None when they name no real date."""
    if not _FIRST_YEAR <= int(year) <= _LAST_YEAR:
        return None
    try:
        if day is not None:
            return dt.date(int(year), int(month), int(day)).isoformat()
        if month is not None:
            return dt.date(int(year), int(month), 1).isoformat()[:7]
    except ValueError:
        return None
    return year


def _parsed(text: str) -> str | None:
    """Dates written in words ("June 2018", "30 June 2018"): parsed twice with different
    defaults, so that a part the text does not give shows up as one that changed."""
    try:
        first = date_parser.parse(text, default=dt.datetime(1, 1, 1))
        second = date_parser.parse(text, default=dt.datetime(2, 2, 2))
    except (ValueError, OverflowError):
        return None
    if first.year != second.year:
        return None  # no year: "June 30" is not a date of the archive
    year = f"{first.year:04d}"
    if first.month != second.month:
        return _checked(year, None, None)
    if first.day != second.day:
        return _checked(year, str(first.month), None)
    return _checked(year, str(first.month), str(first.day))


def date_in_name(name: str) -> str | None:
    """The date written in the file name ``name`` (``2021-06-04 statement.txt``,
    ``20210604-statement.pdf``, ``2021-06 report.md``) at its precision; None when the name holds
    none, or when its first date-like number is not a real date (``2021-13-45``)."""
    match = _NAME_DATE.search(unicodedata.normalize("NFKC", name))
    if match is None:
        return None
    year, month, day = (
        (match["year"], match["month"], match["day"])
        if match["year"]
        else (match["cyear"], match["cmonth"], match["cday"])
        if match["cyear"]
        else (match["dyear"], match["dmonth"], match["dday"])
    )
    if not _FIRST_NAME_YEAR <= int(year) <= _LAST_NAME_YEAR:
        return None
    return _checked(year, month, day)
