"""The records of one WARC, read in order: the documents captured, and where reading stopped.

A ``response`` record of HTTP status 200 whose payload is a page (HTML, XHTML) or a file the
archive reads (PDF, Word, text...) is a capture. Images, scripts, styles, redirects, errors,
revisits, requests and metadata are no documents and are passed over without a word. A record
cut short, or one that does not parse, ends the reading, saying where.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader

from . import FORMATS
from .warcstream import RATIO_FLOOR, Budget, Limit, Unpacked, mb

# Media type -> the format its payload is read as. Images are left out on purpose: on a news
# site they are photos and logos, not documents; containers (zip, mail) too.
_KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/rtf": "rtf",
    "text/rtf": "rtf",
    "application/epub+zip": "epub",
}

# The media type a format is served as, when only the URL's extension told it.
_MEDIA_TYPES = {kind: media for media, kind in reversed(_KINDS.items())}

# What servers call a file they do not name: then the URL's extension tells the format.
_GENERIC_TYPES = frozenset(
    ["", "application/octet-stream", "binary/octet-stream", "application/x-download", "application/force-download"]
)

# Each format's usual extension (the first FORMATS lists for it).
_EXTENSIONS = {kind: suffix for suffix, kind in reversed(FORMATS.items())}

# Extensions of pages a server builds, which the saved page's name should not keep.
_SERVER_PAGES = frozenset([".php", ".php3", ".asp", ".aspx", ".jsp", ".jspx", ".cgi", ".shtml", ".phtml", ".do"])

_NAME_CHARS = 120

_UNSAFE_NAME_CHARS = frozenset('/\\:*?"<>|')

_PAYLOAD_BLOCK = 1 << 20


@dataclass(frozen=True)
class Capture:
    """A captured document: where it was, when, and what it is."""

    url: str
    captured: str | None
    media_type: str
    kind: str


@dataclass
class Record:
    """A record the reader stops at: a capture (with its payload once read, or why it is
    refused), or, with no capture, where reading the archive stopped and why."""

    number: int
    capture: Capture | None = None
    payload: bytes = b""
    reason: str | None = None
    # A stop past a limit ends the whole reading (every WARC of a WACZ), damage only its WARC.
    limit: bool = False


def walk(source: Callable[[], BinaryIO], budget: Budget, payloads: bool) -> Iterator[Record]:
    """The captured documents of the WARC ``source`` opens, in order, then (when it stops
    early) a record without a capture saying why. Non-documents are passed over."""
    stream = Unpacked(source, budget)
    records = ArchiveIterator(stream)
    number = 0
    while True:
        number += 1
        start = records.offset
        try:
            record = next(records, None)
            if record is None:
                break
            budget.record()
            _check_length(record)
            found = _read_record(number, record, budget, payloads)
            records.read_to_end()
        except Limit as limit:
            yield Record(number, reason=f"{limit}: record {number} and those after it are not read", limit=True)
            return
        # The archive is hostile input and warcio's parsers raise whatever they meet.
        except Exception as error:
            yield Record(number, reason=_broken(number, start, stream, error))
            return
        missing = _missing(record)
        if missing:
            yield Record(number, reason=_cut_short(number, start, stream, missing))
            return
        if found is not None:
            yield found
    # warcio ends quietly where a record's headers break off: bytes left after the last whole
    # record are one.
    if stream.damage or stream.produced > records.offset:
        yield Record(number, reason=_broken(number, start, stream, None))
    elif number == 1:
        yield Record(number, reason="not a web archive: it holds no record")


def _check_length(record) -> None:
    """``ValueError`` when the record does not say how long it is: where it ends, and so where
    the next record begins, is not known."""
    length = (record.rec_headers.get_header("Content-Length") or "").strip()
    if not length.isdigit():
        raise ValueError(f"its Content-Length is {length!r}, not a number of bytes")


def _read_record(number: int, record, budget: Budget, payloads: bool) -> Record | None:
    """Record ``number`` as a capture (its payload read when ``payloads``), or None when it is
    no document."""
    capture = _capture(record)
    if capture is None:
        return None
    if not payloads:
        return Record(number, capture)
    payload, reason = _payload(record, budget)
    return Record(number, capture, payload, reason)


def _capture(record) -> Capture | None:
    """What a record captured, when it is a document the archive reads (a page of status 200,
    a PDF...); None otherwise."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    if not url.startswith(("http://", "https://")) or record.http_headers.get_statuscode() != "200":
        return None
    if record.payload_length == 0:
        return None
    declared = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    kind = _KINDS.get(declared)
    media_type = declared
    if kind is None and declared in _GENERIC_TYPES:
        kind = _kind_by_extension(url)
        media_type = _MEDIA_TYPES.get(kind or "", declared)
    if kind is None:
        return None
    return Capture(url, record.rec_headers.get_header("WARC-Date"), media_type, kind)


def _kind_by_extension(url: str) -> str | None:
    """The format a URL's extension names, when it is one a capture may be."""
    suffix = os.path.splitext(urlsplit(url).path)[1].lower()
    kind = FORMATS.get(suffix)
    return kind if kind in _MEDIA_TYPES else None


def _payload(record, budget: Budget) -> tuple[bytes, str | None]:
    """The record's payload, its transfer and content encodings undone, or why it is refused
    (too large, or a compression bomb)."""
    limits = budget.limits
    content = record.content_stream()
    blocks: list[bytes] = []
    size = charged = 0
    while block := content.read(_PAYLOAD_BLOCK):
        size += len(block)
        if size <= limits.max_member_bytes:
            blocks.append(block)
        raw = max(record.raw_stream.tell(), 1)
        # The WARC's bytes are counted as they are unpacked; a content encoding adds the rest.
        budget.spend(max(size - raw - charged, 0))
        charged = max(charged, size - raw)
        if size > RATIO_FLOOR and size > limits.max_ratio * raw:
            ratio = limits.max_ratio
            return b"", f"the capture unpacks to more than {ratio} times its size (the limit; a compression bomb?)"
    if size > limits.max_member_bytes:
        return b"", f"capture too large ({mb(size)}; the limit is {mb(limits.max_member_bytes)})"
    return b"".join(blocks), None


def _missing(record) -> int:
    """How many bytes of the record its archive lacks (0: it is whole)."""
    stream = record.raw_stream
    return stream.limit if isinstance(stream, LimitReader) else 0


def _broken(number: int, start: int, stream: Unpacked, error: Exception | None) -> str:
    """Why reading stopped at record ``number``: it could not be parsed (``error``), or the
    compressed data broke off before it."""
    detail = stream.damage or _short(error)
    if not stream.damage and stream.ended and not isinstance(error, ArchiveLoadFailed):
        # warcio fails in many ways on headers that stop midway.
        detail = "the file ends inside a record's headers"
    if number > 1:
        where = f"record {number} (byte {start} unpacked)"
        return f"the web archive breaks at {where}: {detail}; the records before it are kept"
    if stream.head.startswith(b"WARC/"):
        return f"the web archive breaks in its first record: {detail}"
    if stream.damage:
        return f"not a web archive: {detail}"
    head = stream.head.split(b"\n", 1)[0][:60].decode("utf-8", "replace").strip()
    return f"not a web archive: it does not begin with a WARC record ({head!r})"


def _cut_short(number: int, start: int, stream: Unpacked, missing: int) -> str:
    """Why reading stopped at record ``number``, which the archive ends inside."""
    detail = f"; {stream.damage}" if stream.damage else ""
    return (
        f"the web archive is cut short in record {number} (byte {start} unpacked): "
        f"its last {missing} bytes are missing{detail}; the records before it are kept"
    )


def _short(error: Exception | None) -> str:
    """An error's message on one short line."""
    message = " ".join(str(error or "").split()) or type(error).__name__
    return message[:200]


def file_name(url: str, kind: str) -> str:
    """A file name for a capture: the URL's last path segment (``index`` for a folder), made
    safe, with the extension of its format."""
    segment = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    segment = "".join(char for char in segment if char.isprintable() and char not in _UNSAFE_NAME_CHARS)
    segment = segment.strip(" .")
    stem, suffix = os.path.splitext(segment)
    extension = _EXTENSIONS[kind]
    if FORMATS.get(suffix.lower()) == kind:
        stem, extension = stem, suffix
    elif suffix.lower() in _SERVER_PAGES:
        segment = stem
    else:
        stem = segment
    return (stem.strip(" .")[:_NAME_CHARS] or "index") + extension
