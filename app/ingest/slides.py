"""Slides: PowerPoint (.pptx) and OpenDocument (.odp) presentations, each slide a page.

A slide's text is its title first, then the text of its other shapes in the order of the slide's
shape tree (the order a screen reader reads them in, which PowerPoint's Reading Order pane sets),
shapes inside groups where the group stands, a table's cells row by row, and then its speaker
notes: what the presenter says belongs to the slide it is said over. Each paragraph of a shape
(a bullet point, a cell) is a paragraph of the text, and slides follow one another with a blank
line between; ``Extracted.pages`` holds where each slide starts, so a hit on slide 2 is on page 2.
A slide without text is still a page (an empty one), so that page numbers are slide numbers.
Hidden slides are read as any other. The date, footer and slide number placeholders repeat on
every slide and are not read; nor are charts, SmartArt diagrams or the text of pictures.

A .pptx is read with python-pptx, which unpacks every part of the package into memory: the package
is refused when its parts would unpack to more than ``Limits.max_bytes``. An .odp is read from
``content.xml`` (``draw:page`` elements, each a slide, their notes in ``presentation:notes``) and
``meta.xml`` by ``opendocument.read_package``.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import pptx
from lxml.etree import XMLSyntaxError
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.exc import PackageNotFoundError
from pptx.opc.constants import RELATIONSHIP_TYPE
from pptx.shapes.group import GroupShape

from .errors import SkipFile
from .extracted import Extracted, from_mapping
from .layout import joined_pages
from .members import Limits
from .opendocument import OFFICE_NS, blocks, read_package
from .package import core_properties, open_package

_PPTX = "PowerPoint presentation"
_ODP = "OpenDocument presentation"
_ODP_MIMETYPES = (
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.oasis.opendocument.presentation-template",
)
PARAGRAPH_BREAK = "\n\n"
# What a damaged ZIP package raises when a part is read (an encrypted part, a compression method
# Python does not know, a header that points outside the file).
_BROKEN_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)
_TITLES = frozenset((PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE))
# Placeholders whose text is the same on every slide (or a field PowerPoint fills in).
_REPEATED = frozenset((PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.HEADER))

_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_PRESENTATION = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
_CLASS = _PRESENTATION + "class"
_ODP_TITLES = frozenset(("title",))
_ODP_REPEATED = frozenset(("date-time", "footer", "page-number", "header"))


def read_pptx(data: bytes, limits: Limits) -> Extracted:
    """Return the text of a PowerPoint presentation, a page per slide, and the metadata of its
    core properties (the first slide's title when they give none)."""
    _check_unpacked(data, _PPTX, limits)
    try:
        presentation = pptx.Presentation(io.BytesIO(data))
        slides = [_pptx_slide(slide) for slide in presentation.slides]
        meta = _core_properties(presentation)
    # python-pptx fails with AttributeError on a part whose root is not the element its kind needs.
    except (PackageNotFoundError, KeyError, ValueError, AttributeError, XMLSyntaxError, *_BROKEN_ZIP) as error:
        raise SkipFile(f"unreadable {_PPTX}: {error}") from None
    return _presentation(slides, meta)


def read_odp(data: bytes, limits: Limits) -> Extracted:
    """Return the text of an OpenDocument presentation, a page per slide, and its meta (the first
    slide's title when it gives none)."""
    _check_unpacked(data, _ODP, limits)
    document = read_package(data, _ODP, _ODP_MIMETYPES, "a presentation")
    body = document.content.find(f"{OFFICE_NS}body/{OFFICE_NS}presentation")
    if body is None:
        raise SkipFile(f"{_ODP} without slides (a text document or a drawing?)")
    slides = [_odp_slide(page) for page in body.iterchildren(_DRAW + "page")]
    return _presentation(slides, document.meta)


@dataclass
class _Slide:
    """A slide's title (blank when it has none) and its paragraphs: the title's, the other
    shapes', then the notes'."""

    title: str
    paragraphs: list[str]


def _presentation(slides: list[_Slide], meta: dict) -> Extracted:
    """The presentation's text, a page per slide, with its metadata."""
    text, starts = joined_pages([(PARAGRAPH_BREAK.join(slide.paragraphs), True) for slide in slides])
    if not meta.get("title"):
        meta["title"] = next((slide.title for slide in slides[:1] if slide.title), None)
    created = meta.pop("created", None)
    return from_mapping(text, meta, file_date=created, pages=starts)


def _check_unpacked(data: bytes, kind: str, limits: Limits) -> None:
    """``SkipFile`` when the package is not one, or its parts would unpack to more than the
    reading's limit (and its XML to more than any package's)."""
    with open_package(data, kind) as package:
        unpacked = sum(info.file_size for info in package.infolist())
    if unpacked > limits.max_bytes:
        size, limit = unpacked / 1e6, limits.max_bytes / 1e6
        raise SkipFile(f"unreadable {kind}: it unpacks to {size:,.0f} MB (the limit is {limit:,.0f} MB)")


# PowerPoint.


def _pptx_slide(slide) -> _Slide:
    """A PowerPoint slide's title and paragraphs (the title's first, the notes' last)."""
    title_shape = next((shape for shape in slide.placeholders if _placeholder_type(shape) in _TITLES), None)
    title = list(_frame_paragraphs(title_shape.text_frame)) if title_shape is not None else []
    title_element = title_shape.element if title_shape is not None else None
    others = [text for shape in slide.shapes if shape.element is not title_element for text in _shape_paragraphs(shape)]
    notes = []
    if slide.has_notes_slide and (frame := slide.notes_slide.notes_text_frame) is not None:
        notes = list(_frame_paragraphs(frame))
    return _Slide(" ".join(" ".join(title).split()), title + others + notes)


def _shape_paragraphs(shape) -> Iterator[str]:
    """The paragraphs of a shape: its text frame's, a table's cells', a group's shapes'."""
    # Not by shape_type, which python-pptx does not know for every shape a file may hold.
    if isinstance(shape, GroupShape):
        for inner in shape.shapes:
            yield from _shape_paragraphs(inner)
    elif shape.has_table:
        for row in shape.table.rows:
            for cell in row.cells:
                if not cell.is_spanned:  # a merged cell's text is in its first cell
                    yield from _frame_paragraphs(cell.text_frame)
    elif shape.has_text_frame and _placeholder_type(shape) not in _REPEATED:
        yield from _frame_paragraphs(shape.text_frame)


def _placeholder_type(shape) -> object:
    """The kind of placeholder ``shape`` is (title, body, footer...), None when it is none."""
    return shape.placeholder_format.type if shape.is_placeholder else None


def _frame_paragraphs(frame) -> Iterator[str]:
    """The non-empty paragraphs of a text frame, a line break inside one (python-pptx gives a
    vertical tab) kept as a line break."""
    for paragraph in frame.paragraphs:
        text = paragraph.text.replace("\v", "\n").strip()
        if text:
            yield text


def _core_properties(presentation) -> dict:
    """Title, author, subject, keywords, language and creation time, where the file gives them."""
    try:
        properties = presentation.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    except KeyError:
        return {}  # python-pptx would make up defaults ("PowerPoint Presentation", now): none is better
    return core_properties(properties)


# OpenDocument.


def _odp_slide(page) -> _Slide:
    """An OpenDocument slide's title and paragraphs (the title's first, the notes' last)."""
    shapes = [shape for shape in page if isinstance(shape.tag, str) and shape.tag.startswith(_DRAW)]
    titles = [shape for shape in shapes if shape.get(_CLASS) in _ODP_TITLES]
    title = [text for shape in titles for text in _odp_paragraphs(shape)]
    others = [text for shape in shapes if shape not in titles for text in _odp_paragraphs(shape)]
    notes = [
        text
        for element in page.iterchildren(_PRESENTATION + "notes")
        for shape in element.iterchildren(_DRAW + "frame")
        if shape.get(_CLASS) == "notes"
        for text in _odp_paragraphs(shape)
    ]
    return _Slide(" ".join(" ".join(title).split()), title + others + notes)


def _odp_paragraphs(shape) -> Iterator[str]:
    """The paragraphs of a drawing shape: a group's shapes', a frame's text box or table, the text
    of a custom shape; none of a placeholder repeated on every slide."""
    if shape.get(_CLASS) in _ODP_REPEATED:
        return
    if shape.tag == _DRAW + "g":
        for inner in shape:
            if isinstance(inner.tag, str) and inner.tag.startswith(_DRAW):
                yield from _odp_paragraphs(inner)
        return
    yield from blocks(shape)  # paragraphs of a shape's own (a custom shape), a frame's table
    for box in shape.iterchildren(_DRAW + "text-box"):
        yield from blocks(box)
