"""Filters and facets ignore case: a tag, an author or a language written in another case is
the same value, shown once in the spelling most documents use."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from app.cli import main
from app.service.facets import facet_key, spellings
from app.service.results import SearchRequest
from app.service.search import search

# "Press Freedom" in one document, "press freedom" in three; "Archive desk" and "archive desk"
# once each.
PRESS_FREEDOM = {
    "fixtures/news/foreign_funding_2024",
    "fixtures/news/family_letters_2023",
    "fixtures/web/apple_daily",
    "fixtures/office/forum_notes",
}
ARCHIVE_DESK = {"fixtures/news/foreign_funding_2024", "fixtures/news/press_cards_2022"}


def everything(live, **filters):
    return search(live, SearchRequest(q="*", per_page=100, **filters))


def facet(result, name):
    return {item.value: item for item in result.facets[name]}


def test_a_value_in_two_spellings_is_one_facet_value_in_the_spelling_most_documents_use(live):
    tags = facet(everything(live), "tag")
    assert [value for value in tags if facet_key(value) == "press freedom"] == ["press freedom"]
    assert tags["press freedom"].count == len(PRESS_FREEDOM)


def test_spellings_used_equally_often_show_the_first_in_code_point_order(live):
    authors = facet(everything(live), "author")
    assert [value for value in authors if facet_key(value) == "archive desk"] == ["Archive desk"]
    assert authors["Archive desk"].count == 2


@pytest.mark.parametrize("spelling", ["press freedom", "Press Freedom", "PRESS FREEDOM", "pRESS fREEDOM"])
def test_a_tag_in_any_spelling_filters_the_same_documents_and_shows_the_facet_selected(live, spelling):
    result = everything(live, tag=(spelling,))
    assert {hit.id for hit in result.hits} == PRESS_FREEDOM
    selected = [item for item in result.facets["tag"] if item.selected]
    assert [(item.value, item.count) for item in selected] == [("press freedom", len(PRESS_FREEDOM))]
    assert result.filters == {"tag": ("press freedom",)}


def test_an_author_in_lower_case_finds_the_author(live):
    assert [hit.id for hit in everything(live, author=("uyghur rights desk",)).hits] == [
        "fixtures/news/family_letters_2023"
    ]
    assert {hit.id for hit in everything(live, author=("ARCHIVE DESK",)).hits} == ARCHIVE_DESK


def test_spellings_of_one_value_given_together_are_one_filter_value(live):
    result = everything(live, author=("Archive desk", "archive desk", "ARCHIVE DESK"))
    assert {hit.id for hit in result.hits} == ARCHIVE_DESK
    assert result.filters == {"author": ("Archive desk",)}


def test_unicode_case_folding_not_only_lower_case():
    assert facet_key("STRASSE") == facet_key("straße")
    assert spellings(["Straße", "STRASSE", "strasse"], [1, 2, 2]) == {"strasse": "STRASSE"}
    assert spellings(["b", "B", "a"], [1, 1, 5]) == {"b": "B", "a": "a"}


@pytest.mark.parametrize("tag", ["zh-hant", "ZH-HANT", "Zh-Hant"])
def test_a_language_tag_in_any_case_filters_as_the_tag_does(client, tag):
    expected = client.get("/api/search", query_string={"q": "人權", "lang": "zh-Hant", "per_page": 100}).get_json()
    body = client.get("/api/search", query_string={"q": "人權", "lang": tag, "per_page": 100}).get_json()
    assert body["total"] == expected["total"] > 0
    assert [result["id"] for result in body["results"]] == [result["id"] for result in expected["results"]]
    assert body["filters"] == {"lang": ["zh-Hant"]}
    assert [item["value"] for item in body["facets"]["lang"] if item["selected"]] == ["zh-Hant"]


def test_the_api_filters_by_author_in_any_case_and_shows_the_facet_as_spelt(client):
    body = client.get("/api/search", query_string={"q": "*", "author": "uyghur rights desk"}).get_json()
    assert [result["id"] for result in body["results"]] == ["fixtures/news/family_letters_2023"]
    assert [item for item in body["facets"]["author"] if item["selected"]] == [
        {"value": "Uyghur Rights Desk", "count": 1, "selected": True}
    ]
    listed = client.get("/api/search", query_string={"q": "*", "per_page": 1}).get_json()["facets"]["tag"]
    assert [item["value"] for item in listed if facet_key(item["value"]) == "press freedom"] == ["press freedom"]


def test_the_page_lists_a_value_once_and_its_link_unselects_it_in_any_spelling(client):
    page = client.get("/search", query_string={"q": "*", "tag": "PRESS FREEDOM"}).get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    values = [span.get_text() for span in soup.select("#facet-tag ~ ul .value")]
    assert [value for value in values if facet_key(value) == "press freedom"] == ["press freedom"]
    link = soup.select_one('.facet li.selected a[aria-current="true"]')
    assert link.select_one(".value").get_text() == "press freedom"
    assert "tag" not in parse_qs(urlsplit(link["href"]).query)
    chip = soup.select_one(".active-filters a")
    assert chip.get_text(" ", strip=True).startswith("press freedom")
    assert "tag" not in parse_qs(urlsplit(chip["href"]).query)
    assert len(soup.select(".hit")) == len(PRESS_FREEDOM)


def test_the_page_marks_the_language_chosen_in_lower_case(client):
    page = client.get("/search", query_string={"q": "人權", "lang": "zh-hant", "ui": "en"}).get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select(".hit")
    selected = soup.select("#facet-lang ~ ul li.selected a")
    assert len(selected) == 1
    assert "lang" not in parse_qs(urlsplit(selected[0]["href"]).query)


def test_the_command_line_filters_a_language_in_any_case(runner, index_dir):
    lower = runner.invoke(main, ["search", "人權", "--index", str(index_dir), "--lang", "zh-hant"])
    exact = runner.invoke(main, ["search", "人權", "--index", str(index_dir), "--lang", "zh-Hant"])
    assert lower.exit_code == exact.exit_code == 0
    assert lower.output.splitlines()[0].split(" (")[0] == exact.output.splitlines()[0].split(" (")[0]
    assert not lower.output.startswith("0 results")
