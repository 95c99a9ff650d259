"""The HTML pages through the Flask test client."""

from __future__ import annotations

import re

import pytest

from ..support import CORPUS_SIZE


def test_landing_page_has_a_labelled_search_form(client):
    page = client.get("/").get_data(as_text=True)
    assert '<label for="q">' in page and 'name="q"' in page
    assert f"{CORPUS_SIZE} documents" in page


def test_results_page_shows_count_titles_languages_and_marked_snippets(client):
    page = client.get("/search", query_string={"q": "人權"}).get_data(as_text=True)
    assert re.search(r"[0-9]+ results", page)
    assert "<mark>人權</mark>" in page and "<mark>人权</mark>" in page
    # Copies are shown once: the Simplified and Traditional declarations are one result, the
    # Simplified (ranked above its copy) with the Traditional listed as "also in 1 copy", its link
    # marking the same query.
    assert 'href="/documents/udhr/udhr_cmn_hans?q=' in page
    assert "also in 1 copy" in page and 'href="/documents/udhr/udhr_cmn_hant?q=%E4%BA%BA%E6%AC%8A"' in page
    assert "Chinese (Traditional)" in page
    assert "Also matched:" in page


def test_pagination_links_keep_the_query(client):
    page = client.get("/search", query_string={"q": "rights", "per_page": 2}).get_data(as_text=True)
    assert 'aria-current="page"' in page
    assert "page=2" in page and "q=rights" in page


def test_query_and_document_text_are_escaped(client):
    page = client.get("/search", query_string={"q": "<img src=x onerror=alert(1)> rights"}).get_data(as_text=True)
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_bad_query_is_a_400_page_with_the_reason(client):
    response = client.get("/search", query_string={"q": "*x"})
    assert response.status_code == 400
    assert "cannot start with" in response.get_data(as_text=True)


def test_a_search_without_results_shows_no_empty_filters_heading(client):
    nothing = client.get("/search", query_string={"q": "zebrafishxyz"}).get_data(as_text=True)
    assert "No document matches zebrafishxyz." in nothing
    assert 'id="filters-heading"' not in nothing and 'href="#filters-heading"' not in nothing
    # A filter that leaves nothing is still shown, with its link to remove it.
    filtered = client.get("/search", query_string={"q": "torture", "year": "1850"}).get_data(as_text=True)
    assert "No document matches torture." in filtered
    assert 'id="filters-heading"' in filtered and 'class="active-filters"' in filtered


def test_document_page_marks_matches_and_links_back(client):
    page = client.get("/documents/udhr/udhr_cmn_hant", query_string={"q": "人权", "page": "1"}).get_data(as_text=True)
    assert '<mark id="match-1">人權</mark>' in page
    assert "Back to the results" in page
    assert "United Nations General Assembly" in page


@pytest.mark.parametrize(
    "path",
    [
        "/documents/nothing",
        "/documents/../pyproject",
        "/documents/%2e%2e/pyproject",
        "/documents/udhr%2f..%2f..%2fpyproject",
        "/documents/..%5c..%5cpyproject",
        "/documents//etc/passwd",
        "/documents/udhr/udhr_eng%00",
    ],
)
def test_document_paths_cannot_leave_the_archive(client, path):
    assert client.get(path).status_code == 404


def test_interface_language_from_parameter_and_browser(client):
    hant = client.get("/", query_string={"ui": "zh-Hant"}).get_data(as_text=True)
    assert "搜尋檔案庫" in hant and '<html lang="zh-Hant">' in hant
    hans = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert "搜索档案库" in hans
    hk = client.get("/", headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    assert "搜尋檔案庫" in hk


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/search?q=rights"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Frame-Options"] == "DENY"


def test_static_files_are_cached(client):
    page = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/style\.css\?v=[0-9a-f]+)"', page).group(1)
    response = client.get(css)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_also_searched_line_with_a_switch_to_turn_it_off(client):
    page = client.get("/search", query_string={"q": "torture"}).get_data(as_text=True)
    assert "Also searched:" in page and "酷刑" in page
    assert "expand=0" in page and "Search only the words as typed" in page
    off = client.get("/search", query_string={"q": "torture", "expand": "0"}).get_data(as_text=True)
    assert "Also searched:" not in off and "Also search translations" in off
    # Only the concept facet names the concept in Chinese (its other name, over "torture").
    assert "酷刑" not in off.split('<aside class="facets"')[0]
