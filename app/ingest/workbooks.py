"""Workbooks as tables (``tables``): Excel's .xlsx and OpenDocument's .ods, every sheet.

An .xlsx is read by openpyxl in its read-only mode, each cell as last calculated (``data_only``:
a formula's value, not the formula); the size a sheet states is not trusted when reading (it
may claim a million rows), only to say how many rows a workbook cut at the row limit had.

An .ods's ``content.xml`` is parsed as it is read, a row at a time, each row freed once read
(lxml: no entities resolved, nothing fetched). A cell or a row repeated
(``table:number-columns-repeated``, ``table:number-rows-repeated``: a few bytes can claim
millions of empty cells) is written out only as far as the limits leave room for, and counted
beyond; a cell's text is what the sheet shows (its paragraphs, a space between two).
"""

from __future__ import annotations

import datetime
import io
import zipfile
import zlib
from collections.abc import Iterator

from lxml import etree

from .errors import SkipFile
from .extracted import split_keywords
from .members import Limits
from .opendocument import DC_NS, META_NS, OFFICE_NS, TABLE_NS, TEXT_NS
from .package import open_package
from .tables import MAX_COLUMNS, UNREADABLE, Rows, Table

_CELLS = frozenset((TABLE_NS + "table-cell", TABLE_NS + "covered-table-cell"))
_PARAGRAPHS = frozenset((TEXT_NS + "p", TEXT_NS + "h"))
# Inside a cell's paragraph, what is not its text: comments, notes, ruby readings.
_SKIPPED = frozenset((OFFICE_NS + "annotation", TEXT_NS + "note", TEXT_NS + "ruby-text"))
# A cell without paragraphs shows its value.
_VALUES = tuple(OFFICE_NS + name for name in ("string-value", "value", "date-value", "time-value", "boolean-value"))
_SPREADSHEETS = (
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet-template",
)
# More repeats than a sheet can have rows or columns: a claim, not a table.
MAX_REPEAT = 1 << 31
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
_BROKEN = (KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError)


def read_xlsx_table(data: bytes, limits: Limits) -> Table:
    """An Excel workbook's sheets as a table, each a page; ``SkipFile`` when it cannot be read."""
    open_package(data, "spreadsheet").close()
    # Imported when a workbook is first read: importing openpyxl takes a fifth of a second.
    from openpyxl import load_workbook

    rows = Rows(limits)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        try:
            metadata = _properties(book.properties)
            sheets = book.worksheets
            for number, sheet in enumerate(sheets):
                if not _read_sheet(sheet, rows):
                    rows.claimed(sum(_stated_rows(later) for later in sheets[number + 1 :]))
                    break
        finally:
            book.close()
    # openpyxl lets through whatever its parsing meets (KeyError, ValueError, TypeError,
    # IndexError, a ParseError, ...): each is a workbook it cannot read.
    except Exception as error:
        raise SkipFile(f"{UNREADABLE}: {_said(error)}") from None
    return rows.table("xlsx", **metadata)


def _said(error: Exception) -> str:
    """What an error says (a KeyError's message without its quotes, else its name)."""
    if isinstance(error, KeyError) and error.args:
        return str(error.args[0])
    return str(error) or type(error).__name__


def _read_sheet(sheet, rows: Rows) -> bool:
    """Give ``rows`` the rows of one sheet; False when the workbook is read no further."""
    rows.sheet(sheet.title)
    stated = _stated_rows(sheet)
    sheet.reset_dimensions()  # rows are read as they are, not padded to the size stated
    for read, values in enumerate(sheet.iter_rows(values_only=True)):
        if rows.full:
            rows.claimed(max(stated - read, 1))  # the row at hand, at least
            return False
        if len(values) > MAX_COLUMNS + 1:
            # As wide as its last cell (up to column 18,278): that one stands for those past the
            # limit, and the empty ones between are not gone through.
            values = values[:MAX_COLUMNS] + values[-1:]
        if not rows.row((_shown(value), 1) for value in values):
            return False
    return True


def _stated_rows(sheet) -> int:
    """How many rows a sheet says it spans (0 when it does not say)."""
    return max((sheet.max_row or 0) - (sheet.min_row or 1) + 1, 0)


def _shown(value: object) -> str:
    """A cell's value as a spreadsheet shows it, near enough: numbers to 15 digits, dates ISO."""
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return f"{value:.15g}"
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _properties(properties) -> dict:
    """Title, author, description, keywords and creation time from the workbook's properties."""
    meta = {
        "title": properties.title,
        # openpyxl writes its own name as every workbook's creator: that names no author.
        "author": properties.creator if properties.creator != "openpyxl" else None,
        "description": properties.description or properties.subject,
        "tags": split_keywords(properties.keywords),
        "file_date": properties.created,
    }
    return {key: value for key, value in meta.items() if value}


def read_ods_table(data: bytes, limits: Limits) -> Table:
    """An OpenDocument spreadsheet's sheets as a table, each a page; ``SkipFile`` when it
    cannot be read."""
    rows = Rows(limits)
    with open_package(data, "spreadsheet") as package:
        names = set(package.namelist())
        try:
            _check_spreadsheet(package, names)
            with package.open("content.xml") as content:
                _read_content(content, rows)
            metadata = _meta(package.read("meta.xml")) if "meta.xml" in names else {}
        except _BROKEN as error:
            raise SkipFile(f"{UNREADABLE}: {_said(error)}") from None
    return rows.table("ods", **metadata)


def _check_spreadsheet(package: zipfile.ZipFile, names: set[str]) -> None:
    """``SkipFile`` for a package that is not a spreadsheet or is encrypted."""
    if "mimetype" in names:
        mimetype = package.read("mimetype").decode("ascii", "replace").strip()
        if mimetype not in _SPREADSHEETS:
            raise SkipFile(f"{UNREADABLE}: an OpenDocument file that is not a spreadsheet ({mimetype[:80]})")
    if "META-INF/manifest.xml" in names and b"encryption-data" in package.read("META-INF/manifest.xml"):
        raise SkipFile("encrypted spreadsheet: it needs a password to read")


def _read_content(content, rows: Rows) -> None:
    """Give ``rows`` the rows of each sheet of ``content.xml``, as it is parsed."""
    events = etree.iterparse(
        content,
        events=("start", "end"),
        tag=(TABLE_NS + "table", TABLE_NS + "table-row"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
    )
    depth = 0  # tables open: a table inside a cell (depth 2) is part of that cell
    for event, element in events:
        if element.tag == TABLE_NS + "table":
            depth += 1 if event == "start" else -1
            if event == "start" and depth == 1:
                rows.sheet(element.get(TABLE_NS + "name") or "")
            elif event == "end" and depth == 0:
                element.clear()
        elif event == "end" and depth == 1:
            if not rows.row(_cells(element), _repeat(element.get(TABLE_NS + "number-rows-repeated"))):
                return
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]  # the rows read: lxml keeps them otherwise


def _cells(row) -> Iterator[tuple[str, int]]:
    """Each cell of a row, as ``(text, times repeated)``."""
    for cell in row:
        if cell.tag in _CELLS:
            yield _cell_text(cell), _repeat(cell.get(TABLE_NS + "number-columns-repeated"))


def _cell_text(cell) -> str:
    """What a cell shows: its paragraphs, a space between two, else its value."""
    paragraphs = ["".join(_inline(child)) for child in cell if child.tag in _PARAGRAPHS]
    if paragraphs:
        return " ".join(paragraphs)
    return next((value for name in _VALUES if (value := cell.get(name))), "")


def _inline(element) -> Iterator[str]:
    """The pieces of a paragraph's text (spaces, tabs and line breaks as spaces)."""
    if element.text:
        yield element.text
    for child in element:
        if child.tag == TEXT_NS + "s":
            yield " " * min(_repeat(child.get(TEXT_NS + "c")), 100)
        elif child.tag in (TEXT_NS + "tab", TEXT_NS + "line-break"):
            yield " "
        elif child.tag not in _SKIPPED and isinstance(child.tag, str):
            yield from _inline(child)
        if child.tail:
            yield child.tail


def _repeat(value: str | None) -> int:
    """A count of repeats as the file gives it: 1 when it gives none or nonsense."""
    try:
        return min(max(int(value or 1), 1), MAX_REPEAT)
    except ValueError:
        return 1


def _meta(data: bytes) -> dict:
    """Title, author, description, keywords and creation date from ``meta.xml``."""
    meta_element = etree.fromstring(data, _PARSER).find(f"{OFFICE_NS}meta")
    if meta_element is None:
        return {}

    def first(*names: str) -> str | None:
        found = (meta_element.findtext(name) for name in names)
        return next((text.strip() for text in found if text and text.strip()), None)

    keywords = [word.text.strip() for word in meta_element.iter(META_NS + "keyword") if word.text and word.text.strip()]
    meta = {
        "title": first(DC_NS + "title"),
        # dc:creator is whoever saved the file last; meta:initial-creator is who made it.
        "author": first(META_NS + "initial-creator", DC_NS + "creator"),
        "description": first(DC_NS + "description", DC_NS + "subject"),
        "tags": keywords,
        "file_date": first(META_NS + "creation-date", DC_NS + "date"),
    }
    return {key: value for key, value in meta.items() if value}
