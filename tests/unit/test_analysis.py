"""The bilingual analyzer: offsets into the original text, folding, stemming, positions."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.analysis import GAP, ArchiveAnalyzer, ScriptTokenizer, terms
from app.analysis.boundaries import boundary
from app.analysis.chinese import fold, script_variants
from app.analysis.scripts import is_han, runs
from app.ingest.script import simplified_share

SAMPLES = {
    "english": "Hong Kong’s activists were ARRESTED; petitions and the arrest of journalists.",
    "simplified": "香港国家安全法严重侵犯人权，民主派初选",
    "traditional": "香港國家安全法嚴重侵犯人權，民主派初選",
    "hong_kong_variants": "無綫電視、這裏、看着，唔好搭𨋢㗎！",
    "mixed": "Hong Kong 人權 NSL國安法 Jimmy Lai黎智英 2019年6月12日",
    "astral_and_extension_a": "𠀀𨋢𪚥 㐀㗎䶵 and 𝐁𝐨𝐥𝐝 text",
    "fullwidth_and_marks": "ＨＫ　ＦＲＥＥＤＯＭ　café naïve 12,438 signatures",
    "other_scripts": "Права человека — 인권 — حقوق الإنسان — 人権",
    "latin_accents": "Dr Müller, José, Straße, Œuvre, Łódź, İSTANBUL, ǅemal, café-naïve",
    "punctuation_only": "… —— 「」《》!!! ???",
    "empty": "",
}


def analyse(text: str):
    return [
        (token.text, token.pos, token.startchar, token.endchar, token.original)
        for token in ArchiveAnalyzer()(text, positions=True, chars=True, keeporiginal=True)
    ]


@pytest.mark.parametrize("name", SAMPLES)
def test_offsets_index_the_original_text(name):
    text = SAMPLES[name]
    for _term, _pos, start, end, original in analyse(text):
        assert 0 <= start < end <= len(text)
        assert text[start:end] == original


def positions_follow_tokens(text: str) -> None:
    """Before stop words go, positions count tokens and skip ``GAP`` exactly at a boundary; the
    whole of a word hyphenated at a line end stands at its part's position, spanning both parts."""
    parts = []
    for token in ScriptTokenizer()(text, positions=True, chars=True):
        if token.overlap:
            assert parts and token.pos == parts[-1][0]
            assert parts[-1][1] in (token.startchar, token.endchar - (parts[-1][2] - parts[-1][1]))
            continue
        parts.append((token.pos, token.startchar, token.endchar))
    for (pos, _start, end), (later_pos, start, _end) in itertools.pairwise(parts):
        assert later_pos - pos in (1, 1 + GAP)
        han_pair = is_han(text[end - 1]) and is_han(text[start])
        assert (later_pos - pos == 1 + GAP) == boundary(text, end, start, han_pair)


@pytest.mark.parametrize("name", SAMPLES)
def test_tokens_are_in_order_and_positions_count_tokens(name):
    tokens = analyse(SAMPLES[name])
    if tokens:
        assert tokens[0][1] == 0
    positions_follow_tokens(SAMPLES[name])
    ends = [end for *_, end, _o in tokens]
    starts = [start for _t, _p, start, *_ in tokens]
    assert all(later >= earlier for earlier, later in zip(ends, starts[1:], strict=False))


# Each text, and its tokens as the document writes them with their positions: a position skipped
# is a boundary (no phrase or pair spans it).
BOUNDARIES = {
    # a line break inside a paragraph joins Han characters and separates words as a space does
    "han_line_break": ("香港人\n權狀況", [("香", 0), ("港", 1), ("人", 2), ("權", 3), ("狀", 4), ("況", 5)]),
    "han_line_break_with_spaces": ("國家 \r\n  安全法", [("國", 0), ("家", 1), ("安", 2), ("全", 3), ("法", 4)]),
    "han_form_feed": ("國家\x0c安全法", [("國", 0), ("家", 1), ("安", 2), ("全", 3), ("法", 4)]),
    "words_line_break": ("freedom of\nassembly", [("freedom", 0), ("assembly", 1)]),
    "words_line_break_after_a_full_stop": ("rights.\nHuman", [("rights", 0), ("Human", 1)]),
    # spaces between Han characters join them; a space between Han and a word is a word break
    "han_spaces": ("人 權 狀 況", [("人", 0), ("權", 1), ("狀", 2), ("況", 3)]),
    "han_ideographic_space": ("人\u3000權", [("人", 0), ("權", 1)]),
    "han_then_word": ("香港 Hong", [("香", 0), ("港", 1), ("Hong", 2)]),
    # punctuation: a boundary between Han characters only
    "han_comma": ("研究所，有反應釜", [("研", 0), ("究", 1), ("所", 2), ("有", 4), ("反", 5), ("應", 6), ("釜", 7)]),
    "han_ascii_comma_and_line_break": ("自由,\n鉴于", [("自", 0), ("由", 1), ("鉴", 3), ("于", 4)]),
    "han_symbol": ("人+權", [("人", 0), ("權", 2)]),
    "words_comma": ("Tutwiler, Mississippi", [("Tutwiler", 0), ("Mississippi", 1)]),
    "stop_word_after_a_comma": ("rights, of the human", [("rights", 0), ("human", 1)]),
    "words_brackets_and_quotes": ('rights ("civil") matter', [("rights", 0), ("civil", 1), ("matter", 2)]),
    "han_comma_word": ("人權，Hong Kong", [("人", 0), ("權", 1), ("Hong", 2), ("Kong", 3)]),
    "acronym_after_comma": ("Washington, D.C.", [("Washington", 0), ("D.C.", 1)]),
    # blank lines and paragraph separators are boundaries
    "blank_line": ("rights.\n\nHuman", [("rights", 0), ("Human", 2)]),
    "blank_line_with_spaces": (
        "香港人\n \t\n權狀況",
        [("香", 0), ("港", 1), ("人", 2), ("權", 4), ("狀", 5), ("況", 6)],
    ),
    "paragraph_separator": ("rights\u2029Human", [("rights", 0), ("Human", 2)]),
    # the cells of a table's row (U+001F between them) and its rows are apart
    "table_cells": (
        "鄒幸彤\x1fChow Hang-tung",
        [("鄒", 0), ("幸", 1), ("彤", 2), ("Chow", 4), ("Hang", 5), ("tung", 6)],
    ),
    "table_han_cells": ("香港\x1f人權", [("香", 0), ("港", 1), ("人", 3), ("權", 4)]),
    "table_rows": (
        "Name\x1f姓名\nJimmy Lai\x1f黎智英\nlast",
        [("Name", 0), ("姓", 2), ("名", 3), ("Jimmy", 5), ("Lai", 6), ("黎", 8), ("智", 9), ("英", 10), ("last", 12)],
    ),
    # a line that begins a list item is a boundary
    "bullet": ("point one\n• point two", [("point", 0), ("one", 1), ("point", 3), ("two", 4)]),
    "dash": ("see\n- item", [("see", 0), ("item", 2)]),
    "star": ("see\n  * item", [("see", 0), ("item", 2)]),
    "number": ("see\n1. item", [("see", 0), ("1", 2), ("item", 3)]),
    "number_bracket": ("see\n2) item", [("see", 0), ("2", 2), ("item", 3)]),
    "letter": ("see\n(a) item", [("see", 0), ("item", 2)]),
    "roman": ("see\n(iv) item", [("see", 0), ("iv", 2), ("item", 3)]),
    "chinese_numeral": ("香港\n一、人權", [("香", 0), ("港", 1), ("一", 3), ("人", 5), ("權", 6)]),
    "chinese_numeral_in_brackets": ("香港\n（二）人權", [("香", 0), ("港", 1), ("二", 3), ("人", 5), ("權", 6)]),
    "not_a_list_item": ("in\n1989 the", [("1989", 0)]),
    # a word hyphenated at a line end is also the joined word, at both parts' positions
    "hyphenated": ("hu-\nman rights", [("hu", 0), ("hu-\nman", 0), ("man", 1), ("hu-\nman", 1), ("rights", 2)]),
    "hyphenated_with_spaces": (
        "pro- \n democracy",
        [("pro", 0), ("pro- \n democracy", 0), ("democracy", 1), ("pro- \n democracy", 1)],
    ),
    "hyphen_within_a_line": ("pro-democracy", [("pro", 0), ("democracy", 1)]),
    # parts that are stop words: the whole word stands in their places
    "hyphenated_stop_words": ("a-\nan rights", [("a-\nan", 0), ("a-\nan", 1), ("rights", 2)]),
    "hyphen_before_a_blank_line": ("hu-\n\nman", [("hu", 0), ("man", 2)]),
    "hyphen_before_a_list_item": ("well-\n- item", [("well", 0), ("item", 2)]),
}


@pytest.mark.parametrize("name", BOUNDARIES)
def test_boundaries_and_what_is_not_one(name):
    text, expected = BOUNDARIES[name]
    tokens = analyse(text)
    assert [(original, pos) for _t, pos, _s, _e, original in tokens] == expected
    assert all(text[start:end] == original for _t, _p, start, end, original in tokens)
    positions_follow_tokens(text)


@pytest.mark.parametrize("name", BOUNDARIES)
def test_index_pass_matches_the_analyzer_on_every_boundary(name):
    from app.analysis import analyse as index_pass

    text = BOUNDARIES[name][0]
    tokens = analyse(text)
    analysed = index_pass(text)
    assert analysed.starts() == first_starts(tokens)
    assert analysed.positions() == positions_by_term(tokens)
    assert analysed.length == len(tokens)


def test_the_joined_word_is_a_term_and_so_are_its_parts():
    assert terms("hu-\nman") == ["hu", "human", "human", "man"]
    assert "prodemocraci" in terms("pro-\ndemocracy")
    assert terms("run-\nning") == ["run", "ning", "run"]  # the whole is the first part's term once


@pytest.mark.parametrize(
    ("written", "plain"), [("U.S.", "US"), ("D.C.", "DC"), ("U.N.", "UN"), ("U.S.A.", "USA"), ("e.g.", "eg")]
)
def test_acronyms_with_dots_are_the_word_without_them(written, plain):
    assert terms(written) == terms(plain) == terms(plain.lower())
    assert len(terms(written)) == 1


def test_a_dotted_name_is_not_an_acronym():
    assert terms("www.a.b.com x.y.z") == ["www", "b", "com", "xyz"]  # "a" is the stop word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IT", ["it"]),
        ("the IT department", ["it", "depart"]),
        ("I.T. and U.S. policy", ["it", "us", "polici"]),
        ("THE UNIVERSAL DECLARATION OF HUMAN RIGHTS", ["univers", "declar", "human", "right"]),
        ("Article 5\nTHE RIGHT\nof the IT staff", ["articl", "5", "right", "it", "staff"]),
        ("It is the THE", ["the"]),
        ("A", []),  # one letter: a stop word however written
    ],
)
def test_a_stop_word_in_capitals_is_a_word_unless_its_line_is_in_capitals(text, expected):
    assert terms(text) == expected


@pytest.mark.parametrize("name", SAMPLES)
def test_runs_split_the_text_without_losing_a_character(name):
    text = SAMPLES[name]
    assert "".join(text[run.start : run.end] for run in runs(text)) == text


@pytest.mark.parametrize(
    "forms",
    [
        ("人權", "人权"),
        ("國安法", "国安法"),
        ("綫", "線", "线"),
        ("裏", "裡", "里"),
        ("香港國家安全法", "香港国家安全法"),
        ("啓動", "啟動", "启动"),
        ("民主派初選", "民主派初选"),
    ],
)
def test_every_script_and_variant_gives_the_same_terms(forms):
    expected = terms(forms[0])
    assert expected
    for form in forms[1:]:
        assert terms(form) == expected


def test_han_characters_are_single_tokens_in_order():
    assert terms("人權") == ["人", "权"]
    assert [pos for _t, pos, *_ in analyse("民主派初選")] == [0, 1, 2, 3, 4]


def test_characters_beyond_the_basic_plane_and_extension_a_are_terms():
    assert len(terms("𨋢")) == 1
    assert terms("㗎") == ["㗎"]
    assert terms("𠀀") == ["𠀀"]


def test_english_is_case_folded_stemmed_and_stop_words_dropped():
    assert terms("ARRESTED") == terms("arrest") == ["arrest"]
    assert terms("petitions") == terms("petition")
    assert terms("the of and") == []
    assert terms("Hong Kong’s") == ["hong", "kong"]


def test_stop_words_leave_no_gap_so_phrases_match_across_them():
    tokens = analyse("freedom of peaceful assembly")
    assert [(term, pos) for term, pos, *_ in tokens] == [("freedom", 0), ("peac", 1), ("assembl", 2)]
    assert [pos for _t, pos, *_ in analyse("the freedom")] == [0]


@pytest.mark.parametrize(
    ("accented", "plain"),
    [
        ("café", "cafe"),
        ("Müller", "Muller"),
        ("José", "Jose"),
        ("naïve", "naive"),
        ("Straße", "Strasse"),
        ("Æsop", "Aesop"),
        ("Œuvre", "Oeuvre"),
        ("Øresund", "Oresund"),
        ("Łódź", "Lodz"),
        ("Đặng", "Dang"),
        ("İstanbul", "Istanbul"),
        ("Þór", "Thor"),
    ],
)
def test_accents_fold_so_either_spelling_finds_the_other(accented, plain):
    assert terms(accented) == terms(plain) == terms(plain.lower())
    assert terms(accented) and terms(accented)[0].isascii()


def test_accent_folding_leaves_other_scripts_alone():
    assert terms("йод") == ["йод"]  # й is a letter of its own, not и with a mark
    assert terms("Ελλάδα") == ["ελλάδα"]
    assert terms("人權 香港") == ["人", "权", "香", "港"]
    assert terms("인권") == ["인권"]


def test_folded_terms_keep_their_offsets_on_the_original_text():
    text = "Dr Müller met José at the café in Łódź."
    tokens = analyse(text)
    assert [(term, original) for term, _pos, _start, _end, original in tokens] == [
        ("dr", "Dr"),
        ("muller", "Müller"),
        ("met", "met"),
        ("jose", "José"),
        ("cafe", "café"),
        ("lodz", "Łódź"),
    ]
    assert all(text[start:end] == original for _t, _p, start, end, original in tokens)


def test_fullwidth_letters_fold_to_ascii():
    assert terms("ＨＫ") == terms("HK") == ["hk"]


def test_numbers_keep_their_separators():
    assert terms("12,438 signatures") == ["12,438", "signatur"]


def test_over_long_words_are_not_indexed():
    assert terms("x" * 65) == []
    assert terms("x" * 64) == ["x" * 64]


def test_fold_keeps_length_and_simplifies():
    text = "人權 綫 裏 着 𨋢"
    assert len(fold(text)) == len(text)
    assert fold("人權綫裏") == "人权线里"


def test_script_variants_give_both_scripts():
    assert "人權" in script_variants("人权")
    assert "人权" in script_variants("人權")


def test_simplified_share_tells_the_scripts_apart():
    assert simplified_share("我们在此签署请愿书") == 1.0
    assert simplified_share("人人有權享有和平集會") == 0.0
    assert simplified_share("English only") is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_text_analyses_with_valid_offsets(text):
    tokens = analyse(text)
    for _term, _pos, start, end, original in tokens:
        assert 0 <= start < end <= len(text)
        assert text[start:end] == original
    positions_follow_tokens(text)
    assert "".join(text[run.start : run.end] for run in runs(text)) == text


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x24F) | st.sampled_from("\u0301\u0308ẞİǅﬁ"),
        max_size=80,
    )
)
def test_latin_text_with_accents_analyses_alike_in_both_passes(text):
    from app.analysis import analyse as index_pass

    tokens = analyse(text)
    assert all(text[start:end] == original for _t, _p, start, end, original in tokens)
    assert all(term for term, *_rest in tokens)
    assert index_pass(text).positions() == positions_by_term(tokens)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF), min_size=1, max_size=30))
def test_chinese_queries_fold_the_same_in_either_script(text):
    from opencc import OpenCC

    simplified = OpenCC("t2s").convert(text)
    if len(simplified) == len(text):
        assert terms(simplified) == terms(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_the_index_pass_and_the_query_analyzer_agree(text):
    from app.analysis import analyse as index_pass

    tokens = analyse(text)
    analysed = index_pass(text)
    assert analysed.starts() == first_starts(tokens)
    assert analysed.positions() == positions_by_term(tokens)
    assert analysed.length == len(tokens)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=list("abhuman ITUSOF人權一、.-,\n\n•1()\u3000\x0c"), max_size=60))
def test_the_two_passes_agree_on_boundaries_hyphens_acronyms_and_capitals(text):
    from app.analysis import analyse as index_pass

    tokens = analyse(text)
    analysed = index_pass(text)
    assert all(text[start:end] == original for _t, _p, start, end, original in tokens)
    assert analysed.starts() == first_starts(tokens)
    assert analysed.positions() == positions_by_term(tokens)
    assert analysed.length == len(tokens)
    positions_follow_tokens(text)


def first_starts(tokens) -> list[tuple[int, int]]:
    """(position, start) of each position's first token: a hyphenated word's whole form stands
    at its part's position, where the part starts."""
    found: dict[int, int] = {}
    for _term, pos, start, _end, _original in tokens:
        found.setdefault(pos, start)
    return sorted(found.items())


def positions_by_term(tokens) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for term, pos, *_rest in tokens:
        found.setdefault(term, []).append(pos)
    return found


@pytest.mark.parametrize("name", SAMPLES)
def test_index_pass_matches_the_analyzer_on_every_sample(name):
    from app.analysis import analyse as index_pass

    text = SAMPLES[name]
    tokens = analyse(text)
    analysed = index_pass(text)
    assert analysed.starts() == first_starts(tokens)
    assert analysed.positions() == positions_by_term(tokens)
