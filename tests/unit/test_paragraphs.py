"""What a reader sees, the search finds: words across the line breaks of a paragraph and across
punctuation, in every format; never across a paragraph boundary.

The same report is written as plain text, Markdown, HTML, Word and OpenDocument, each with its
own way of breaking a line inside a paragraph and of separating paragraphs; every file is read
by the archive's reader and searched through the service.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import zipfile
from html import escape
from pathlib import Path

import pytest

from app.analysis import terms
from app.index.build import build
from app.index.readers import LiveIndex
from app.service.documents import get_document
from app.service.results import SearchRequest
from app.service.search import search

from ..support import ROOT

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
    (docs / "demands.txt").write_text(
        "The demands were\n- free speech\n- assembly rights\n1. withdrawal of the\nbill\n"
        "一、撤回修例\n二、釋放被捕者\n",
        encoding="utf-8",
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
    """The documents ``q`` finds as typed (the glossary's translations would find them otherwise),
    every copy its own result (the report in each format is a copy of the others)."""
    return {hit.id for hit in search(live, SearchRequest(q=q, per_page=50, expand=False, dedupe=False)).hits}


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
    every_copy = SearchRequest(q="人權", expand=False, dedupe=False)  # report_txt is a copy of the other formats
    hit = next(hit for hit in search(reports, every_copy).hits if hit.id == "report_txt")
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


# PDF: pypdf gives a line break for every printed line. The report is the Universal Declaration,
# articles under their headings, and one long paragraph of articles that runs across pages.
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
UDHR = ROOT / "documents" / "udhr"


def articles(name: str) -> list[tuple[str, str]]:
    """(heading, body) of each article of a UDHR file (front matter and preamble left out)."""
    body = (UDHR / name).read_text(encoding="utf-8").split("---", 2)[2]
    sections = [section.strip().split("\n\n", 1) for section in body.split("\n## ")[2:]]
    return [(heading.strip(), " ".join(text.split())) for heading, text in sections]


def pdf_report(path: Path) -> list[str]:
    """Write the report as a PDF with a Chinese font; its paragraphs, as written."""
    if not FONT.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{FONT} is missing: .ci/run installs fonts-wqy-microhei")
        pytest.skip(f"{FONT} is not installed (Debian: fonts-wqy-microhei): no PDF of Chinese text can be made")
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(TTFont("WenQuanYi", str(FONT), subfontIndex=0))
    body = ParagraphStyle("body", fontName="WenQuanYi", fontSize=11, leading=16, spaceAfter=10)
    han = ParagraphStyle("han", parent=body, wordWrap="CJK")  # a line may break between any two characters
    heading = ParagraphStyle("heading", parent=body, fontSize=14, leading=20)
    chinese, english = articles("udhr_cmn_hant.md"), articles("udhr_eng.md")
    flowing = [
        # Without punctuation every line break inside it stands between two Han characters.
        " ".join(text for _h, text in english[3:12]),
        "".join(char for text in (text for _h, text in chinese[3:30]) for char in text if char.isalnum()),
    ]
    paragraphs: list[tuple[str, ParagraphStyle]] = []
    for (zh_heading, zh_text), (en_heading, en_text) in zip(chinese[:3], english[:3], strict=True):
        paragraphs += [(zh_heading, heading), (zh_text, han), (en_heading, heading), (en_text, body)]
    paragraphs += [(flowing[0], body), (flowing[1], han)]
    SimpleDocTemplate(str(path), pagesize=A4, title="Universal Declaration").build(
        [Paragraph(escape(text), style) for text, style in paragraphs]
    )
    return [text for text, _style in paragraphs]


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    (folder / "docs").mkdir()
    written = pdf_report(folder / "docs" / "udhr.pdf")
    report = build(folder / "docs", folder / "index")
    assert report.count("skipped") == 0, report.as_dict()
    live = LiveIndex(folder / "index")
    with live.use() as generation:
        document = generation.document(generation.key_of("udhr"))
        text, pages = str(document.text), document.record["pages"]
    yield live, written, text, pages
    live.close()


def _han(text: str) -> bool:
    return all("\u4e00" <= char <= "\u9fff" for char in text)


def test_pdf_words_across_its_line_breaks_are_found(pdf):
    live, written, text, _pages = pdf
    source = "\n".join(written)
    chinese = english = 0
    for found in re.finditer(r"(?<!\n)\n(?!\n)", text):
        at = found.start()
        window = text[at - 2 : at] + text[at + 1 : at + 3]
        if _han(window) and source.count(window) == 1:
            assert "udhr" in ids(live, window), window
            chinese += 1
        before, after = (
            re.findall(r"[A-Za-z]+", text[max(0, at - 30) : at]),
            re.findall(r"[A-Za-z]+", text[at : at + 30]),
        )
        if before and after and text[at - 1].isalpha() and text[at + 1].isalpha():
            pair = f"{before[-1]} {after[0]}"
            if pair in " ".join(written) and len(terms(pair)) == 2:  # no stop word
                assert "udhr" in ids(live, f'"{pair}"'), pair
                english += 1
    assert chinese >= 20 and english >= 5, (chinese, english)


def test_pdf_headings_and_paragraphs_stay_apart(pdf):
    live, written, _text, _pages = pdf
    source = "\n".join(written)
    checked = 0
    for heading, following in itertools.pairwise(written[:12]):
        if _han(heading[-2:]) and _han(following[:2]):
            across = heading[-2:] + following[:2]  # 一條人人: 第一條 above 人人生而自由
            assert across not in source
            assert "udhr" not in ids(live, across), across
            assert "udhr" in ids(live, heading) and "udhr" in ids(live, following[:2])
            checked += 1
        elif heading.startswith("Article"):
            across = f'"{heading.split()[-1]} {following.split()[0]}"'  # "1 all" is no phrase
            assert "udhr" not in ids(live, across), across
            checked += 1
    assert checked == 6


def test_a_pdf_paragraph_runs_across_the_page_break_and_its_hit_names_the_page_it_starts_on(pdf):
    live, written, text, pages = pdf
    assert len(pages) > 1
    source = "\n".join(written)
    # A page joined to the one before by a single line break: its paragraph runs on.
    joins = [start for start in pages[1:] if text[start - 1] == "\n" and text[start - 2] != "\n"]
    windows = [(start, text[start - 3 : start - 1] + text[start : start + 2]) for start in joins]
    windows = [(start, window) for start, window in windows if _han(window) and source.count(window) == 1]
    assert windows, "no Chinese paragraph runs across a page break: the report is too short"
    start, window = windows[0]
    page = pages.index(start)  # the page before the break, 1-based: where the match starts
    result = search(live, SearchRequest(q=window, expand=False))
    [hit] = [hit for hit in result.hits if hit.id == "udhr"]
    assert hit.page == page
    view = get_document(live, "udhr", SearchRequest(q=window, expand=False))
    before, after = view.pages[page - 1], view.pages[page]
    assert before.text[before.spans[-1].start :] == window[:2]
    assert after.continued and after.text[after.spans[0].start : after.spans[0].end] == window[2:]
    assert view.matches == sum(len(shown.spans) - shown.continued for shown in view.pages)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ('"demands were free speech"', False),  # a list item begins after the line break
        ('"speech assembly"', False),
        ('"rights withdrawal"', False),
        ("修例二", False),
        ('"withdrawal of the bill"', True),  # a line break inside an item is none
        ('"free speech"', True),
        ("撤回修例", True),
    ],
)
def test_a_line_that_begins_a_list_item_is_a_boundary_in_plain_text(reports, query, found):
    assert ("demands" in ids(reports, query)) is found
