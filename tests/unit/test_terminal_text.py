"""The command line's terminal text read from the API's answer: a snippet's HTML read back gives
the text ``render.terminal`` writes from the snippet itself, whatever the text holds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app import render, terminal_text
from app.highlight.snippets import Snippet
from app.highlight.spans import Span
from app.tables_text import CELL

# Text a document may hold, markup characters and entities among it.
PIECES = [*"ab <>&\"'/;#", "人", "權", "&amp;", "&lt;", "…", "\t", "\u00a0"]
WORDS = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


@st.composite
def snippets(draw) -> Snippet:
    """A prose or a table snippet with matches anywhere in it (across a table's cells too)."""
    table = draw(st.booleans())
    if table:
        rows = draw(st.lists(st.lists(WORDS, min_size=1, max_size=4), min_size=1, max_size=3))
        text = "\n".join(CELL.join(row) for row in rows)
    else:
        text = draw(WORDS)
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=6)))
    spans = tuple(Span(start, end, 0) for start, end in zip(cuts[::2], cuts[1::2], strict=False) if end > start)
    return Snippet(
        text, spans, cut_before=draw(st.booleans()), cut_after=draw(st.booleans()), table=table and bool(rows)
    )


@given(snippets(), st.booleans())
def test_a_snippet_read_back_from_its_html_is_what_the_terminal_shows_of_it(snippet, color):
    html = str(render.snippet_html(snippet))
    assert terminal_text.snippet_text(html, color) == render.terminal(snippet, color)


def test_a_table_snippet_reads_back_a_row_a_line_with_its_dividers_and_marks():
    text = f"Name{CELL}Place\nLee & <Chan>{CELL}旺角"
    snippet = Snippet(text, (Span(text.index("旺"), len(text), 0),), table=True)
    read = terminal_text.snippet_text(str(render.snippet_html(snippet)), color=False)
    assert read == "Name | Place\nLee & <Chan> | [旺角]"


def test_a_metadata_field_that_matched_is_shown_with_all_its_values_in_order():
    hit = {
        "author": "Amnesty",
        "tags": ["police", "", "protest", "police"],
        "description": None,
        "recipients": [],
        "metadata_matches": [
            {"field": "tags", "index": 2, "spans": [[0, 6]]},
            {"field": "tags", "index": 0, "spans": [[0, 3]]},
        ],
    }
    # An empty tag is no value (it is not indexed); the matched values keep their numbers.
    assert terminal_text.metadata_lines(hit, color=False) == ["tags: [pol]ice · protest · [police]"]
