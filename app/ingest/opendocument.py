"""OpenDocument text (.odt): the text of the body in document order, and the document's meta.

An .odt is a ZIP package; ``content.xml`` holds the body and ``meta.xml`` the title, authors
and dates. Both are read with lxml (no entities resolved, nothing fetched) by ``read_package``,
which reads presentations too (``slides.py``). Headings, paragraphs, list items and table cells
each give a paragraph of the text, separated by blank lines. Text as it reads now: tracked
deletions (kept apart in ``text:tracked-changes``), comments (``office:annotation``), footnotes,
text boxes and generated tables of contents are left out.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from .errors import SkipFile
from .extracted import Extracted, from_mapping
from .package import open_package

PARAGRAPH_BREAK = "\n\n"
# The OpenDocument namespaces (and Dublin Core's), as lxml writes them in element names.
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE_NS = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
META_NS = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
DC_NS = "{http://purl.org/dc/elements/1.1/}"
_PARAGRAPHS = frozenset((TEXT_NS + "p", TEXT_NS + "h"))
# Elements that hold paragraphs; anything else at block level (tracked changes, indexes,
# declarations, forms) holds none of the document's own text.
_BLOCK_CONTAINERS = frozenset(
    [TEXT_NS + name for name in ("list", "list-item", "list-header", "section")]
    + [
        TABLE_NS + name
        for name in (
            "table",
            "table-header-rows",
            "table-rows",
            "table-row-group",
            "table-row",
            "table-cell",
            "covered-table-cell",
        )
    ]
)
# Inside a paragraph: comments, footnotes, frames (images, text boxes) and ruby readings are
# not the paragraph's text.
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_SKIPPED_INLINE = frozenset((OFFICE_NS + "annotation", TEXT_NS + "note", TEXT_NS + "ruby-text", _DRAW + "frame"))
# In ODF, a run of white space in a paragraph is one space; more are written as text:s.
_WHITE_SPACE = re.compile(r"[ \t\r\n]+")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
# What a damaged ZIP package raises when a part is read (an encrypted part, a compression method
# Python does not know).
_BROKEN_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)
_TEXT_MIMETYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")


@dataclass
class OpenDocument:
    """An OpenDocument package as read: the root of ``content.xml``, and what ``meta.xml`` says
    (title, author, description, language, tags, and ``created``, the file's date)."""

    content: etree._Element
    meta: dict


def read_odt(data: bytes) -> Extracted:
    """Return the text of an OpenDocument text file and its title, author and dates."""
    document = read_package(data, "OpenDocument file", _TEXT_MIMETYPES, "a text document")
    body = document.content.find(f"{OFFICE_NS}body/{OFFICE_NS}text")
    if body is None:
        raise SkipFile("OpenDocument file without a text body (a spreadsheet or a drawing?)")
    created = document.meta.pop("created", None)
    return from_mapping(PARAGRAPH_BREAK.join(blocks(body)), document.meta, file_date=created)


def read_package(data: bytes, kind: str, mimetypes: tuple[str, ...], what: str) -> OpenDocument:
    """The body and meta of the OpenDocument package ``data`` (a ``kind`` of file, as reasons
    name it), or ``SkipFile`` when it is broken, encrypted, or not one of ``mimetypes`` (``what``
    it should be: "a text document")."""
    with open_package(data, kind) as package:
        names = set(package.namelist())
        try:
            _check_readable(package, names, kind, mimetypes, what)
            content = etree.fromstring(package.read("content.xml"), _PARSER)
            meta = _meta(etree.fromstring(package.read("meta.xml"), _PARSER)) if "meta.xml" in names else {}
        except (KeyError, etree.XMLSyntaxError, *_BROKEN_ZIP, OSError, ValueError) as error:
            raise SkipFile(f"unreadable {kind}: {error}") from None
    return OpenDocument(content, meta)


def _check_readable(package: zipfile.ZipFile, names: set[str], kind: str, types: tuple[str, ...], what: str) -> None:
    """``SkipFile`` for a package that is not ``what`` the reader reads, or is encrypted."""
    if "mimetype" in names:
        mimetype = package.read("mimetype").decode("ascii", "replace").strip()
        if mimetype not in types:
            raise SkipFile(f"{kind} that is not {what} ({mimetype[:80]})")
    if "META-INF/manifest.xml" in names and b"encryption-data" in package.read("META-INF/manifest.xml"):
        raise SkipFile(f"encrypted {kind}: it needs a password to read")


def blocks(element) -> Iterator[str]:
    """The text of each non-empty paragraph under ``element`` (headings, paragraphs, list items,
    table cells), in document order."""
    for child in element:
        if child.tag in _PARAGRAPHS:
            text = "".join(_inline_text(child)).strip(" ")
            if text.strip():
                yield text
        elif child.tag in _BLOCK_CONTAINERS:
            yield from blocks(child)


def _inline_text(element) -> Iterator[str]:
    """The pieces of a paragraph's text: its words, spaces, tabs and line breaks."""
    if element.text:
        yield _WHITE_SPACE.sub(" ", element.text)
    for child in element:
        if child.tag == TEXT_NS + "s":
            yield " " * _count(child.get(TEXT_NS + "c"))
        elif child.tag == TEXT_NS + "tab":
            yield "\t"
        elif child.tag == TEXT_NS + "line-break":
            yield "\n"
        elif child.tag not in _SKIPPED_INLINE and isinstance(child.tag, str):
            yield from _inline_text(child)  # spans, links, fields, insertions' marks
        if child.tail:
            yield _WHITE_SPACE.sub(" ", child.tail)


def _count(value: str | None) -> int:
    """text:s's count of spaces (1 when not given; at most a line's worth)."""
    try:
        return min(max(int(value or 1), 1), 1000)
    except ValueError:
        return 1


def _meta(root) -> dict:
    """Title, author, description, keywords, language and creation date from meta.xml."""
    meta_element = root.find(f"{OFFICE_NS}meta")
    if meta_element is None:
        return {}

    def first(*names: str) -> str | None:
        for name in names:
            found = meta_element.findtext(name)
            if found and found.strip():
                return found.strip()
        return None

    keywords = [word.text.strip() for word in meta_element.iter(META_NS + "keyword") if word.text and word.text.strip()]
    meta = {
        "title": first(DC_NS + "title"),
        # dc:creator is whoever saved the file last; meta:initial-creator is who wrote it.
        "author": first(META_NS + "initial-creator", DC_NS + "creator"),
        "description": first(DC_NS + "description", DC_NS + "subject"),
        "language": first(DC_NS + "language"),
        "tags": keywords,
        "created": first(META_NS + "creation-date", DC_NS + "date"),
    }
    return {key: value for key, value in meta.items() if value}
