"""Batch search: a list of names, organisations or laws searched at once, through the API, the
page and the command line, each query answered as its single search answers it."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest

from app.cli import main
from app.messages import english
from app.service.batch import CSV, LINES, read_list

from ..support import notice

# Names in both scripts, English words, a phrase, a name no document holds.
NAMES = ["人權", "人权", "安華托帝", "安华托帝", "習近平", "Jimmy Lai", '"human rights"', "zebrafishxyz"]


def batch(client, queries, **params):
    """The JSON answer of POST /api/batch for ``queries`` (a JSON body)."""
    response = client.post("/api/batch", json={"queries": queries, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def single_total(client, q: str, **params) -> int:
    response = client.get("/api/search", query_string={"q": q, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["total"]


# --- Each query as its search ------------------------------------------------------------------

FILTERS = [
    {},
    {"expand": "0"},
    {"exact": "1"},
    {"lang": "zh-Hant"},
    {"lang": ["zh-Hans", "en"]},
    {"from": "1948", "to": "2019-12"},
    {"year": "undated"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=[json.dumps(item, ensure_ascii=False) for item in FILTERS])
def test_each_total_is_the_single_searchs_total(client, filters):
    answer = batch(client, NAMES, **filters)
    assert [item["query"] for item in answer["answers"]] == NAMES
    for item in answer["answers"]:
        assert item["error"] is None
        assert item["total"] == single_total(client, item["query"], **filters), item["query"]
    if not filters:
        assert all(item["total"] > 0 for item in answer["answers"][:-1])


def test_the_first_documents_are_the_searchs_first_with_their_links(client):
    (item,) = batch(client, ["人權"], per_page=3)["answers"]
    search = client.get("/api/search", query_string={"q": "人權", "per_page": 3}).get_json()
    assert [doc["id"] for doc in item["documents"]] == [result["id"] for result in search["results"]]
    assert [doc["url"] for doc in item["documents"]] == [result["url"] for result in search["results"]]
    assert all("<mark>" not in doc["snippet"] and doc["snippet"] for doc in item["documents"])
    assert item["search_url"] == "/search?q=%E4%BA%BA%E6%AC%8A"


def test_a_traditional_query_finds_the_simplified_text(client):
    name, rights = batch(client, ["安華托帝", "人權"], dedupe="0")["answers"]  # every copy, each script its own
    # 002 writes the name and the word in Simplified only: 安华托帝, 人权
    assert "002_5db78a1c256f63c4" in [doc["id"] for doc in name["documents"]]
    assert {"matched": "安華托帝", "forms": ["安华托帝"], "kind": "script", "concept": None} in name["also_matched"]
    found = {doc["id"]: doc for doc in rights["documents"]}
    assert "人权" in found["002_5db78a1c256f63c4"]["snippet"]
    assert "人權" in found["udhr/udhr_cmn_hant"]["snippet"]


def test_the_queries_without_results_come_apart(client):
    answer = batch(client, ["人權", "zebrafishxyz", "Jimmy Lai", "quokkaxyz"], labels=["a", "b", "c", "d"])
    assert answer["no_results"] == [
        {"line": 2, "query": "zebrafishxyz", "label": "b"},
        {"line": 4, "query": "quokkaxyz", "label": "d"},
    ]
    assert [item["total"] == 0 for item in answer["answers"]] == [False, True, False, True]
    assert answer["errors"] == []


def test_a_bad_line_is_named_with_its_reason_while_the_others_run(client):
    long_query = "權" * 501
    listed = f"人權\n\na*\n{long_query}\n-rights\n\tno query\n!!!\nJimmy Lai\n"
    response = client.post("/api/batch", data=listed.encode(), content_type="text/plain")
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["errors"] == [
        {"line": 3, "query": "a*", "label": "", "error": english("pattern_prefix_too_short", {"pattern": "a*"})},
        {
            "line": 4,
            "query": long_query,
            "label": "",
            "error": english("query_too_long", {"length": 501, "limit": 500}),
        },
        {"line": 5, "query": "-rights", "label": "", "error": english("query_only_excludes")},
        {"line": 6, "query": "", "label": "no query", "error": english("query_empty")},
        {"line": 7, "query": "!!!", "label": "", "error": english("query_no_words")},
    ]
    ran = {item["line"]: item["total"] for item in answer["answers"] if item["error"] is None}
    assert ran == {1: single_total(client, "人權"), 8: single_total(client, "Jimmy Lai")}


def test_a_list_longer_than_batch_queries_is_refused_with_its_message(made_app):
    client = made_app(BATCH_QUERIES=3).test_client()
    response = client.post("/api/batch", json={"queries": ["a", "b", "c", "d"]})
    assert response.status_code == 400
    message = response.get_json()["error"]["message"]
    assert (
        message
        == "The list holds 4 queries; a batch may hold at most 3 (BATCH_QUERIES). Split it into lists of 3 or fewer."
    )
    assert client.post("/api/batch", json={"queries": ["人權", "b", "c"]}).status_code == 200
    page = client.post("/batch?ui=zh-Hant", data={"queries": "a\nb\nc\nd\n"})
    assert page.status_code == 400
    assert notice(page.get_data(as_text=True)).startswith("清單有 4 個查詢；一次批次搜尋最多 3 個（BATCH_QUERIES）")


def test_an_empty_list_and_bad_bodies_are_refused_in_the_one_error_shape(client):
    refused = {
        "empty": client.post("/api/batch", data=b"\n\n  \n", content_type="text/plain"),
        "not a list": client.post("/api/batch", json={"queries": "人權"}),
        "not strings": client.post("/api/batch", json={"queries": ["人權", 3]}),
        "a filter of objects": client.post("/api/batch", json={"queries": ["人權"], "lang": {"zh": 1}}),
        "bad format": client.post("/api/batch", json={"queries": ["人權"], "format": "xlsx"}),
        "unknown language": client.post("/api/batch", json={"queries": ["人權"], "lang": "fr"}),
        "not a date": client.post("/api/batch?from=June", data="人權".encode(), content_type="text/plain"),
        "other type": client.post("/api/batch", data=b"<q/>", content_type="application/xml"),
        "not text": client.post("/api/batch", data=b"\x00\x01\x02\xff" * 64, content_type="text/csv"),
    }
    statuses = {name: response.status_code for name, response in refused.items()}
    assert statuses == {name: 415 if name == "other type" else 400 for name in refused}
    messages = {name: response.get_json()["error"]["message"] for name, response in refused.items()}
    assert messages["empty"] == english("batch_empty")
    assert messages["not strings"].endswith("queries is not.")
    assert messages["a filter of objects"].endswith("lang is not.")
    assert messages["bad format"] == "format must be one of json, csv; got 'xlsx'."
    assert messages["unknown language"].startswith("lang must be one of the archive's languages")
    assert messages["not a date"].startswith("from: 'June' is not a date")
    assert "application/xml" in messages["other type"]
    assert messages["not text"] == english("batch_unreadable")


def test_a_body_past_batch_bytes_is_413_with_its_message(made_app):
    client = made_app(BATCH_BYTES=1024).test_client()
    for response in (
        client.post("/api/batch", data=b"rights\n" * 200, content_type="text/plain"),
        client.post("/api/batch", json={"queries": ["rights"] * 200}),
        client.post("/batch", data={"queries": "rights\n" * 200}),
    ):
        assert response.status_code == 413
    assert response.is_json is False  # the page's own error page, in its language
    api = client.post("/api/batch", data=b"rights\n" * 200, content_type="text/plain").get_json()
    assert api["error"] == {"status": 413, "message": english("batch_too_large", {"limit": 1024})}
    assert client.post("/api/batch", data=b"rights\n" * 100, content_type="text/plain").status_code == 200


def test_a_batch_holds_one_search_slot_of_its_client(made_app):
    app = made_app(SEARCHES_PER_CLIENT=1)
    client = app.test_client()
    # one slot is the batch's for its whole run: its queries take none of their own
    assert len(batch(client, NAMES)["answers"]) == len(NAMES)
    with app.extensions["limiter"].hold("127.0.0.1"):
        refused = client.post("/api/batch", json={"queries": ["人權"]})
    assert refused.status_code == 429
    assert refused.get_json()["error"]["message"] == english("too_many_searches", {"limit": 1})


def test_the_queries_past_batch_seconds_are_answered_as_not_run(made_app):
    client = made_app(BATCH_SECONDS=0).test_client()
    answer = batch(client, ["人權", "a*", "rights"])
    assert answer["cut"] is True
    not_run = english("batch_not_run", {"seconds": "0"})
    assert [(item["line"], item["error"]) for item in answer["errors"]] == [(1, not_run), (2, not_run), (3, not_run)]
    assert "BATCH_SECONDS" in not_run


# --- CSV ----------------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_answer_opens_with_csv_and_starts_with_the_bom(client):
    listed = 'query,label\n人權,rights\n"""human rights""",the phrase\nzebrafishxyz,nothing\na*,bad\n'
    response = client.post("/api/batch?format=csv&per_page=2", data=listed.encode(), content_type="text/csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response.data)
    assert set(rows[0]) >= {"query", "label", "total", "rank", "id", "title", "date", "url", "snippet"}
    by_query: dict[str, list[dict]] = {}
    for row in rows:
        by_query.setdefault(row["query"], []).append(row)
    assert [row["rank"] for row in by_query["人權"]] == ["1", "2"]
    assert {row["total"] for row in by_query["人權"]} == {str(single_total(client, "人權"))}
    assert {row["label"] for row in by_query['"human rights"']} == {"the phrase"}
    assert by_query["zebrafishxyz"] == [{**by_query["zebrafishxyz"][0], "total": "0", "rank": "", "id": ""}]
    (bad,) = by_query["a*"]
    assert (
        bad["line"] == "5"
        and bad["total"] == ""
        and bad["error"] == english("pattern_prefix_too_short", {"pattern": "a*"})
    )
    first = by_query["人權"][0]
    assert first["url"].startswith("http://localhost/documents/") and "q=" in first["url"]
    assert "人权" in by_query["人權"][0]["also_matched"]


def test_a_cell_a_spreadsheet_would_run_is_quoted(client):
    response = client.post("/api/batch?format=csv", json={"queries": ["=HYPERLINK(1)"], "labels": ["+1"]})
    (row,) = read_csv(response.data)
    assert row["query"] == "'=HYPERLINK(1)" and row["label"] == "'+1"


# --- Reading a list -----------------------------------------------------------------------------


def test_a_list_is_read_with_its_line_numbers_labels_and_header():
    text = '\ufeffquery,label\r\n\r\n人權,rights\r\n"""human rights""","a, phrase"\r\nJimmy Lai\r\n'
    assert [(item.line, item.query, item.label) for item in read_list(text)] == [
        (3, "人權", "rights"),
        (4, '"human rights"', "a, phrase"),
        (5, "Jimmy Lai", ""),
    ]
    # a list of lines keeps its commas and quotes; a tab gives the label, as a pasted sheet's column
    lines = 'Lee Cheuk-yan, trade unionist\n"human rights" defenders\n黎智英\tdetained\n'
    assert [(item.query, item.label) for item in read_list(lines)] == [
        ("Lee Cheuk-yan, trade unionist", ""),
        ('"human rights" defenders', ""),
        ("黎智英", "detained"),
    ]
    assert [item.query for item in read_list("query\nrights\n", LINES)] == ["query", "rights"]
    assert [item.query for item in read_list("query\nrights\n", CSV)] == ["rights"]


# --- The page -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ui", "words"),
    [
        ("en", ["Search a list", "Queries, one per line"]),
        ("zh-Hant", ["搜尋清單", "查詢（每行一個）"]),
        ("zh-Hans", ["搜索清单", "查询（每行一个）"]),
    ],
)
def test_the_batch_page_offers_a_list_a_file_and_the_filters(client, ui, words):
    page = client.get("/batch", query_string={"ui": ui}).get_data(as_text=True)
    for word in words:
        assert word in page
    assert 'name="queries"' in page and 'type="file"' in page and 'enctype="multipart/form-data"' in page
    assert 'type="checkbox" name="expand" value="1" checked' in page
    assert '<option value="zh-Hant"' in page and 'name="from"' in page and 'name="to"' in page
    assert f'action="/batch?ui={ui}"' in page  # the answers come in the same language


def rows_of(page: str) -> dict[str, str]:
    """Each query of the page's table with its count."""
    found = re.findall(
        r'<th scope="row" class="query">(.*?)\s*(?:<span|</th>).*?<td class="count">(\d+)</td>', page, re.S
    )
    return {query.strip(): count for query, count in found}


def test_a_pasted_list_is_answered_with_a_table_and_the_rest_apart(client):
    listed = "安華托帝\r\n安华托帝\r\nJimmy Lai\r\nzebrafishxyz\r\na*\r\n"
    response = client.post("/batch", data={"queries": listed, "expand": "1"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert rows_of(page) == {name: str(single_total(client, name)) for name in ("安華托帝", "安华托帝", "Jimmy Lai")}
    assert '<a href="/documents/002_5db78a1c256f63c4?q=%E5%AE%89%E8%8F%AF%E6%89%98%E5%B8%9D">' in page
    assert "<mark>安华托帝</mark>" in page  # the Simplified text, marked for the Traditional query
    assert 'href="/search?q=Jimmy+Lai"' in page
    none = page[page.index('class="batch-none"') :]
    assert "zebrafishxyz" in none and "line 4" in none
    errors = html.unescape(page[page.index('class="batch-errors"') :])
    assert "line 5" in errors and english("pattern_prefix_too_short", {"pattern": "a*"}) in errors


def test_the_page_says_why_a_line_was_not_searched_in_its_language(client):
    page = client.post("/batch?ui=zh-Hans", data={"queries": "人權\na*\n"}).get_data(as_text=True)
    errors = html.unescape(page[page.index('class="batch-errors"') :])
    assert "第 2 行" in errors and "“a*”：请在 * 或 ? 前至少输入两个字母。" in errors


def test_the_unticked_translations_box_searches_only_the_words_as_typed(client):
    page = client.post("/batch", data={"queries": "人權\nhuman rights\n"}).get_data(as_text=True)
    assert rows_of(page) == {q: str(single_total(client, q, expand="0")) for q in ("人權", "human rights")}
    assert 'name="expand" value="1">' in page  # the box as it was sent: unticked
    ticked = client.post("/batch", data={"queries": "人權\n", "expand": "1", "lang": "zh-Hant"}).get_data(as_text=True)
    assert rows_of(ticked) == {"人權": str(single_total(client, "人權", lang="zh-Hant"))}


def test_an_uploaded_csv_file_is_searched_with_its_labels(client):
    data = "query,label\n安華托帝,uyghur activist\n人權,rights\n".encode("big5")
    response = client.post(
        "/batch",
        data={"file": (io.BytesIO(data), "names.csv"), "queries": "ignored", "expand": "1"},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-500:]
    assert '<td class="label">uyghur activist</td>' in page and '<td class="label">rights</td>' in page
    assert rows_of(page) == {
        "安華托帝": str(single_total(client, "安華托帝")),
        "人權": str(single_total(client, "人權")),
    }


def test_the_page_downloads_the_same_answers_as_csv(client):
    listed = "\n人權\tr\nzebrafishxyz\n"
    page = client.post("/batch", data={"queries": listed, "expand": "1"}).get_data(as_text=True)
    # the download form sends the list again as it was, its first blank line kept
    assert '<textarea name="queries" hidden>\n\n人權\tr\nzebrafishxyz\n</textarea>' in page
    download = client.post("/batch", data={"queries": listed, "expand": "1", "format": "csv"})
    assert download.mimetype == "text/csv"
    rows = read_csv(download.data)
    assert {(row["line"], row["query"], row["label"]) for row in rows} == {
        ("2", "人權", "r"),
        ("3", "zebrafishxyz", ""),
    }


def test_the_search_page_links_to_the_batch_page(client):
    assert 'href="/batch?ui=zh-Hant"' in client.get("/?ui=zh-Hant").get_data(as_text=True)


# --- The command line ---------------------------------------------------------------------------


def comparable(body: dict) -> dict:
    return {key: value for key, value in body.items() if key != "took_ms"}


def test_the_command_line_answers_what_the_api_answers(runner, index_dir, client, tmp_path):
    listed = tmp_path / "names.txt"
    listed.write_text("\n".join(NAMES) + "\na*\n", encoding="utf-8")
    result = runner.invoke(main, ["batch", str(listed), "--format", "json", "--lang", "zh", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    api = client.post("/api/batch?lang=zh", data=listed.read_bytes(), content_type="text/plain").get_json()
    assert comparable(json.loads(result.output)) == comparable(api)


def test_the_command_line_prints_a_line_per_query_and_the_rest_at_the_end(runner, index_dir, client):
    listed = "人權\nzebrafishxyz\nJimmy Lai\ta name\na*\n"
    result = runner.invoke(main, ["batch", "-", "--limit", "2", "--index", str(index_dir)], input=listed)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert re.match(r"^4 queries \(\d+(\.\d+)? ms\): 2 with documents, 1 with none, 1 not searched$", lines[0])
    total = single_total(client, "人權")
    assert re.match(rf"^\s+1  人權  {total}  \S+, \S+, …$", lines[1]), lines[1]
    assert re.match(r"^\s+3  Jimmy Lai \[a name\]  1  004_a0887d1137a917e7$", lines[2]), lines[2]
    assert lines[3:] == [
        "",
        "No document found:",
        "    2  zebrafishxyz",
        "",
        "Not searched:",
        f"    4  a*  {english('pattern_prefix_too_short', {'pattern': 'a*'})}",
    ]


def test_the_command_line_writes_csv(runner, index_dir, tmp_path):
    listed = tmp_path / "names.csv"
    listed.write_text("query,label\n安華托帝,activist\n", encoding="utf-8")
    result = runner.invoke(main, ["batch", str(listed), "--format", "csv", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    (row,) = read_csv(result.stdout_bytes)
    assert (row["query"], row["label"], row["id"]) == ("安華托帝", "activist", "002_5db78a1c256f63c4")
    assert row["url"].startswith("/documents/002_5db78a1c256f63c4?q=")


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda folder: folder / "missing.txt", "no such file"),
        (lambda folder: folder, "a folder, not a file"),
        (lambda folder: _written(folder / "scan.bin", bytes(range(256)) * 8), english("batch_unreadable")),
        (lambda folder: _written(folder / "empty.txt", b"\n\n"), english("batch_empty")),
    ],
    ids=["missing", "folder", "binary", "empty"],
)
def test_a_bad_file_is_a_clear_usage_error(runner, index_dir, tmp_path, make, said):
    path = make(tmp_path)
    result = runner.invoke(main, ["batch", str(path), "--index", str(index_dir)])
    assert result.exit_code == 2
    assert said in result.output


def _written(path, data: bytes):
    path.write_bytes(data)
    return path


def test_the_command_line_keeps_the_limits(runner, index_dir, tmp_path, monkeypatch):
    listed = _written(tmp_path / "names.txt", b"a\nb\nc\n")
    monkeypatch.setenv("ARCHIVE_BATCH_QUERIES", "2")
    result = runner.invoke(main, ["batch", str(listed), "--index", str(index_dir)])
    assert result.exit_code == 2 and "The list holds 3 queries; a batch may hold at most 2" in result.output
    monkeypatch.setenv("ARCHIVE_BATCH_BYTES", "1024")
    large = _written(tmp_path / "large.txt", b"rights\n" * 200)
    result = runner.invoke(main, ["batch", str(large), "--index", str(index_dir)])
    assert result.exit_code == 2 and english("batch_too_large", {"limit": 1024}) in result.output
    one = _written(tmp_path / "one.txt", b"rights\n")
    result = runner.invoke(main, ["batch", str(one), "--lang", "fr", "--index", str(index_dir)])
    assert result.exit_code == 2 and "--lang must be one of the archive's languages" in result.output


def test_an_empty_list_of_values_in_a_json_body_sets_no_parameter(client):
    # "format": [] asks for no format: the answer is JSON, as without it.
    response = client.post("/api/batch", json={"queries": ["torture"], "format": [], "exact": []})
    assert response.status_code == 200
    assert response.get_json()["answers"][0]["total"] == batch(client, ["torture"])["answers"][0]["total"]
