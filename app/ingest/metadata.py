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
    recipients: list[str] = field(default_factory=list)
    captured: str | None = None


def normalise(
    text: str,
    found: Extracted,
    sidecar: Extracted | None,
    fallback_title: str,
    warnings: list[str],
    name_date: str | None = None,
) -> Metadata:
    """The metadata of a document whose text is ``text``: the sidecar's values first, then what
    the file says (``name_date``: the date its file name gives, see ``_date``); ``warnings``
    gets a line for each value that had to be left out."""
    given = sidecar or Extracted("")

    def pick(name: str) -> object:
        return _pick(name, found, given)

    title = stated_title(found, sidecar) or title_from_text(text) or fallback_title
    return Metadata(
        title=title,
        # A document with no text of its own is in the language of its title.
        languages=label(text if text.strip() else title, _text(pick("language")) or None),
        date=_date(given, found, name_date, warnings),
        author=_names(pick("author")),
        tags=_tags(pick("tags")),
        url=_text(pick("url")) or None,
        description=_text(pick("description")) or None,
        recipients=_listed(pick("recipients")),
        captured=_text(pick("captured")) or None,
    )


def _listed(value: object) -> list[str]:
    """A field that holds several names (a message's recipients) as a list, each once."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else str(value).split(";")
    return list(dict.fromkeys(text for text in map(_text, items) if text))


# What programs write as a file's title when nobody gave one (ReportLab writes "untitled").
_PLACEHOLDER_TITLES = frozenset(("untitled", "untitled document", "no title", "unspecified", "title"))


def stated_title(found: Extracted, sidecar: Extracted | None) -> str:
    """The title the sidecar or the file itself gives ("" when neither gives one, or only a
    program's placeholder)."""
    title = _text(_pick("title", found, sidecar or Extracted("")))
    return "" if title.casefold() in _PLACEHOLDER_TITLES else title


def _pick(name: str, found: Extracted, sidecar: Extracted) -> object:
    """The sidecar's value of ``name`` when it gives one, else the file's."""
    value = getattr(sidecar, name)
    return value if value is not None else getattr(found, name)


def _date(sidecar: Extracted, found: Extracted, name_date: str | None, warnings: list[str]) -> str | None:
    """The first date that reads as one: the sidecar's, the one the file states, the one its
    name gives (already a date), and only then the file's own timestamp; each that does not read
    as a date is named in ``warnings``."""
    # A name is given by whoever filed the document, often by the date it bears; a file's
    # creation time is when that copy was made (a scan, an export), often years later.
    stated = ((sidecar.date, " in the sidecar"), (found.date, ""), (name_date, ""), (found.file_date, ""))
    for value, where in stated:
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
