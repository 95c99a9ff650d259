"""Filters, facets and sorting as a reader meets them: a tag or an author in the other Chinese
script is the same value, undated documents are a value of the year facet and come last in
either order of date, and a language the archive does not have is refused with the ones it has."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from app import config
from app.cli import main
from app.index.build import build
from app.service.facets import facet_key
from app.web import create_app
from app.web.openapi import openapi_document

# name -> (front matter, text). 國安法 is the tag of two documents, 国安法 of one; the press
# association is written in Traditional twice, in Simplified once. b, d and e have no date;
# c and f share one. How often "security" occurs sets the order of relevance.
DOCUMENTS = {
    "a.md": (
        "title: Report A\ndate: 2021-06-04\ntags: [國安法]\nauthor: 香港記者協會",
        "A report on the security law.",
    ),
    "b.md": (
        "title: Report B\ntags: [國安法]\nauthor: 香港記者協會",
        "A long letter from the families of the detained, read aloud in court, about the years "
        "of waiting, the visits refused and the security of the prisons where they are held.",
    ),
    "c.md": ("title: Report C\ndate: 2020\ntags: [国安法]\nauthor: 香港记者协会", "The security law in court."),
    "d.md": ("title: Report D\ntags: [national security]", "Security, security and security again."),
    "e.md": (
        "title: 報告 E",
        "國家安全法實施以後，香港的新聞自由和集會自由受到嚴重限制，許多記者和社運人士被捕。security 一詞常見。",
    ),
    "f.md": ("title: Report F\ndate: 2020", "Security of the person; security of the home; security."),
}
UNDATED = {"b", "d", "e"}
NATIONAL_SECURITY_LAW = {"a", "b", "c"}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    documents = tmp_path_factory.mktemp("filter-documents")
    for name, (front_matter, text) in DOCUMENTS.items():
        (documents / name).write_text(f"---\n{front_matter}\n---\n{text}\n", encoding="utf-8")
    index = tmp_path_factory.mktemp("filter-index")
    assert build(documents, index).count("skipped") == 0
    application = create_app({"INDEX": str(index), "DOCUMENTS": str(documents), "TESTING": True})
    yield application, index
    application.extensions["archive_index"].close()


@pytest.fixture()
def api(archive):
    client = archive[0].test_client()

    def get(**params):
        response = client.get("/api/search", query_string={"per_page": 100, **params})
        return response.status_code, response.get_json()

    return get


@pytest.fixture()
def page(archive):
    client = archive[0].test_client()
    return lambda **params: client.get("/search", query_string=params)


def ids(body) -> list[str]:
    return [result["id"] for result in body["results"]]


def facet(body, name) -> dict[str, int]:
    return {item["value"]: item["count"] for item in body["facets"][name]}


# Scripts


@pytest.mark.parametrize("tag", ["國安法", "国安法"])
def test_a_tag_in_either_script_selects_the_documents_of_both(api, tag):
    status, body = api(q="*", tag=tag)
    assert status == 200
    assert set(ids(body)) == NATIONAL_SECURITY_LAW
    assert body["filters"] == {"tag": ["國安法"]}
    assert [item for item in body["facets"]["tag"] if item["selected"]] == [
        {"value": "國安法", "count": 3, "selected": True}
    ]


def test_a_facet_lists_a_value_once_in_the_script_most_documents_write_it(api):
    _status, body = api(q="*")
    tags, authors = facet(body, "tag"), facet(body, "author")
    assert [value for value in tags if facet_key(value) == facet_key("国安法")] == ["國安法"]
    assert tags["國安法"] == 3
    assert [value for value in authors if facet_key(value) == facet_key("香港记者协会")] == ["香港記者協會"]
    assert authors["香港記者協會"] == 3


@pytest.mark.parametrize("author", ["香港記者協會", "香港记者协会"])
def test_an_author_in_either_script_selects_the_documents_of_both(api, author):
    _status, body = api(q="security", author=author)
    assert set(ids(body)) == NATIONAL_SECURITY_LAW
    assert body["filters"] == {"author": ["香港記者協會"]}


def test_the_folding_is_the_search_s_with_hong_kong_variants_and_case():
    assert facet_key("國安法") == facet_key("国安法")
    assert facet_key("綫人") == facet_key("線人") == facet_key("线人")
    assert facet_key("Press 自由") == facet_key("PRESS 自由")
    assert facet_key("國安法") != facet_key("國家安全法")


def test_the_page_unselects_a_tag_chosen_in_the_other_script(page):
    soup = BeautifulSoup(page(q="*", tag="国安法").get_data(as_text=True), "html.parser")
    assert len(soup.select(".hit")) == len(NATIONAL_SECURITY_LAW)
    selected = soup.select("#facet-tag ~ ul li.selected a")
    assert [link.select_one(".value").get_text() for link in selected] == ["國安法"]
    assert "tag" not in parse_qs(urlsplit(selected[0]["href"]).query)


def test_the_command_line_filters_a_tag_in_the_other_script(runner, archive):
    result = runner.invoke(main, ["search", "*", "--tag", "国安法", "--index", str(archive[1])])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{len(NATIONAL_SECURITY_LAW)} results")


# Undated documents


def test_the_year_facet_counts_the_undated_documents_after_the_years(api):
    _status, body = api(q="*")
    assert [(item["value"], item["count"]) for item in body["facets"]["year"]] == [
        ("2021", 1),
        ("2020", 2),
        ("undated", len(UNDATED)),
    ]
    dated = {result["id"] for result in body["results"] if result["date"]}
    assert dated == set(ids(body)) - UNDATED


def test_year_undated_selects_the_documents_without_a_date(api):
    _status, body = api(q="*", year="undated")
    assert set(ids(body)) == UNDATED
    assert all(result["date"] is None for result in body["results"])
    assert [item for item in body["facets"]["year"] if item["selected"]] == [
        {"value": "undated", "count": len(UNDATED), "selected": True}
    ]
    _status, both = api(q="*", year=["undated", "2021"])
    assert set(ids(both)) == UNDATED | {"a"}


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_sorting_by_date_puts_undated_documents_last_in_the_order_of_relevance(api, sort):
    _status, by_date = api(q="security", sort=sort)
    _status, by_relevance = api(q="security")
    found = ids(by_date)
    dates = [result["date"] for result in by_date["results"]]
    dated = [date for date in dates if date]
    assert dates == dated + [None] * (len(dates) - len(dated))
    assert [date[:4] for date in dated] == sorted((date[:4] for date in dated), reverse=sort == "-date")
    undated = [doc for doc in ids(by_relevance) if doc in UNDATED]
    assert found[len(dated) :] == undated
    assert undated != sorted(undated)  # relevance, not the order of the ids, decides
    # c and f share 2020: the more relevant first, whichever the direction.
    assert found.index("f") < found.index("c")


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_pages_of_a_date_sort_run_on_across_the_undated_documents(api, sort):
    _status, whole = api(q="*", sort=sort)
    pages = [ids(api(q="*", sort=sort, per_page=2, page=number)[1]) for number in (1, 2, 3)]
    assert [doc for one in pages for doc in one] == ids(whole)


@pytest.mark.parametrize(("ui", "label"), [("en", "Undated"), ("zh-Hant", "無日期"), ("zh-Hans", "无日期")])
def test_the_search_page_names_undated_in_its_language_and_links_the_filter(page, ui, label):
    soup = BeautifulSoup(page(q="*", ui=ui).get_data(as_text=True), "html.parser")
    values = soup.select("#facet-year ~ ul li a")
    assert [link.select_one(".value").get_text() for link in values][-1] == label
    assert parse_qs(urlsplit(values[-1]["href"]).query)["year"] == ["undated"]
    chosen = BeautifulSoup(page(q="*", year="undated", ui=ui).get_data(as_text=True), "html.parser")
    assert chosen.select_one(".active-filters a").get_text(" ", strip=True).startswith(label)
    assert len(chosen.select(".hit")) == len(UNDATED)


def test_the_api_description_takes_undated_as_a_year():
    parameters = openapi_document(config.load())["paths"]["/api/search"]["get"]["parameters"]
    year = next(parameter for parameter in parameters if parameter["name"] == "year")
    pattern = re.compile(year["schema"]["items"]["pattern"])
    assert pattern.match("undated") and pattern.match("2021") and not pattern.match("someday")
    assert "undated" in year["description"]
    sort = next(parameter for parameter in parameters if parameter["name"] == "sort")
    assert "undated documents come last in both directions, in the order of relevance" in sort["description"]


# Languages the archive does not have


def test_a_language_the_archive_does_not_have_is_a_400_naming_those_it_has(api):
    _status, body = api(q="*")
    own = set(facet(body, "lang"))
    assert own == {"en", "zh-Hant"}
    status, refused = api(q="security", lang="fr")
    assert status == 400
    message = refused["error"]["message"]
    assert message == "lang must be one of the archive's languages, en, zh, zh-Hant; got 'fr'."
    status, capital = api(q="security", lang="FR")
    assert status == 400 and "got 'FR'" in capital["error"]["message"]
    assert api(q="security", lang="ZH-hant")[0] == 200


def test_the_search_page_refuses_it_in_its_language(page):
    pages = {ui: page(q="security", lang="fr", ui=ui) for ui in ("en", "zh-Hant", "zh-Hans")}
    assert {response.status_code for response in pages.values()} == {400}
    said = {ui: response.get_data(as_text=True) for ui, response in pages.items()}
    assert "lang must be one of the archive&#39;s languages, en, zh, zh-Hant" in said["en"]
    assert "必須是檔案庫中的語言之一：en, zh, zh-Hant" in said["zh-Hant"]
    assert "必须是档案库中的语言之一：en, zh, zh-Hant" in said["zh-Hans"]


def test_the_command_line_refuses_it_with_exit_status_2(runner, archive):
    result = runner.invoke(main, ["search", "security", "--lang", "fr", "--index", str(archive[1])])
    assert result.exit_code == 2
    assert "Error: --lang must be one of the archive's languages, en, zh, zh-Hant; got 'fr'." in result.output
