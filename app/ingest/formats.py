"""The formats the archive reads: each by its file name's ending, and the reader of each,
imported when a file of its format is first read."""

from __future__ import annotations

import importlib
import os
import posixpath
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from .encoding import UndecodableError, decode
from .errors import SkipFile
from .extracted import Extracted
from .markdown import read_markdown
from .members import Limits, Member, find
from .ocr_cache import Recogniser
from .text import read_text

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
    # Tables: a row a line, its cells apart.
    ".csv": "csv",
    ".tsv": "tsv",
    ".xlsx": "xlsx",
    ".ods": "ods",
    # Slides, rich text and e-books.
    ".pptx": "pptx",
    ".odp": "odp",
    ".rtf": "rtf",
    ".epub": "epub",
    # Containers: each document they hold is a document of its own (``members``).
    ".eml": "eml",
    ".mbox": "mbox",
    ".msg": "msg",
    ".zip": "zip",
    ".tar": "tar",
    ".tar.gz": "tar",
    ".tgz": "tar",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".wacz": "wacz",
}
# Readers of the formats above that take the reading's limits: format -> (module, function),
# imported when a file of theirs is first read. Documents: ``read(data, limits) -> Extracted``.
_LIMITED_READERS = {
    "csv": ("tables", "read_csv"),
    "tsv": ("tables", "read_tsv"),
    "xlsx": ("tables", "read_xlsx"),
    "ods": ("tables", "read_ods"),
    "pptx": ("slides", "read_pptx"),
    "odp": ("slides", "read_odp"),
    "rtf": ("rtf", "read_rtf"),
    "epub": ("epub", "read_epub"),
}
# Containers: ``read(data, limits) -> members.Contents``.
CONTAINER_READERS = {
    "eml": ("mail", "read_eml"),
    "mbox": ("mail", "read_mbox"),
    "msg": ("mail", "read_msg"),
    "zip": ("bundles", "read_zip"),
    "tar": ("bundles", "read_tar"),
    "warc": ("webarchive", "read_warc"),
    "wacz": ("webarchive", "read_wacz"),
}
# The formats whose text is a table's rows of cells (``tables_text``).
TABLE_FORMATS = ("csv", "tsv", "xlsx", "ods")
# The formats whose pages are pictures (and may be pictures of text, recognised by OCR).
PICTURED_FORMATS = ("pdf", "image")
_TEXT_READERS = {"text": read_text, "markdown": read_markdown}


def _decoded(data: bytes, declared: str | None = None) -> str:
    """The text of ``data`` with its line ends made ``\\n``; SkipFile when it cannot be decoded."""
    try:
        text, _encoding = decode(data, declared)
    except UndecodableError as error:
        raise SkipFile(str(error)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def file_format(path: Path | str) -> str:
    """The format of the file at ``path``, by its extension (see ``FORMATS``: the longest that
    ends its name, ``.tar.gz`` before ``.gz``); ``SkipFile`` when the archive does not read
    files of its type."""
    # PurePosixPath(...).name, without making a path (a plan asks this of every file: 60,000 paths
    # made took 0.6 s of an update's 1.7 s); a path ending in "." is one PurePosixPath shortens.
    text = str(path).replace("\\", "/")
    name = posixpath.basename(text.rstrip("/"))
    name = (PurePosixPath(text).name if name == "." else name).lower()
    for double in _DOUBLE_SUFFIXES:
        if name.endswith(double) and len(name) > len(double):
            return FORMATS[double]
    suffix = os.path.splitext(name)[1]
    kind = FORMATS.get(suffix)
    if kind is None:
        raise SkipFile(f"unsupported file type ({suffix or 'no extension'})")
    return kind


_DOUBLE_SUFFIXES = tuple(suffix for suffix in FORMATS if suffix.count(".") > 1)


def reader(location: tuple[str, str]) -> Callable:
    """The reader function at (module of this package, name), imported when first used."""
    module, name = location
    return getattr(importlib.import_module(f".{module}", __package__), name)


def extract(kind: str, data: bytes, recogniser: Recogniser | None = None, limits: Limits | None = None) -> Extracted:
    """The reader of ``kind`` applied to the file's bytes."""
    # The parsers of HTML, PDF and office files are imported when a file of theirs is first
    # read: importing them takes a quarter of a second, which an update of a few Markdown files
    # need not wait for.
    if kind in _LIMITED_READERS:
        return reader(_LIMITED_READERS[kind])(data, limits or Limits())
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


def member_bytes(data: bytes, kind: str, steps: tuple[str, ...], limits: Limits | None = None) -> Member:
    """The member a document found in a container is, from the container's bytes ``data`` (of
    format ``kind``) by the ``steps`` from it (``Within.steps``); ``SkipFile`` when it is not
    there or cannot be given."""
    limits = limits or Limits()
    member = Member(step="", name="", data=data, kind=kind)
    for step in steps:
        location = CONTAINER_READERS.get(member.kind or file_format(member.name))
        if location is None:
            raise SkipFile(f"{member.name or 'the file'} holds no documents")
        member = find(member.data, reader(location), step, limits)
    return member
