"""A mailbox (mbox): each message a member of its own, read as an .eml; the mailbox's own text
lists its messages, a line each ("2021-06-04 · Name <address> · Subject").

A message starts after a "From " line at the start of the file or after a blank line that looks
like the envelope line mbox writers put there ("From sender date", "From sender"), so that a line
of a message's text that starts "From " and was left unescaped is not taken for one. A line
escaped as ">From " (mboxo, mboxrd: ">>From " too) loses its first ">".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from email.parser import BytesHeaderParser
from itertools import islice

from .errors import SkipFile
from .extracted import Extracted
from .mail import POLICY, too_large
from .mailtext import message_fields
from .members import Contents, Limits, Member, refused

_FROM_LINE = re.compile(rb"^From [^\r\n]*", re.MULTILINE)
_ENVELOPE = re.compile(rb"From \S+(?:[ \t]*$|[ \t].*\d:\d\d)")
_ESCAPED = re.compile(rb"^>(>*From )", re.MULTILINE)
# The most of a message read for its line in the listing: its headers, and no more.
MAX_HEADER_BYTES = 64_000


def read_mbox(data: bytes, limits: Limits) -> Contents:
    """The messages of a mailbox as members (``1.eml``, ``2.eml``...) and its list of them as its
    text; ``SkipFile`` when ``data`` does not start with a "From " line."""
    if not data.lstrip(b"\r\n").startswith(b"From "):
        raise SkipFile('not a mailbox: it does not start with a "From " line')
    lines = [_listed(number, data[start:end]) for number, (start, end) in _numbered(data, limits.max_members)]
    return Contents(Extracted("\n".join(lines) + "\n"), _members(data, limits))


def _numbered(data: bytes, most: int) -> Iterator[tuple[int, tuple[int, int]]]:
    return enumerate(islice(message_spans(data), most), 1)


def message_spans(data: bytes) -> Iterator[tuple[int, int]]:
    """Where each message of the mailbox starts and ends (its "From " line left out, and the
    blank line that ends it)."""
    start = None
    for match in _FROM_LINE.finditer(data):
        at = match.start()
        if start is not None and not (_after_blank_line(data, at) and _ENVELOPE.match(match[0])):
            continue
        if start is not None:
            yield start, _without_blank_line(data, start, at)
        start = _next_line(data, match.end())
    if start is not None:
        yield start, len(data)


def _after_blank_line(data: bytes, at: int) -> bool:
    return data[max(at - 2, 0) : at] == b"\n\n" or data[max(at - 3, 0) : at] == b"\n\r\n"


def _without_blank_line(data: bytes, start: int, end: int) -> int:
    if data[max(end - 2, start) : end] == b"\r\n":
        return end - 2
    return end - 1 if data[max(end - 1, start) : end] == b"\n" else end


def _next_line(data: bytes, at: int) -> int:
    if data[at : at + 2] == b"\r\n":
        return at + 2
    return at + 1 if data[at : at + 1] == b"\n" else at


def unescaped(message: bytes) -> bytes:
    """A message's bytes as they were before the mailbox escaped its "From " lines."""
    return _ESCAPED.sub(rb"\1", message)


def _listed(number: int, message: bytes) -> str:
    """A message's line in the listing: its day, sender and subject, those it has."""
    try:
        headers = BytesHeaderParser(policy=POLICY).parsebytes(message[:MAX_HEADER_BYTES])
        fields = message_fields(headers)
    except (ValueError, TypeError, IndexError, LookupError, UnicodeError):
        fields = {}
    date = fields.get("date")
    day = date.date().isoformat() if isinstance(date, dt.datetime) else None
    shown = [str(value) for value in (day, fields.get("author"), fields.get("title")) if value]
    return " · ".join(shown) or f"message {number}"


def _members(data: bytes, limits: Limits) -> Iterator[Member]:
    for number, (start, end) in _numbered(data, limits.max_members + 1):
        step, name = str(number), f"{number}.eml"
        if number > limits.max_members:
            yield refused(step, name, f"past the {limits.max_members:,} messages a mailbox may hold: not read")
            return
        if end - start > limits.max_member_bytes:
            yield refused(step, name, too_large(end - start, limits))
            continue
        yield Member(step=step, name=name, kind="eml", data=unescaped(data[start:end]))
