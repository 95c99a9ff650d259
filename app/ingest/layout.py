"""Printed pages into paragraphs: a PDF's text layer and a recognised scan both give one line
break per printed line and none more between paragraphs.

A line clearly shorter than the page's longest (the last line of a paragraph, a heading) ends its
paragraph, and a blank line follows it. Pages are joined by a blank line where the page's last
line ends a paragraph, and by a line break where the paragraph runs on to the next page, so a
phrase across the page break is found.
"""

from __future__ import annotations

import unicodedata

PARAGRAPH_BREAK = "\n\n"
LINE_BREAK = "\n"
# A line narrower than this share of the page's longest line ends its paragraph.
SHORT_LINE = 0.75
# A page whose longest line is narrower than this many columns (a Chinese character fills two)
# is not laid out: its lines are a table's or a list's, not a paragraph's.
MIN_MEASURE = 30


def joined_pages(pages: list[tuple[str, bool]]) -> tuple[str, list[int]]:
    """The text of pages given as (text, whether its last line ends a paragraph), each joined to
    the next by a blank line or a line break; and the offset where each page starts."""
    starts, parts, offset = [], [], 0
    for text, ends_paragraph in pages:
        starts.append(offset)
        parts += [text, PARAGRAPH_BREAK if ends_paragraph else LINE_BREAK]
        offset += len(text) + len(parts[-1])
    return "".join(parts[:-1]), starts


def laid_out_page(text: str) -> tuple[str, bool]:
    """A page's text with a blank line after each line that ends a paragraph (one narrower than
    ``SHORT_LINE`` of the page's longest), and whether its last line ends one (so does that of
    an empty page, or of one that is not laid out)."""
    lines = text.split("\n")
    widths = [columns(line) for line in lines]
    measure = max(widths, default=0)
    if measure < MIN_MEASURE:
        return text, True
    short = [0 < width < SHORT_LINE * measure for width in widths]
    parts = [lines[0]]
    for number in range(1, len(lines)):
        # A line already followed by a blank line, or a blank line itself, needs no other.
        apart = short[number - 1] and widths[number] > 0
        parts += [PARAGRAPH_BREAK if apart else LINE_BREAK, lines[number]]
    return "".join(parts), short[-1] or widths[-1] == 0


def columns(line: str) -> int:
    """How wide ``line`` prints, in columns: a Chinese character (a wide one) fills two."""
    line = line.strip()
    if line.isascii():
        return len(line)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)
