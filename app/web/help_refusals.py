"""The search help's account of each refusal a search can meet: its message (``app/messages.py``,
by its key), shown with example values, what it means, and a request that meets it, where one
is short enough to link to.

Every text is in English, Traditional Chinese and Simplified Chinese, in that order.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..service.params import MAX_FILTER_CHARS, MAX_FILTER_VALUES, MAX_PAGE
from .help_examples import Words


@dataclass(frozen=True)
class Refusal:
    """A refusal by its message's key: the values its message is shown with (and those taken
    from a setting, by the setting's name), what it means, and the parameters of a search it
    refuses (empty when none is linked)."""

    key: str
    means: Words
    values: tuple[tuple[str, object], ...] = ()
    settings: tuple[tuple[str, str], ...] = ()
    trigger: tuple[tuple[str, str], ...] = ()


def _q(text: str, *more: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return (("q", text), *more)


REFUSALS: tuple[Refusal, ...] = (
    Refusal(
        "q_missing",
        (
            "A request to the API gave no words to search for (the page shows its start instead).",
            "向 API 發出的請求沒有提供搜尋字詞（網頁則會顯示首頁）。",
            "向 API 发出的请求没有提供搜索字词（网页则会显示首页）。",
        ),
    ),
    Refusal(
        "query_empty",
        (
            "Nothing is left of the query once its invisible characters are taken out.",
            "除去不可見的字元後，查詢已一無所有。",
            "除去不可见的字符后，查询已一无所有。",
        ),
    ),
    Refusal(
        "query_too_long",
        (
            "The query is longer than the archive reads.",
            "查詢比檔案庫可讀取的長度更長。",
            "查询比档案库可读取的长度更长。",
        ),
        values=(("length", 612),),
        settings=(("limit", "MAX_QUERY_CHARS"),),
    ),
    Refusal(
        "query_unreadable",
        (
            "The query's syntax could not be read: a quote or a bracket left open, or a field name with "
            "nothing after it.",
            "無法讀取查詢的語法：引號或括號未有關上，或欄位名稱後沒有字詞。",
            "无法读取查询的语法：引号或括号未有关上，或字段名称后没有字词。",
        ),
    ),
    Refusal(
        "query_only_excludes",
        (
            "Every word of the query is left out (NOT, a minus sign): there is nothing to find.",
            "查詢的每個字詞都被排除（NOT 或減號）：沒有要找的內容。",
            "查询的每个字词都被排除（NOT 或减号）：没有要找的内容。",
        ),
        trigger=_q("-torture"),
    ),
    Refusal(
        "query_no_words",
        (
            "The query holds no letter, digit or Chinese character.",
            "查詢沒有任何字母、數字或中文字。",
            "查询没有任何字母、数字或中文字。",
        ),
        trigger=_q("!!!"),
    ),
    Refusal(
        "query_only_common_words",
        (
            "Every word of the query is one too common to be indexed alone (the, of, and).",
            "查詢的每個字詞都太常見，不會單獨編入索引（the、of、and）。",
            "查询的每个字词都太常见，不会单独编入索引（the、of、and）。",
        ),
        trigger=_q("the of"),
    ),
    Refusal(
        "pattern_starts_with_wildcard",
        (
            "A * or ? may only end a word, after at least two letters.",
            "* 或 ? 只能放在字詞末尾，且前面至少有兩個字母。",
            "* 或 ? 只能放在字词末尾，且前面至少有两个字母。",
        ),
        values=(("pattern", "*rights"),),
        trigger=_q("*rights"),
    ),
    Refusal(
        "pattern_prefix_too_short",
        (
            "One letter before * would match too many words.",
            "* 前只有一個字母，會符合太多字詞。",
            "* 前只有一个字母，会匹配太多字词。",
        ),
        values=(("pattern", "r*"),),
        trigger=_q("r*"),
    ),
    Refusal(
        "pattern_too_many_words",
        (
            "The prefix starts more different words of the archive than a search may look for.",
            "以此開頭的不同字詞比一次搜尋可找的更多。",
            "以此开头的不同字词比一次搜索可找的更多。",
        ),
        values=(("pattern", "co*"),),
        settings=(("limit", "MAX_TERMS"),),
    ),
    Refusal(
        "date_invalid",
        (
            "A date of date:, from or to is not a year, a month or a day written YYYY, YYYY-MM or YYYY-MM-DD.",
            "date:、from 或 to 的日期不是以 YYYY、YYYY-MM 或 YYYY-MM-DD 寫成的年、月或日。",
            "date:、from 或 to 的日期不是以 YYYY、YYYY-MM 或 YYYY-MM-DD 写成的年、月或日。",
        ),
        values=(("name", "date:2019-13"), ("value", "2019-13")),
        trigger=_q("date:2019-13"),
    ),
    Refusal(
        "date_backwards",
        (
            "A range of date:, or from and to, ends before it starts.",
            "date: 的範圍，或 from 和 to，結束早於開始。",
            "date: 的范围，或 from 和 to，结束早于开始。",
        ),
        values=(("name", "date:2020..2019"), ("value", "2020..2019")),
        trigger=_q("date:2020..2019"),
    ),
    Refusal(
        "dedupe_invalid",
        ("dedupe takes 1 or 0 only.", "dedupe 只接受 1 或 0。", "dedupe 只接受 1 或 0。"),
        values=(("name", "dedupe"), ("value", "yes")),
        trigger=_q("torture", ("dedupe", "yes")),
    ),
    Refusal(
        "exact_invalid",
        ("exact takes 1 or 0 only.", "exact 只接受 1 或 0。", "exact 只接受 1 或 0。"),
        values=(("name", "exact"), ("value", "yes")),
        trigger=_q("torture", ("exact", "yes")),
    ),
    Refusal(
        "expand_invalid",
        ("expand takes 1 or 0 only.", "expand 只接受 1 或 0。", "expand 只接受 1 或 0。"),
        values=(("name", "expand"), ("value", "2")),
        trigger=_q("torture", ("expand", "2")),
    ),
    Refusal(
        "lang_invalid",
        (
            "lang takes a language tag, not a language's name.",
            "lang 接受語言標籤，而非語言名稱。",
            "lang 接受语言标签，而非语言名称。",
        ),
        values=(("name", "lang"), ("value", "english")),
        trigger=_q("torture", ("lang", "english")),
    ),
    Refusal(
        "lang_unknown",
        (
            "No document of the archive is in that language; the message lists those there are.",
            "檔案庫中沒有該語言的文件；訊息會列出現有的語言。",
            "档案库中没有该语言的文件；消息会列出现有的语言。",
        ),
        values=(("name", "lang"), ("choices", "en, zh-Hans, zh-Hant"), ("value", "fr")),
        trigger=_q("torture", ("lang", "fr")),
    ),
    Refusal(
        "year_invalid",
        (
            "The year filter takes four digits, or undated.",
            "年份篩選只接受四位數字或 undated。",
            "年份筛选只接受四位数字或 undated。",
        ),
        values=(("name", "year"), ("value", "19")),
        trigger=_q("torture", ("year", "19")),
    ),
    Refusal(
        "concept_unknown",
        (
            "A concept filter names a concept the glossary does not have.",
            "概念篩選所指的概念不在詞彙表中。",
            "概念筛选所指的概念不在词汇表中。",
        ),
        values=(("name", "concept"), ("value", "jimmy-lay")),
        trigger=_q("*", ("concept", "jimmy-lay")),
    ),
    Refusal(
        "sort_invalid",
        ("That order of results is not one there is.", "沒有這種結果排序。", "没有这种结果排序。"),
        values=(("name", "sort"), ("choices", "relevance, -date, date"), ("value", "title")),
        trigger=_q("torture", ("sort", "title")),
    ),
    Refusal(
        "number_not_whole",
        ("page and per_page take whole numbers.", "page 和 per_page 只接受整數。", "page 和 per_page 只接受整数。"),
        values=(("name", "page"), ("low", 1), ("high", MAX_PAGE), ("value", "two")),
        trigger=_q("torture", ("page", "two")),
    ),
    Refusal(
        "number_out_of_range",
        (
            "A page or a number of results per page past what a search gives.",
            "頁碼或每頁結果數超出搜尋可提供的範圍。",
            "页码或每页结果数超出搜索可提供的范围。",
        ),
        values=(("name", "per_page"), ("low", 1), ("value", 500)),
        settings=(("high", "MAX_PER_PAGE"),),
        trigger=_q("torture", ("per_page", "500")),
    ),
    Refusal(
        "filter_too_many_values",
        (
            "More values of one filter than a search takes at once.",
            "同一篩選的值多於一次搜尋可接受的數目。",
            "同一筛选的值多于一次搜索可接受的数目。",
        ),
        values=(("name", "tag"), ("limit", MAX_FILTER_VALUES)),
    ),
    Refusal(
        "filter_value_too_long",
        ("A filter's value is too long to be one.", "篩選值太長。", "筛选值太长。"),
        values=(("name", "tag"), ("limit", MAX_FILTER_CHARS)),
    ),
    Refusal(
        "search_timeout",
        (
            "The search would take longer than a search may, so that the archive keeps answering everyone.",
            "搜尋所需時間超過上限；設此上限是為了讓檔案庫能繼續回應所有人。",
            "搜索所需时间超过上限；设此上限是为了让档案库能继续响应所有人。",
        ),
        settings=(("seconds", "SEARCH_SECONDS"),),
    ),
    Refusal(
        "too_many_searches",
        (
            "Your address has as many searches running as it may at once.",
            "你的網絡位址同時進行的搜尋已達上限。",
            "你的网络地址同时进行的搜索已达上限。",
        ),
        settings=(("limit", "SEARCHES_PER_CLIENT"),),
    ),
)
