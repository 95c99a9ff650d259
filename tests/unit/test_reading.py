"""The document page reads well: no blank lines around the text or between its pages, no runs of
blank lines, and every match still marks the words it matched."""

from __future__ import annotations

import html
import re

from app.highlight.spans import Span
from app.service.results import PageText
from app.web.reading import tidy_page


def page_texts(page: str) -> list[str]:
    return [html.unescape(text) for text in re.findall(r'<div class="page-text">(.*?)</div>', page, re.S)]


def test_blank_lines_around_and_within_a_text_are_reduced_and_matches_follow_their_words():
    text = "\n \n\nFirst line\n\n\n  \n\n  Indented second\nthird, marked\n\n\n"
    starts = [text.index("First"), text.index("Indented"), text.index("marked")]
    spans = tuple(Span(start, start + length, 0) for start, length in zip(starts, (5, 8, 6), strict=True))
    tidy = tidy_page(PageText(text, spans, number=3, first=7))
    assert tidy.text == "First line\n\n  Indented second\nthird, marked"
    assert tidy.marked() == ["First", "Indented", "marked"]
    assert (tidy.number, tidy.first) == (3, 7)


def test_a_text_without_blank_runs_is_left_as_it_is():
    page = PageText("One\n\nTwo\nThree", (Span(5, 8, 0),))
    assert tidy_page(page) is page


def test_the_page_text_starts_with_the_document_and_ends_with_it(client):
    page = client.get("/documents/udhr/udhr_eng").get_data(as_text=True)
    [text] = page_texts(page)
    assert text.startswith("Universal Declaration of Human Rights\n\nPreamble")
    assert text == text.strip()


def test_a_long_run_of_blank_lines_shows_as_one(client):
    raw = client.get("/api/documents/002_5db78a1c256f63c4").get_json()["text"]
    assert re.search(r"\n[^\S\n]*\n[^\S\n]*\n", raw)  # the text as indexed has such runs
    [text] = page_texts(client.get("/documents/002_5db78a1c256f63c4").get_data(as_text=True))
    assert not re.search(r"\n[^\S\n]*\n[^\S\n]*\n", text)
    assert re.sub(r"\s+", " ", text) == re.sub(r"\s+", " ", raw).strip()


def test_every_match_marks_its_word_after_the_blank_lines_are_gone(client):
    # Only the word as typed (the glossary's other names for China would be marked as well).
    wanted = {"q": "china", "expand": "0"}
    page = client.get("/documents/002_5db78a1c256f63c4", query_string=wanted).get_data(as_text=True)
    marks = re.findall(r'<mark id="match-(\d+)">(.*?)</mark>', page)
    assert len(marks) > 5
    assert [int(number) for number, _word in marks] == list(range(1, len(marks) + 1))
    assert {word.lower() for _number, word in marks} == {"china"}


def test_pdf_pages_have_no_blank_lines_around_their_breaks(client):
    page = client.get("/documents/fixtures/reports/detention_report").get_data(as_text=True)
    assert page_texts(page) == [
        "Annual report on arbitrary detention in Hong Kong\n香港的任意拘留問題",
        "The second page lists political prisoners held in solitary confinement.\n第二頁列出被單獨囚禁的政治犯。",
    ]
    assert re.search(r'</div>\n\s*<h2 class="page-break" id="page-2">p\. 2</h2>\n\s*<div class="page-text">', page)
