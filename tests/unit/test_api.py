"""The JSON API through the Flask test client: shapes, filters, errors, escaping."""

from __future__ import annotations

import pytest

from ..support import CORPUS_SIZE


def test_search_returns_the_documented_shape(client):
    response = client.get("/api/search", query_string={"q": "人權"})
    assert response.status_code == 200
    body = response.get_json()
    assert {"query", "total", "page", "per_page", "took_ms", "results"} <= body.keys()
    assert body["query"] == "人權" and body["page"] == 1 and body["per_page"] == 10
    first = body["results"][0]
    assert {"id", "title", "url", "languages", "score", "snippet"} <= first.keys()
    assert first["url"].startswith("/documents/")
    assert "q=" in first["url"]


def test_traditional_query_returns_seed_002_and_traditional_udhr_each_in_its_own_script(client):
    # Every copy its own result: the Traditional declaration is otherwise shown as a copy of the Simplified.
    results = client.get("/api/search", query_string={"q": "人權", "dedupe": "0"}).get_json()["results"]
    by_id = {result["id"]: result for result in results}
    assert "<mark>人权</mark>" in by_id["002_5db78a1c256f63c4"]["snippet"]
    assert "<mark>人權</mark>" in by_id["udhr/udhr_cmn_hant"]["snippet"]
    assert by_id["002_5db78a1c256f63c4"]["languages"] == ["en", "zh-Hans"]
    assert by_id["udhr/udhr_cmn_hant"]["languages"][0] == "zh-Hant"


def test_metadata_comes_with_each_result(client):
    results = client.get("/api/search", query_string={"q": "民主派初選"}).get_json()["results"]
    result = results[0]
    assert result["date"] == "2024-11-19"
    assert result["author"] == "Example News Desk"
    assert result["tags"] == ["national security", "trials"]
    assert result["source_url"] == "https://example.org/news/primaries"
    assert result["format"] == "markdown"
    assert len(result["hash"]) == 64


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", {"en"}),
        ("zh-Hant", {"zh-Hant"}),
        ("zh-Hans", {"zh-Hans", "yue-Hans"}),
        ("zh", {"zh-Hans", "zh-Hant", "yue-Hans"}),
    ],
)
def test_lang_filter(client, lang, expected):
    body = client.get("/api/search", query_string={"q": "人權 OR rights", "lang": lang, "per_page": 100}).get_json()
    assert body["results"]
    for result in body["results"]:
        assert set(result["languages"]) & expected


def test_page_past_the_end_is_an_empty_list(client):
    body = client.get("/api/search", query_string={"q": "rights", "page": 999}).get_json()
    assert body["results"] == [] and body["total"] > 0


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({}, "q"),
        ({"q": "rights", "page": "0"}, "page"),
        ({"q": "rights", "page": "two"}, "page"),
        ({"q": "rights", "per_page": "101"}, "per_page"),
        ({"q": "rights", "per_page": "0"}, "per_page"),
        ({"q": "rights", "lang": "<script>"}, "lang"),
        ({"q": "rights", "sort": "popular"}, "sort"),
        ({"q": "?"}, "cannot start"),
        ({"q": "*x"}, "cannot start"),
        ({"q": "the"}, "common words"),
    ],
)
def test_bad_requests_get_one_json_error_shape(client, params, word):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"]["status"] == 400
    assert word in body["error"]["message"]


@pytest.mark.parametrize(
    "q",
    ['"unbalanced', "(((", "AND", "OR OR", "NOT", "title:x", "foo:bar:baz", "a~", "x^3", "[a TO b]", "\x00人權", "𨋢*"],
)
def test_odd_query_syntax_never_fails_the_server(client, q):
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code in (200, 400)
    assert response.is_json


def test_unknown_api_route_and_wrong_method_are_json(client):
    missing = client.get("/api/nothing")
    assert missing.status_code == 404 and missing.get_json()["error"]["status"] == 404
    wrong = client.post("/api/search", query_string={"q": "rights"})
    assert wrong.status_code == 405 and wrong.get_json()["error"]["status"] == 405
    assert "GET" in wrong.headers["Allow"]


def test_document_api(client):
    body = client.get("/api/documents/udhr/udhr_cmn_hant").get_json()
    assert body["id"] == "udhr/udhr_cmn_hant"
    assert "人人有權享有和平集會和結社的自由" in body["text"]
    assert client.get("/api/documents/udhr/nothing").status_code == 404
    assert client.get("/api/documents/../app/config").status_code == 404


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"ok": True, "documents": CORPUS_SIZE}


def test_openapi_describes_every_endpoint(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/search", "/api/documents/{id}", "/healthz", "/api/openapi.json"} <= spec["paths"].keys()
    assert "Error" in spec["components"]["schemas"]


def test_the_format_of_every_document_is_one_the_openapi_document_names(client):
    formats = client.get("/api/openapi.json").get_json()["components"]["schemas"]["Result"]["properties"]["format"]
    results = client.get("/api/search", query_string={"q": "*", "per_page": 100}).get_json()["results"]
    given = {result["format"] for result in results}
    assert {"docx", "odt", "pdf", "html", "markdown", "text"} <= given
    assert given <= set(formats["enum"])


def test_query_is_returned_as_data_not_markup(client):
    body = client.get("/api/search", query_string={"q": "<script>alert(1)</script> rights"}).get_json()
    for result in body["results"]:
        assert "<script>" not in result["snippet"]


def test_a_lone_star_lists_every_document(client):
    body = client.get("/api/search", query_string={"q": "*", "per_page": 100, "sort": "-date"}).get_json()
    # Copies are shown once: the Simplified and Traditional declarations are one result (also in
    # 1 copy), so the results are one fewer than the documents, every one of which matched.
    assert body["total"] == CORPUS_SIZE - 1 and body["documents"] == CORPUS_SIZE
    assert body["results"][0]["id"] == "fixtures/news/primaries_2024"


def test_expansion_is_reported_and_can_be_turned_off(client):
    body = client.get("/api/search", query_string={"q": "torture"}).get_json()
    concepts = [item for item in body["also_matched"] if item["kind"] == "glossary"]
    assert concepts and concepts[0]["concept"] == "torture" and "酷刑" in concepts[0]["forms"]
    assert body["total"] > 2
    off = client.get("/api/search", query_string={"q": "torture", "expand": "0"}).get_json()
    assert off["also_matched"] == [] and off["total"] == 2
    assert client.get("/api/search", query_string={"q": "torture", "expand": "maybe"}).status_code == 400
