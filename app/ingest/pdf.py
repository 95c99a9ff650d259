"""PDF reports: the text of each page, where each page starts, and the document's metadata.

pypdf gives one line break per printed line and none more between paragraphs, so the reader lays
the text out in paragraphs (``layout``). A page that is a picture of text (a scan, a fax, a
photographed letter: ``is_scan``) is rendered and recognised by OCR (``ocr``), and the document
says which pages were.
"""

from __future__ import annotations

import io
import logging
import zlib
from typing import TYPE_CHECKING

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from .errors import SkipFile
from .extracted import Extracted, OcrPage, from_mapping, split_keywords
from .layout import joined_pages, laid_out_page
from .rasters import pdf_page_image

if TYPE_CHECKING:
    from .ocr_cache import Recogniser

# A page with fewer characters than this per square inch of its area (47 on a Letter page) that
# draws an image is a scan: its picture is recognised. A page of printed text holds 20 to 40.
SCAN_CHARS_PER_SQUARE_INCH = 0.5
# How deep a page's drawn forms are searched for an image.
_FORM_DEPTH = 3

# What pypdf raises on a damaged or unusual file (an unknown filter, a broken stream).
_UNREADABLE = (
    PdfReadError,
    PyPdfError,
    NotImplementedError,
    zlib.error,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    OSError,
    RecursionError,
)


def read_pdf(data: bytes, recogniser: Recogniser | None = None) -> Extracted:
    """Return the text of every page, laid out in paragraphs (``laid_out_page``) and joined where a
    paragraph runs on, and metadata with the offset where each page starts. A page that is a scan
    (``is_scan``) is read by ``recogniser`` (OCR); without one, or when OCR cannot run, it has no
    text and a warning says so."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SkipFile("encrypted PDF: it needs a password to read")
        texts = [(page.extract_text() or "").strip() for page in reader.pages]
        scans = [number for number, page in enumerate(reader.pages) if is_scan(texts[number], page)]
        info = reader.metadata or {}
    except SkipFile:
        raise
    except (
        PdfReadError,
        PyPdfError,
        NotImplementedError,
        zlib.error,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
        RecursionError,
    ) as error:
        raise SkipFile(f"unreadable PDF: {error}") from None
    ocr, warnings = [], []
    for number in scans:
        if recogniser is None:
            continue
        page = recogniser.page(number + 1, lambda number=number: pdf_page_image(data, number, recogniser.settings.dpi))
        if page.failed:
            warnings.append(f"page {number + 1} is a scan: {page.failed}")
            continue
        # The text layer of a scan is a stamp (a page number, a court's seal) or nothing.
        if len(page.text) > len(texts[number]):
            texts[number] = page.text
            ocr.append(OcrPage(number + 1, page.confidence))
    # A PDF without text (a scan) is still a document when it has a title: ``load`` decides.
    text, pages = joined_pages([laid_out_page(page) for page in texts])
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
    extracted = from_mapping(text, meta, pages=pages, file_date=str(made) if made else None)
    extracted.ocr, extracted.warnings = ocr, warnings
    return extracted


def is_scan(text: str, page) -> bool:
    """True when a page is a picture of text: it draws an image, and its text layer holds fewer
    than ``SCAN_CHARS_PER_SQUARE_INCH`` characters for its area."""
    box = page.mediabox
    square_inches = abs(float(box.width) * float(box.height)) / (72 * 72)
    characters = sum(1 for char in text if not char.isspace())
    return characters < SCAN_CHARS_PER_SQUARE_INCH * square_inches and _draws_image(page.get("/Resources"), 0)


def _draws_image(resources, depth: int) -> bool:
    """True when the page (or a form it draws, ``_FORM_DEPTH`` deep) holds an image."""
    if resources is None or depth > _FORM_DEPTH:
        return False
    resources = resources.get_object()
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    if xobjects is None:
        return False
    for reference in xobjects.get_object().values():
        drawn = reference.get_object()
        subtype = drawn.get("/Subtype")
        if subtype == "/Image":
            return True
        if subtype == "/Form" and _draws_image(drawn.get("/Resources"), depth + 1):
            return True
    return False
