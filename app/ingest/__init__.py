"""Files of the archive -> ``Document``: text, title and metadata, whatever the file's format.

``discover`` (``discovery``) finds the files under the documents directory; ``load`` reads one
of them (and its sidecar, ``<file>.meta.yaml``, ``.meta.yml`` or ``.meta.json``) or raises
``SkipFile`` (``errors``) with the reason. This package knows nothing of the index or the web.

- readers, one per format, each returning an ``Extracted`` (``extracted``): ``text``,
  ``markdown``, ``html``, ``pdf`` (pages laid out in paragraphs by ``layout``), ``word``
  (.docx), ``opendocument`` (.odt), ``package`` (their ZIP packages, opened safely), ``images``
- OCR of scans and images: ``rasters`` (page images, within bounds), ``ocr`` (Tesseract),
  ``ocr_cache`` (recognised pages kept by file hash, and the ``Recogniser`` a reader asks)
- metadata: ``sidecar``, ``yamlmeta`` (YAML read key by key when it is broken), ``metadata``
  (normalised, the sidecar first), ``dates`` (at their own precision)
- ``encoding``: bytes to text in whatever encoding they are; ``language``: language labels;
  ``script``: how much of a text is in each Chinese script
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .dates import date_in_name
from .discovery import Candidate, discover, document_id
from .encoding import UndecodableError, decode
from .errors import SkipFile
from .extracted import Extracted, OcrPage
from .language import Language
from .markdown import read_markdown
from .metadata import normalise, stated_title, storable
from .ocr import OcrSettings
from .ocr_cache import Recogniser
from .sidecar import SIDECAR_SUFFIXES, Sidecar, find_sidecar, read_sidecar
from .text import read_text

__all__ = [
    "FORMATS",
    "PICTURED_FORMATS",
    "SIDECAR_SUFFIXES",
    "Candidate",
    "Document",
    "Language",
    "OcrPage",
    "OcrSettings",
    "Recognised",
    "SkipFile",
    "discover",
    "document_id",
    "file_format",
    "file_hash",
    "load",
]

# Extension -> format name.
FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".odt": "odt",
    # Images of text, read by OCR.
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
    ".webp": "image",
    ".gif": "image",
}
# The formats whose pages are pictures (and may be pictures of text, recognised by OCR).
PICTURED_FORMATS = ("pdf", "image")
_TEXT_READERS = {"text": read_text, "markdown": read_markdown}
# What a document with a title but no text of its own (a scan, an image-only page) is indexed with.
TITLE_ONLY = "no text in the file; indexed by its title and details"
# Why a file with neither text nor a title is passed over, by format.
_NO_TEXT = {"pdf": "PDF has no extractable text (a scan?) and no title: nothing to search"}
_NO_TEXT_NOR_TITLE = "no text in the file, and no title (a sidecar can give one)"


@dataclass(frozen=True)
class Recognised:
    """How many pages of a file OCR recognised as it was read, and how many it took from the
    cache of pages recognised before."""

    now: int = 0
    from_cache: int = 0


@dataclass
class Document:
    """One document of the archive, as indexed and shown.

    ``date`` is ISO 8601 at the precision the source gives: ``"2018"`` (a year), ``"2018-06"``
    (a month) or ``"2018-06-30"`` (a day), never a time of day; None when undated. A date the
    document states (front matter, sidecar, a page's metadata) is preferred to the day its file
    was made (a PDF's or a Word document's creation time), and the date in its file name
    (``2021-06-04 statement.txt``) comes between the two. ``hash`` is the SHA-256 of the
    file's bytes, as ``sha256sum`` gives it; ``fingerprint`` covers the file and its sidecar,
    and tells whether either changed since the document was indexed. A document with a title
    but no text (an image-only PDF titled in its properties) has blank ``text``. ``ocr`` lists
    the pages whose text OCR recognised (an image's pages, a PDF's scanned pages).
    """

    id: str
    path: str
    title: str
    text: str
    format: str
    size: int
    hash: str
    fingerprint: str
    languages: list[Language] = field(default_factory=list)
    date: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    url: str | None = None
    description: str | None = None
    pages: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ocr: list[OcrPage] = field(default_factory=list)
    ocr_pages: Recognised = field(default_factory=Recognised)


def _decoded(data: bytes, declared: str | None = None) -> str:
    """The text of ``data`` with its line ends made ``\\n``; SkipFile when it cannot be decoded."""
    try:
        text, _encoding = decode(data, declared)
    except UndecodableError as error:
        raise SkipFile(str(error)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def file_format(path: Path | str) -> str:
    """The format of the file at ``path``, by its extension (see ``FORMATS``); ``SkipFile``
    when the archive does not read files of its type."""
    suffix = os.path.splitext(path)[1]
    kind = FORMATS.get(suffix.lower())
    if kind is None:
        raise SkipFile(f"unsupported file type ({suffix or 'no extension'})")
    return kind


def load(path: Path | str, relative: str, max_bytes: int, ocr: OcrSettings | None = None) -> Document:
    """Read the file at ``path`` into a ``Document``, or raise ``SkipFile`` saying why not.
    Scans and images are recognised with ``ocr`` (None: they are not, and an image is skipped)."""
    kind = file_format(path)
    data = read_bytes(path, max_bytes)
    if not data.strip():
        raise SkipFile("empty file")
    digest = hashlib.sha256(data)  # once: the file's hash, and the start of its fingerprint
    sidecar = read_sidecar(str(path), relative)
    recogniser = None
    if ocr is not None and kind in PICTURED_FORMATS:
        recogniser = Recogniser(ocr, digest.hexdigest(), sidecar.ocr_languages)
    extracted = _extract(kind, data, recogniser)
    if recogniser is not None:
        recogniser.close()
    warnings = list(extracted.warnings)
    text = storable(extracted.text)
    if not text.strip():
        # A title found in the archive's search is worth more than a file it never shows.
        if not stated_title(extracted, sidecar.metadata):
            raise SkipFile(_no_text(kind, recogniser, warnings))
        warnings.append(TITLE_ONLY)
    warnings += sidecar.warnings
    doc_id = document_id(relative)
    name_date = date_in_name(PurePosixPath(relative).name)
    found = normalise(text, extracted, sidecar.metadata, doc_id, warnings, name_date)
    return Document(
        id=doc_id,
        path=relative,
        title=found.title,
        text=text,
        format=kind,
        size=len(data),
        hash=digest.hexdigest(),
        fingerprint=_with_sidecar(digest, sidecar),
        languages=found.languages,
        date=found.date,
        author=found.author,
        tags=found.tags,
        url=found.url,
        description=found.description,
        pages=extracted.pages,
        warnings=warnings,
        ocr=extracted.ocr,
        ocr_pages=Recognised(recogniser.recognised, recogniser.from_cache) if recogniser else Recognised(),
    )


def _no_text(kind: str, recogniser: Recogniser | None, warnings: list[str]) -> str:
    """Why a file with neither text nor a title is passed over (with why OCR read none of it,
    when it could not)."""
    if recogniser is not None and warnings:
        return f"no text recognised ({'; '.join(warnings)}), and no title"
    if kind == "image":
        return "no text recognised in the image, and no title (a sidecar can give one)"
    return _NO_TEXT.get(kind, _NO_TEXT_NOR_TITLE)


def _extract(kind: str, data: bytes, recogniser: Recogniser | None = None) -> Extracted:
    """The reader of ``kind`` applied to the file's bytes."""
    # The parsers of HTML, PDF and office files are imported when a file of theirs is first
    # read: importing them takes a quarter of a second, which an update of a few Markdown files
    # need not wait for.
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, recogniser)
    if kind == "image":
        from .images import read_image

        return read_image(data, recogniser)
    if kind == "docx":
        from .word import read_docx

        return read_docx(data)
    if kind == "odt":
        from .opendocument import read_odt

        return read_odt(data)
    if kind == "html":
        from .html import declared_encoding, read_html

        return read_html(_decoded(data, declared_encoding(data)))
    return _TEXT_READERS[kind](_decoded(data))


def read_bytes(path: Path | str, max_bytes: int) -> bytes:
    """The file's bytes, or ``SkipFile`` when it is too large or cannot be opened."""
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise SkipFile(f"file too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)")
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as error:
        raise SkipFile(f"cannot be opened: {error.strerror or error}") from None


def content_hash(data: bytes, sidecar: Sidecar | None = None) -> str:
    """The fingerprint that tells whether a file (with the sidecar read with it, if any)
    changed since it was indexed; a file without a sidecar hashes as its bytes alone."""
    return _with_sidecar(hashlib.sha256(data), sidecar or Sidecar())


def _with_sidecar(file_digest, sidecar: Sidecar) -> str:
    """The fingerprint from the file's own SHA-256 (left as it is) and its sidecar: which one
    was read and its bytes, and which others were passed over."""
    digest = file_digest.copy()
    for part in sidecar.fingerprint_parts():
        digest.update(part)
    return digest.hexdigest()


def file_hash(path: Path | str, max_bytes: int) -> str:
    """``content_hash`` of the file at ``path`` and its sidecar, read from disk (``SkipFile``
    when the file cannot be read): what ``load`` would give as ``Document.fingerprint``."""
    return content_hash(read_bytes(path, max_bytes), find_sidecar(str(path)))
