"""OpenDocument text (.odt): the text of the body in document order, and the document's meta.

An .odt is a ZIP package; ``content.xml`` holds the body and ``meta.xml`` the title, authors
and dates. Both are read with lxml (no entities resolved, nothing fetched). Headings,
paragraphs, list items and table cells each give a paragraph of the text, separated by blank
lines. Text as it reads now: tracked deletions (kept apart in ``text:tracked-changes``),
comments (``office:annotation``), footnotes, text boxes and generated tables of contents are
left out.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator

from lxml import etree

from .errors import SkipFile
from .extracted import Extracted, from_mapping
from .package import open_package

PARAGRAPH_BREAK = "\n\n"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_PARAGRAPHS = frozenset((_TEXT + "p", _TEXT + "h"))
# Elements that hold paragraphs; anything else at block level (tracked changes, indexes,
# declarations, forms) holds none of the document's own text.
_BLOCK_CONTAINERS = frozenset(
    [_TEXT + name for name in ("list", "list-item", "list-header", "section")]
    + [
        _TABLE + name
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
_SKIPPED_INLINE = frozenset((_OFFICE + "annotation", _TEXT + "note", _TEXT + "ruby-text", _DRAW + "frame"))
# In ODF, a run of white space in a paragraph is one space; more are written as text:s.
_WHITE_SPACE = re.compile(r"[ \t\r\n]+")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
_TEXT_MIMETYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")


def read_odt(data: bytes) -> Extracted:
    """Return the text of an OpenDocument text file and its title, author and dates."""
    with open_package(data, "OpenDocument file") as package:
        names = set(package.namelist())
        try:
            _check_readable(package, names)
            content = etree.fromstring(package.read("content.xml"), _PARSER)
            meta = _meta(etree.fromstring(package.read("meta.xml"), _PARSER)) if "meta.xml" in names else {}
        except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
            raise SkipFile(f"unreadable OpenDocument file: {error}") from None
    body = content.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        raise SkipFile("OpenDocument file without a text body (a spreadsheet or a drawing?)")
    created = meta.pop("created", None)
    return from_mapping(PARAGRAPH_BREAK.join(_blocks(body)), meta, file_date=created)


def _check_readable(package: zipfile.ZipFile, names: set[str]) -> None:
    """``SkipFile`` for a package that is not a text document or is encrypted."""
    if "mimetype" in names:
        mimetype = package.read("mimetype").decode("ascii", "replace").strip()
        if mimetype not in _TEXT_MIMETYPES:
            raise SkipFile(f"OpenDocument file that is not a text document ({mimetype[:80]})")
    if "META-INF/manifest.xml" in names and b"encryption-data" in package.read("META-INF/manifest.xml"):
        raise SkipFile("encrypted OpenDocument file: it needs a password to read")


def _blocks(element) -> Iterator[str]:
    """The text of each non-empty paragraph under ``element``, in document order."""
    for child in element:
        if child.tag in _PARAGRAPHS:
            text = "".join(_inline_text(child)).strip(" ")
            if text.strip():
                yield text
        elif child.tag in _BLOCK_CONTAINERS:
            yield from _blocks(child)


def _inline_text(element) -> Iterator[str]:
    """The pieces of a paragraph's text: its words, spaces, tabs and line breaks."""
    if element.text:
        yield _WHITE_SPACE.sub(" ", element.text)
    for child in element:
        if child.tag == _TEXT + "s":
            yield " " * _count(child.get(_TEXT + "c"))
        elif child.tag == _TEXT + "tab":
            yield "\t"
        elif child.tag == _TEXT + "line-break":
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
    meta_element = root.find(f"{_OFFICE}meta")
    if meta_element is None:
        return {}

    def first(*names: str) -> str | None:
        for name in names:
            found = meta_element.findtext(name)
            if found and found.strip():
                return found.strip()
        return None

    keywords = [word.text.strip() for word in meta_element.iter(_META + "keyword") if word.text and word.text.strip()]
    meta = {
        "title": first(_DC + "title"),
        # dc:creator is whoever saved the file last; meta:initial-creator is who wrote it.
        "author": first(_META + "initial-creator", _DC + "creator"),
        "description": first(_DC + "description", _DC + "subject"),
        "language": first(_DC + "language"),
        "tags": keywords,
        "created": first(_META + "creation-date", _DC + "date"),
    }
    return {key: value for key, value in meta.items() if value}
