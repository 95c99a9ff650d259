"""Every word a page shows is in the interface language: labels, counts, and the messages of a
refused request (the JSON API keeps answering in English, in its one error shape)."""

from __future__ import annotations

import html
import re
import string

import pytest

from app.ingest import FORMATS
from app.query import parse as query_parse
from app.web import create_app, i18n

from ..support import ROOT, notice

UIS = ("en", "zh-Hant", "zh-Hans")


# A refused search, the key of its message, and words of that message in each Chinese script.
REFUSED = [
    (
        {"q": "a*"},
        "pattern_prefix_too_short",
        "「a*」：請在 * 或 ? 前至少輸入兩個字母",
        "“a*”：请在 * 或 ? 前至少输入两个字母",
    ),
    ({"q": "*x"}, "pattern_starts_with_wildcard", "不能以 * 或 ? 開頭", "不能以 * 或 ? 开头"),
    ({"q": "x" * 501}, "query_too_long", "查詢長 501 個字元，上限為 500 個", "查询长 501 个字符，上限为 500 个"),
    ({"q": "\x01"}, "query_empty", "查詢是空的", "查询是空的"),
    ({"q": "-torture"}, "query_only_excludes", "查詢只排除了字詞", "查询只排除了字词"),
    ({"q": "the"}, "query_only_common_words", "常用詞不會單獨編入索引", "常用词不会单独编入索引"),
    ({"q": "((( …"}, "query_no_words", "查詢只有標點或符號", "查询只有标点或符号"),
    ({"q": "rights", "sort": "popular"}, "sort_invalid", "收到的是「popular」", "收到的是“popular”"),
    ({"q": "rights", "lang": "<b>"}, "lang_invalid", "必須是語言標籤", "必须是语言标签"),
    ({"q": "rights", "lang": "fr"}, "lang_unknown", "必須是檔案庫中的語言之一", "必须是档案库中的语言之一"),
    ({"q": "rights", "year": "21"}, "year_invalid", "年份（year）必須是四位數字", "年份（year）必须是四位数字"),
    ({"q": "rights", "per_page": "0"}, "number_out_of_range", "每頁結果數（per_page）必須介於 1 至 100", "每页结果数"),
    ({"q": "rights", "page": "two"}, "number_not_whole", "頁碼（page）必須是 1 至 100000 之間的整數", "之间的整数"),
    ({"q": "rights", "expand": "x"}, "expand_invalid", "同時搜尋譯名", "同时搜索译名"),
    ({"q": "rights", "author": "x" * 201}, "filter_value_too_long", "篩選值太長（超過 200 個字元）", "筛选值太长"),
    (
        {"q": "rights", "tag": [f"t{n}" for n in range(21)]},
        "filter_too_many_values",
        "最多只能同時指定 20 個值",
        "同时指定",
    ),
]


@pytest.mark.parametrize(("params", "key", "hant", "hans"), REFUSED, ids=[case[1] for case in REFUSED])
def test_a_refused_search_is_explained_in_the_interface_language(client, params, key, hant, hans):
    english = client.get("/api/search", query_string=params).get_json()["error"]["message"]
    pages = {ui: client.get("/search", query_string={**params, "ui": ui}) for ui in UIS}
    assert {response.status_code for response in pages.values()} == {400}
    assert notice(pages["en"].get_data(as_text=True)) == english
    assert hant in notice(pages["zh-Hant"].get_data(as_text=True))
    assert hans in notice(pages["zh-Hans"].get_data(as_text=True))
    for ui in ("zh-Hant", "zh-Hans"):
        assert english not in html.unescape(pages[ui].get_data(as_text=True))


def test_the_browser_language_chooses_the_language_of_a_message(client):
    page = client.get("/search", query_string={"q": "a*"}, headers={"Accept-Language": "zh-HK,en;q=0.5"})
    assert notice(page.get_data(as_text=True)).startswith("「a*」：請在")


def test_the_api_answers_in_english_whatever_the_interface_language(client):
    for headers in ({"Accept-Language": "zh-HK"}, {"Accept-Language": "zh-CN"}):
        response = client.get("/api/search", query_string={"q": "a*", "ui": "zh-Hant"}, headers=headers)
        assert response.status_code == 400
        assert response.get_json() == {
            "error": {"status": 400, "message": "'a*': put at least two letters before * or ?."}
        }


def test_a_pattern_past_the_term_limit_is_explained_in_chinese(index_dir, corpus_dir):
    narrow = create_app({"INDEX": str(index_dir), "DOCUMENTS": str(corpus_dir), "MAX_TERMS": 2, "TESTING": True})
    try:
        client = narrow.test_client()
        english = client.get("/api/search", query_string={"q": "co*"}).get_json()["error"]["message"]
        assert english == "'co*' matches more than 2 different words. Make it longer or more specific."
        page = client.get("/search", query_string={"q": "co*", "ui": "zh-Hant"}).get_data(as_text=True)
        assert notice(page) == "「co*」符合超過 2 個不同的字詞。請把它加長或改得更具體。"
    finally:
        narrow.extensions["archive_index"].close()


@pytest.mark.parametrize("q", ["NOT (NOT date:", "}'<(+)\"}"])
def test_an_unreadable_query_is_explained_in_chinese(client, q):
    # Whoosh's parser gives up on these with an IndexError and a NotImplementedError
    english = client.get("/api/search", query_string={"q": q}).get_json()["error"]
    assert english == {
        "status": 400,
        "message": "The query could not be read: check its quotes and brackets, and that a field name such as "
        "title: is followed by a word.",
    }
    page = client.get("/search", query_string={"q": q, "ui": "zh-Hans"}).get_data(as_text=True)
    assert notice(page) == "无法读取查询：请检查引号和括号，以及 title: 等字段名称后面是否有字词。"


def test_a_bad_query_on_a_document_page_is_explained_in_the_interface_language(client):
    page = client.get("/documents/udhr/udhr_eng", query_string={"q": "a*", "ui": "zh-Hant"}).get_data(as_text=True)
    assert notice(page) == "「a*」：請在 * 或 ? 前至少輸入兩個字母。"
    assert "Universal Declaration of Human Rights" in page  # the document is still shown


@pytest.mark.parametrize(
    ("method", "path", "status", "hant", "hans"),
    [
        ("get", "/documents/nothing", 404, "找不到此頁面或文件。", "找不到此页面或文件。"),
        ("post", "/search", 405, "此網址不接受這種請求方式。", "此网址不接受这种请求方式。"),
    ],
)
def test_error_pages_speak_the_interface_language(client, method, path, status, hant, hans):
    for ui, expected in (("zh-Hant", hant), ("zh-Hans", hans)):
        response = getattr(client, method)(path, query_string={"ui": ui})
        assert response.status_code == status
        assert notice(response.get_data(as_text=True)) == expected
        assert f'<html lang="{ui}">' in response.get_data(as_text=True)


def test_the_query_error_names_its_message_and_keeps_its_english(live):
    from app.service.results import SearchRequest
    from app.service.search import search

    with pytest.raises(query_parse.QueryError) as caught:
        search(live, SearchRequest(q="x" * 20), max_chars=10)
    error = caught.value
    assert str(error) == "The query is 20 characters long; the limit is 10. Shorten it."
    assert (error.key, error.params) == ("query_too_long", {"length": 20, "limit": 10})
    assert i18n.message(error.key, "en", error.params) == str(error)


def _raised_keys() -> set[str]:
    """Every message key the code raises an error with."""
    keys = set()
    for path in (ROOT / "app").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r'\b(?:QueryError|PatternError|SearchTimeout)\(\s*"([a-z_]+)"', text))
        keys |= set(re.findall(r'\bApiError\([^)]*\bkey="([a-z_]+)"', text))
    return keys


def test_every_message_a_request_can_meet_has_words_in_each_language():
    raised = _raised_keys()
    assert {case[1] for case in REFUSED} | {"q_missing", "query_unreadable", "pattern_too_many_words"} <= raised
    missing = raised - set(i18n.tables()["messages"])
    assert not missing, f"messages without words in the interface languages: {sorted(missing)}"


def _fields(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("table", sorted(i18n.tables()))
def test_every_word_of_the_interface_is_in_all_three_languages(table):
    for key, entry in i18n.tables()[table].items():
        assert len(entry) == 3, (table, key)
        english, *chinese = entry
        forms = list(english) if isinstance(english, tuple) else [english]
        assert all(isinstance(form, str) and form.strip() for form in [*forms, *chinese]), (table, key)
        # Each translation names the values its English names (a plural's "one" form may leave
        # the count out: "Only the first match is marked.").
        assert all(_fields(text) == _fields(forms[-1]) for text in chinese), (table, key)
        assert all(_fields(form) <= _fields(forms[-1]) for form in forms), (table, key)
        if table != "parameter names" and key not in ("markdown", "html", "pdf"):
            assert all(re.search(r"[\u3400-\u9fff]", text) for text in chinese), (table, key)


@pytest.mark.parametrize(
    ("key", "count", "expected"),
    [
        ("results_count", 1, ("1 result", "共 1 項結果", "共 1 条结果")),
        ("results_count", 1234, ("1,234 results", "共 1,234 項結果", "共 1,234 条结果")),
        ("matches_total", 1, ("1 match", "共 1 處配對", "共 1 处匹配")),
        ("matches_total", 0, ("0 matches", "共 0 處配對", "共 0 处匹配")),
        ("pdf_pages", 1, ("1 page", "1 頁", "1 页")),
        ("pdf_pages", 2, ("2 pages", "2 頁", "2 页")),
        ("documents_in_archive", 1, ("1 document", "1 份文件", "1 份文件")),
    ],
)
def test_counts_agree_with_their_number(key, count, expected):
    assert tuple(i18n.label(key, ui, count=count) for ui in UIS) == expected


def test_landing_page_counts_documents_with_the_right_form():
    assert i18n.label("landing", "en", count=1).startswith("Search 1 document. ")
    assert i18n.label("landing", "en", count=2).startswith("Search 2 documents. ")


def test_a_document_with_one_match_says_one_match(client):
    path = "/documents/fixtures/reports/detention_report"
    pages = {ui: client.get(path, query_string={"q": "solitary", "ui": ui}).get_data(as_text=True) for ui in UIS}
    assert '<p class="match-count" aria-live="polite">1 match</p>' in pages["en"]
    assert "1 matches" not in pages["en"]
    assert '<p class="match-count" aria-live="polite">共 1 處配對</p>' in pages["zh-Hant"]
    assert '<p class="match-count" aria-live="polite">共 1 处匹配</p>' in pages["zh-Hans"]
    # the PDF's pages and its format, named in each language
    assert "PDF · 2 pages ·" in pages["en"] and " pp. " not in pages["en"]
    assert "PDF · 2 頁 ·" in pages["zh-Hant"] and "PDF · 2 页 ·" in pages["zh-Hans"]


def test_one_result_is_one_result(client):
    for ui, expected in zip(UIS, ("1 result", "共 1 項結果", "共 1 条结果"), strict=True):
        page = client.get("/search", query_string={"q": "民主派初選", "ui": ui}).get_data(as_text=True)
        summary = re.search(r'<h2 id="results-heading" class="summary">\s*([^<]*?)\s*<span', page).group(1)
        assert summary == expected


def test_a_plain_text_document_names_its_format_in_the_interface_language(client):
    for ui, expected in zip(UIS, ("Plain text", "純文字", "纯文本"), strict=True):
        page = client.get("/documents/fixtures/hk_cantonese", query_string={"ui": ui}).get_data(as_text=True)
        assert f"fixtures/hk_cantonese.txt</code> · {expected} ·" in page


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("yue", "zh-Hant"),
        ("yue-HK", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-MO", "zh-Hant"),
        ("zh-TW", "zh-Hant"),
        ("zh-Hant", "zh-Hant"),
        ("zh-Hant-HK", "zh-Hant"),
        ("zh-yue", "zh-Hant"),
        ("zh-CN", "zh-Hans"),
        ("zh-SG", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("zh-Hans-HK", "zh-Hans"),
        ("yue-Hans", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("nan-TW", "zh-Hant"),
        ("wuu", "zh-Hans"),
        ("en-GB", "en"),
        ("fr-FR", "en"),
        ("fr-FR, yue;q=0.8, en;q=0.5", "zh-Hant"),
        ("en;q=0.5, zh-HK;q=0.9", "zh-Hant"),
        ("zh-CN;q=0.4, en;q=0.6", "en"),
        ("en;q=0.8, zh-TW", "zh-Hant"),
        ("zh-HK;q=0, en;q=0.1", "en"),
        ("*, zh-CN;q=0.5", "zh-Hans"),
    ],
)
def test_the_browser_language_picks_the_script(client, header, expected):
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{expected}">' in page


def test_the_ui_parameter_wins_over_the_browser(client):
    page = client.get("/", query_string={"ui": "en"}, headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Search the archive" in page


def test_choose_ranks_by_quality_whatever_the_order_given():
    assert i18n.choose(None, [("en", 0.3), ("zh-TW", 0.9)]) == "zh-Hant"
    assert i18n.choose(None, [("zh-CN", 0.2), ("fr", 1.0), ("en", 0.5)]) == "en"
    assert i18n.choose("zh-Hans", [("en", 1.0)]) == "zh-Hans"
    assert i18n.choose("xx", []) == "en"


def test_an_archive_not_built_yet_says_so_once_in_the_interface_language(tmp_path):
    empty = create_app({"INDEX": str(tmp_path / "index"), "DOCUMENTS": str(tmp_path), "TESTING": True})
    client = empty.test_client()
    for ui, expected in zip(
        UIS, ("The archive is not ready yet.", "檔案庫尚未準備好。", "档案库尚未准备好。"), strict=True
    ):
        response = client.get("/", query_string={"ui": ui})
        assert response.status_code == 503
        assert notice(response.get_data(as_text=True)) == expected
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["error"]["message"].startswith("The archive is not ready yet. no index in ")


@pytest.mark.parametrize("ui", ["en", "zh-Hant", "zh-Hans"])
def test_every_format_the_archive_reads_has_a_name_in_each_language(ui):
    for kind in set(FORMATS.values()):
        assert i18n.format_name(kind, ui) != kind, (kind, ui)  # a name, not the format's code
