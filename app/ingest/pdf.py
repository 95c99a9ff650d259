"""PDF reports: the text of each page, where each page starts, and the document's metadata.

pypdf gives one line break per printed line and none more between paragraphs, so the reader lays
the text out in paragraphs: a line clearly shorter than the page's longest line (the last line of
a paragraph, a heading) ends its paragraph, and a blank line follows it. Pages are joined by a
blank line where the page's last line ends a paragraph, and by a line break where the paragraph
runs on to the next page, so a phrase across the page break is found.
"""

from __future__ import annotations

import io
import logging
import unicodedata

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .errors import SkipFile
from .extracted import Extracted, from_mapping, split_keywords

PARAGRAPH_BREAK = "\n\n"
LINE_BREAK = "\n"
# A line narrower than this share of the page's longest line ends its paragraph.
SHORT_LINE = 0.75
# A page whose longest line is narrower than this many columns (a Chinese character fills two)
# is not laid out: its lines are a table's or a list's, not a paragraph's.
MIN_MEASURE = 30


def read_pdf(data: bytes) -> Extracted:
    """Return the text of every page, laid out in paragraphs (``laid_out_page``) and joined where a
    paragraph runs on, and metadata with the offset where each page starts."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SkipFile("encrypted PDF: it needs a password to read")
        texts = [(page.extract_text() or "").strip() for page in reader.pages]
        info = reader.metadata or {}
    except SkipFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise SkipFile(f"unreadable PDF: {error}") from None
    # A PDF without text (a scan) is still a document when it has a title: ``load`` decides.
    pages, parts, offset = [], [], 0
    for text in texts:
        laid_out, ends_paragraph = laid_out_page(text)
        pages.append(offset)
        parts += [laid_out, PARAGRAPH_BREAK if ends_paragraph else LINE_BREAK]
        offset += len(laid_out) + len(parts[-1])
    meta: dict = {}
    for field, key in (("title", "/Title"), ("author", "/Author"), ("description", "/Subject")):
        value = info.get(key)
        if value and str(value).strip():
            meta[field] = str(value).strip()
    if keywords := info.get("/Keywords"):
        meta["tags"] = split_keywords(keywords)
    # When the file was made, not when the report was written: used only when nothing else
    # dates the document (a sidecar can).
    made = info.get("/CreationDate") or info.get("/ModDate")
    text = "".join(parts[:-1])
    return from_mapping(text, meta, pages=pages, file_date=str(made) if made else None)


def laid_out_page(text: str) -> tuple[str, bool]:
    """A page's text with a blank line after each line that ends a paragraph (one narrower than
    ``SHORT_LINE`` of the page's longest), and whether its last line ends one (so does that of
    an empty page, or of one that is not laid out)."""
    lines = text.split("\n")
    widths = [_columns(line) for line in lines]
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


def _columns(line: str) -> int:
    """How wide ``line`` prints, in columns: a Chinese character (a wide one) fills two."""
    line = line.strip()
    if line.isascii():
        return len(line)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)
