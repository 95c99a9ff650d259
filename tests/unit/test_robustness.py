"""Bad input never breaks the service: random queries and parameters, bounds, bad documents,
paths that try to leave the archive, unknown routes and methods."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.index.build import build

SYNTAX = [
    '"',
    "(",
    ")",
    "AND",
    "OR",
    "NOT",
    "-",
    "+",
    "*",
    "?",
    "~",
    "^",
    ":",
    "title:",
    "foo:",
    "[",
    "]",
    "{",
    "}",
    "\\",
]
WORDS = ["人權", "rights", "Hong", "Kong", "法", "torture", "國安法", "x" * 300, "\x00", "\x07", "\u202e", "𨋢", "é"]

query_text = st.lists(
    st.one_of(st.sampled_from(SYNTAX), st.sampled_from(WORDS), st.text(max_size=12)), max_size=12
).map(" ".join)

PARAMETERS = st.fixed_dictionaries(
    {},
    optional={
        "page": st.one_of(st.integers(-5, 10**7).map(str), st.text(max_size=5)),
        "per_page": st.one_of(st.integers(-5, 500).map(str), st.text(max_size=5)),
        "lang": st.one_of(st.sampled_from(["en", "zh", "zh-Hant", "zh-Hans", "", "x-y-z", "<b>"]), st.text(max_size=8)),
        "year": st.one_of(st.sampled_from(["2019", "1948", "", "20x9"]), st.text(max_size=6)),
        "sort": st.one_of(st.sampled_from(["relevance", "date", "-date", ""]), st.text(max_size=6)),
        "expand": st.sampled_from(["0", "1", "true", "no", ""]),
        "author": st.text(max_size=20),
        "tag": st.text(max_size=20),
    },
)


def check_api_response(response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    assert response.is_json
    body = response.get_json()
    if response.status_code >= 400:
        assert set(body) == {"error"} and set(body["error"]) == {"status", "message"}
        assert body["error"]["status"] == response.status_code
        assert len(body["error"]["message"]) > 10


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=query_text, parameters=PARAMETERS)
def test_api_search_never_fails_on_any_query_or_parameters(client, q, parameters):
    check_api_response(client.get("/api/search", query_string={"q": q, **parameters}))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=60), parameters=PARAMETERS)
def test_search_page_never_fails_on_random_unicode(client, q, parameters):
    response = client.get("/search", query_string={"q": q, **parameters})
    assert response.status_code in (200, 400)
    assert response.mimetype == "text/html"


@pytest.mark.parametrize(
    "raw",
    [
        "q=%ED%A0%80",  # a lone surrogate, as UTF-8 would encode it
        "q=%ED%A0%80%E4%BA%BA",
        "q=%FF%FE",
        "q=%C0%AF",
        "q=%00",
        "q=%E4%BA",  # half a character
        "q=a&page=%ED%A0%80",
        "q=a&lang=%ED%A0%80",
        "q=" + "%E4%BA%BA" * 400,
    ],
)
def test_undecodable_bytes_in_the_query_string(client, raw):
    check_api_response(client.get(f"/api/search?{raw}"))
    assert client.get(f"/search?{raw}").status_code in (200, 400)


def test_a_query_over_the_limit_is_refused_with_the_limit(client):
    body = client.get("/api/search", query_string={"q": "人" * 501}).get_json()
    assert body["error"]["status"] == 400 and "limit is 500" in body["error"]["message"]


def test_per_page_over_the_cap_is_refused(client):
    body = client.get("/api/search", query_string={"q": "rights", "per_page": 1000}).get_json()
    assert body["error"]["status"] == 400 and "per_page must be from 1 to 100" in body["error"]["message"]


def test_pages_far_past_the_end(client):
    assert client.get("/api/search", query_string={"q": "rights", "page": 99999}).get_json()["results"] == []
    body = client.get("/api/search", query_string={"q": "rights", "page": 10**9}).get_json()
    assert body["error"]["status"] == 400 and "page must be from 1 to 100000" in body["error"]["message"]


def test_a_pattern_that_expands_too_far_is_refused(tmp_path):
    from app.web import create_app

    documents = tmp_path / "docs"
    documents.mkdir()
    words = " ".join(f"ab{number:04d}" for number in range(700))
    (documents / "many.txt").write_text(f"Words\n\n{words}", encoding="utf-8")
    build(documents, tmp_path / "index")
    app = create_app({"INDEX": str(tmp_path / "index"), "MAX_TERMS": 512})
    body = app.test_client().get("/api/search", query_string={"q": "ab*"}).get_json()
    assert body["error"]["status"] == 400
    assert "more than 512 different words" in body["error"]["message"]
    fine = app.test_client().get("/api/search", query_string={"q": "ab01*"}).get_json()
    assert fine["total"] == 1


@pytest.mark.parametrize(
    "path",
    [
        "/documents/..",
        "/documents/../../etc/passwd",
        "/documents/%2e%2e/%2e%2e/etc/passwd",
        "/documents/%252e%252e/pyproject",
        "/documents/udhr%2f%2e%2e%2f%2e%2e%2fpyproject",
        "/documents/..%5cpyproject",
        "/documents/%5c..%5cpyproject",
        "/documents//etc/passwd",
        "/documents/%2fetc%2fpasswd",
        "/documents/udhr/udhr_eng%00.md",
        "/documents/C:%5cWindows%5cwin.ini",
        "/api/documents/../app/config",
        "/api/documents/%2e%2e/app/config",
        "/api/documents/%00",
    ],
)
def test_ids_cannot_leave_the_archive_in_any_encoding(client, path):
    response = client.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.get_json()["error"]["status"] == 404


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/api/search"), ("PUT", "/api/documents/x"), ("DELETE", "/healthz")]
)
def test_wrong_methods_are_405_in_json_under_api(client, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.get_json()["error"]["status"] == 405


def test_unknown_routes_are_404(client):
    assert client.get("/api/nope").get_json()["error"]["status"] == 404
    page = client.get("/nope")
    assert page.status_code == 404 and page.mimetype == "text/html"


BAD_FILES = {
    "binary.txt": b"\x00\x01\x02\x03" * 100,
    "image.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    "archive.zip": b"PK\x03\x04" + b"\x00" * 64,
    "empty.md": b"",
    "spaces.txt": b"   \n\t\n",
    "mojibake.txt": bytes(range(0x80, 0x100)) * 16,
    "broken.pdf": b"%PDF-1.7\n%%EOF",
    "truncated.pdf": b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
    "utf16-no-bom.txt": "人權 rights".encode("utf-16-le"),
    "bad-bom.txt": b"\xff\xfe\x00\xd8",  # UTF-16 BOM then half a surrogate pair
    "bad-front-matter.md": b"---\n: : :\n- [\n---\nBody survives.\n",
    "not-a-mapping.md": b"---\n- a list\n---\nBody survives too.\n",
    "html-garbage.html": b"<html><<<>>><title>\x00</title><body><p>survives",
}


def test_every_kind_of_bad_file_is_indexed_or_skipped_with_a_reason(tmp_path):
    documents = tmp_path / "docs"
    documents.mkdir()
    for name, data in BAD_FILES.items():
        (documents / name).write_bytes(data)
    (documents / "one-line-5mb.txt").write_text("人權 rights " * 450_000, encoding="utf-8")
    (documents / "combining.txt").write_text("\u0301\u0302\u0303\u0308" * 5000, encoding="utf-8")
    (documents / "good.txt").write_text("A statement on human rights.", encoding="utf-8")
    report = build(documents, tmp_path / "index")
    statuses = {item.path: (item.status, item.reason) for item in report.files}
    assert set(statuses) == {*BAD_FILES, "one-line-5mb.txt", "combining.txt", "good.txt"}
    for path, (status, reason) in statuses.items():
        assert status in ("added", "skipped"), path
        if status == "skipped":
            assert reason and len(reason) > 8, path
    assert statuses["good.txt"][0] == "added"
    assert statuses["one-line-5mb.txt"][0] == "added"
    assert statuses["bad-front-matter.md"][0] == "added" and statuses["not-a-mapping.md"][0] == "added"
    assert statuses["binary.txt"][0] == "skipped" and statuses["mojibake.txt"][0] == "skipped"
    # the report reads as JSON too
    assert json.loads(json.dumps(report.as_dict()))["counts"]["skipped"] == report.count("skipped")


def test_files_report_their_paths(tmp_path):
    documents = tmp_path / "docs"
    (documents / "sub").mkdir(parents=True)
    (documents / "sub" / "bad.jpg").write_bytes(b"\xff\xd8")
    report = build(documents, tmp_path / "index")
    assert [(item.path, item.status) for item in report.files] == [("sub/bad.jpg", "skipped")]
    assert Path(tmp_path / "index" / "CURRENT").exists()
