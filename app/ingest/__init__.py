"""Files of the archive -> ``Document``: text, title and metadata, whatever the file's format.

``discover`` finds the files under the documents directory; ``load`` reads one of them or raises
``SkipFile`` with the reason. This package knows nothing of the index or the web.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from dateutil import parser as date_parser

from .encoding import UndecodableError, decode
from .errors import SkipFile
from .extracted import Extracted
from .language import Language, label
from .markdown import read_markdown
from .text import read_text, title_from_text

__all__ = ["FORMATS", "Candidate", "Document", "Language", "SkipFile", "discover", "document_id", "load"]

# Extension -> format name.
FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".pdf": "pdf"}
_SURROGATE = re.compile("[\ud800-\udfff]")
_TEXT_READERS = {"text": read_text, "markdown": read_markdown}


@dataclass
class Document:
    """One document of the archive, as indexed and shown."""

    id: str
    path: str
    title: str
    text: str
    format: str
    size: int
    hash: str
    languages: list[Language] = field(default_factory=list)
    date: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    url: str | None = None
    description: str | None = None
    pages: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Candidate(NamedTuple):
    """A file found under the documents directory (with its size and modification time, which
    tell an incremental build it has not changed), or a reason it was passed over."""

    path: str
    relative: str
    skip_reason: str | None = None
    size: int = 0
    mtime_ns: int = 0


def document_id(relative: str) -> str:
    """The id of the file at ``relative`` (a POSIX path): the path without its extension."""
    stem, dot, _ = relative.rpartition(".")
    return stem if dot and "/" not in relative[len(stem) :] else relative


_name = attrgetter("name")


def discover(root: Path) -> Iterator[Candidate]:
    """Yield every file under ``root`` in a stable order, with hidden files left out.

    Symbolic links are followed only when they lead to a file inside ``root``; links to folders
    are not walked (what they lead to inside ``root`` is walked anyway).
    """
    root = root.resolve()
    prefix = len(str(root)) + 1
    pending = [str(root)]
    while pending:
        directory = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=_name)
        except OSError:
            continue
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            relative = entry.path[prefix:]
            if os.sep != "/":
                relative = relative.replace(os.sep, "/")
            if entry.is_symlink():
                target = Path(entry.path).resolve()
                if not target.is_relative_to(root):
                    reason = "symbolic link to outside the documents directory: not followed"
                    yield Candidate(entry.path, relative, reason)
                elif target.is_file():
                    stat = target.stat()
                    yield Candidate(entry.path, relative, None, stat.st_size, stat.st_mtime_ns)
                elif not target.is_dir():
                    yield Candidate(entry.path, relative, "symbolic link to something that is not a file")
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                stat = entry.stat(follow_symlinks=False)
                yield Candidate(entry.path, relative, None, stat.st_size, stat.st_mtime_ns)
        pending += reversed(folders)


def _decoded(data: bytes, declared: str | None = None) -> str:
    """The text of ``data`` with its line ends made ``\\n``; SkipFile when it cannot be decoded."""
    try:
        text, _encoding = decode(data, declared)
    except UndecodableError as error:
        raise SkipFile(str(error)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load(path: Path | str, relative: str, max_bytes: int) -> Document:
    """Read the file at ``path`` into a ``Document``, or raise ``SkipFile`` saying why not."""
    suffix = os.path.splitext(path)[1]
    kind = FORMATS.get(suffix.lower())
    if kind is None:
        raise SkipFile(f"unsupported file type ({suffix or 'no extension'})")
    data = read_bytes(path, max_bytes)
    if not data.strip():
        raise SkipFile("empty file")
    # The HTML and PDF parsers are imported when a file of theirs is first read: importing them
    # takes a quarter of a second, which an update of a few Markdown files need not wait for.
    if kind == "pdf":
        from .pdf import read_pdf

        extracted = read_pdf(data)
    elif kind == "html":
        from .html import declared_encoding, read_html

        extracted = read_html(_decoded(data, declared_encoding(data)))
    else:
        extracted = _TEXT_READERS[kind](_decoded(data))
    warnings = list(extracted.warnings)
    text = _storable(extracted.text)
    if not text.strip():
        raise SkipFile("no text in the file")
    document = Document(
        id=document_id(relative),
        path=relative,
        title="",
        text=text,
        format=kind,
        size=len(data),
        hash=content_hash(data),
        pages=extracted.pages,
    )
    _apply_metadata(document, extracted, warnings)
    document.warnings = warnings
    return document


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


def content_hash(data: bytes) -> str:
    """The hash that tells whether a file changed since it was indexed."""
    return hashlib.sha256(data).hexdigest()


def _apply_metadata(document: Document, found: Extracted, warnings: list[str]) -> None:
    """Normalise what the file says of itself into the document's fields."""
    title = _text(found.title)
    source = found.title_source if found.title_source is not None else document.text
    document.title = title or title_from_text(source) or document.id
    document.author = _names(found.author)
    document.tags = _tags(found.tags)
    document.url = _text(found.url) or None
    document.description = _text(found.description) or None
    if found.date is not None:
        document.date = _iso_date(found.date)
        if document.date is None:
            warnings.append(f"date {str(found.date)[:40]!r} is not a date; left out")
    document.languages = label(document.text, _text(found.language) or None)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_text(item) for item in value).strip()
    return _storable(" ".join(str(value).split()))


def _storable(text: str) -> str:
    """``text`` with halves of characters (a PDF can yield them) replaced, so it encodes."""
    return text.encode("utf-8", "replace").decode("utf-8") if _SURROGATE.search(text) else text


def _names(value: object) -> str | None:
    if isinstance(value, list):
        value = "; ".join(_text(item) for item in value if _text(item))
    return _text(value) or None


def _tags(value: object) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        return [_text(value)] if _text(value) else []
    tags: list[str] = []
    for item in value:
        tag = _text(item)
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _iso_date(value: object) -> str | None:
    """Any date the metadata gives, in ISO 8601; None when it is not a date."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _text(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        parsed = date_parser.parse(text, default=dt.datetime(1, 1, 1))
    except (ValueError, OverflowError):
        return None
    if parsed.year == 1:
        return None
    if (parsed.hour, parsed.minute, parsed.second) == (0, 0, 0) and parsed.tzinfo is None:
        return parsed.date().isoformat()
    return parsed.isoformat()
