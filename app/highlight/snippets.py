"""Choosing a snippet: the stretch of a document's text that shows the most of the query."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..analysis.scripts import is_han
from .spans import Marked, Span

# Characters of context in a snippet, and before its first match.
SNIPPET_CHARS = 240
LEAD_CHARS = 60
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Snippet(Marked):
    """An extract of a document's text with its matches (whitespace runs read as one space),
    where it starts in the text, the PDF page it comes from, and whether text was cut before
    and after it."""

    start: int = 0
    page: int | None = None
    cut_before: bool = False
    cut_after: bool = False


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
        end = _word_end(text, min(len(text), width))
        return _extract(text, 0, end, [], _page(pages, 0))
    candidates = [span for span in spans if span.unit in preferred] or spans
    width = _columns(text, candidates[0].start, width)
    lead = width * LEAD_CHARS // SNIPPET_CHARS
    anchor = candidates[_densest(candidates, width - lead)]
    start = _word_start(text, max(0, anchor.start - lead))
    end = _word_end(text, min(len(text), max(start + width, anchor.end)))
    inside = [span for span in spans if span.start >= start and span.end <= end]
    return _extract(text, start, end, inside, _page(pages, anchor.start))


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
