"""A result's document page marks what the result marked: its link carries what decides the
marks (the query, expand=0), a hit found through a translation shows the translated words marked
and says which translation matched, and the echo names only the forms not typed."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from app.cli import main

HANT = "udhr/udhr_cmn_hant"  # 第五條 … 酷刑 …, never "torture"
PETITION = "002_5db78a1c256f63c4"  # English with Simplified Chinese: both torture and 酷刑
FUNDING = "fixtures/news/foreign_funding_2024"  # 外國代理人 only in its tags


def result(client, q: str, doc_id: str, **params) -> dict:
    """The result of ``doc_id`` for ``q``, every copy its own result (the Traditional declaration
    is otherwise shown as a copy of the Simplified)."""
    body = client.get("/api/search", query_string={"q": q, "per_page": 100, "dedupe": "0", **params}).get_json()
    return next(item for item in body["results"] if item["id"] == doc_id)


def page_of(client, url: str, **params) -> BeautifulSoup:
    """The page at ``url`` (a link as a result gives it), with ``params`` added to its own."""
    parts = urlsplit(url)
    response = client.get(parts.path, query_string={**parse_qs(parts.query), **params})
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def document_json(client, url: str) -> dict:
    """The API's document for a result's page link, with the link's own parameters."""
    parts = urlsplit(url)
    response = client.get(f"/api{parts.path}", query_string=parse_qs(parts.query))
    assert response.status_code == 200
    return response.get_json()


def words(text: str) -> str:
    return " ".join(text.split())


def marks_of(html: str) -> list[str]:
    return [words(mark.get_text()) for mark in BeautifulSoup(html, "html.parser").find_all("mark")]


def test_a_hit_found_through_a_translation_is_marked_on_its_page(client):
    hit = result(client, "torture", HANT)
    assert marks_of(hit["snippet"]) == ["酷刑"]
    assert hit["translations"] == [{"words": ["酷刑"], "form": "酷刑", "typed": "torture", "concept": "torture"}]
    page = page_of(client, hit["url"])
    assert [mark.get_text() for mark in page.select(".text mark")] == ["酷刑"]
    assert page.select_one(".match-nav .translation").get_text() == "酷刑, a translation of torture"
    assert page.select_one(".match-nav .translation em").get_text() == "torture"
    assert "does not occur" not in page.get_text()


@pytest.mark.parametrize(("ui", "said"), [("zh-Hant", "酷刑（torture 的譯名）"), ("zh-Hans", "酷刑（torture 的译名）")])
def test_the_translation_is_named_in_the_interface_language(client, ui, said):
    page = page_of(client, result(client, "torture", HANT)["url"], ui=ui)
    assert page.select_one(".match-nav .translation").get_text() == said
    assert page.select_one(".match-count").get_text() != "此文件的內文中沒有這個搜尋詞。"


def test_the_api_gives_the_marks_of_the_document(client):
    body = document_json(client, result(client, "torture", HANT)["url"])
    assert body["query"] == "torture"
    assert [body["text"][start:end] for start, end in body["spans"]] == ["酷刑"]
    assert body["matched_in"] == ["text"]
    assert body["translations"][0]["words"] == ["酷刑"] and body["translations"][0]["typed"] == "torture"
    assert body["url"] == result(client, "torture", HANT)["url"]
    bare = client.get(f"/api/documents/{HANT}").get_json()
    assert bare["query"] is None and bare["spans"] == [] and bare["translations"] == []


def test_the_results_page_says_which_translation_a_hit_matched(client):
    page = page_of(client, "/search", q="torture", per_page=50, dedupe="0")
    hits = {item.select_one(".doc-id").get_text(): item for item in page.select("li.hit")}
    assert hits[HANT].select_one(".translation").get_text() == "酷刑, a translation of torture"
    assert hits["udhr/udhr_eng"].select_one(".translation") is None  # it says torture itself


def test_without_translations_the_link_says_so_and_the_page_marks_no_translation(client, runner, index_dir):
    hit = result(client, "torture", PETITION, expand="0")
    assert parse_qs(urlsplit(hit["url"]).query) == {"q": ["torture"], "expand": ["0"]}
    assert hit["translations"] == []
    page = page_of(client, hit["url"])
    assert {mark.get_text() for mark in page.select(".text mark")} == {"torture"}
    assert page.select(".translation") == []
    assert document_json(client, hit["url"])["translations"] == []
    translated = page_of(client, result(client, "torture", PETITION)["url"])
    assert {mark.get_text() for mark in translated.select(".text mark")} == {"torture", "酷刑"}
    # The link on the results page and the command line's link carry it as well.
    results = page_of(client, "/search", q="torture", expand="0")
    link = results.select_one(f'li.hit a[href^="/documents/{PETITION}?"]')["href"]
    assert parse_qs(urlsplit(link).query)["expand"] == ["0"]
    printed = runner.invoke(main, ["search", "torture", "--no-translations", "--json", "--index", str(index_dir)])
    urls = [item["url"] for item in json.loads(printed.output)["results"]]
    assert urls and all(parse_qs(urlsplit(url).query)["expand"] == ["0"] for url in urls)
    # And the page of the Traditional declaration, which only the translation found, marks nothing.
    untranslated = page_of(client, f"/documents/{HANT}", q="torture", expand="0")
    assert untranslated.select(".text mark") == []
    assert untranslated.select_one(".match-count").get_text() == "The query does not occur in this document's text."


# English, Chinese in both scripts, a phrase, a prefix, a match in the metadata alone, a
# translation, and words of the text and the tags together.
QUERIES = [
    "rights",
    "人權",
    "人权",
    '"freedom of peaceful assembly"',
    "detain*",
    "外國代理人",
    "torture",
    "警方 外國代理人",
]


@pytest.mark.parametrize("query", QUERIES)
def test_what_a_result_marks_its_page_marks(client, query):
    body = client.get("/api/search", query_string={"q": query, "per_page": 100}).get_json()
    assert body["results"]
    for hit in body["results"]:
        page = page_of(client, hit["url"])
        marked = [words(mark.get_text()) for mark in page.select(".text mark")]
        # A snippet's mark is one of the page's, or a part of one that runs on past the snippet.
        for mark in marks_of(hit["snippet"]):
            assert any(mark in whole for whole in marked), (hit["id"], mark, marked)
        details = {words(mark.get_text()) for mark in page.select(".metadata mark")}
        for value in hit["metadata_matches"]:
            assert set(marks_of(value["html"])) <= details, (hit["id"], value)
        document = document_json(client, hit["url"])
        assert [words(document["text"][start:end]) for start, end in document["spans"]] == marked
        assert set(hit["matched_in"]) <= set(document["matched_in"]), hit["id"]
        assert all(value in document["metadata_matches"] for value in hit["metadata_matches"]), hit["id"]
        assert all(item in document["translations"] for item in hit["translations"]), hit["id"]


def test_a_match_in_the_tags_alone_is_marked_on_the_page(client):
    hit = result(client, "外國代理人", FUNDING)
    assert hit["matched_in"] == ["tags"]
    page = page_of(client, hit["url"])
    assert [mark.get_text() for mark in page.select(".metadata .tag mark")] == ["外國代理人"]
    assert "title or details above" in page.select_one(".match-count").get_text()


def test_the_echo_names_only_the_other_forms(client, runner, index_dir):
    page = page_of(client, "/search", q="邹幸彤")
    echoed = page.select_one(".also-matched").get_text()
    assert "鄒幸彤" in echoed and "邹幸彤" not in echoed
    searched = page.select_one(".also-searched").get_text()
    assert "Chow Hang-tung" in searched and "邹幸彤" not in searched
    printed = runner.invoke(main, ["search", "邹幸彤", "--index", str(index_dir)]).output.splitlines()
    assert "Also matched: 鄒幸彤" in printed and "Also searched: Chow Hang-tung" in printed
    typed = runner.invoke(main, ["search", "torture", "--index", str(index_dir)]).output
    assert re.search(r"^Also searched: 酷刑$", typed, re.M), typed


def test_a_bad_expand_on_a_document_is_refused_as_a_search_refuses_it(client):
    response = client.get(f"/api/documents/{HANT}", query_string={"q": "torture", "expand": "maybe"})
    assert response.status_code == 400
    assert (
        response.get_json()["error"]["message"]
        == client.get("/api/search", query_string={"q": "torture", "expand": "maybe"}).get_json()["error"]["message"]
    )
    page = page_of(client, f"/documents/{HANT}", q="torture", expand="maybe", ui="zh-Hant")
    assert "expand 必須是 1" in page.select_one(".notice.error").get_text()
    assert page.select(".text mark") == []
    # What does not decide the marks is not read: a page number that is not one is no error here.
    assert page_of(client, f"/documents/{HANT}", q="torture", page="abc").select(".notice.error") == []
