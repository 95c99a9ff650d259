"""The original file of a document: exactly the bytes that were indexed, from inside the
documents folder and nowhere else.

The folder is the DOCUMENTS setting when it is given (``serve --documents``, ARCHIVE_DOCUMENTS),
else the folder the live index was built from, as its manifest records it (an index whose
manifest does not record it falls back to DOCUMENTS' default); when that is not a folder here,
no original is offered.

A file is served only when its path, with every symbolic link resolved, lies inside the folder
(else 404, as if it were not there), and only while its bytes are still those the index holds
(their SHA-256 is the record's ``hash``; else 409: the file changed since it was indexed). It
is sent as an attachment, sandboxed, under its own name, with its media type and, for text,
the encoding the archive read it in.

A page's image (a PDF's page, an image file's frame) is rendered from the same file, read and
checked the same way, at a screen's resolution and bounded in size; a worker keeps the last it
rendered (``page_cache``), by document, hash and page, so a page is rendered once while its file
stays the same.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import stat
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from flask import Response, request

from .. import config as settings_table
from ..index.readers import LiveIndex
from ..ingest import PICTURED_FORMATS, Limits, file_format, member_bytes
from ..ingest.encoding import UndecodableError, decode
from ..ingest.errors import SkipFile
from ..ingest.rasters import frame, frame_count, open_image, pdf_page_image, png
from ..service.cache import CacheLimits, ResultCache
from .errors import ApiError

# Python's own table of media types (the system's differs between machines), with those of the
# formats the archive reads that it lacks.
_MEDIA_TYPES = mimetypes.MimeTypes()
_MEDIA_TYPES.add_type("text/markdown", ".md")
_MEDIA_TYPES.add_type("text/markdown", ".markdown")
_MEDIA_TYPES.add_type("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
_MEDIA_TYPES.add_type("application/vnd.oasis.opendocument.text", ".odt")
for _type, _suffix in (
    ("text/tab-separated-values", ".tsv"),
    ("application/vnd.oasis.opendocument.spreadsheet", ".ods"),
    ("application/vnd.oasis.opendocument.presentation", ".odp"),
    ("application/rtf", ".rtf"),
    ("application/epub+zip", ".epub"),
    ("message/rfc822", ".eml"),
    ("application/mbox", ".mbox"),
    ("application/vnd.ms-outlook", ".msg"),
    ("application/warc", ".warc"),
    ("application/wacz", ".wacz"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
):
    _MEDIA_TYPES.add_type(_type, _suffix)
UNKNOWN_TYPE = "application/octet-stream"
# Python's names of the encodings the archive reads text in, and the names the web gives them.
_CHARSETS = {
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8",
    "utf-16": "utf-16",
    "utf-32": "utf-32",
    "big5hkscs": "Big5-HKSCS",
    "gb18030": "GB18030",
    "cp1252": "windows-1252",
}
# The file is data to save, never a page of this site: nothing in it may run or load.
SANDBOX_POLICY = "sandbox; default-src 'none'"
_UNSAFE_IN_QUOTES = re.compile(r'[^\x20-\x7e]|["\\%]')
# A page's image as a screen shows it: a PDF page at this resolution (an A4 page is 910 × 1286
# pixels), any page at most this many pixels on its longer side.
PAGE_DPI = 110
PAGE_MAX_SIDE = 1600
# The rendered pages a worker keeps (an A4 page of text is some 100 to 300 kB as PNG).
PAGE_CACHE = CacheLimits(entries=500, megabytes=64)


@dataclass(frozen=True)
class Original:
    """A document's original file, read and checked: its name, bytes and media type."""

    name: str
    data: bytes
    content_type: str
    sha256: str


def indexed_record(live: LiveIndex, doc_id: str) -> dict | None:
    """The stored record (path, size, hash...) of the document ``doc_id``, None if there is none."""
    with live.use() as generation:
        key = generation.key_of(doc_id)
        return None if key is None else generation.record(key)


def originals_folder(live: LiveIndex, settings: Mapping[str, Any]) -> Path | None:
    """The folder the originals are read from (see above); None when it is not a folder here."""
    folder = Path(settings["DOCUMENTS"])
    if settings.get("DOCUMENTS_FROM_INDEX"):
        with live.use() as generation:
            folder = generation.documents_dir or folder
    return folder if folder.is_dir() else None


def documents_from_index(config: Mapping[str, Any] | None) -> bool:
    """True when ``config`` (what ``create_app`` is given) leaves DOCUMENTS to the environment,
    and the environment to its default: the originals are then those of the index's folder."""
    return not settings_table.given("DOCUMENTS", config)


def has_original(folder: Path | None, record: dict) -> bool:
    """True when the record's file is in ``folder`` (whether it changed is for the download to say)."""
    try:
        return folder is not None and _original_path(folder, record).is_file()
    except ApiError:
        return False


def _original_path(documents: Path, record: dict) -> Path:
    """Where the record's file lies, every link resolved; ``ApiError`` 404 when it is not there
    or leads outside the folder ``documents``."""
    folder = documents.resolve()
    try:
        path = (folder / record["path"]).resolve(strict=True)
    except (OSError, RuntimeError, KeyError):
        raise ApiError(404, key="original_missing") from None
    if not path.is_relative_to(folder) or path == folder:
        raise ApiError(404, key="original_missing")
    return path


def read_original(documents: Path | None, record: dict, limits: Limits | None = None) -> Original:
    """The file the record was indexed from, under the folder ``documents``, or, for a document
    found in a file (an attachment, a member of a zip), its own bytes taken from that file
    (read within ``limits``); ``ApiError`` 404 when there is no folder, the file is not there
    (or leads outside the folder), 409 when its bytes have changed."""
    if documents is None:
        raise ApiError(404, key="original_missing")
    path = _original_path(documents, record)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        raise ApiError(404, key="original_missing") from None
    with os.fdopen(descriptor, "rb") as handle:
        facts = os.fstat(handle.fileno())
        if not stat.S_ISREG(facts.st_mode):
            raise ApiError(404, key="original_missing")
        within = record.get("within") or {}
        if facts.st_size != within.get("size", record.get("size")):
            raise ApiError(409, key="original_changed")
        # Read whole (its size is bounded by what the index accepts), so that the bytes sent are
        # the bytes checked.
        data = handle.read(facts.st_size + 1)
    digest = hashlib.sha256(data).hexdigest()
    if digest != within.get("hash", record.get("hash")):
        raise ApiError(409, key="original_changed")
    if within:
        return _member(data, record, limits or Limits())
    name = PurePosixPath(record["path"]).name
    return Original(name, data, media_type(name, data), digest)


def _member(data: bytes, record: dict, limits: Limits) -> Original:
    """The bytes of the document ``record`` within its file ``data`` (checked as the indexed
    file already), found again by its steps and checked against its own hash."""
    try:
        member = member_bytes(data, file_format(record["path"]), tuple(record["within"]["steps"]), limits)
    except SkipFile:
        raise ApiError(404, key="original_missing") from None
    digest = hashlib.sha256(member.data).hexdigest()
    if digest != record.get("hash"):
        raise ApiError(409, key="original_changed")
    name = record.get("name") or PurePosixPath(record["path"]).name
    content_type = media_type(name, member.data)
    if content_type == UNKNOWN_TYPE and member.media_type:
        content_type = member.media_type
    return Original(name, member.data, content_type, digest)


def media_type(name: str, data: bytes) -> str:
    """The Content-Type of a file called ``name`` holding ``data``: by its extension, with the
    charset of text when the bytes read as text in one; octet-stream when the type is unknown."""
    found, compressed = _MEDIA_TYPES.guess_type(name, strict=False)
    if compressed == "gzip":  # a .tar.gz or .warc.gz is, as bytes, gzip
        return "application/gzip"
    if found is None:
        return UNKNOWN_TYPE
    if not found.startswith("text/"):
        return found
    charset = text_charset(data, html=found == "text/html")
    return f"{found}; charset={charset}" if charset else found


def text_charset(data: bytes, html: bool = False) -> str | None:
    """The encoding the archive reads ``data`` in (as the indexer did), by its web name; None
    when the bytes are not text it can read or the encoding has no name here."""
    declared = None
    if html:
        from ..ingest.html import declared_encoding  # the HTML parser loads only when needed

        declared = declared_encoding(data)
    try:
        _text, encoding = decode(data, declared)
    except UndecodableError:
        return None
    return _CHARSETS.get(encoding.lower())


def content_disposition(name: str) -> str:
    """``attachment`` under ``name``: plain when it is printable ASCII, else with an ASCII
    stand-in and the name itself in UTF-8 (RFC 6266 and RFC 5987)."""
    if not _UNSAFE_IN_QUOTES.search(name):
        return f'attachment; filename="{name}"'
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = _UNSAFE_IN_QUOTES.sub("_", fallback)
    stem, dot, suffix = fallback.rpartition(".")
    if not (stem if dot else fallback).strip("._ "):
        fallback = f"original.{suffix}" if dot and suffix else "original"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def original_response(original: Original) -> Response:
    """The file as a download: its bytes, type and name, revalidated by its hash (ETag)."""
    response = Response(original.data, direct_passthrough=False)
    response.headers["Content-Type"] = original.content_type
    response.headers["Content-Disposition"] = content_disposition(original.name)
    response.headers["Content-Security-Policy"] = SANDBOX_POLICY
    response.headers["Cache-Control"] = "no-cache"
    response.set_etag(original.sha256)
    return response.make_conditional(request, accept_ranges=True)


def page_cache() -> ResultCache:
    """An empty cache of rendered page images, bounded in bytes (one per app)."""
    return ResultCache(PAGE_CACHE)


def has_page_image(record: dict, page: int) -> bool:
    """True when the record's document has a page ``page`` (from 1) with an image: a page of a
    PDF or of an image file."""
    return record.get("format") in PICTURED_FORMATS and 1 <= page <= len(record.get("pages") or [])


def page_png(original: Original, record: dict, page: int, cache: ResultCache) -> bytes:
    """Page ``page`` of the checked ``original`` (the record's file) as PNG, from ``cache`` or
    rendered and kept there; ``ApiError`` 404 when it cannot be rendered."""
    key = (record["id"], original.sha256, page)
    found = cache.get(key)
    if found is None:
        found = _rendered(original.data, record["format"], page)
        cache.put(key, found, len(found))
    return found


def _rendered(data: bytes, kind: str, page: int) -> bytes:
    """Page ``page`` of the file ``data`` of format ``kind`` as PNG, at most ``PAGE_MAX_SIDE``."""
    try:
        if kind == "pdf":
            image = pdf_page_image(data, page - 1, PAGE_DPI)
        else:
            opened = open_image(data)
            if page > frame_count(opened):
                raise ApiError(404, key="not_found")
            image = frame(opened, page - 1)
        return png(image, PAGE_MAX_SIDE)
    except SkipFile:
        raise ApiError(404, key="not_found") from None


def page_image_response(data: bytes, original: Original, page: int) -> Response:
    """A page's image, revalidated by its file's hash, its page and how it was rendered (ETag):
    the file may change, and the image with it."""
    response = Response(data, mimetype="image/png")
    response.headers["Cache-Control"] = "no-cache"
    response.set_etag(f"{original.sha256}-{page}-{PAGE_DPI}-{PAGE_MAX_SIDE}")
    return response.make_conditional(request)
