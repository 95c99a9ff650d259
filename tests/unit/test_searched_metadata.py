"""Authors, tags and descriptions are searched as text, in every script as the text is, and a
hit says where in them it matched."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from app.cli import main
from app.index.build import build
from app.index.readers import LiveIndex
from app.service.results import SearchRequest
from app.service.search import search

FUNDING = "fixtures/news/foreign_funding_2024"  # tags 外國代理人, 八九民運, 初選大起訴, Press Freedom
LETTERS = "fixtures/news/family_letters_2023"  # description "Readings held at a café in Kowloon."
CARDS = "fixtures/news/press_cards_2022"  # author "archive desk"; text ends "Filed from the courts"
PRIMARIES = "fixtures/news/primaries_2024"  # tags "national security", "trials"


def hits(live, q, **options):
    return {hit.id: hit for hit in search(live, SearchRequest(q=q, per_page=100, **options)).hits}


def marked(values):
    return [(value.text, value.marked()) for value in values]


@pytest.mark.parametrize(
    ("query", "tag"),
    [
        ("外國代理人", "外國代理人"),
        ("外国代理人", "外國代理人"),
        ("八九民運", "八九民運"),
        ("八九民运", "八九民運"),
        ("初選大起訴", "初選大起訴"),
        ("初选大起诉", "初選大起訴"),
    ],
)
def test_a_phrase_only_in_the_tags_finds_the_article_in_either_script(live, query, tag):
    hit = hits(live, query)[FUNDING]
    assert hit.matched_in == ("tags",)
    tags = hit.metadata_matches["tags"]
    assert [value.text for value in tags] == ["外國代理人", "八九民運", "初選大起訴", "Press Freedom"]
    assert [value.marked() for value in tags if value.spans] == [[tag]]  # as the document wrote it
    assert not hit.snippet.spans


def test_the_author_is_searched_and_marked_as_each_document_spells_it(live):
    found = hits(live, "Archive desk")
    assert set(found) == {FUNDING, CARDS}
    assert marked(found[FUNDING].metadata_matches["author"]) == [("Archive desk", ["Archive desk"])]
    assert marked(found[CARDS].metadata_matches["author"]) == [("archive desk", ["archive desk"])]
    assert found[CARDS].matched_in == ("author",)


def test_the_description_is_stemmed_and_accent_folded_as_the_text_is(live):
    hit = hits(live, "cafes held kowloon")[LETTERS]
    assert hit.matched_in == ("description",)
    assert marked(hit.metadata_matches["description"]) == [
        ("Readings held at a café in Kowloon.", ["held", "café", "Kowloon"])
    ]


def test_words_split_between_text_and_metadata_find_the_document(live):
    hit = hits(live, "press freedom 外國代理人 警方", expand=False)[FUNDING]  # 警方 in the text, the rest in tags
    assert hit.matched_in == ("text", "tags")
    assert hit.snippet.marked() == ["警方"]
    assert [value.marked() for value in hit.metadata_matches["tags"] if value.spans] == [
        ["外國代理人"],
        ["Press Freedom"],
    ]


def test_a_word_only_in_the_metadata_is_suggested_as_the_document_writes_it(live):
    assert search(live, SearchRequest(q="Kowlon")).suggestion == "kowloon"


def test_a_quoted_phrase_never_spans_two_tags(live):
    assert PRIMARIES in hits(live, "security trials")
    assert PRIMARIES in hits(live, '"national security"', expand=False)
    assert PRIMARIES not in hits(live, '"security trials"')
    assert PRIMARIES not in hits(live, '"security of trials"')  # a stop word between is no bridge
    assert hits(live, "代理人八九") == {}  # 外國代理人 | 八九民運
    assert hits(live, "運初選") == {}


def test_a_quoted_phrase_never_spans_the_text_and_the_metadata(live):
    assert CARDS in hits(live, '"filed from the courts"')
    assert CARDS not in hits(live, '"courts archive desk"')
    assert hits(live, '"courts archive"') == {}
    assert CARDS not in hits(live, '"desk journalists"')  # author | tag


def test_a_match_in_the_text_only_says_so_and_marks_no_metadata(live):
    hit = hits(live, '"filed from the courts"')[CARDS]
    assert hit.matched_in == ("text",)
    assert hit.metadata_matches == {}
    assert hit.snippet.marked() == ["Filed from the courts"]


def test_a_tag_is_marked_however_often_the_text_holds_the_word(tmp_path):
    """The text's matches placed for a snippet are its first; the metadata's come after them."""
    docs = tmp_path / "docs"
    docs.mkdir()
    text = " ".join(f"Censorship report {number}." for number in range(300))
    (docs / "long.md").write_text(f"---\ntitle: Long\ntags: [censorship, other]\n---\n{text}\n", encoding="utf-8")
    build(docs, tmp_path / "index")
    live = LiveIndex(tmp_path / "index")
    try:
        hit = search(live, SearchRequest(q="censorship")).hits[0]
    finally:
        live.close()
    assert hit.matched_in == ("text", "tags")
    assert marked(hit.metadata_matches["tags"]) == [("censorship", ["censorship"]), ("other", [])]
    assert hit.snippet.marked()[0] == "Censorship" and hit.snippet.start == 0


def test_the_api_says_where_a_hit_matched_with_the_value_and_its_marks(client):
    body = client.get("/api/search", query_string={"q": "外国代理人"}).get_json()
    result = next(item for item in body["results"] if item["id"] == FUNDING)
    assert result["matched_in"] == ["tags"]
    assert result["metadata_matches"] == [
        {"field": "tags", "index": 0, "value": "外國代理人", "spans": [[0, 5]], "html": "<mark>外國代理人</mark>"}
    ]
    assert result["tags"] == ["外國代理人", "八九民運", "初選大起訴", "Press Freedom"]
    body = client.get("/api/search", query_string={"q": "Kowloon café"}).get_json()
    (match,) = body["results"][0]["metadata_matches"]
    assert match["field"] == "description"
    assert [match["value"][start:end] for start, end in match["spans"]] == ["café", "Kowloon"]
    assert match["html"] == "Readings held at a <mark>café</mark> in <mark>Kowloon</mark>."


def test_the_api_hit_matching_only_the_text_has_no_metadata_matches(client):
    body = client.get("/api/search", query_string={"q": '"filed from the courts"'}).get_json()
    assert [(item["matched_in"], item["metadata_matches"]) for item in body["results"]] == [(["text"], [])]


def test_the_results_page_shows_the_matched_author(client):
    page = client.get("/search", query_string={"q": "Archive desk", "ui": "en"}).get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    shown = {}
    for hit in soup.select(".hit"):
        found = hit.select_one(".matched-metadata .author")
        shown[hit.select_one("h3 a")["href"].split("?")[0]] = (
            found.select_one("dt").get_text(),
            str(found.select_one("dd mark")),
        )
    assert shown == {
        f"/documents/{FUNDING}": ("Author or source", "<mark>Archive desk</mark>"),
        f"/documents/{CARDS}": ("Author or source", "<mark>archive desk</mark>"),
    }


@pytest.mark.parametrize(("ui", "label"), [("en", "Tags"), ("zh-Hant", "標籤"), ("zh-Hans", "标签")])
def test_the_results_page_lists_the_tags_with_the_matched_one_marked(client, ui, label):
    page = client.get("/search", query_string={"q": "外国代理人", "ui": ui}).get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    (hit,) = soup.select(".hit")
    tags = hit.select_one(".matched-metadata .tags")
    assert tags.select_one("dt").get_text() == label
    assert [tag.decode_contents() for tag in tags.select("dd .tag")] == [
        "<mark>外國代理人</mark>",
        "八九民運",
        "初選大起訴",
        "Press Freedom",
    ]


def test_the_document_page_marks_the_metadata_the_query_matched(client):
    page = client.get(f"/documents/{FUNDING}", query_string={"q": "外国代理人 Archive desk"}).get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    metadata = soup.select_one("dl.metadata")
    assert [str(mark) for mark in metadata.select("mark")] == ["<mark>Archive desk</mark>", "<mark>外國代理人</mark>"]
    assert soup.select(".text mark") == []
    assert soup.select_one(".match-count").get_text() == (
        "The query occurs in this document's title or details above, not in its text."
    )
    elsewhere = client.get(f"/documents/{FUNDING}", query_string={"q": "torture"}).get_data(as_text=True)
    assert "The query does not occur in this document&#39;s text." in elsewhere
    plain = BeautifulSoup(client.get(f"/documents/{FUNDING}").get_data(as_text=True), "html.parser")
    assert plain.select("mark") == []
    assert plain.select_one("dl.metadata .tag").get_text() == "外國代理人"


def test_the_command_line_shows_the_matched_tag(runner, index_dir):
    result = runner.invoke(main, ["search", "外国代理人", "--index", str(index_dir)])
    assert result.exit_code == 0
    assert "tags: [外國代理人] · 八九民運 · 初選大起訴 · Press Freedom" in result.output
