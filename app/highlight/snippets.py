"""Choosing a snippet: the stretch of a document's text that shows the most of the query."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..analysis.scripts import is_han
from ..tables_text import CELL, is_table
from .spans import Marked, Span

# Characters of context in a snippet, and before its first match.
SNIPPET_CHARS = 240
LEAD_CHARS = 60
# Characters of a header cell shown above the row that matched.
HEADER_CELL_CHARS = 40
# A stored text is read a chunk at a time: how far around a match a snippet looks for the line
# it is on (a table's row holds a CELL there), and how much of a table's row and header it reads.
LOOK_CHARS = 1000
ROW_CHARS = 20_000
ELLIPSIS = "…"
# The whitespace a snippet changes: runs of two or more, and one character other than a space
# (a single space stays as it is, and is not looked at: an English snippet has one a word).
_WHITESPACE = re.compile(r"\s{2,}|[^\S ]")


@dataclass(frozen=True)
class Snippet(Marked):
    """An extract of a document's text with its matches (whitespace runs read as one space),
    where it starts in the text, the PDF page it comes from, and whether text was cut before
    and after it.

    A table's snippet (``table``) is rows of it, each a line, its cells apart (``CELL``): the
    header row of its sheet, then the row that matched (unless the header did); only the cells
    around the match when a row is long, an ``ELLIPSIS`` cell where cells were left out and an
    ``ELLIPSIS`` in a cell cut."""

    start: int = 0
    page: int | None = None
    cut_before: bool = False
    cut_after: bool = False
    table: bool = False


def snippet(
    text: str,
    spans: list[Span],
    pages: list[int] | None = None,
    width: int = SNIPPET_CHARS,
    preferred: frozenset[int] = frozenset(),
) -> Snippet:
    """The stretch of ``text`` of about ``width`` characters that shows the most of the query;
    where the text holds ``preferred`` units (the words as typed), the stretch shows those."""
    if not spans:
        width = _columns(text, 0, width)
        if is_table(_line(text[:LOOK_CHARS], 0)):
            return table_snippet(text, [], pages, None, width)
        end = _word_end(text, min(len(text), width))
        return _extract(text, 0, end, [], _page(pages, 0))
    candidates = [span for span in spans if span.unit in preferred] or spans
    width = _columns(text, candidates[0].start, width)
    lead = width * LEAD_CHARS // SNIPPET_CHARS
    anchor = candidates[_densest(candidates, width - lead)]
    near = max(0, anchor.start - LOOK_CHARS)
    if is_table(_line(text[near : anchor.start + LOOK_CHARS], anchor.start - near)):
        return table_snippet(text, spans, pages, anchor, width)
    start = _word_start(text, max(0, anchor.start - lead))
    end = _word_end(text, min(len(text), max(start + width, anchor.end)))
    inside = [span for span in spans if span.start >= start and span.end <= end]
    return _extract(text, start, end, inside, _page(pages, anchor.start))


def table_snippet(text: str, spans: list[Span], pages: list[int] | None, anchor: Span | None, width: int) -> Snippet:
    """A table's snippet (see ``Snippet``): the row holding ``anchor`` below the header row of
    its sheet (the header alone when it holds ``anchor``, or there is none), each cut to the
    same columns: those around ``anchor`` that fit in ``width`` characters."""
    at = anchor.start if anchor else 0
    sheet = pages[bisect_right(pages, at) - 1] if pages and at >= pages[0] else 0
    low = max(sheet, at - ROW_CHARS)
    piece = text[low : at + ROW_CHARS]
    row_start = low + piece.rfind("\n", 0, at - low) + 1
    # A row longer than the stretch read: its cells are shown without their header, cut.
    whole = row_start > low or low == sheet
    ended = "\n" in piece[at - low :] or low + len(piece) == len(text)
    row = [(low + start, low + end) for start, end in _cells(piece, row_start - low, _line_end(piece, at - low))]
    index = next((number for number, (_start, end) in enumerate(row) if at <= end), len(row) - 1)
    lead = width * LEAD_CHARS // SNIPPET_CHARS
    start, end = row[index]
    if end - start > width:  # the cell alone is too long: the stretch of it around the match
        start = _word_start(text, max(start, at - lead))
        end = _word_end(text, min(end, max(start + width, anchor.end if anchor else 0)))
    first, last = _window(row, index, end - start, width)
    before, after = first > 0 or not whole, last < len(row) - 1 or not ended
    shown = _Shown(text)
    lines = [(row_start, row[-1][1])]
    if whole and row_start > sheet:
        head = text[sheet : min(row_start, sheet + ROW_CHARS)]
        header = [(sheet + start, sheet + end) for start, end in _cells(head, 0, _line_end(head, 0))]
        columns = range(first, last + 1)
        shown.line(
            [_cut(header[number], HEADER_CELL_CHARS) if number < len(header) else None for number in columns],
            before,
            after,
        )
        shown.add("\n")
        lines.append((sheet, header[-1][1]))
    cells = [(row[number], None) for number in range(first, last + 1)]
    cells[index - first] = ((start, end), (start > row[index][0], end < row[index][1]))
    shown.line(cells, before, after)
    inside = [span for span in spans if any(low <= span.start and span.end <= high for low, high in lines)]
    return Snippet(shown.text(), shown.spans(inside), start=row_start, page=_page(pages, at), table=True)


def _line(text: str, at: int) -> str:
    """The line of ``text`` holding ``at``."""
    return text[text.rfind("\n", 0, at) + 1 : _line_end(text, at)]


def _line_end(text: str, start: int) -> int:
    """Where the line of ``text`` holding ``start`` ends."""
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each cell of the row ``text[start:end]``."""
    bounds = []
    while (cut := text.find(CELL, start, end)) >= 0:
        bounds.append((start, cut))
        start = cut + 1
    bounds.append((start, end))
    return bounds


def _window(cells: list[tuple[int, int]], index: int, used: int, width: int) -> tuple[int, int]:
    """The first and last of the cells around ``cells[index]`` (``used`` characters of it
    shown) that fit in ``width`` characters, a divider of three between two; the one before
    first, since a row's first cells often say what it is about."""
    first = last = index
    grew = True
    while grew:
        grew = False
        for number in (first - 1, last + 1):
            if 0 <= number < len(cells) and used + 3 + cells[number][1] - cells[number][0] <= width:
                used += 3 + cells[number][1] - cells[number][0]
                first, last = min(first, number), max(last, number)
                grew = True
    return first, last


def _cut(cell: tuple[int, int], chars: int) -> tuple[tuple[int, int], tuple[bool, bool]]:
    """A cell shown to ``chars`` characters at most, and whether it was cut (before, after)."""
    start, end = cell
    return (start, min(end, start + chars)), (False, end > start + chars)


class _Shown:
    """The text of a table's snippet as it is put together from pieces of the document's text
    (whose matches it keeps) and of its own (dividers, ellipses)."""

    def __init__(self, text: str) -> None:
        self.source = text
        self.parts: list[str] = []
        self.length = 0
        self.pieces: list[tuple[int, int, int]] = []  # (start in the source, end, start here)

    def add(self, part: str, source: int | None = None) -> None:
        """Add ``part`` (the source's text from ``source``, when it is)."""
        if source is not None:
            self.pieces.append((source, source + len(part), self.length))
        self.parts.append(part)
        self.length += len(part)

    def line(self, cells: list, before: bool, after: bool) -> None:
        """Add a row of ``cells`` (each ``((start, end), cut)``, ``cut`` None or whether it was cut
        before and after; None for a cell the row lacks), with an ellipsis cell where cells
        were left out ``before`` and ``after``."""
        for number, cell in enumerate([ELLIPSIS] * before + cells + [ELLIPSIS] * after):
            self.add(CELL if number else "")
            if cell == ELLIPSIS or cell is None:
                self.add(cell or "")
                continue
            (start, end), cut = cell
            self.add(f"{ELLIPSIS} " if cut and cut[0] else "")
            self.add(self.source[start:end], start)
            self.add(f" {ELLIPSIS}" if cut and cut[1] else "")

    def text(self) -> str:
        """The snippet's text."""
        return "".join(self.parts)

    def spans(self, spans: list[Span]) -> tuple[Span, ...]:
        """``spans`` of the source moved to the snippet's text: their parts inside its pieces
        (a match that runs across cells is marked in each)."""
        moved = []
        for span in spans:
            for start, end, here in self.pieces:
                if span.start < end and start < span.end:
                    low, high = max(span.start, start), min(span.end, end)
                    moved.append(Span(low - start + here, high - start + here, span.unit))
        return tuple(moved)


def _extract(text: str, start: int, end: int, spans: list[Span], page: int | None) -> Snippet:
    """``text[start:end]`` with its whitespace runs made single spaces and trimmed, and the spans
    moved to match (a span starts and ends on a word, never inside a whitespace run)."""
    piece = text[start:end]
    parts: list[str] = []
    removed: list[tuple[int, int]] = []  # (end of a whitespace run in ``piece``, characters removed up to it)
    position = dropped = 0
    for run in _WHITESPACE.finditer(piece):
        parts.append(piece[position : run.start()])
        parts.append(" ")
        dropped += run.end() - run.start() - 1
        removed.append((run.end(), dropped))
        position = run.end()
    parts.append(piece[position:])
    collapsed = "".join(parts)
    lead = len(collapsed) - len(collapsed.lstrip())
    trimmed = collapsed.strip()
    ends = [run_end for run_end, _count in removed]

    def moved(offset: int) -> int:
        before = bisect_right(ends, offset)
        return offset - (removed[before - 1][1] if before else 0) - lead

    local = tuple(Span(moved(span.start - start), moved(span.end - start), span.unit) for span in spans)
    return Snippet(trimmed, local, start=start, page=page, cut_before=start > 0, cut_after=end < len(text))


def _columns(text: str, near: int, width: int) -> int:
    """``width`` in characters of the text near ``near``: a Chinese character fills two columns."""
    sample = text[near : near + 40]
    wide = sum(1 for char in sample if is_han(char))
    return width // 2 if sample and wide * 2 > len(sample) else width


def _densest(spans: list[Span], reach: int) -> int:
    """Index of the span that opens the window of ``reach`` characters with the most distinct
    units of the query, then the most matches (a sliding window: one pass)."""
    best, best_key = 0, (0, 0)
    units: dict[int, int] = {}
    right = 0
    for left, first in enumerate(spans):
        while right < len(spans) and spans[right].start < first.start + reach:
            units[spans[right].unit] = units.get(spans[right].unit, 0) + 1
            right += 1
        key = (len(units), right - left)
        if key > best_key:
            best, best_key = left, key
        units[first.unit] -= 1
        if not units[first.unit]:
            del units[first.unit]
    return best


def _word_start(text: str, index: int) -> int:
    """Move ``index`` back to the start of the word it falls in (Latin words are not cut)."""
    limit = max(0, index - 20)
    while index > limit and text[index - 1].isalnum() and text[index - 1].isascii():
        index -= 1
    return index


def _word_end(text: str, index: int) -> int:
    limit = min(len(text), index + 20)
    while index < limit and text[index].isalnum() and text[index].isascii():
        index += 1
    return index


def _page(pages: list[int] | None, offset: int) -> int | None:
    """The 1-based page holding ``offset``, for documents that have pages."""
    if not pages:
        return None
    return bisect_right(pages, offset)
