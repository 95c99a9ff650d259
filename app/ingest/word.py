"""Word documents (.docx): the text of the body in document order, and the core properties.

Headings, paragraphs and table cells each give a paragraph of the text, separated by blank
lines. Text as it reads now: tracked insertions are in, tracked deletions (``w:del``) are out, and
comments, headers, footers and footnotes live in parts of their own that are not read.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.exceptions import PackageNotFoundError
from lxml.etree import XMLSyntaxError

from .errors import SkipFile
from .extracted import Extracted, from_mapping
from .package import core_properties, open_package

PARAGRAPH_BREAK = "\n\n"
# What a damaged ZIP package raises when a part is read.
_BROKEN_ZIP = (zipfile.BadZipFile, zlib.error, EOFError)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Elements that hold paragraphs: tables, rows and cells (read cell by cell), content controls.
_BLOCK_CONTAINERS = frozenset(_W + name for name in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml"))
# Elements inside a paragraph that hold runs of its current text. Not w:del or w:moveFrom: what
# they hold was deleted or moved away.
_INLINE_CONTAINERS = frozenset(
    _W + name
    for name in ("ins", "moveTo", "hyperlink", "smartTag", "fldSimple", "sdt", "sdtContent", "customXml", "dir", "bdo")
)


def read_docx(data: bytes) -> Extracted:
    """Return the text of a Word document and the metadata of its core properties."""
    open_package(data, "Word document").close()
    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = list(_blocks(document.element.body))
        meta = _core_properties(document)
    except (PackageNotFoundError, KeyError, ValueError, XMLSyntaxError, *_BROKEN_ZIP) as error:
        raise SkipFile(f"unreadable Word document: {error}") from None
    created = meta.pop("created", None)
    return from_mapping(PARAGRAPH_BREAK.join(paragraphs), meta, file_date=created)


def _blocks(element) -> Iterator[str]:
    """The text of each non-empty paragraph under ``element``, in document order."""
    for child in element:
        if child.tag == _W + "p":
            text = _paragraph_text(child).strip()
            if text:
                yield text
        elif child.tag in _BLOCK_CONTAINERS:
            yield from _blocks(child)


def _paragraph_text(element) -> str:
    """The current text of a paragraph: its runs, and runs inside links, fields and insertions."""
    parts = []
    for child in element:
        if child.tag == _W + "r":
            parts.append(child.text)  # python-docx's run text: w:t, tabs and line breaks, not w:delText
        elif child.tag in _INLINE_CONTAINERS:
            parts.append(_paragraph_text(child))
    return "".join(parts)


def _core_properties(document) -> dict:
    """Title, author, subject, keywords, language and creation time, where the file gives them."""
    try:
        part = document.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    except KeyError:
        return {}  # python-docx would make up defaults ("Word Document", now): none is better
    return core_properties(part.core_properties)
