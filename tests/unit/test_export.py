"""Exporting a search's results: every match and nothing else, in the search's order, as CSV, JSON
Lines and RIS, from /api/export and from `archive-search search --format`; bounded by EXPORT_MAX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from urllib.parse import unquote

import pytest

from app.cli import main

from ..support import built, serving

COLUMNS = ["id", "title", "date", "author", "languages", "tags", "source_url", "url", "page", "snippet"]
# Searches as the API's query string: words in either script, a phrase, every document, sorts.
SEARCHES = [
    {"q": "人權"},
    {"q": "rights"},
    {"q": '"Hong Kong"'},
    {"q": "police OR 警察", "sort": "-date"},
    {"q": "*", "sort": "date"},
    {"q": "人權", "expand": "0"},
]


def paged(client, params: dict) -> tuple[list[str], int]:
    """The ids of every result of a search, page after page of /api/search, and its total."""
    ids, page = [], 1
    while True:
        body = client.get("/api/search", query_string={**params, "per_page": 100, "page": page}).get_json()
        ids += [result["id"] for result in body["results"]]
        if page >= body["pages"]:
            return ids, body["total"]
        page += 1


def exported(client, params: dict, shape: str = "jsonl"):
    response = client.get("/api/export", query_string={**params, "format": shape})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def jsonl(response) -> list[dict]:
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


# A small RIS reader: records from TY to ER, each line "XX  - value".
_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  - (.*)$")


def parse_ris(text: str) -> list[dict[str, list[str]]]:
    records, current = [], None
    for line in text.splitlines():
        if not line:
            continue
        found = _RIS_LINE.match(line)
        assert found, f"not a RIS line: {line!r}"
        tag, value = found.groups()
        if tag == "TY":
            assert current is None, "TY inside a record"
            current = {"TY": [value]}
        elif tag == "ER":
            assert current is not None, "ER outside a record"
            records.append(current)
            current = None
        else:
            assert current is not None, f"{tag} outside a record"
            current.setdefault(tag, []).append(value)
    assert current is None, "a record without its ER"
    return records


@pytest.mark.parametrize("params", SEARCHES, ids=lambda params: " ".join(params.values()))
def test_every_exported_row_is_a_match_in_the_order_of_the_pages(client, params):
    ids, total = paged(client, params)
    response = exported(client, params)
    rows = jsonl(response)
    assert total > 0
    assert [row["id"] for row in rows] == ids
    assert len(rows) == total == int(response.headers["X-Archive-Total"])


@pytest.mark.parametrize(
    "filters",
    [{"lang": "zh-Hant"}, {"year": "2019"}, {"from": "2019-06", "to": "2023"}, {"lang": "en", "to": "2020"}],
    ids=lambda filters: str(filters),
)
def test_the_filters_of_a_search_apply_to_its_export(client, filters):
    params = {"q": "*", **filters}
    ids, total = paged(client, params)
    rows = jsonl(exported(client, params))
    assert [row["id"] for row in rows] == ids and len(rows) == total
    assert total < len(jsonl(exported(client, {"q": "*"})))
    for row in rows:
        if "lang" in filters:
            assert any(tag.startswith(filters["lang"]) for tag in row["languages"]), row
        if "year" in filters:
            assert row["date"].startswith(filters["year"]), row
        if "from" in filters:
            assert row["date"] and row["date"][:7] >= "2019-06" and row["date"][:4] <= "2023", row
        if "to" in filters and "from" not in filters:
            assert row["date"] and row["date"][:4] <= filters["to"], row


def test_a_traditional_query_exports_the_simplified_documents_too(client):
    rows = {row["id"]: row for row in jsonl(exported(client, {"q": "人權", "dedupe": "0"}))}  # every copy a row
    assert {"udhr/udhr_cmn_hant", "udhr/udhr_cmn_hans"} <= rows.keys()
    assert "人权" in rows["udhr/udhr_cmn_hans"]["snippet"]
    assert "人權" in rows["udhr/udhr_cmn_hant"]["snippet"]


def test_each_row_holds_the_document_its_page_and_its_snippet_as_text(client):
    rows = {row["id"]: row for row in jsonl(exported(client, {"q": "民主派初選"}))}
    row = rows["fixtures/news/primaries_2024"]
    assert row["date"] == "2024-11-19" and row["author"] == "Example News Desk"
    assert row["tags"] == ["national security", "trials"]
    assert row["source_url"] == "https://example.org/news/primaries"
    assert row["url"].startswith("http://localhost/documents/fixtures/news/primaries_2024?q=")
    assert "<mark>" not in row["snippet"] and "初選" in row["snippet"]
    pdf = next(row for row in jsonl(exported(client, {"q": "detention"})) if row["id"].endswith("detention_report"))
    assert isinstance(pdf["page"], int) and pdf["page"] >= 1


def test_the_csv_opens_in_the_csv_module_and_starts_with_the_byte_order_mark(client):
    every_copy = {"q": "人權", "dedupe": "0"}  # the Traditional declaration a row of its own
    response = exported(client, every_copy, "csv")
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Type"].startswith("text/csv; charset=utf-8")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == COLUMNS
    ids, total = paged(client, every_copy)
    assert [row[0] for row in rows[1:]] == ids and len(rows) - 1 == total
    by_id = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert by_id["udhr/udhr_cmn_hant"]["languages"] == "zh-Hant"
    assert by_id["udhr/udhr_cmn_hant"]["date"] == "1948-12-10"


def test_the_ris_parses_a_record_per_match_with_its_tags(client):
    response = exported(client, {"q": "rights"}, "ris")
    records = parse_ris(response.get_data(as_text=True))
    rows = jsonl(exported(client, {"q": "rights"}))
    assert [record["ID"] for record in records] == [[row["id"]] for row in rows]
    today = dt.datetime.now(dt.UTC).date()
    for record, row in zip(records, rows, strict=True):
        assert record["TY"][0] in ("GEN", "NEWS", "ELEC")
        assert record["TI"] == [row["title"]]
        assert record["UR"] == [row["source_url"] or row["url"]]
        assert any(row["url"] in note and row["id"] in note for note in record["N1"])
        accessed = dt.datetime.strptime(record["Y2"][0], "%Y/%m/%d/").date()
        assert today - dt.timedelta(days=1) <= accessed <= today
        assert record.get("AU", []) == row["authors"]
        assert record.get("KW", []) == row["tags"]
        if row["date"]:
            year, month, day = [*row["date"].split("-"), "", ""][:3]
            assert record["DA"] == [f"{year}/{month}/{day}/"] and record["PY"] == [year]
        else:
            assert "DA" not in record and "PY" not in record
    assert response.headers["Content-Type"].startswith("application/x-research-info-systems")


def test_each_format_is_a_download_named_by_the_query(client):
    for shape in ("csv", "jsonl", "ris"):
        disposition = exported(client, {"q": "national security"}, shape).headers["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert f'filename="archive-search-national-security.{shape}"' in disposition
    disposition = exported(client, {"q": "人權"}, "csv").headers["Content-Disposition"]
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "archive-search-人權.csv"


def test_the_page_of_results_plays_no_part(client):
    whole = [row["id"] for row in jsonl(exported(client, {"q": "rights"}))]
    assert [row["id"] for row in jsonl(exported(client, {"q": "rights", "page": "3", "per_page": "500"}))] == whole
    feed = client.get("/feed", query_string={"q": "rights", "page": "x", "per_page": "0"})
    assert feed.status_code == 200


def test_an_unknown_format_is_refused_naming_the_choices(client):
    response = client.get("/api/export", query_string={"q": "rights", "format": "xlsx"})
    assert response.status_code == 400
    assert response.get_json() == {
        "error": {"status": 400, "message": "format must be one of csv, jsonl, ris; got 'xlsx'."}
    }


def test_a_bad_search_is_refused_as_the_search_is(client):
    for params in ({"q": ""}, {"q": "a*"}, {"q": "rights", "sort": "title"}, {"q": "rights", "from": "June"}):
        exporting = client.get("/api/export", query_string=params)
        searching = client.get("/api/search", query_string=params)
        assert exporting.status_code == searching.status_code == 400
        assert exporting.get_json() == searching.get_json()


def test_a_search_matching_more_than_export_max_is_refused_saying_how_to_narrow_it(made_app):
    client = made_app(EXPORT_MAX=3).test_client()
    total = client.get("/api/search", query_string={"q": "人權"}).get_json()["total"]
    assert total > 3
    response = client.get("/api/export", query_string={"q": "人權", "format": "csv"})
    assert response.status_code == 400
    message = response.get_json()["error"]["message"]
    assert message.startswith(f"{total} documents match; an export holds at most 3.")
    assert "filters" in message and "dates" in message
    narrowed = client.get("/api/export", query_string={"q": "人權", "lang": "zh-Hant", "format": "jsonl"})
    assert narrowed.status_code == 200 and 0 < len(jsonl(narrowed)) <= 3
    page = client.get("/search", query_string={"q": "人權", "ui": "zh-Hant"})
    assert "請把搜尋收窄至 3 項結果或以下" in page.get_data(as_text=True)


def test_an_export_holds_a_search_slot_of_its_client_until_it_ends(made_app):
    client = made_app(SEARCHES_PER_CLIENT=1).test_client()
    response = client.get("/api/export", query_string={"q": "rights"})
    assert response.status_code == 200
    refused = client.get("/api/search", query_string={"q": "rights"})
    assert refused.status_code == 429
    assert response.get_data().startswith(b"\xef\xbb\xbf")
    response.close()
    assert client.get("/api/search", query_string={"q": "rights"}).status_code == 200


def test_the_results_page_links_each_download_of_the_same_search(client):
    page = client.get("/search", query_string={"q": "人權", "lang": "zh-Hant", "sort": "-date", "page": "1"})
    html = page.get_data(as_text=True)
    links = re.findall(r'href="(/api/export\?[^"]+)"', html)
    assert len(links) == 3
    for link, shape in zip(links, ("csv", "jsonl", "ris"), strict=True):
        link = link.replace("&amp;", "&")
        assert f"format={shape}" in link and "lang=zh-Hant" in link and "sort=-date" in link
        assert "page=" not in link
        assert client.get(link).status_code == 200
    assert "Download these results (" in html and ">JSON Lines</a>" in html
    for ui, words in (("zh-Hant", "下載這些結果"), ("zh-Hans", "下载这些结果")):
        assert words in client.get("/search", query_string={"q": "人權", "ui": ui}).get_data(as_text=True)


# --- Documents of their own: several authors, a web page, a hostile title ---------------------


@pytest.fixture(scope="module")
def own_client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export-documents")
    (folder / "joint.md").write_text(
        "---\ntitle: Joint statement on detention\ndate: 2021-06\nauthor: [First Group, Second Group]\n"
        "tags: [detention, joint]\n---\nThe groups call for the release of everyone held in detention.\n",
        encoding="utf-8",
    )
    (folder / "page.html").write_text(
        "<html><head><title>Detention hearings</title></head><body><article><p>"
        + "The detention hearings were held in public. " * 8
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    (folder / "formula.md").write_text(
        '---\ntitle: "=HYPERLINK(\\"http://example.org\\")"\ndate: 2020\n---\nA detention note.\n', encoding="utf-8"
    )
    index = built(folder, tmp_path_factory.mktemp("export-index"))
    with serving(index, folder) as client:
        yield client


def test_ris_names_each_author_and_types_a_web_page(own_client):
    records = {record["ID"][0]: record for record in parse_ris(exported(own_client, {"q": "detention"}, "ris").text)}
    joint = records["joint"]
    assert joint["TY"] == ["GEN"] and joint["AU"] == ["First Group", "Second Group"]
    assert joint["DA"] == ["2021/06//"] and joint["PY"] == ["2021"]
    assert joint["KW"] == ["detention", "joint"]
    assert records["page"]["TY"] == ["ELEC"]
    assert records["formula"]["DA"] == ["2020///"]


def test_a_csv_cell_a_spreadsheet_would_run_as_a_formula_is_quoted(own_client):
    data = exported(own_client, {"q": "detention"}, "csv").get_data().decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(data, newline=""))}
    assert rows["formula"]["title"] == '\'=HYPERLINK("http://example.org")'
    assert rows["joint"]["author"] == "First Group; Second Group"
    assert rows["joint"]["tags"] == "detention; joint"
    assert json.loads(exported(own_client, {"q": "detention"}).text.splitlines()[0])["title"]


# --- The command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["csv", "jsonl", "ris"])
def test_the_command_line_writes_every_match_as_the_api_exports_it(runner, index_dir, client, shape):
    result = runner.invoke(main, ["search", "人權", "--format", shape, "--index", str(index_dir), "--limit", "1"])
    assert result.exit_code == 0, result.output
    ids, _total = paged(client, {"q": "人權"})
    text = result.stdout_bytes.decode("utf-8")
    if shape == "csv":
        assert text.startswith("\ufeff")
        found = [row[0] for row in csv.reader(io.StringIO(text[1:], newline=""))][1:]
    elif shape == "jsonl":
        found = [json.loads(line)["id"] for line in text.splitlines()]
    else:
        found = [record["ID"][0] for record in parse_ris(text)]
    assert found == ids
    if shape == "jsonl":
        assert json.loads(text.splitlines()[0])["url"].startswith("/documents/")


def test_the_command_line_json_format_is_json_and_text_the_default(runner, index_dir):
    arguments = ["search", "torture", "--index", str(index_dir)]
    as_json = runner.invoke(main, [*arguments, "--json"])
    as_format = runner.invoke(main, [*arguments, "--format", "json"])
    assert as_json.exit_code == as_format.exit_code == 0
    assert {**json.loads(as_json.output), "took_ms": 0} == {**json.loads(as_format.output), "took_ms": 0}
    text = runner.invoke(main, [*arguments, "--format", "text"])
    assert text.output.split(" (")[0] == runner.invoke(main, arguments).output.split(" (")[0]
    clash = runner.invoke(main, [*arguments, "--json", "--format", "csv"])
    assert clash.exit_code == 2 and "not both" in clash.output


def test_the_command_line_export_keeps_to_export_max_and_says_nothing_matched(runner, index_dir):
    arguments = ["search", "人權", "--format", "csv", "--index", str(index_dir)]
    refused = runner.invoke(main, arguments, env={"ARCHIVE_EXPORT_MAX": "2"})
    assert refused.exit_code == 2
    assert "an export holds at most 2" in refused.output
    nothing = runner.invoke(main, ["search", "zebrafishxyz", "--format", "jsonl", "--index", str(index_dir)])
    assert nothing.exit_code == 1 and nothing.stdout_bytes == b""
