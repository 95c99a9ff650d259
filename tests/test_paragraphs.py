"""What a reader sees, the search finds: words across the line breaks of a paragraph and across
punctuation, in every format; never across a paragraph boundary.

The same report is written as plain text, Markdown, HTML, Word and OpenDocument, each with its
own way of breaking a line inside a paragraph and of separating paragraphs; every file is read
by the archive's reader and searched through the service.
"""

from __future__ import annotations

import io
import zipfile
from html import escape
from pathlib import Path

import pytest

from app.index.build import build
from app.index.readers import LiveIndex
from app.service.documents import get_document
from app.service.results import SearchRequest
from app.service.search import search

# The report: paragraphs, each of its lines as a reader sees them.
TITLE = "Situation report"
PARAGRAPHS = [
    ["觀察指出香港人", "權狀況在國家", "安全法實施後惡化。"],
    [
        "The freedom of",
        "assembly and human",
        "rights of residents, said a researcher",
        "born in Tutwiler, Mississippi, were",
        "restricted as in Washington, D.C. and",
        "by the U.S. in its own way.",
    ],
    ["言論自由"],
    ["集會遊行受限", "the final outcome"],
    ["Kowloon residents"],
]
FORMATS = ("txt", "md", "html", "docx", "odt")

# Found across a line break of a paragraph, or across punctuation.
ACROSS_A_LINE = [
    "人權",  # 香港人⏎權狀況
    "國家安全法",  # 國家⏎安全法
    '"freedom of assembly"',
    '"human rights"',
    '"Tutwiler Mississippi"',
    "Tutwiler Mississippi",
    '"Tutwiler, Mississippi"',
    '"Washington D.C."',  # Washington, D.C.
    "US",  # U.S.
]
# Not found: the words stand on either side of a paragraph boundary.
ACROSS_PARAGRAPHS = [("自由集會", ("自由", "集會")), ('"outcome Kowloon"', ("outcome", "Kowloon"))]


def plain_text() -> str:
    return "\n\n".join([TITLE, *("\n".join(lines) for lines in PARAGRAPHS)]) + "\n"


def markdown() -> str:
    marked = [list(lines) for lines in PARAGRAPHS]
    marked[1][0] = "The **freedom** of"
    marked[1][1] = "[assembly](https://example.org/assembly) and `human`"
    return "\n\n".join([f"# {TITLE}", *("\n".join(lines) for lines in marked)]) + "\n"


def html() -> str:
    # The first paragraph is wrapped in the source (a line break there is a space); the others
    # break their lines with <br>.
    first, *others = PARAGRAPHS
    body = f"<h1>{TITLE}</h1>\n<p>{escape(chr(10).join(first))}</p>\n"
    body += "".join(f"<p>{'<br>'.join(escape(line) for line in lines)}</p>\n" for lines in others)
    return f"<html><head><title>{TITLE}</title></head><body>{body}</body></html>"


def word() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    for lines in PARAGRAPHS:
        paragraph = document.add_paragraph()
        for number, line in enumerate(lines):
            run = paragraph.add_run(line)
            if number < len(lines) - 1:
                run.add_break()  # a line break inside the paragraph (w:br)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def opendocument() -> bytes:
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    paragraphs = "".join(
        "<text:p>" + "<text:line-break/>".join(escape(line) for line in lines) + "</text:p>" for lines in PARAGRAPHS
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}" '
        f'xmlns:text="{text}" office:version="1.2"><office:body><office:text>'
        f'<text:h text:outline-level="1">{TITLE}</text:h>{paragraphs}</office:text></office:body>'
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        package.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_report(folder: Path, fmt: str) -> None:
    path = folder / f"report_{fmt}.{fmt}"
    if fmt == "txt":
        path.write_text(plain_text(), encoding="utf-8")
    elif fmt == "md":
        path.write_text(markdown(), encoding="utf-8")
    elif fmt == "html":
        path.write_text(html(), encoding="utf-8")
    elif fmt == "docx":
        path.write_bytes(word())
    else:
        path.write_bytes(opendocument())


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("paragraphs")
    docs = folder / "docs"
    docs.mkdir()
    for fmt in FORMATS:
        write_report(docs, fmt)
    # What OCR and some PDFs give: a space between every Chinese character.
    (docs / "spaced.txt").write_text("報告：人 權 狀 況\n", encoding="utf-8")
    (docs / "laboratory.txt").write_text("他在研究所，有反應釜的實驗室工作。\n", encoding="utf-8")
    (docs / "capitals.txt").write_text(
        "UNIVERSAL DECLARATION OF HUMAN RIGHTS\n\nThe IT department of the U.N. keeps it.\n", encoding="utf-8"
    )
    (docs / "hyphenated.txt").write_text(
        "A note on the hu-\nman rights of pro-\ndemocracy activists.\n", encoding="utf-8"
    )
    report = build(docs, folder / "index")
    assert report.count("skipped") == 0, report.as_dict()
    live = LiveIndex(folder / "index")
    yield live
    live.close()


def ids(live: LiveIndex, q: str) -> set[str]:
    """The documents ``q`` finds as typed (the glossary's translations would find them otherwise)."""
    return {hit.id for hit in search(live, SearchRequest(q=q, per_page=50, expand=False)).hits}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("query", ACROSS_A_LINE)
def test_words_across_a_line_break_or_punctuation_are_found(reports, fmt, query):
    assert f"report_{fmt}" in ids(reports, query)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("query", "words"), ACROSS_PARAGRAPHS)
def test_no_phrase_runs_from_one_paragraph_into_the_next(reports, fmt, query, words):
    assert f"report_{fmt}" not in ids(reports, query)
    for word in words:  # each word alone is there
        assert f"report_{fmt}" in ids(reports, word)


def test_spaces_between_chinese_characters_do_not_break_a_word(reports):
    assert "spaced" in ids(reports, "人權")
    assert "spaced" in ids(reports, "人权狀况")


def test_punctuation_still_breaks_a_chinese_phrase(reports):
    assert "laboratory" not in ids(reports, "所有反")
    assert "laboratory" in ids(reports, "有反應釜")


def test_the_document_page_shows_the_line_break_inside_the_match(reports):
    view = get_document(reports, "report_txt", SearchRequest(q="人權", expand=False))
    [page] = view.pages
    marked = [page.text[span.start : span.end] for span in page.spans]
    assert "人\n權" in marked
    hit = next(hit for hit in search(reports, SearchRequest(q="人權", expand=False)).hits if hit.id == "report_txt")
    assert hit.snippet.spans  # the snippet marks the match, its line break read as a space


@pytest.mark.parametrize(
    "query", ["human", '"human rights"', '"the human"', "pro-democracy", '"pro-democracy activists"']
)
def test_a_word_hyphenated_at_a_line_end_is_found_whole_and_by_its_parts(reports, query):
    assert "hyphenated" in ids(reports, query)


def test_a_word_hyphenated_at_a_line_end_is_marked_whole(reports):
    view = get_document(reports, "hyphenated", SearchRequest(q="human", expand=False))
    [page] = view.pages
    assert [page.text[span.start : span.end] for span in page.spans] == ["hu-\nman"]


@pytest.mark.parametrize(
    "query",
    [
        "IT",  # written in capitals: a word, not the stop word it
        "UN",  # U.N.
        '"declaration of human rights"',  # the heading in capitals drops OF as the query drops of
        "UNIVERSAL DECLARATION OF HUMAN RIGHTS",  # a query in capitals drops it too
        '"UNIVERSAL DECLARATION OF HUMAN RIGHTS"',
    ],
)
def test_words_in_capitals_and_acronyms(reports, query):
    assert "capitals" in ids(reports, query)
