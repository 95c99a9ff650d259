"""What a file says of itself (and what its sidecar says of it), normalised into plain fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import iso_date
from .extracted import Extracted
from .language import Language, label
from .text import title_from_text

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Metadata:
    """A document's metadata as the archive keeps it (see ``Document`` for each field)."""

    title: str
    languages: list[Language]
    date: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    url: str | None = None
    description: str | None = None


def normalise(
    text: str, found: Extracted, sidecar: Extracted | None, fallback_title: str, warnings: list[str]
) -> Metadata:
    """The metadata of a document whose text is ``text``: the sidecar's values first, then what
    the file says; ``warnings`` gets a line for each value that had to be left out."""
    given = sidecar or Extracted("")

    def pick(name: str) -> object:
        value = getattr(given, name)
        return value if value is not None else getattr(found, name)

    return Metadata(
        title=_text(pick("title")) or title_from_text(text) or fallback_title,
        languages=label(text, _text(pick("language")) or None),
        date=_date(given, found, warnings),
        author=_names(pick("author")),
        tags=_tags(pick("tags")),
        url=_text(pick("url")) or None,
        description=_text(pick("description")) or None,
    )


def _date(sidecar: Extracted, found: Extracted, warnings: list[str]) -> str | None:
    """The first date that reads as one: the sidecar's, the one the file states, and only then
    the file's own timestamp; each that does not read as a date is named in ``warnings``."""
    for value, where in ((sidecar.date, " in the sidecar"), (found.date, ""), (found.file_date, "")):
        if value is None:
            continue
        date = iso_date(value)
        if date is not None:
            return date
        warnings.append(f"date {str(value)[:40]!r}{where} is not a date; left out")
    return None


def storable(text: str) -> str:
    """``text`` with halves of characters (a PDF can yield them) replaced, so it encodes."""
    return text.encode("utf-8", "replace").decode("utf-8") if _SURROGATE.search(text) else text


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_text(item) for item in value).strip()
    return storable(" ".join(str(value).split()))


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
