"""Reading every kind of file an archive holds, and naming the ones that cannot be read."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.ingest import SkipFile, discover, document_id, file_format, load
from app.ingest.formats import FORMATS
from app.ingest.language import label

from ..support import DATA, ROOT, TITLE_ONLY, image_only_pdf

CORPUS = DATA / "corpus"
LIMIT = 50_000_000


def read(relative: str):
    return load(CORPUS / relative, relative, LIMIT)


def test_html_keeps_the_page_text_and_drops_scripts_navigation_and_comments():
    document = read("web/apple_daily.html")
    assert document.title == "Apple Daily editors arrested under the National Security Law"
    assert "Hong Kong police arrested five executives of Apple Daily" in document.text
    assert "《蘋果日報》" in document.text
    for hidden in (
        "scriptzzword",
        "trackingzzword",
        "stylezzword",
        "navzzword",
        "headerzzword",
        "footerzzword",
        "commentzzword",
    ):
        assert hidden not in document.text
    # a paragraph reads as one line; <br> breaks it
    assert "on 17 June 2021 under the National Security Law" in document.text
    assert "free press.\nThey urged" in document.text


def test_html_metadata():
    document = read("web/apple_daily.html")
    assert document.author == "Example Rights Monitor"
    assert document.date == "2021-06-17"  # the page says 2021-06-17T09:30:00+08:00: dated by day
    assert document.description.startswith("Police arrested five executives")
    assert document.tags == ["press freedom", "Apple Daily", "national security"]
    assert document.url == "https://example.org/2021/06/apple-daily"
    assert [language.tag for language in document.languages] == ["en", "zh-Hant"]
    assert document.format == "html"


def test_html_title_falls_back_to_the_first_heading(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><nav>Menu</nav><h1>Joint statement</h1><p>Text.</p></body></html>", encoding="utf-8")
    assert load(page, "page.html", LIMIT).title == "Joint statement"


def test_pdf_text_page_by_page_with_metadata():
    document = read("reports/detention_report.pdf")
    assert document.title == "Report on arbitrary detention"
    assert document.author == "Example Rights Monitor"
    assert document.tags == ["detention", "report"]
    assert len(document.pages) == 2
    second = document.text[document.pages[1] :]
    assert second.startswith("The second page lists political prisoners")
    assert "香港的任意拘留問題" in document.text[: document.pages[1]]
    assert document.date == "2000-01-01"  # its /CreationDate, to the day: nothing else dates it


def test_pdf_without_text_or_title_is_skipped_as_a_scan(tmp_path):
    path = image_only_pdf(tmp_path / "scan.pdf")
    with pytest.raises(SkipFile, match=r"no extractable text \(a scan\?\) and no title"):
        load(path, "scan.pdf", LIMIT)


def test_pdf_without_text_but_with_a_title_is_indexed_by_its_title_with_a_note(tmp_path):
    path = image_only_pdf(tmp_path / "farewell.pdf", "众新闻告别感谢读者")
    document = load(path, "farewell.pdf", LIMIT)
    assert (document.title, document.text.strip(), document.warnings) == ("众新闻告别感谢读者", "", [TITLE_ONLY])
    assert document.languages[0].tag == "zh-Hans"  # the language of its title
    assert len(document.pages) == 1


@pytest.mark.parametrize(
    ("name", "content", "title"),
    [
        (
            "page.html",
            "<html><head><title>Farewell to our readers</title></head><body><img src=a.png></body></html>",
            "Farewell to our readers",
        ),
        ("note.md", "---\ntitle: 告別讀者\ndate: 2022-01-04\n---\n\n", "告別讀者"),
    ],
)
def test_a_file_with_a_title_and_no_text_is_indexed_by_its_title(tmp_path, name, content, title):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    document = load(path, name, LIMIT)
    assert (document.title, document.text.strip(), document.warnings) == (title, "", [TITLE_ONLY])


def test_a_sidecar_title_makes_a_file_without_text_a_document(tmp_path):
    path = image_only_pdf(tmp_path / "scan.pdf")
    (tmp_path / "scan.pdf.meta.yaml").write_text("title: Scanned petition\ndate: 2020-06\n", encoding="utf-8")
    document = load(path, "scan.pdf", LIMIT)
    assert (document.title, document.date, document.warnings) == ("Scanned petition", "2020-06", [TITLE_ONLY])


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("blank.txt", "\ufeff\n   \n"),  # a byte order mark and blank lines
        ("dated.md", "---\ndate: 2022-01-04\nauthor: Desk\n---\n"),
        ("page.html", "<html><head><title>  </title></head><body><img src=a.png></body></html>"),
    ],
)
def test_a_file_with_neither_text_nor_a_title_is_skipped_saying_so(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SkipFile, match=r"no text in the file, and no title \(a sidecar can give one\)"):
        load(path, name, LIMIT)


def test_corrupt_pdf_is_skipped(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF")
    with pytest.raises(SkipFile, match="PDF"):
        load(path, "broken.pdf", LIMIT)


@pytest.mark.parametrize(
    ("relative", "expected_text", "language"),
    [
        ("encodings/big5_statement.txt", "新聞自由係香港嘅核心價值㗎", "zh-Hant"),
        ("encodings/gb18030_notice.txt", "呼吁尊重言论自由和结社自由", "zh-Hans"),
        ("encodings/utf16_letter.txt", "我們關注集會自由", "en"),
        ("encodings/bom_note.md", "The National Security Law took effect", "en"),
    ],
)
def test_encodings_are_detected_and_decoded(relative, expected_text, language):
    document = read(relative)
    assert expected_text in document.text
    assert document.languages[0].tag == language
    assert "\ufeff" not in document.text and "\ufeff" not in document.title


def test_bom_markdown_keeps_its_front_matter():
    document = read("encodings/bom_note.md")
    assert document.title == "A note saved with a byte order mark"
    assert document.date == "2020-07-01"


def test_broken_front_matter_is_not_text_and_its_readable_keys_are_kept():
    document = read("broken_front_matter.md")
    assert document.text.startswith("Statement on asylum seekers")
    assert "unclosed" not in document.text and "---" not in document.text
    assert document.title == "Statement on asylum seekers"  # its own title did not parse
    assert (document.date, document.tags) == ("2021-03", ["asylum", "refugees"])
    assert document.author is None
    [warning] = document.warnings
    assert warning.startswith("front matter is not valid YAML")
    assert warning.endswith("left out: title, author")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("voice.mp3", b"ID3\x04\x00\x00", "unsupported file type (.mp3)"),
        ("setup.exe", b"MZ\x90\x00", "unsupported file type (.exe)"),
        ("archive.zip", b"PK\x03\x04", "unreadable zip file"),
        ("bundle.tar.gz", b"\x1f\x8b\x08\x00broken", "unreadable tar file"),
        ("noext", b"hello", "unsupported file type (no extension)"),
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"   \n\n", "empty file"),
        ("binary.txt", b"\x00\x01\x02\x03binary\x00data", "binary content"),
        ("mojibake.txt", bytes(range(128, 256)) * 8, "no credible text encoding"),
        (
            "shift_jis.txt",
            "香港の人権擁護者が逮捕された。日本語のテキストです。".encode("shift_jis"),
            "no credible text encoding",
        ),
    ],
)
def test_files_that_cannot_be_read_are_skipped_with_their_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SkipFile, match=reason.replace("(", r"\(").replace(")", r"\)")):
        load(path, name, LIMIT)


def test_files_over_the_size_limit_are_skipped(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("human rights " * 1000, encoding="utf-8")
    with pytest.raises(SkipFile, match="too large"):
        load(path, "big.txt", 1000)


def test_unreadable_file_is_skipped(tmp_path):
    path = tmp_path / "secret.txt"
    path.mkdir()  # opening a folder fails like opening a file without permission
    with pytest.raises(SkipFile, match="cannot be opened"):
        load(path, "secret.txt", LIMIT)


def test_discover_skips_hidden_files_and_links_out_of_the_archive(tmp_path):
    root = tmp_path / "docs"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "config.txt").write_text("hidden", encoding="utf-8")
    (root / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (root / "sub" / "a.txt").write_text("inside", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("outside the archive", encoding="utf-8")
    (root / "escape.txt").symlink_to(outside)
    (root / "alias.txt").symlink_to(root / "sub" / "a.txt")
    (root / "outdir").symlink_to(tmp_path, target_is_directory=True)
    found = {candidate.relative: candidate.skip_reason for candidate in discover(root)}
    assert set(found) == {"sub/a.txt", "escape.txt", "alias.txt", "outdir"}
    assert "outside the documents directory" in found["escape.txt"]
    assert "outside the documents directory" in found["outdir"]
    assert found["sub/a.txt"] is None and found["alias.txt"] is None


def test_a_file_whose_name_is_not_utf8_is_passed_over_named_with_its_bytes_escaped(tmp_path):
    root = tmp_path / "docs"
    folder = os.fsdecode(bytes(root) + b"/\xb1\xa8\xb8\xe6")  # 報告 in GBK
    os.makedirs(folder)
    Path(folder, "a.txt").write_text("inside a folder whose name is GBK", encoding="utf-8")
    Path(os.fsdecode(bytes(root) + b"/\xb0\xa1.txt")).write_text("a GBK name", encoding="utf-8")
    (root / "ok.txt").write_text("a UTF-8 name", encoding="utf-8")
    found = {candidate.relative: candidate.skip_reason for candidate in discover(root)}
    assert found["ok.txt"] is None
    assert "not valid UTF-8" in found["\\xb0\\xa1.txt"]
    assert "not valid UTF-8" in found["\\xb1\\xa8\\xb8\\xe6/a.txt"]


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("000_6483e5254f4e0a3b.txt", "000_6483e5254f4e0a3b"),
        ("udhr/udhr_cmn_hant.md", "udhr/udhr_cmn_hant"),
        ("reports/2021.annual.pdf", "reports/2021.annual"),
        ("notes/README", "notes/README"),
    ],
)
def test_document_ids_are_paths_without_the_extension(relative, expected):
    assert document_id(relative) == expected


def test_text_titles_skip_page_furniture():
    assert read("hk_cantonese.txt").title == "香港生活點滴"
    seed = load(ROOT / "documents" / "002_5db78a1c256f63c4.txt", "002.txt", LIMIT)
    assert seed.title.startswith("Stand Up for International Principles")


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("Hong Kong national security law", ["en"]),
        ("香港國家安全法", ["zh-Hant"]),
        ("香港国家安全法", ["zh-Hans"]),
        ("The petition " * 40 + "我们在此签署请愿书，促使议会和政府采取行动" * 5, ["en", "zh-Hans"]),
    ],
)
def test_language_labels_are_by_script_and_stable(text, tags):
    assert [language.tag for language in label(text)] == tags
    assert label(text) == label(text)


def test_seed_002_is_english_and_simplified_chinese():
    seed = load(ROOT / "documents" / "002_5db78a1c256f63c4.txt", "002.txt", LIMIT)
    assert [language.tag for language in seed.languages] == ["en", "zh-Hans"]
    assert 0 < seed.languages[1].share < seed.languages[0].share


def test_pdf_page_text_is_laid_out_in_paragraphs():
    from app.ingest.layout import laid_out_page

    page = (
        "Article 5\n"
        "No one shall be subjected to torture or to cruel, inhuman or degrading\n"
        "treatment or punishment.\n"
        "The next paragraph begins on a line as wide as the others and runs\n"
        "on to the next page"
    )
    text, ends_paragraph = laid_out_page(page)
    # A short line (a heading, a paragraph's last) ends its paragraph; a full one does not.
    assert text.split("\n\n") == [
        "Article 5",
        "No one shall be subjected to torture or to cruel, inhuman or degrading\ntreatment or punishment.",
        "The next paragraph begins on a line as wide as the others and runs\non to the next page",
    ]
    assert ends_paragraph  # "on to the next page" is short
    assert laid_out_page("第一段的最後一行，寫滿了整整一行的中文字元\n第二行也寫滿了整整一行的中文字元啊") == (
        "第一段的最後一行，寫滿了整整一行的中文字元\n第二行也寫滿了整整一行的中文字元啊",
        False,
    )
    assert laid_out_page("Name\nAge\nTown") == ("Name\nAge\nTown", True)  # a table's cells: left alone


MARKDOWN = """---
tags: [rights]
---
Some words before any heading.

# The *first* heading

A paragraph with **bold**, _emphasis_, ~~struck~~, `code`, a [link's text](https://example.org/a)
and ![a photo of the march](march.jpg) on two lines.<br>
Raw <span>HTML</span> tags go.

- one item
- another item

> a quotation

| Name | 職位 |
|------|------|
| Lee  | 記者 |

```
code block line
```

## Second heading
"""


def test_markdown_is_read_as_the_rendered_page_reads(tmp_path):
    path = tmp_path / "rendered.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    document = load(path, "rendered.md", LIMIT)
    assert document.text.split("\n\n") == [
        "Some words before any heading.",
        "The first heading",
        "A paragraph with bold, emphasis, struck, code, a link's text\n"
        "and a photo of the march on two lines.\nRaw HTML tags go.",
        "one item",
        "another item",
        "a quotation",
        "Name",
        "職位",
        "Lee",
        "記者",
        "code block line",
        "Second heading",
    ]
    assert document.title == "The first heading"  # the first heading, not the first line
    assert document.tags == ["rights"]


def test_a_markdown_title_in_front_matter_comes_before_its_headings(tmp_path):
    path = tmp_path / "titled.md"
    path.write_text("---\ntitle: Given\n---\n# Heading\n\nText.\n", encoding="utf-8")
    assert load(path, "titled.md", LIMIT).title == "Given"
    bare = tmp_path / "bare.md"
    bare.write_text("Only a paragraph, no heading.\n", encoding="utf-8")
    assert load(bare, "bare.md", LIMIT).title == "Only a paragraph, no heading."


def _format_by_path(path: str) -> str:
    """``file_format`` as it was written with pathlib: what the faster one must answer."""
    name = PurePosixPath(path.replace("\\", "/")).name.lower()
    for double in (suffix for suffix in FORMATS if suffix.count(".") > 1):
        if name.endswith(double) and len(name) > len(double):
            return FORMATS[double]
    suffix = os.path.splitext(name)[1]
    return FORMATS.get(suffix) or f"unsupported file type ({suffix or 'no extension'})"


@given(st.text(alphabet="ab./\\é", max_size=12).map(lambda text: text + st_suffix(text)))
@example("reports/.")
@example("a/b.txt/.")
@example("x.md/")
@example("")
@example("/")
def test_a_files_format_is_read_from_its_name_as_pathlib_reads_the_name(path):
    try:
        found = file_format(path)
    except SkipFile as skip:
        found = skip.reason
    assert found == _format_by_path(path)


def st_suffix(text: str) -> str:
    """A suffix of the archive's formats (or none), chosen by the text's length."""
    suffixes = ["", ".txt", ".TAR.GZ", ".gz", ".md/", ".pdf.", ".eml"]
    return suffixes[len(text) % len(suffixes)]
