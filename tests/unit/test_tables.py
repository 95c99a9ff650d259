"""Tables (.csv, .tsv, .xlsx, .ods): each row a line, its cells apart, every sheet a page; read
within bounds whatever a file claims; found cell by cell, and shown as tables."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup

from app.ingest import SkipFile
from app.ingest.members import Limits
from app.ingest.tables import MAX_CELL_CHARS, MAX_COLUMNS, MAX_TEXT_CHARS, read_csv, read_ods, read_tsv, read_xlsx
from app.ingest.workbooks import read_ods_table, read_xlsx_table
from app.tables_text import CELL

from ..support import built, serving

LIMITS = Limits()
PEOPLE = [["姓名", "English name", "Year"], ["鄒幸彤", "Chow Hang-tung", "1985"], ["黎智英", "Jimmy Lai", "1947"]]


def lines(*rows: list[str]) -> str:
    return "\n".join(CELL.join(row) for row in rows)


def delimited(rows: list[list[str]], delimiter: str = ",") -> str:
    return "".join(delimiter.join(row) + "\r\n" for row in rows)


def workbook(sheets: dict[str, list[list[object]]], **properties) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    for key, value in properties.items():
        setattr(book.properties, key, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods(tables: str, mimetype: str = "application/vnd.oasis.opendocument.spreadsheet") -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NAMESPACES}>'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("mimetype", mimetype)
        package.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def cell(text: str | None = None, repeated: int | None = None) -> str:
    times = f' table:number-columns-repeated="{repeated}"' if repeated else ""
    return (
        f"<table:table-cell{times}><text:p>{text}</text:p></table:table-cell>"
        if text
        else f"<table:table-cell{times}/>"
    )


def row(*cells: str, repeated: int | None = None) -> str:
    times = f' table:number-rows-repeated="{repeated}"' if repeated else ""
    return f"<table:table-row{times}>{''.join(cells)}</table:table-row>"


def sheet(name: str, *rows: str) -> str:
    columns = '<table:table-column table:number-columns-repeated="3"/>'
    return f'<table:table table:name="{name}">{columns}{"".join(rows)}</table:table>'


# Reading


def test_a_utf8_csv_with_its_byte_order_mark_reads_a_row_a_line():
    extracted = read_csv(delimited(PEOPLE).encode("utf-8-sig"), LIMITS)
    assert extracted.text == lines(*PEOPLE)
    assert extracted.title == "姓名 | English name | Year"  # no title of its own: its header row
    assert extracted.pages == [] and extracted.warnings == []


def test_a_big5_csv_is_decoded_as_a_text_file_is():
    rows = [["姓名", "職位"], ["鄒幸彤", "香港市民支援愛國民主運動聯合會副主席"], ["何桂藍", "立場新聞記者"]]
    assert read_csv(delimited(rows).encode("big5"), LIMITS).text == lines(*rows)


def test_a_csv_s_delimiter_is_sniffed_and_its_quotes_are_read_as_rfc_4180_has_them():
    data = b'name;note\n"Chow; Hang-tung";"said ""no""\nto the court"\n'
    assert read_csv(data, LIMITS).text == lines(["name", "note"], ["Chow; Hang-tung", 'said "no" to the court'])


def test_a_tsv_splits_at_tabs_only():
    data = b"name\tnote\nChow Hang-tung\tarrested, 4 June 2021\n"
    assert read_tsv(data, LIMITS).text == lines(["name", "note"], ["Chow Hang-tung", "arrested, 4 June 2021"])


def test_empty_rows_and_trailing_cells_are_left_out_and_cells_keep_their_columns():
    data = f"a,b,c\n\n,,x,,\n , ,\n\u2028y\x1fz,,\n{'long ' * 50},\n".encode()
    assert read_csv(data, LIMITS).text == lines(["a", "b", "c"], ["", "", "x"], ["y z"], ["long " * 49 + "long"])


def test_an_xlsx_reads_every_sheet_a_page_with_its_name():
    data = workbook(
        {"人物": [*PEOPLE[:2], [None, None], [3.5, True, None]], "Cases": [["Case", "Date"], ["HCCC 1/2021", None]]},
        title="Detained activists",
        creator="Example Rights Monitor",
    )
    table = read_xlsx_table(data, LIMITS)
    first = lines(*PEOPLE[:2], ["3.5", "TRUE"])
    assert table.extracted.text == first + "\n\n" + lines(["Case", "Date"], ["HCCC 1/2021"])
    assert table.extracted.pages == [0, len(first) + 2]
    assert table.sheets == ["人物", "Cases"]
    assert (table.extracted.title, table.extracted.author) == ("Detained activists", "Example Rights Monitor")
    assert read_xlsx(data, LIMITS).text == table.extracted.text


def test_an_ods_reads_every_sheet_with_its_repeated_cells_written_out():
    first = sheet(
        "人物",
        row(cell("姓名"), cell("English name"), cell(repeated=1020)),
        row(cell("鄒幸彤"), cell("Chow <text:s text:c='3'/>Hang-tung<text:line-break/>(支聯會)"), cell(repeated=16382)),
        row(cell(repeated=2), cell("gap before"), cell(repeated=3), cell("x", repeated=2)),
        row(cell(repeated=16384), repeated=1048570),
    )
    data = ods(first + sheet("Two", row(cell("only"))) + sheet("Empty", row(cell(repeated=5))))
    table = read_ods_table(data, LIMITS)
    rows = lines(
        ["姓名", "English name"], ["鄒幸彤", "Chow Hang-tung (支聯會)"], ["", "", "gap before", "", "", "", "x", "x"]
    )
    assert table.extracted.text == rows + "\n\nonly"
    assert table.extracted.pages == [0, len(rows) + 2]
    assert table.sheets == ["人物", "Two"]  # a sheet with no text is no page
    assert read_ods(data, LIMITS).text == table.extracted.text


# Bounds


def test_rows_past_the_limit_are_counted_in_a_warning():
    rows = [["n", "name"]] + [[str(number), f"person {number}"] for number in range(1, 250)]
    extracted = read_csv(delimited(rows).encode(), Limits(max_rows=100))
    assert extracted.text.count("\n") == 99
    assert extracted.warnings == ["only the first 100 rows of 250 are indexed"]


def test_the_row_limit_counts_the_rows_of_every_sheet():
    data = ods(sheet("a", row(cell("x"), repeated=60)) + sheet("b", row(cell("y"), repeated=60)))
    extracted = read_ods(data, Limits(max_rows=100))
    assert extracted.text.split("\n\n") == ["\n".join(["x"] * 60), "\n".join(["y"] * 40)]
    assert extracted.warnings == ["only the first 100 rows of 120 are indexed"]


def test_a_few_bytes_of_repeated_cells_and_rows_stay_within_bounds():
    bomb = ods(sheet("bomb", row(cell("x", repeated=2_000_000_000), repeated=2_000_000_000)))
    assert len(bomb) < 1000
    extracted = read_ods(bomb, LIMITS)
    rows = extracted.text.split("\n")
    assert len(extracted.text) <= MAX_TEXT_CHARS and len(rows) <= LIMITS.max_rows
    assert {len(line.split(CELL)) for line in rows} == {MAX_COLUMNS}
    assert extracted.warnings[0].startswith(f"only the first {len(rows):,} rows of 2,000,000,000 are indexed")
    assert f"cells after column {MAX_COLUMNS:,} are left out, in 1 row" in extracted.warnings


def test_millions_of_empty_rows_and_cells_claimed_are_nothing():
    empty = row(cell(repeated=2_000_000_000), repeated=2_000_000_000)
    extracted = read_ods(ods(sheet("s", *[empty] * 50, row(cell("end")))), LIMITS)
    assert (extracted.text, extracted.warnings) == ("end", [])


def test_an_xlsx_row_numbered_past_a_million_ends_the_reading():
    data = workbook({"s": [["head", "b"], [None], ["far"]]})
    data = rewritten(data, "xl/worksheets/sheet1.xml", [('r="3"', 'r="999999999999"'), ('r="A3"', 'r="A999999999999"')])
    extracted = read_xlsx(data, Limits(max_rows=1000))
    assert extracted.text == lines(["head", "b"])
    assert extracted.warnings == ["only the first row is indexed: a table is read no further than 10,000 rows"]


def test_long_cells_are_cut_and_wide_rows_end_at_the_column_limit():
    data = ("a," * (MAX_COLUMNS + 5) + "\n" + "w" * (MAX_CELL_CHARS + 50) + "\n").encode()
    extracted = read_csv(data, LIMITS)
    wide, long = extracted.text.split("\n")
    assert len(wide.split(CELL)) == MAX_COLUMNS and len(long) == MAX_CELL_CHARS
    assert extracted.warnings == [
        f"cells after column {MAX_COLUMNS:,} are left out, in 1 row",
        f"1 cell cut at {MAX_CELL_CHARS:,} characters",
    ]


def test_a_quote_never_closed_breaks_a_row_not_the_file():
    data = ('name,note\nChow,"' + "x" * 200_000 + "\nLai,ok\n").encode()
    extracted = read_csv(data, LIMITS)
    assert extracted.text == lines(["name", "note"], ["Lai", "ok"])
    assert extracted.warnings == ["1 row could not be read (a quote never closed?)"]


# Refused


@pytest.mark.parametrize(
    ("reader", "data", "reason"),
    [
        (read_xlsx, b"PK\x03\x04 not a zip", "unreadable spreadsheet: not a ZIP package"),
        (read_xlsx, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "unreadable spreadsheet: password-protected"),
        (read_ods, b"PK\x03\x04 not a zip", "unreadable spreadsheet: not a ZIP package"),
        (read_ods, ods(sheet("s", row(cell("x"))) + "<table:table>"), "unreadable spreadsheet: Opening and ending tag"),
        (read_ods, ods("", mimetype="application/vnd.oasis.opendocument.text"), "not a spreadsheet"),
        (read_csv, b"\xff\xfe\x00\xd8", "unreadable spreadsheet: not valid utf-16"),
    ],
)
def test_a_broken_table_is_refused_with_its_reason(reader, data, reason):
    with pytest.raises(SkipFile, match=re.escape(reason)):
        reader(data, LIMITS)


def test_an_xlsx_missing_its_parts_is_refused():
    data = rewritten(workbook({"s": [["x"]]}), "[Content_Types].xml", None)
    with pytest.raises(SkipFile, match=r"unreadable spreadsheet: There is no item named '\[Content_Types\].xml'"):
        read_xlsx(data, LIMITS)


def rewritten(data: bytes, name: str, replacements: list[tuple[str, str]] | None) -> bytes:
    """The ZIP package ``data`` with its member ``name`` edited (None: left out)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == name:
                if replacements is None:
                    continue
                text = content.decode()
                for old, new in replacements:
                    text = text.replace(old, new)
                content = text.encode()
            package.writestr(info, content)
    return out.getvalue()


# Found and shown


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Path, Path]:
    """A folder of a workbook, a .csv and a note, and its index."""

    folder = tmp_path_factory.mktemp("tables")
    (folder / "detained.xlsx").write_bytes(
        workbook({"人物": PEOPLE, "Cases": [["Case", "Defendant"], ["HCCC 1/2021", "黎智英"]]})
    )
    (folder / "vigil.csv").write_bytes(delimited([["Year", "Organiser"], ["2020", "支聯會"]]).encode("big5"))
    (folder / "note.md").write_text("# Note\n\n鄒幸彤 Chow Hang-tung spoke.\n", encoding="utf-8")
    return folder, built(folder, tmp_path_factory.mktemp("index"))


@pytest.fixture()
def client(archive):
    with serving(archive[1], archive[0]) as test_client:
        yield test_client


def found(client, q: str, **params) -> dict:
    response = client.get("/api/search", query_string={"q": q, **params})
    assert response.status_code == 200
    assert CELL not in response.get_data(as_text=True)
    return {hit["id"]: hit for hit in response.get_json()["results"]}


def test_a_cell_is_found_in_either_script_and_no_phrase_runs_into_the_next_cell(client):
    assert {"detained", "note"} <= set(found(client, "邹幸彤"))
    assert set(found(client, '"鄒幸彤 Chow"')) == {"note"}
    assert set(found(client, '"Chow Hang-tung"')) == {"detained", "note"}
    assert "detained" not in found(client, '"1985 黎智英"')  # nor into the next row


def test_a_result_shows_the_row_that_matched_below_its_header(client):
    hit = found(client, "邹幸彤")["detained"]
    snippet = BeautifulSoup(hit["snippet"], "html.parser")
    rows = [[cell.get_text() for cell in line.select(".cell")] for line in snippet.select(".row")]
    assert rows == PEOPLE[:2]
    assert "header" in snippet.select(".row")[0]["class"]
    # The glossary's other name of her is found too: each name marked in its own cell.
    assert [mark.get_text() for mark in snippet.select(".cell > mark")] == ["鄒幸彤", "Chow Hang-tung"]
    assert snippet.get_text() == "姓名 | English name | Year鄒幸彤 | Chow Hang-tung | 1985"
    as_typed = BeautifulSoup(found(client, "邹幸彤", expand=0)["detained"]["snippet"], "html.parser")
    assert [mark.get_text() for mark in as_typed.select(".cell > mark")] == ["鄒幸彤"]
    assert found(client, "HCCC")["detained"]["page"] == 2  # the second sheet


def test_the_search_page_and_the_terminal_show_the_row_with_its_header(client, archive):
    from click.testing import CliRunner

    from app.cli import main

    page = client.get("/search", query_string={"q": "支联会"}).get_data(as_text=True)
    assert CELL not in page
    rows = BeautifulSoup(page, "html.parser").select(".hit .snippet .row")
    assert [line.get_text() for line in rows] == ["Year | Organiser", "2020 | 支聯會"]
    output = CliRunner().invoke(main, ["search", "邹幸彤", "--index", str(archive[1])]).output
    assert CELL not in output
    assert "     姓名 | English name | Year\n     [鄒幸彤] | [Chow Hang-tung] | 1985\n" in output


def test_the_document_page_shows_each_sheet_as_a_table_with_the_match_marked_in_its_cell(client):
    response = client.get("/documents/detained", query_string={"q": "邹幸彤"})
    assert response.status_code == 200 and CELL not in response.get_data(as_text=True)
    tables = BeautifulSoup(response.get_data(as_text=True), "html.parser").select(".text table")
    assert len(tables) == 2
    assert [th.get_text() for th in tables[0].select("thead th")] == PEOPLE[0]
    assert [[td.get_text() for td in tr.select("td")] for tr in tables[0].select("tbody tr")] == PEOPLE[1:]
    marks = tables[0].select("td > mark")
    assert [mark.get_text() for mark in marks] == ["鄒幸彤", "Chow Hang-tung"]  # each in its cell
    assert marks[0]["id"] == "match-1"
    assert [th.get_text() for th in tables[1].select("thead th")] == ["Case", "Defendant"]


def test_the_api_gives_a_table_s_text_with_tabs_between_cells(client):
    document = client.get("/api/documents/detained", query_string={"q": "邹幸彤", "expand": "0"}).get_json()
    start, end = document["spans"][0]
    assert document["text"][start:end] == "鄒幸彤"
    assert document["text"].split("\n")[1] == "鄒幸彤\tChow Hang-tung\t1985"
