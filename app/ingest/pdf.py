"""PDF reports: the text of each page, where each page starts, and the document's metadata."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .errors import SkipFile
from .extracted import Extracted, from_mapping, split_keywords

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
        meta["tags"] = split_keywords(keywords)
    # When the file was made, not when the report was written: used only when nothing else
    # dates the document (a sidecar can).
    made = info.get("/CreationDate") or info.get("/ModDate")
    return from_mapping(PAGE_BREAK.join(texts), meta, pages=pages, file_date=str(made) if made else None)
