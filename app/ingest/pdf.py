"""PDF reports: the text of each page, where each page starts, and the document's metadata."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .errors import SkipFile
from .extracted import Extracted, from_mapping

PAGE_BREAK = "\n\n"


def read_pdf(data: bytes) -> Extracted:
    """Return the text of every page (joined by blank lines) and metadata with page offsets."""
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
    if not any(texts):
        raise SkipFile("PDF has no extractable text (a scan?): nothing to search")
    pages, offset = [], 0
    for text in texts:
        pages.append(offset)
        offset += len(text) + len(PAGE_BREAK)
    meta: dict = {}
    for field, key in (("title", "/Title"), ("author", "/Author"), ("description", "/Subject")):
        value = info.get(key)
        if value and str(value).strip():
            meta[field] = str(value).strip()
    if keywords := info.get("/Keywords"):
        meta["tags"] = [word.strip() for word in str(keywords).replace(";", ",").split(",") if word.strip()]
    if date := info.get("/CreationDate"):
        meta["date"] = _pdf_date(str(date))
    return from_mapping(PAGE_BREAK.join(texts), meta, pages=pages)


def _pdf_date(value: str) -> str:
    """``D:20230603120000+08'00'`` -> ``2023-06-03T12:00:00``; other forms are passed on."""
    digits = value[2:] if value.startswith("D:") else value
    digits = "".join(char for char in digits[:14] if char.isdigit())
    if len(digits) >= 8:
        date = f"{digits[0:4]}-{digits[4:6]}-{digits[6:8]}"
        if len(digits) >= 14:
            date += f"T{digits[8:10]}:{digits[10:12]}:{digits[12:14]}"
        return date
    return value
