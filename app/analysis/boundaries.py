"""Where a phrase breaks, and where a word runs on across a line end.

A boundary is a place no phrase and no pair spans (positions skip ``GAP`` there):

- a blank line: two line breaks or more, whatever spaces stand between them, and the
  paragraph separators (U+2029; the file, group and record separators);
- the unit separator U+001F, which stands between the cells of a table's row
  (``app.tables_text.CELL``: 鄒幸彤␟Chow Hang-tung holds no phrase 鄒幸彤 Chow), and a line
  break before or after a row of cells (a line holding one): no phrase runs from one row of a
  table into the next;
- a line that begins a list item after a single line break (``LIST_ITEM``: "• ", "- ", "* ",
  "1. ", "2) ", "(a) ", "(iv) ", "一、", "（一）", "1、"): plain text and the text of a PDF mark
  their lists only so (the other readers put a blank line between items);
- between two Han characters, anything but white space: punctuation (研究所，有反應釜 holds no
  所有) and symbols.

Nothing else is. A single line break (a line wrapped in a PDF, a hard-wrapped text file), a form
feed and spaces join two Han characters directly (香港人⏎權狀況 and 人 權 狀 況 are the runs
香港人權狀況 and 人權狀況) and stand between two words as a space does. Punctuation between two
words, or between a word and a Han character, is no boundary: "Tutwiler, Mississippi" is the
phrase tutwiler mississippi, as Lucene's and Whoosh's own analyzers have it.

A word broken with a hyphen at a line end (``hu-⏎man``) is also the joined word: ``placed``
says so on both parts, and the analysis indexes the joined word at the position of each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..tables_text import CELL
from .scripts import HAN, WORD, pieces

# What begins a list item at the start of a line (after any indentation): a bullet or a dash
# and a space; a number of one or two digits or a letter, with its full stop or bracket; a
# Chinese numeral with its enumeration comma, or in brackets.
LIST_ITEM = re.compile(
    r"[ \t\u3000]*(?:"
    r"[•◦▪‣⁃●○■□\-*+–][ \t]"
    r"|\d{1,2}[.)][ \t]"
    r"|[a-z]\)[ \t]"
    r"|\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)"
    r"|[一二三四五六七八九十]{1,3}、"
    r"|[（(][一二三四五六七八九十]{1,3}[)）]"
    r"|\d{1,2}、"
    r")"
)
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x85\u2028]")
_PARAGRAPH_SEPARATORS = frozenset("\x1c\x1d\x1e\u2029" + CELL)
# A hyphen that may end a line inside a word: the hyphen-minus, the hyphen, a soft hyphen.
_HYPHENS = frozenset("-\u2010\u00ad")
# What most tokens have between them: no boundary, no hyphen.
_NOTHING_BETWEEN = frozenset(("", " "))

# What ``_separation`` says of the text between two tokens (a value of 0 or more: one line
# break, the next line starting that many characters in).
_JOINED = -1
_APART = -2


@lru_cache(maxsize=4096)
def _separation(between: str, han_to_han: bool) -> int:
    """``_APART`` when ``between`` is a boundary whatever follows it, ``_JOINED`` when it is
    none, or, for a single line break, where the next line begins in it."""
    if _PARAGRAPH_SEPARATORS.intersection(between):
        return _APART
    if han_to_han and not between.isspace():
        return _APART
    line_breaks = list(_LINE_BREAK.finditer(between))
    if not line_breaks:
        return _JOINED
    if len(line_breaks) > 1:
        return _APART
    return line_breaks[0].end()


def boundary(text: str, end: int, start: int, han_to_han: bool) -> bool:
    """True when a boundary stands between the token of ``text`` ending at ``end`` and the one
    starting at ``start`` (``han_to_han``: both are Han characters); see the module's rules."""
    return start > end and _apart(text, end, text[end:start], han_to_han)


def _apart(text: str, end: int, between: str, han_to_han: bool) -> bool:
    """``boundary`` for the text ``between`` two tokens, the first ending at ``end``."""
    found = _separation(between, han_to_han)
    if found >= 0:
        if LIST_ITEM.match(text, end + found) is not None:
            return True
        # A table's rows end with a line feed; other line breaks are none of a table's.
        return between[found - 1] == "\n" and _row_ends(text, end, end + found)
    return found == _APART


def _row_ends(text: str, end: int, next_line: int) -> bool:
    """True when the line ending after ``end`` or the one starting at ``next_line`` is a row of a
    table's cells (each line is looked at twice at most, so the cost stays linear)."""
    line_start = text.rfind("\n", 0, end) + 1
    if text.find(CELL, line_start, end) >= 0:
        return True
    line_end = text.find("\n", next_line)
    return text.find(CELL, next_line, len(text) if line_end < 0 else line_end) >= 0


def hyphenated(text: str, end: int, start: int) -> bool:
    """True when the word of ``text`` ending at ``end`` and the one starting at ``start`` are one
    word broken at a line end: a letter, a hyphen, one line break (with spaces), a letter."""
    if start - end < 2 or text[end] not in _HYPHENS:
        return False
    if not (text[end - 1].isalpha() and text[start].isalpha()):
        return False
    return _separation(text[end + 1 : start], True) >= 0


def joined_word(text: str, joined: tuple[int, int, int, int]) -> str:
    """The word hyphenated at a line end, its two parts (``placed``'s ``joined``) put together."""
    return text[joined[0] : joined[1]] + text[joined[2] : joined[3]]


Placed = tuple[str, int, int, bool, "tuple[int, int, int, int] | None"]


def placed(text: str) -> Iterator[Placed]:
    """``(kind, start, end, gap, joined)`` for each piece of ``text`` (``scripts.pieces``: a run
    of Han characters, or a word): ``gap`` when a boundary stands before it; ``joined``, on both
    parts of a word hyphenated at a line end, the ``(start, end)`` of its two parts
    (``first_start, first_end, second_start, second_end``). The one place the analysis of
    queries and that of documents learn where phrases break."""
    found = pieces(text)
    first = next(found, None)
    if first is None:
        return
    kind, start, end = first
    gap, joined = False, None
    for next_kind, next_start, next_end in found:
        between = text[end:next_start]
        next_gap = between not in _NOTHING_BETWEEN and _apart(text, end, between, kind == next_kind == HAN)
        next_joined = None
        if between[:1] in _HYPHENS and not next_gap and kind == next_kind == WORD and hyphenated(text, end, next_start):
            next_joined = joined = (start, end, next_start, next_end)
        yield kind, start, end, gap, joined
        kind, start, end, gap, joined = next_kind, next_start, next_end, next_gap, next_joined
    yield kind, start, end, gap, joined
