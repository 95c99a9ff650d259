"""Tables (.csv, .tsv, .xlsx, .ods): each row a line, the cells of a row apart.

A table's text is its sheets one after another, a blank line between two; each row is a line,
its cells joined by ``CELL`` (U+001F, ``app.tables_text``), a line break inside a cell made a
space. Empty rows and a row's empty trailing cells are left out (an empty cell before a full one
stays, so that cells keep their columns); the first row of each sheet is its header. A
workbook's sheets are its pages: ``Extracted.pages`` holds where each starts, and the ``Table``
that ``workbooks`` reads holds their names beside. The title is the one the workbook states,
else the first header row.

Every table is hostile input. At most ``Limits.max_rows`` rows are kept in all, ``MAX_COLUMNS``
cells a row, ``MAX_CELL_CHARS`` characters a cell and ``MAX_TEXT_CHARS`` in all; a warning says
how many rows the table had (counted by reading on, or as a workbook states its size), and no
table is read past ``SCAN_FACTOR`` times the row limit, empty rows too, so that a sheet that
claims millions of empty rows ends there.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..tables_text import CELL
from .encoding import UndecodableError, decode
from .errors import SkipFile
from .extracted import Extracted
from .members import Limits
from .text import TITLE_MAX_CHARS, title_from_text

MAX_COLUMNS = 1000
MAX_CELL_CHARS = 10_000
MAX_TEXT_CHARS = 20_000_000
SCAN_FACTOR = 10
# The Sniffer's regular expressions take time that grows with the square of the sample.
SNIFF_CHARS = 4096
# The csv module's limit on one field (process-wide; the archive reads no other CSV): a field
# past it (a quote never closed) is a broken row, and reading goes on after it.
FIELD_LIMIT = 10 * MAX_CELL_CHARS
DELIMITERS = ",\t;|"
UNREADABLE = "unreadable spreadsheet"
# What a cell's text cannot hold: line breaks and the other control characters, CELL among them.
_NOT_IN_CELL = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


@dataclass
class Table:
    """A table as read: its text and metadata, and the name of each sheet (one a page; a
    .csv's or a .tsv's one sheet has no name and no page)."""

    extracted: Extracted
    sheets: list[str] = field(default_factory=list)


class Rows:
    """The rows of a table as its reader finds them, kept within the limits."""

    def __init__(self, limits: Limits) -> None:
        self.max_rows = limits.max_rows
        self.budget = limits.max_rows * SCAN_FACTOR
        self.sheets: list[tuple[str, list[str]]] = []
        # Rows kept, rows left out (counted, or as a workbook states them), rows read.
        self.kept = self.left_out = self.claimed_rows = self.scanned = self.chars = 0
        self.cut = self.wide = self.broken = 0
        self.text_full = self.stopped = False

    @property
    def full(self) -> bool:
        """True when no more rows are kept (those read are only counted)."""
        return self.kept >= self.max_rows or self.text_full

    def sheet(self, name: str) -> None:
        """Start the next sheet."""
        self.sheets.append((name, []))

    def claimed(self, count: int) -> None:
        """Count rows left unread, as many as the table says it has."""
        self.claimed_rows += count

    def row(self, pieces: Iterable[tuple[str, int]], repeated: int = 1) -> bool:
        """Read a row (``repeated`` times over) from its cells, each ``(text, times repeated)``;
        False when the table is read no further."""
        self.scanned += 1
        if self.scanned > self.budget:
            self.stopped = True
            return False
        if self.full:
            if any(_clean(text) for text, _times in pieces):
                self.left_out += repeated
            return True
        cells = self._cells(pieces)
        if cells:
            self._add(CELL.join(cells), repeated)
        return True

    def _cells(self, pieces: Iterable[tuple[str, int]]) -> list[str]:
        """A row's cells, cleaned and cut, without its empty trailing cells."""
        cells: list[str] = []
        empty = 0  # empty cells seen since the last full one: written only if one follows
        for text, times in pieces:
            text = _clean(text)
            if not text:
                empty += times
                continue
            if len(text) > MAX_CELL_CHARS:
                self.cut += 1
                text = text[:MAX_CELL_CHARS]
            room = MAX_COLUMNS - len(cells)
            if empty + times > room:
                cells += [""] * min(empty, room)
                cells += [text] * (MAX_COLUMNS - len(cells))
                self.wide += 1
                break
            cells += [""] * empty + [text] * times
            empty = 0
        while cells and not cells[-1]:  # past the last column kept, only empty cells fitted
            cells.pop()
        return cells

    def _add(self, line: str, repeated: int) -> None:
        """Keep ``repeated`` copies of a row's line, as many as the limits leave room for."""
        fit = (MAX_TEXT_CHARS - self.chars) // (len(line) + 1)
        times = min(repeated, self.max_rows - self.kept, fit)
        if times < repeated and times == fit:
            self.text_full = True
        self.sheets[-1][1].extend([line] * times)
        self.kept += times
        self.chars += times * (len(line) + 1)
        self.left_out += repeated - times

    def table(self, kind: str, title: object = None, **metadata) -> Table:
        """The table read: its text, its sheets as pages (a workbook's), and what was left out."""
        sheets = [(name, rows) for name, rows in self.sheets if rows]
        parts, pages, offset = [], [], 0
        for _name, rows in sheets:
            pages.append(offset)
            parts.append("\n".join(rows))
            offset += len(parts[-1]) + 2
        text = "\n\n".join(parts)
        if not title and sheets:
            heading = sheets[0][1][0].replace(CELL, " | ")
            title = title_from_text(heading) or heading[:TITLE_MAX_CHARS]
        extracted = Extracted(text, title=title, warnings=self.warnings(), **metadata)
        if kind in ("xlsx", "ods"):
            extracted.pages = pages
        return Table(extracted, [name for name, _rows in sheets])

    def warnings(self) -> list[str]:
        """What the table held that is not indexed."""
        found = []
        total = self.kept + self.left_out + self.claimed_rows
        kept, verb = ("row", "is") if self.kept == 1 else (f"{self.kept:,} rows", "are")
        if self.stopped:
            found.append(f"only the first {kept} {verb} indexed: a table is read no further than {self.budget:,} rows")
        elif total > self.kept:
            about = "about " if self.claimed_rows else ""
            found.append(f"only the first {kept} of {about}{total:,} {verb} indexed")
        if self.text_full:
            found[-1] += f" (the text reached {MAX_TEXT_CHARS:,} characters)"
        if self.wide:
            found.append(f"cells after column {MAX_COLUMNS:,} are left out, in {_counted(self.wide, 'row')}")
        if self.cut:
            found.append(f"{_counted(self.cut, 'cell')} cut at {MAX_CELL_CHARS:,} characters")
        if self.broken:
            found.append(f"{_counted(self.broken, 'row')} could not be read (a quote never closed?)")
        return found


def _counted(count: int, noun: str) -> str:
    """``count`` of ``noun``, in the plural unless there is one."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _clean(text: str) -> str:
    """A cell's text on one line, each run of spaces one space, none around it."""
    return " ".join(_NOT_IN_CELL.sub(" ", text).split()) if text else ""


def read_csv(data: bytes, limits: Limits) -> Extracted:
    """A .csv file: its rows, the delimiter sniffed (a comma when it cannot be)."""
    return read_delimited(data, limits, ",").extracted


def read_tsv(data: bytes, limits: Limits) -> Extracted:
    """A .tsv file: its rows, cells apart at tabs (or at what it is delimited by, if no tab)."""
    return read_delimited(data, limits, "\t").extracted


def read_xlsx(data: bytes, limits: Limits) -> Extracted:
    """An Excel workbook (.xlsx): every sheet's rows, a sheet a page."""
    from .workbooks import read_xlsx_table

    table = read_xlsx_table(data, limits)
    return replace(table.extracted, page_names=table.sheets)


def read_ods(data: bytes, limits: Limits) -> Extracted:
    """An OpenDocument spreadsheet (.ods): every sheet's rows, a sheet a page."""
    from .workbooks import read_ods_table

    table = read_ods_table(data, limits)
    return replace(table.extracted, page_names=table.sheets)


def read_delimited(data: bytes, limits: Limits, delimiter: str) -> Table:
    """A delimited text file (``delimiter`` unless the sample says another), as a table."""
    try:
        text, _encoding = decode(data)
    except UndecodableError as error:
        raise SkipFile(f"{UNREADABLE}: {error}") from None
    dialect = _dialect(text[:SNIFF_CHARS], delimiter)
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = Rows(limits)
    rows.sheet("")
    reason = ""
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            # The reader starts again on the line after the one it could not read.
            rows.broken += 1
            reason = reason or f"line {reader.line_num}: {error}"
            continue
        if len(record) > MAX_COLUMNS + 1:  # the first full field past the limit stands for them all
            record = [*record[:MAX_COLUMNS], next(filter(None, record[MAX_COLUMNS:]), "")]
        if not rows.row((value, 1) for value in record):
            break
    if not rows.kept and reason:
        raise SkipFile(f"{UNREADABLE}: {reason}")
    return rows.table("csv")


def _dialect(sample: str, default: str) -> type[csv.Dialect]:
    """The file's dialect: RFC 4180's, with the delimiter the sample shows (``default`` when it
    shows none; a tab wherever a .tsv's sample holds one)."""
    if "\n" in sample[len(sample) // 2 :]:
        sample = sample[: sample.rindex("\n")]  # whole rows only
    delimiter = default
    if not (default == "\t" and "\t" in sample):
        # A single column, or no delimiter that shows: the format's own.
        with contextlib.suppress(csv.Error):
            delimiter = csv.Sniffer().sniff(sample, DELIMITERS).delimiter

    class Dialect(csv.excel):
        pass

    # Only the delimiter is taken from the Sniffer: it reads no doubled quote in a sample as a
    # file without them, and an apostrophe as a quote character.
    Dialect.delimiter = delimiter
    return Dialect
