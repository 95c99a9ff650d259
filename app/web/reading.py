"""A document's text as its page shows it: no blank lines before or after a page's text, and no
more than one blank line in a row. Nothing else of the text changes, and each match stays on
the words it marked."""

from __future__ import annotations

import re
from dataclasses import replace

from ..highlight.spans import Span
from ..service.results import PageText

_LEADING_BLANK_LINES = re.compile(r"\A(?:[^\S\n]*\n)+")
_TRAILING_SPACE = re.compile(r"\s+\Z")
# Two blank lines or more (which may hold spaces): all but the last line end are cut, and the
# first line end of the run is kept, so one blank line is left.
_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n){2,}")


def tidy_pages(pages: list[PageText]) -> list[PageText]:
    """``pages`` with the blank lines around and within each page's text reduced."""
    return [tidy_page(page) for page in pages]


def tidy_page(page: PageText) -> PageText:
    """``page`` without blank lines before or after its text and with one blank line at most
    between paragraphs; its matches are moved with the text they mark."""
    text = page.text
    cuts = [(found.start() + 1, found.end() - 1) for found in _BLANK_LINES.finditer(text)]
    if leading := _LEADING_BLANK_LINES.match(text):
        cuts.append((0, leading.end()))
    if trailing := _TRAILING_SPACE.search(text):
        cuts.append((trailing.start(), len(text)))
    if not cuts:
        return page
    cuts = _merged(cuts)
    kept = "".join(text[start:end] for start, end in _between(cuts, len(text)))
    spans = tuple(Span(_moved(span.start, cuts), _moved(span.end, cuts), span.unit) for span in page.spans)
    return replace(page, text=kept, spans=spans)


def _merged(cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ranges of ``cuts`` in order, those that overlap or touch joined."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(cuts):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        elif end > start:
            joined.append((start, end))
    return joined


def _between(cuts: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The ranges of a text of ``length`` characters that ``cuts`` (merged) leave."""
    kept, position = [], 0
    for start, end in cuts:
        kept.append((position, start))
        position = end
    kept.append((position, length))
    return kept


def _moved(offset: int, cuts: list[tuple[int, int]]) -> int:
    """Where ``offset`` of the text lands once ``cuts`` are taken out."""
    return offset - sum(min(end, offset) - start for start, end in cuts if start < offset)
