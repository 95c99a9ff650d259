"""Search behaviour on the fixture corpus: scripts, phrases, English, mixed, marks, facets."""

from __future__ import annotations

import pytest

from app.query.parse import QueryError
from app.service.documents import get_document
from app.service.results import SearchRequest
from app.service.search import search


def ids(live, q, **options):
    """The ids ``q`` finds, every copy its own result: these tests are about what a query matches."""
    return [hit.id for hit in search(live, SearchRequest(q=q, per_page=50, dedupe=False, **options)).hits]


def hit_for(live, q, doc_id):
    """The hit of ``doc_id`` for ``q``, found among every copy (not only the copy shown first)."""
    result = search(live, SearchRequest(q=q, per_page=50, dedupe=False))
    return next(hit for hit in result.hits if hit.id == doc_id)


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [("人權", "人权"), ("國安法", "国安法"), ("立法會", "立法会"), ("世界人權宣言", "世界人权宣言")],
)
def test_a_query_in_either_script_finds_the_same_documents(live, traditional, simplified):
    assert set(ids(live, traditional)) == set(ids(live, simplified))


def test_traditional_query_finds_simplified_text_and_the_reverse(live):
    found = ids(live, "人權")
    assert "002_5db78a1c256f63c4" in found  # writes 人权
    assert "udhr/udhr_cmn_hant" in found  # writes 人權
    assert "udhr/udhr_cmn_hans" in ids(live, "世界人權宣言")


@pytest.mark.parametrize("variant", ["綫", "線", "线"])
def test_hong_kong_variants_meet_the_standard_forms(live, variant):
    assert "fixtures/hk_cantonese" in ids(live, "無" + variant)


@pytest.mark.parametrize("variant", ["裏", "裡", "里"])
def test_li_variants_meet(live, variant):
    assert "fixtures/hk_cantonese" in ids(live, "這" + variant)


def test_multi_character_query_matches_only_the_contiguous_sequence(live):
    found = ids(live, "民主派初選")
    assert "fixtures/news/primaries_2024" in found
    assert "fixtures/news/district_2019" not in found  # has 民主, 派 and 初選 apart
    assert "fixtures/news/district_2019" in ids(live, "初選")


def test_one_character_query_works(live):
    assert "udhr/udhr_cmn_hant" in ids(live, "權")


def test_extension_a_and_astral_characters_are_searchable(live):
    assert set(ids(live, "㗎")) == {"fixtures/hk_cantonese", "fixtures/encodings/big5_statement"}
    assert ids(live, "𨋢") == ["fixtures/hk_cantonese"]


def test_english_is_case_insensitive_and_stemmed(live):
    assert set(ids(live, "ARRESTED")) == set(ids(live, "arrest"))
    assert "001_80ead41acdacfd2f" in ids(live, "arrest")  # writes "arrested"
    assert set(ids(live, "petitions")) == set(ids(live, "petition"))
    assert "000_6483e5254f4e0a3b" in ids(live, "petitions")


def test_quoted_phrase_matches_across_a_stop_word(live):
    found = ids(live, '"freedom of peaceful assembly"')
    assert "udhr/udhr_eng" in found
    assert "fixtures/news/march_2019" not in found


def test_a_phrase_is_stricter_than_its_words(live):
    assert len(ids(live, '"security law"')) <= len(ids(live, "security law"))
    assert "004_a0887d1137a917e7" in ids(live, '"national security law"')


def test_mixed_query_and_mixed_document(live):
    assert ids(live, "Hong Kong 人權", expand=False) == ["002_5db78a1c256f63c4"]
    assert "fixtures/news/march_2019" in ids(live, "extradition 逃犯條例")


def test_or_and_exclusion(live):
    either = set(ids(live, "torture OR 酷刑"))
    assert {"udhr/udhr_eng", "udhr/udhr_cmn_hant"} <= either
    assert "002_5db78a1c256f63c4" in ids(live, "torture")
    assert "002_5db78a1c256f63c4" not in ids(live, "torture -Tibet")
    assert "002_5db78a1c256f63c4" not in ids(live, "torture NOT Tibet")


def test_snippet_marks_the_words_as_the_document_writes_them(live):
    hant = hit_for(live, "人权", "udhr/udhr_cmn_hant")
    assert "人權" in hant.snippet.marked()
    hans = hit_for(live, "人權", "002_5db78a1c256f63c4")
    assert "人权" in hans.snippet.marked()


def test_one_mark_per_matched_run_not_per_character(live):
    hit = hit_for(live, "世界人權宣言", "udhr/udhr_cmn_hant")
    assert "世界人權宣言" in hit.snippet.marked()
    assert "世" not in hit.snippet.marked()
    phrase = hit_for(live, '"freedom of peaceful assembly"', "udhr/udhr_eng")
    assert "freedom of peaceful assembly" in phrase.snippet.marked()


def test_snippets_are_the_documents_own_words(live):
    for hit in search(live, SearchRequest(q="rights", per_page=50)).hits:
        text = " ".join(get_document(live, hit.id).text.split())
        assert hit.snippet.text in text
        assert all(word.lower().startswith("right") for word in hit.snippet.marked())


def test_title_matches_are_found_and_marked(live):
    hit = hit_for(live, "crackdown", "001_80ead41acdacfd2f")
    assert hit.title.marked() == ["crackdown"]


def test_filters_by_language(live):
    assert set(ids(live, "人權", lang=("en",), expand=False)) == {"002_5db78a1c256f63c4"}
    hant = set(ids(live, "人權", lang=("zh-Hant",)))
    assert "udhr/udhr_cmn_hant" in hant and "udhr/udhr_cmn_hans" not in hant
    chinese = set(ids(live, "人權", lang=("zh",)))
    assert {"udhr/udhr_cmn_hant", "udhr/udhr_cmn_hans", "udhr/udhr_yue"} <= chinese


def test_pages_and_totals(live):
    everything = search(live, SearchRequest(q="rights", per_page=50))
    first = search(live, SearchRequest(q="rights", per_page=2))
    second = search(live, SearchRequest(q="rights", per_page=2, page=2))
    assert first.total == second.total == everything.total > 4
    assert [h.id for h in first.hits + second.hits] == [h.id for h in everything.hits[:4]]
    beyond = search(live, SearchRequest(q="rights", per_page=10, page=500))
    assert beyond.hits == [] and beyond.total == everything.total


def test_facets_count_and_filter(live):
    result = search(live, SearchRequest(q="Hong Kong", per_page=50))
    years = {item.value: item.count for item in result.facets["year"]}
    assert years.get("2019") == 1
    filtered = search(live, SearchRequest(q="Hong Kong", year=("2019",)))
    assert [hit.id for hit in filtered.hits] == ["fixtures/news/march_2019"]
    # the chosen facet still lists the other values, so the choice can be widened
    assert len(filtered.facets["year"]) == len(result.facets["year"])


def test_sort_by_date(live):
    query = '民主 OR extradition OR "Hong Kong"'
    newest = search(live, SearchRequest(q=query, sort="-date", per_page=50, expand=False)).hits
    oldest = search(live, SearchRequest(q=query, sort="date", per_page=50, expand=False)).hits
    assert newest[0].id == "fixtures/news/primaries_2024"
    assert oldest[0].id.startswith("udhr/")  # 1948
    for hits, descending in ((newest, True), (oldest, False)):
        dates = [hit.record["date"] for hit in hits]
        dated = [date for date in dates if date]
        assert dated == sorted(dated, reverse=descending)
        assert dates.index(None) == len(dated)  # undated documents come last
        assert hits[-1].id.startswith("00")


def test_query_echo_lists_the_other_script(live):
    result = search(live, SearchRequest(q="人權", expand=False))
    assert [(item.matched, item.forms) for item in result.also_matched] == [("人權", ("人权",))]


def test_spelling_suggestion_from_the_archive_vocabulary(live):
    result = search(live, SearchRequest(q="extradtion"))
    assert result.total == 0
    assert result.suggestion == "extradition"
    assert search(live, SearchRequest(q="extradition")).suggestion is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("the of", "common words"),
        ("NOT torture", "only excludes"),
        ("*rights", "cannot start"),
        ("r*", "two letters"),
        ("x" * 501, "limit is 500"),
    ],
)
def test_queries_that_cannot_be_searched_say_why(live, query, message):
    with pytest.raises(QueryError, match=message):
        search(live, SearchRequest(q=query))


def test_document_view_marks_every_match(live):
    view = get_document(live, "udhr/udhr_cmn_hant", SearchRequest(q="人权"))
    assert view is not None and view.matches >= 5
    marked = [word for page in view.pages for word in page.marked()]
    assert len(marked) == view.matches
    assert set(marked) == {"人權"}
    assert get_document(live, "no/such/document") is None


@pytest.mark.parametrize("hidden", ["scriptzzword", "trackingzzword", "navzzword", "footerzzword", "commentzzword"])
def test_page_furniture_and_scripts_of_saved_web_pages_are_not_searchable(live, hidden):
    assert ids(live, hidden) == []


def test_saved_web_page_text_is_searchable_in_both_languages(live):
    assert "fixtures/web/apple_daily" in ids(live, '"Apple Daily"')
    assert "fixtures/web/apple_daily" in ids(live, "苹果日报")


def test_pdf_results_say_which_page_the_snippet_comes_from(live):
    hit = hit_for(live, "solitary confinement", "fixtures/reports/detention_report")
    assert hit.page == 2
    first = hit_for(live, "任意拘留", "fixtures/reports/detention_report")
    assert first.page == 1


def test_pdf_document_view_keeps_its_pages(live):
    view = get_document(live, "fixtures/reports/detention_report", SearchRequest(q="political prisoners"))
    assert [page.number for page in view.pages] == [1, 2]
    assert view.pages[1].marked() and not view.pages[0].marked()
    assert view.pages[1].first == 1


@pytest.mark.parametrize(
    ("query", "doc_id"),
    [
        ("新闻自由", "fixtures/encodings/big5_statement"),
        ("新聞自由", "fixtures/encodings/gb18030_notice"),
        ("集會自由", "fixtures/encodings/utf16_letter"),
        ('"took effect"', "fixtures/encodings/bom_note"),
        ("asylum", "fixtures/broken_front_matter"),
    ],
)
def test_documents_in_every_encoding_are_searchable(live, query, doc_id):
    assert doc_id in ids(live, query)


@pytest.mark.parametrize("query", ["-torture", "NOT torture", "the -torture"])
def test_a_query_that_only_excludes_says_so(live, query):
    with pytest.raises(QueryError, match="only excludes words"):
        search(live, SearchRequest(q=query))


@pytest.mark.parametrize("query", ["(((", "!!!", "。，、", "... ---", "«»"])
def test_a_query_of_punctuation_alone_says_so(live, query):
    with pytest.raises(QueryError, match="only punctuation or symbols"):
        search(live, SearchRequest(q=query))


def test_a_query_of_common_words_alone_says_so(live):
    with pytest.raises(QueryError, match="common words such as 'the'"):
        search(live, SearchRequest(q="the of"))


@pytest.mark.parametrize("query", ["torture NOT 酷刑", "torture -酷刑"])
def test_an_excluded_word_is_not_searched_as_a_translation(live, query):
    result = search(live, SearchRequest(q=query, per_page=50))
    assert all("酷刑" not in item.forms for item in result.also_matched)
    assert result.hits
    with_the_excluded = {hit.id for hit in search(live, SearchRequest(q="酷刑", per_page=50, expand=False)).hits}
    assert not {hit.id for hit in result.hits} & with_the_excluded


@pytest.mark.parametrize(
    ("query", "as_written"),
    [("cafe", "café"), ("CAFÉ", "café"), ("Muller", "Müller"), ("jose", "José"), ("Müller", "Müller")],
)
def test_accents_fold_and_the_mark_stays_on_the_word_as_written(live, query, as_written):
    hit = hit_for(live, query, "fixtures/office/forum_notes")
    assert as_written in hit.snippet.marked()
    assert set(hit.snippet.marked()) == {as_written}


def test_a_hyphenated_word_is_searched_as_written_not_as_an_exclusion(live):
    found = ids(live, "pro-democracy")
    assert "fixtures/news/primaries_2024" in found
    assert set(hit_for(live, "pro-democracy", "fixtures/news/primaries_2024").snippet.marked()) == {"pro-democracy"}
    assert "fixtures/news/primaries_2024" not in ids(live, "primaries -democracy")


def test_a_plus_after_a_number_is_part_of_the_query_not_an_operator(live):
    assert search(live, SearchRequest(q="primaries 35+")).total == search(live, SearchRequest(q="primaries 35")).total


def test_a_spelling_suggestion_keeps_the_accents_of_the_archive(live):
    assert search(live, SearchRequest(q="Mullerr")).suggestion == "müller"


@pytest.mark.parametrize(("query", "doc_id"), [("第五條", "udhr/udhr_cmn_hant"), ("torture", "udhr/udhr_eng")])
def test_markdown_snippets_show_the_text_not_its_markup(live, query, doc_id):
    snippet = hit_for(live, query, doc_id).snippet.text
    assert query.lower() in snippet.lower()
    assert not any(mark in snippet for mark in ("#", "**", "|"))
