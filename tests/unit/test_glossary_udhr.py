"""The Universal Declaration, article by article: each article's right is found across languages.

The archive holds the Declaration in English and in Chinese (Mandarin Simplified, Mandarin
Traditional, Cantonese). For every article, the English name of its right finds the Chinese
Declarations and the Chinese word finds the English one, and the words that make the link are
the article's own: a form the search added stands in that very article of the other language.
"""

from __future__ import annotations

import re

import pytest

from app.analysis import positioned_terms
from app.analysis.chinese import fold
from app.service.results import SearchRequest
from app.service.search import search

from ..support import ROOT

UDHR = ROOT / "documents" / "udhr"
ENGLISH = "udhr_eng"
MANDARIN = ("udhr_cmn_hans", "udhr_cmn_hant")
CANTONESE = "udhr_yue"

# (article, the right in English, the right in Chinese): the Chinese in Traditional script, as
# the UN Chinese text or the usual name of the right writes it. Articles 1, 2, 6 and 28-30 name
# no right in one noun and take the most specific phrase the article has; article 3 takes
# security of person, as life (生命) is too common a word to translate on its own. Some rights go
# by their name because the bare noun is too common or means something else in this archive:
# 'nationality' (stemmed to 'nation'), 'movement' (protest movements), 'assembly' (the General
# Assembly), 'association' (stemmed with 'associated'), 'work' and 工作, 'rest' ('the rest of').
RIGHTS = [
    (1, "born free and equal", "生而自由"),
    (2, "without distinction of any kind", "不分種族"),
    (3, "security of person", "人身安全"),
    (4, "slavery", "奴隸"),
    (5, "torture", "酷刑"),
    (6, "person before the law", "法律前的人格"),
    (7, "equality before the law", "法律之前人人平等"),
    (8, "effective remedy", "有效的補救"),
    (9, "arbitrary arrest", "任意逮捕"),
    (10, "fair trial", "公正審判"),
    (11, "presumption of innocence", "無罪推定"),
    (12, "privacy", "隱私"),
    (13, "freedom of movement", "遷徙"),
    (14, "asylum", "庇護"),
    (15, "right to a nationality", "國籍"),
    (16, "marriage", "婚姻"),
    (17, "property", "財產"),
    (18, "religion", "宗教"),
    (19, "freedom of expression", "言論自由"),
    (20, "freedom of assembly", "集會"),
    (20, "freedom of association", "結社"),
    (21, "elections", "選舉"),
    (22, "social security", "社會保障"),
    (23, "right to work", "有權工作"),
    (24, "rest and leisure", "休息"),
    (25, "standard of living", "生活水準"),
    (26, "education", "教育"),
    (27, "culture", "文化"),
    (28, "social and international order", "社會的和國際的秩序"),
    (29, "duties to the community", "對社會負有義務"),
    (30, "destruction of any of the rights and freedoms", "破壞本宣言所載的任何權利和自由"),
]

# Articles where the Cantonese text words the right in Cantonese grammar (嘅 for 的, 唔 for 不,
# 冇 for 無, 俾 for 被: 公正嘅同埋公开嘅审讯, 唔分种族), so no Mandarin form meets it there.
CANTONESE_WORDED_OTHERWISE = {2, 6, 7, 8, 10, 11, 19, 28, 30}


def articles(name: str) -> list[str]:
    """The text of articles 1 to 30 of one version of the Declaration, by their headings."""
    text = (UDHR / f"{name}.md").read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    headings, bodies = parts[1::2], parts[2::2]
    assert headings[0] in {"Preamble", "序言"}, name
    assert len(headings) == 31, f"{name}: {len(headings) - 1} articles"
    for number, heading in enumerate(headings[1:], 1):
        assert heading == f"Article {number}" or re.fullmatch(r"第[一二三四五六七八九十]+[條条]", heading), heading
    return bodies[1:]


ARTICLES = {name: articles(name) for name in (ENGLISH, *MANDARIN, CANTONESE)}


def stands_in(form: str, text: str) -> bool:
    """Whether ``form`` stands in ``text`` as the search matches it: its terms in a row."""
    wanted = [term for _position, term in positioned_terms(form)]
    at = dict(positioned_terms(text))
    return any(all(at.get(start + offset) == term for offset, term in enumerate(wanted)) for start in at)


def searched(live, q: str) -> tuple[set[str], list[str]]:
    """The documents ``q`` finds, every copy (each script) its own result, and every form it was
    searched as (as typed, then the glossary's)."""
    result = search(live, SearchRequest(q=q, per_page=100, dedupe=False))
    forms = [q, *(form for item in result.also_matched if item.kind == "glossary" for form in item.forms)]
    return {hit.id for hit in result.hits}, forms


def rights_of(number: int) -> list[tuple[str, str]]:
    rights = [(english, chinese) for article, english, chinese in RIGHTS if article == number]
    assert rights, f"article {number} has no right in the table"
    return rights


NUMBERS = range(1, len(ARTICLES[ENGLISH]) + 1)


@pytest.mark.parametrize("number", NUMBERS)
def test_the_english_right_finds_the_chinese_declarations(live, number):
    versions = MANDARIN if number in CANTONESE_WORDED_OTHERWISE else (*MANDARIN, CANTONESE)
    for english, _chinese in rights_of(number):
        found, forms = searched(live, english)
        for version in versions:
            assert f"udhr/{version}" in found, f"{english!r} does not find {version}"
            article = ARTICLES[version][number - 1]
            assert any(stands_in(form, article) for form in forms), f"none of {forms} is in article {number}, {version}"


@pytest.mark.parametrize("number", NUMBERS)
def test_the_chinese_right_finds_the_english_declaration(live, number):
    article = ARTICLES[ENGLISH][number - 1]
    for _english, chinese in rights_of(number):
        for typed in dict.fromkeys([chinese, fold(chinese)]):  # typed in Traditional and in Simplified
            found, forms = searched(live, typed)
            assert f"udhr/{ENGLISH}" in found, f"{typed!r} does not find the English Declaration"
            assert any(stands_in(form, article) for form in forms), f"none of {forms} is in article {number}"
