"""A document of the archive as reading gives it, and what it says of where it was found."""

from __future__ import annotations

from dataclasses import dataclass, field

from .extracted import OcrPage
from .language import Language


@dataclass(frozen=True)
class Recognised:
    """How many pages of a file OCR recognised as it was read, and how many it took from the
    cache of pages recognised before."""

    now: int = 0
    from_cache: int = 0


@dataclass(frozen=True)
class Parent:
    """The document a document was found in: its id, its title, and whether it is a message
    the document was attached to ("attachment") or a bundle, mailbox or web archive holding it
    ("member")."""

    id: str
    title: str
    relation: str


@dataclass(frozen=True)
class Within:
    """Where a document found in a container lies: the file's (the container on disk) hash and
    size, and the steps from it to the document, one per container, outermost first."""

    hash: str
    size: int
    steps: tuple[str, ...]


@dataclass
class Document:
    """One document of the archive, as indexed and shown.

    ``date`` is ISO 8601 at the precision the source gives: ``"2018"`` (a year), ``"2018-06"``
    (a month) or ``"2018-06-30"`` (a day), never a time of day; None when undated. A date the
    document states (front matter, sidecar, a page's metadata) is preferred to the day its file
    was made (a PDF's or a Word document's creation time), and the date in its file name
    (``2021-06-04 statement.txt``) comes between the two. ``hash`` is the SHA-256 of the
    document's bytes, as ``sha256sum`` gives it; ``fingerprint`` covers the file and its sidecar,
    and tells whether either changed since the document was indexed. A document with a title
    but no text (an image-only PDF titled in its properties) has blank ``text``. ``ocr`` lists
    the pages whose text OCR recognised (an image's pages, a PDF's scanned pages).

    A document found in another (an attachment, a member of a bundle, a captured page) has a
    ``parent`` and lies ``within`` the file at ``path``; its ``name`` is its own file name and
    ``media_type`` the type its container gave it.
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
    page_names: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ocr: list[OcrPage] = field(default_factory=list)
    ocr_pages: Recognised = field(default_factory=Recognised)
    recipients: list[str] = field(default_factory=list)
    captured: str | None = None
    captures: list[str] = field(default_factory=list)
    name: str = ""
    media_type: str | None = None
    parent: Parent | None = None
    within: Within | None = None
