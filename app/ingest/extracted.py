"""What a format reader finds in a file: its text, and what the file says of itself."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# What separates keywords in a file's metadata: commas and semicolons, Chinese ones too.
_KEYWORD_SEPARATORS = re.compile(r"[,;，；、]")


@dataclass(frozen=True)
class OcrPage:
    """A page whose text was recognised by OCR: its number (from 1) and the mean confidence of
    its words (0 to 100; None when Tesseract gave none)."""

    page: int
    confidence: float | None = None


@dataclass
class Extracted:
    """A file's text and metadata as its format gives them, before they are normalised.

    Values keep the types the file gives (YAML front matter may hold a list of authors or a
    date); ``load`` normalises them into a ``Document``.
    """

    text: str
    title: object = None
    author: object = None
    date: object = None
    tags: object = None
    url: object = None
    description: object = None
    language: object = None
    # Whom a message was sent to (To and Cc), each "Name <address>".
    recipients: object = None
    # When a web archive captured the page (ISO 8601, to the second).
    captured: object = None
    # When the file was made (a PDF's /CreationDate, a Word document's created time): the
    # document's date only when nothing states one, since a file is often made long after.
    file_date: object = None
    pages: list[int] = field(default_factory=list)
    # The name of each page, where pages have names (a workbook's sheets).
    page_names: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The pages whose text OCR recognised.
    ocr: list[OcrPage] = field(default_factory=list)


# Each field and the keys a file may give it under, first found wins.
_KEYS = {
    "title": ("title",),
    "author": ("author", "authors", "organisation", "organization", "publisher"),
    "date": ("date",),
    "tags": ("tags", "keywords"),
    "url": ("url", "source_url", "link"),
    "description": ("description",),
    "language": ("language", "lang"),
    "recipients": ("recipients",),
    "captured": ("captured",),
}


def from_mapping(text: str, mapping: Mapping[str, object], **extra) -> Extracted:
    """An ``Extracted`` from metadata keyed as front matter writes it (any case; ``authors``,
    ``keywords``, ``source`` and the other usual names accepted)."""
    keys = {str(key).lower(): value for key, value in mapping.items()}
    values = {name: next((keys[key] for key in names if keys.get(key)), None) for name, names in _KEYS.items()}
    # A date that is there but does not read as one is reported, not ignored; ``date: ""`` (a
    # template's blank) states no date, and says nothing.
    date = keys.get("date")
    values["date"] = None if isinstance(date, str) and not date.strip() else date
    source = keys.get("source")
    if not values["url"] and isinstance(source, str) and source.strip().startswith(("http://", "https://")):
        values["url"] = source
    return Extracted(text, **values, **extra)


def split_keywords(value: object) -> list[str]:
    """A file's keywords field ("detention; report" or "拘留，報告") as a list of keywords."""
    if not value:
        return []
    return [word.strip() for word in _KEYWORD_SEPARATORS.split(str(value)) if word.strip()]
