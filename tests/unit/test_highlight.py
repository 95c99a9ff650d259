"""Snippet choice and rendering: data from the engine, markup only at the edges."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from app import render
from app.highlight.snippets import SNIPPET_CHARS, Snippet, _extract, snippet
from app.highlight.spans import Marked, Span, merge
from app.service.results import PageText


def spans_of(text: str, *words: str) -> list[Span]:
    found = []
    for unit, word in enumerate(words):
        start = text.find(word)
        while start >= 0:
            found.append(Span(start, start + len(word), unit))
            start = text.find(word, start + 1)
    return sorted(found, key=lambda span: span.start)


def test_the_snippet_goes_where_the_query_words_gather():
    filler = "Nothing to see in this sentence at all. " * 20
    text = filler + "Torture here. " + filler + "Torture and detention together. " + filler
    chosen = snippet(text, spans_of(text, "Torture", "detention"))
    assert chosen.marked() == ["Torture", "detention"]
    assert chosen.cut_before and chosen.cut_after
    assert len(chosen.text) <= SNIPPET_CHARS + 40


def test_words_as_typed_are_preferred_to_translations():
    text = "政治犯 " + "x " * 300 + "political prisoners " + "y " * 300
    spans = spans_of(text, "political prisoners", "政治犯")
    assert snippet(text, spans, preferred=frozenset({0})).marked() == ["political prisoners"]
    assert snippet(text, spans, preferred=frozenset({1})).marked() == ["政治犯"]


def test_whitespace_runs_read_as_one_space_and_marks_stay_on_their_words():
    text = "Article 18\n\n   Everyone has the right to\tfreedom of\n thought."
    chosen = snippet(text, spans_of(text, "freedom of\n thought", "right"))
    assert chosen.text == "Article 18 Everyone has the right to freedom of thought."
    assert chosen.marked() == ["right", "freedom of thought"]
    assert not chosen.cut_before and not chosen.cut_after


def test_chinese_snippets_are_half_as_many_characters():
    text = "香港" * 400 + "人權" + "香港" * 400
    chosen = snippet(text, spans_of(text, "人權"))
    assert chosen.marked() == ["人權"]
    assert len(chosen.text) <= SNIPPET_CHARS // 2 + 20


def test_a_snippet_says_which_page_it_comes_from():
    text = "first page words\n\nsecond page with the match"
    chosen = snippet(text, spans_of(text, "match"), pages=[0, text.index("second")])
    assert chosen.page == 2


def test_without_matches_the_snippet_is_the_opening():
    text = "Opening words of the document. " * 30
    chosen = snippet(text, [])
    assert chosen.text.startswith("Opening words") and chosen.spans == () and chosen.cut_after


def test_spans_apart_only_by_spaces_merge():
    text = "Hong Kong  police"
    assert merge(spans_of(text, "Hong", "Kong", "police"), text) == [Span(0, 17, 0)]
    assert merge([Span(0, 4, 0), Span(20, 24, 1)], "abcd" + " " * 16 + "efgh") == [Span(0, 4, 0), Span(20, 24, 1)]


def test_html_escapes_everything_but_the_marks():
    marked = Marked('<script>alert("x")</script> & 人權', (Span(30, 32, 0),))
    assert render.html(marked) == Markup("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; <mark>人權</mark>")
    # What is marked is escaped too, and text already escaped is not escaped twice.
    inside = Marked("a <b>&amp;</b> c", (Span(2, 14, 0),))
    assert render.html(inside, ids=True) == Markup('a <mark id="match-1">&lt;b&gt;&amp;amp;&lt;/b&gt;</mark> c')
    assert str(render.html(Marked("&lt;", ()))) == "&amp;lt;"


def test_snippet_html_shows_where_text_was_cut():
    cut = Snippet("a b c", (Span(2, 3, 0),), cut_before=True, cut_after=True)
    assert render.snippet_html(cut) == Markup("… a <mark>b</mark> c …")
    whole = Snippet("a b c", (Span(2, 3, 0),))
    assert render.snippet_html(whole) == Markup("a <mark>b</mark> c")


def test_document_pages_number_their_matches_across_pages():
    page = PageText("x y x", (Span(0, 1, 0), Span(4, 5, 0)), number=2, first=7)
    assert render.page_html(page) == Markup('<mark id="match-7">x</mark> y <mark id="match-8">x</mark>')


def test_a_match_that_runs_on_from_the_page_before_is_marked_but_not_numbered_again():
    page = PageText("x y x", (Span(0, 1, 0), Span(4, 5, 0)), number=2, first=7, continued=True)
    assert render.page_html(page) == Markup('<mark>x</mark> y <mark id="match-7">x</mark>')


@pytest.mark.parametrize(("color", "expected"), [(False, "… a [b] & c"), (True, "… a \x1b[1;33mb\x1b[0m & c")])
def test_terminal_text_brackets_or_colours_the_matches(color, expected):
    assert render.terminal(Snippet("a b & c", (Span(2, 3, 0),), cut_before=True), color) == expected


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab 人權\n\t\u3000\u00a0.")), max_size=80), cut=st.integers(0, 80))
def test_a_snippet_reads_every_whitespace_run_as_one_space_and_keeps_its_marks_on_their_words(text, cut):
    start = min(cut, len(text))
    # The marks are the words (what is not whitespace) after the snippet's start.
    words = [Span(found.start(), found.end(), 0) for found in re.finditer(r"\S+", text) if found.start() >= start]
    chosen = _extract(text, start, len(text), words, None)
    assert chosen.text == re.sub(r"\s+", " ", text[start:]).strip()
    assert [chosen.text[span.start : span.end] for span in chosen.spans] == [text[w.start : w.end] for w in words]
