"""An export's rows as files and a search's newest matches as a feed: CSV, JSON Lines, RIS, Atom.

Like ``render``, this turns what the service found into what an edge gives out, for the web
(``/api/export``, ``/feed``) and the command line alike; nothing here searches. Each writer
yields its text a row at a time (``joined`` gathers the pieces into chunks for a socket), so
an export is written as it is read.

- CSV: UTF-8 with a byte order mark (so that spreadsheets read it as UTF-8), a header row, the
  csv module's quoting. A cell that a spreadsheet would take for a formula (it starts with =, +,
  -, @, a tab or a carriage return) is given a leading apostrophe: a document's title is not to
  run in the spreadsheet of whoever opens the export.
- JSON Lines: one JSON object per match, the API's names for its fields.
- RIS, as Zotero and EndNote read it: a record per match from TY to ER, its lines ``XX  - value``.
- Atom (RFC 4287): the feed of a search, an entry per document, its summary the snippet as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .query.parse import QueryError
from .service.export import ExportRow, FeedEntries

BOM = "\ufeff"
# The columns of a CSV export, in order, and the fields of a JSON Lines one.
COLUMNS = ("id", "title", "date", "author", "languages", "tags", "source_url", "url", "page", "snippet")
# How a CSV cell holds several values (languages, tags).
LIST_APART = "; "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Bytes gathered before a piece of an export is handed to the socket.
CHUNK_CHARS = 65_536
# What XML 1.0 cannot hold at all (control characters a PDF's text may carry).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
ATOM = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# A document's RIS type of item: a web page (GEN for any other: a generic item).
_WEB_FORMATS = frozenset({"html"})


@dataclass(frozen=True)
class ExportFormat:
    """A format an export can be had in: its name (the ``format`` parameter), the extension of
    its file, its media type, and its writer."""

    name: str
    extension: str
    media_type: str
    write: Callable[[Iterable[ExportRow]], Iterator[str]]


def csv_rows(rows: Iterable[ExportRow]) -> Iterator[str]:
    """The CSV of ``rows``: the byte order mark and the header, then a line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield BOM + taken(buffer)
    for row in rows:
        cells = [csv_cell(value) for value in _fields(row).values()]
        writer.writerow([LIST_APART.join(cell) if isinstance(cell, list) else cell for cell in cells])
        yield taken(buffer)


def taken(buffer: io.StringIO) -> str:
    """What ``buffer`` holds, emptying it."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def csv_cell(value: object) -> object:
    """A value as a CSV cell: None empty, text that a spreadsheet would run as a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, list):
        return [csv_cell(item) for item in value]
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _fields(row: ExportRow) -> dict[str, object]:
    """A row's ``COLUMNS`` by name."""
    return {
        "id": row.id,
        "title": row.title,
        "date": row.date,
        "author": row.author,
        "languages": list(row.languages),
        "tags": list(row.tags),
        "source_url": row.source_url,
        "url": row.url,
        "page": row.page,
        "snippet": row.snippet,
    }


def jsonl_rows(rows: Iterable[ExportRow]) -> Iterator[str]:
    """A line of JSON per row."""
    for row in rows:
        yield json.dumps({**_fields(row), "authors": list(row.authors)}, ensure_ascii=False) + "\n"


def ris_rows(rows: Iterable[ExportRow], accessed: dt.date | None = None) -> Iterator[str]:
    """A RIS record per row; ``accessed`` (today, UTC, when not given) is each record's Y2."""
    day = accessed or dt.datetime.now(dt.UTC).date()
    for row in rows:
        yield ris_record(row, day)


def ris_record(row: ExportRow, accessed: dt.date) -> str:
    """One RIS record: TY first, ER last, a line per value (an author, a tag each)."""
    lines = [("TY", ris_type(row)), ("TI", row.title)]
    lines += [("AU", name) for name in row.authors]
    found = _DATE.match(row.date or "")
    if found:
        year, month, day = found.groups()
        lines += [("DA", f"{year}/{month or ''}/{day or ''}/"), ("PY", year)]
    lines += [("KW", tag) for tag in row.tags]
    if row.languages:
        lines.append(("LA", LIST_APART.join(row.languages)))
    lines += [("UR", row.source_url or row.url), ("Y2", accessed.strftime("%Y/%m/%d/"))]
    if row.snippet:
        lines.append(("AB", row.snippet))
    lines += [("N1", f"In the archive: {row.url} (id {row.id})"), ("ID", row.id)]
    body = "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines if str(value).strip())
    return body + "ER  - \r\n\r\n"


def ris_type(row: ExportRow) -> str:
    """The RIS type of a row's item: ELEC for a web page (an HTML document, a page a web
    archive captured), GEN for any other document. No format says that a document is a
    newspaper's article (NEWS), or a book or a report: that is the reference manager's to refine."""
    return "ELEC" if row.format in _WEB_FORMATS or row.captured else "GEN"


def _one_line(value: object) -> str:
    """A RIS value on one line: runs of whitespace (a table's rows, a paragraph's breaks) one space."""
    return " ".join(str(value).split())


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("csv", "csv", "text/csv; charset=utf-8; header=present", csv_rows),
    "jsonl": ExportFormat("jsonl", "jsonl", "application/jsonl; charset=utf-8", jsonl_rows),
    "ris": ExportFormat("ris", "ris", "application/x-research-info-systems; charset=utf-8", ris_rows),
}


def export_format(name: str, shown: str = "format") -> ExportFormat:
    """The export format ``name``; ``QueryError`` naming the choices (``shown``: the parameter
    as the request calls it) for any other."""
    found = FORMATS.get(name)
    if found is None:
        raise QueryError("format_invalid", shown=shown, name="format", choices=", ".join(FORMATS), value=name[:40])
    return found


def joined(pieces: Iterable[str], size: int = CHUNK_CHARS) -> Iterator[str]:
    """``pieces`` gathered into chunks of about ``size`` characters (the last one shorter)."""
    gathered: list[str] = []
    count = 0
    for piece in pieces:
        gathered.append(piece)
        count += len(piece)
        if count >= size:
            yield "".join(gathered)
            gathered, count = [], 0
    if gathered:
        yield "".join(gathered)


def rfc3339(date: str | None) -> str | None:
    """A document's date (``2019``, ``2019-06``, ``2019-06-04``) as an RFC 3339 time: its first
    day at midnight UTC (``2019-06-01T00:00:00Z``); None when it is no date."""
    found = _DATE.match(date or "")
    if not found:
        return None
    year, month, day = found.groups()
    return f"{year}-{month or '01'}-{day or '01'}T00:00:00Z"


@dataclass(frozen=True)
class FeedLinks:
    """What a feed is titled and linked by: its title and language, its own address
    (``self_url``, also its id), the results page it follows (``page_url``), who publishes
    it (``author``), and each entry's id (``entry_id(row)``: the document's address in the
    archive, the same in every feed and after every build)."""

    title: str
    language: str
    self_url: str
    page_url: str
    author: str
    entry_id: Callable[[ExportRow], str]


def atom_feed(found: FeedEntries, links: FeedLinks) -> str:
    """The Atom feed of ``found``'s entries, newest first, as a document (UTF-8). The feed is
    updated when its generation was built (the only time its entries can change), or else at
    its newest entry."""
    entries = [(row, when) for row in found.rows if (when := rfc3339(row.date))]
    feed = ET.Element("feed", {"xmlns": ATOM, _XML_LANG: links.language})
    _add(feed, "id", links.self_url)
    _add(feed, "title", links.title)
    updated = _utc(found.built) or (entries[0][1] if entries else "1970-01-01T00:00:00Z")
    _add(feed, "updated", updated)
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=_xml_text(links.self_url))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=_xml_text(links.page_url))
    _add(ET.SubElement(feed, "author"), "name", links.author)
    for row, when in entries:
        entry = ET.SubElement(feed, "entry", {_XML_LANG: row.languages[0]} if row.languages else {})
        _add(entry, "id", links.entry_id(row))
        _add(entry, "title", row.title)
        _add(entry, "updated", when)
        ET.SubElement(entry, "link", rel="alternate", type="text/html", href=_xml_text(row.url))
        for name in row.authors:
            _add(ET.SubElement(entry, "author"), "name", name)
        _add(entry, "summary", row.snippet, type="text")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _add(parent: ET.Element, name: str, text: str, **attributes: str) -> ET.Element:
    """A child ``name`` of ``parent`` holding ``text`` (what XML cannot hold left out)."""
    child = ET.SubElement(parent, name, attributes)
    child.text = _xml_text(text)
    return child


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _utc(stamp: str | None) -> str | None:
    """An ISO 8601 time with its zone as RFC 3339 in UTC (``2024-06-01T08:00:00Z``); None for
    anything else."""
    try:
        when = dt.datetime.fromisoformat(stamp or "")
    except ValueError:
        return None
    if when.tzinfo is None:
        return None
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
