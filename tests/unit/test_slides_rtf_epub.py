"""Slides (.pptx, .odp), rich text (.rtf) and e-books (.epub): their text as a reader reads it,
each slide or chapter a page, their titles and authors, and the files that cannot be read
refused with their reason. Every file is made here: python-pptx writes the presentation, the
others are written by hand."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Inches

from app.ingest import Limits, SkipFile, load
from app.ingest.epub import read_epub
from app.ingest.rtf import MAX_DEPTH, read_rtf
from app.ingest.slides import read_odp, read_pptx

from ..support import built, hits

LIMITS = Limits()
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600  # what an encrypted Office file starts with


def zipped(files: dict[str, str | bytes], mimetype: str | None) -> bytes:
    """A ZIP package of ``files``, its ``mimetype`` first and stored, as ODF and EPUB want it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        if mimetype is not None:
            package.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        for name, content in files.items():
            package.writestr(name, content)
    return out.getvalue()


def pages_of(extracted) -> list[str]:
    """The text of each page, as the document page shows it."""
    bounds = [*extracted.pages, len(extracted.text)]
    return [extracted.text[start:end].strip() for start, end in itertools.pairwise(bounds)]


# PowerPoint.


def make_pptx(title: str | None = "人權簡報 Rights briefing") -> bytes:
    """Three slides: a title and bullet points with a text box and speaker notes; a title with a
    table and a group of shapes; an empty one."""
    presentation = Presentation()
    properties = presentation.core_properties
    properties.title = title or ""
    properties.author = "Hong Kong Rights Monitor"
    properties.comments = ""
    properties.created = dt.datetime(2021, 6, 4, 9, 30)
    first = presentation.slides.add_slide(presentation.slide_layouts[1])
    box = first.shapes.add_textbox(Inches(1), Inches(6), Inches(4), Inches(1))
    box.text_frame.text = "Source: court records"
    first.shapes.title.text = "香港的新聞自由"
    body = first.placeholders[1].text_frame
    body.text = "Newspapers closed in 2021"
    body.add_paragraph().text = "記者被捕"
    body.paragraphs[1].add_line_break()
    body.paragraphs[1].add_run().text = "報館停刊"
    first.notes_slide.notes_text_frame.text = "Say the numbers slowly"
    second = presentation.slides.add_slide(presentation.slide_layouts[5])
    second.shapes.title.text = "Detentions 拘留"
    table = second.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
    for (row, column), text in {(0, 0): "年份", (0, 1): "人数", (1, 0): "2021", (1, 1): "四十七人被起诉"}.items():
        table.cell(row, column).text = text
    group = second.shapes.add_group_shape()
    group.shapes.add_textbox(Inches(1), Inches(5), Inches(4), Inches(1)).text_frame.text = "資料來源：法庭記錄"
    presentation.slides.add_slide(presentation.slide_layouts[6])
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def test_a_presentation_reads_slide_by_slide_title_first_notes_last():
    extracted = read_pptx(make_pptx(), LIMITS)
    assert pages_of(extracted) == [
        # The title first, though the text box is first in the file; the notes after the slide.
        "香港的新聞自由\n\nNewspapers closed in 2021\n\n記者被捕\n報館停刊\n\nSource: court records\n\n"
        "Say the numbers slowly",
        "Detentions 拘留\n\n年份\n\n人数\n\n2021\n\n四十七人被起诉\n\n資料來源：法庭記錄",
        "",  # a slide without text is still a page: slide 3 is page 3
    ]
    assert extracted.text[extracted.pages[1] :].startswith("Detentions")


def test_a_presentation_is_titled_and_dated_by_its_core_properties():
    extracted = read_pptx(make_pptx(), LIMITS)
    assert (extracted.title, extracted.author) == ("人權簡報 Rights briefing", "Hong Kong Rights Monitor")
    assert extracted.file_date == dt.datetime(2021, 6, 4, 9, 30)


def test_a_presentation_without_a_title_in_its_properties_is_titled_by_its_first_slide(tmp_path):
    assert read_pptx(make_pptx(title=None), LIMITS).title == "香港的新聞自由"


# OpenDocument presentations.

ODP_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
  xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3">
 <office:body><office:presentation>
  <draw:page draw:name="page1">
   <draw:frame presentation:class="outline"><draw:text-box><text:list>
    <text:list-item><text:p>Arrests after the vigil</text:p></text:list-item>
    <text:list-item><text:p>悼念活動後的拘捕</text:p></text:list-item>
   </text:list></draw:text-box></draw:frame>
   <draw:frame presentation:class="title">
    <draw:text-box><text:p>六四悼念 The vigil</text:p></draw:text-box>
   </draw:frame>
   <draw:frame presentation:class="page-number"><draw:text-box><text:p>1</text:p></draw:text-box></draw:frame>
   <presentation:notes><draw:page-thumbnail/>
    <draw:frame presentation:class="notes">
     <draw:text-box><text:p>講者備註 Speaker's note</text:p></draw:text-box>
    </draw:frame>
   </presentation:notes>
  </draw:page>
  <draw:page draw:name="page2">
   <draw:frame presentation:class="title">
    <draw:text-box><text:p>拘留人数 Detentions</text:p></draw:text-box>
   </draw:frame>
   <draw:g><draw:custom-shape><text:p>四十七人被起诉</text:p></draw:custom-shape></draw:g>
   <draw:frame><table:table><table:table-row>
    <table:table-cell><text:p>Year</text:p></table:table-cell><table:table-cell><text:p>2021</text:p></table:table-cell>
   </table:table-row></table:table></draw:frame>
  </draw:page>
 </office:presentation></office:body>
</office:document-content>"""

ODP_META = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
 <office:meta>
  <dc:title>悼念活動簡報</dc:title>
  <meta:initial-creator>Joshua Chan</meta:initial-creator>
  <meta:creation-date>2020-06-04T20:00:00</meta:creation-date>
 </office:meta>
</office:document-meta>"""
ODP_TYPE = "application/vnd.oasis.opendocument.presentation"


def make_odp(content: str = ODP_CONTENT, meta: str | None = ODP_META, mimetype: str = ODP_TYPE) -> bytes:
    files = {"content.xml": content, **({"meta.xml": meta} if meta else {})}
    return zipped(files, mimetype)


def test_an_opendocument_presentation_reads_slide_by_slide_title_first_notes_last():
    extracted = read_odp(make_odp(), LIMITS)
    assert pages_of(extracted) == [
        "六四悼念 The vigil\n\nArrests after the vigil\n\n悼念活動後的拘捕\n\n講者備註 Speaker's note",
        "拘留人数 Detentions\n\n四十七人被起诉\n\nYear\n\n2021",
    ]
    assert (extracted.title, extracted.author, extracted.file_date) == (
        "悼念活動簡報",
        "Joshua Chan",
        "2020-06-04T20:00:00",
    )


def test_an_opendocument_presentation_without_meta_is_titled_by_its_first_slide():
    assert read_odp(make_odp(meta=None), LIMITS).title == "六四悼念 The vigil"


# Rich text.


def big5(text: str) -> str:
    """``text`` as RTF writes it in the Big5 code page: a \\'hh escape per byte."""
    return "".join(f"\\'{byte:02x}" for byte in text.encode("cp950"))


def gbk(text: str) -> str:
    return "".join(f"\\'{byte:02x}" for byte in text.encode("gbk"))


def unicode_escapes(text: str) -> str:
    """``text`` as \\uN escapes (signed 16-bit, a character past U+FFFF in two), each with its
    stand-in "?"."""
    raw = text.encode("utf-16-le")
    units = [int.from_bytes(raw[i : i + 2], "little") for i in range(0, len(raw), 2)]
    return "".join(f"\\u{unit - 65536 if unit > 32767 else unit}?" for unit in units)


BIG5_RTF = (
    r"{\rtf1\ansi\ansicpg950\deff0"
    r"{\fonttbl{\f0\fnil\fcharset136 " + big5("新細明體") + r";}{\f1\fswiss\fcharset0 Arial;}}"
    r"{\info{\title " + big5("香港人權報告") + r" 2020}{\author Hong Kong Rights Monitor}"
    r"{\keywords detention, " + big5("人權") + r"}{\creatim\yr2020\mo7\dy1\hr9\min30}}"
    r"{\*\generator Msftedit 5.41.21.2510;}{\pict\pngblip 89504e470d0a1a0a}"
    r"{\header\pard " + big5("頁首") + r" header zzheader\par}"
    r"\pard\f0\fs24 " + big5("國家安全法實施一年") + r"\f1  The National Security Law, a year on\par"
    r"\par "
    r"Detained:\line forty-seven\par "
    r"\uc1 " + unicode_escapes("香港特别行政区政府") + r" and " + unicode_escapes("𨋢") + r" (a lift)\par "
    r"}"
)


def test_rich_text_reads_big5_and_unicode_escapes_each_paragraph_a_paragraph():
    extracted = read_rtf(BIG5_RTF.encode("ascii"), LIMITS)
    assert extracted.text.split("\n\n") == [
        "國家安全法實施一年 The National Security Law, a year on",
        "Detained:\nforty-seven",  # \line breaks a line inside the paragraph
        "香港特别行政区政府 and 𨋢 (a lift)",  # 𨋢 (past U+FFFF) written as two halves, read whole
    ]
    assert "zzheader" not in extracted.text  # a header is not the text


def test_rich_text_is_titled_by_its_info_group():
    extracted = read_rtf(BIG5_RTF.encode("ascii"), LIMITS)
    assert (extracted.title, extracted.author) == ("香港人權報告 2020", "Hong Kong Rights Monitor")
    assert (extracted.tags, extracted.file_date) == (["detention", "人權"], "2020-07-01")


def test_rich_text_in_the_gbk_code_page():
    rtf = r"{\rtf1\ansi\ansicpg936{\fonttbl{\f0\fnil\fcharset134 SimSun;}}\f0 " + gbk("人权观察报告") + r"\par}"
    assert read_rtf(rtf.encode("ascii"), LIMITS).text == "人权观察报告"


# E-books.

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
 <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""

OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
 <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
  <dc:identifier id="id">urn:uuid:0b7c6c3e-2f2a-4d5e-9b1e-5d1f1c2a3b4c</dc:identifier>
  <dc:title>香港抗爭紀實 Hong Kong in protest</dc:title>
  <dc:creator>Anna Lee</dc:creator><dc:creator>李明</dc:creator>
  <dc:date>2020-06-30</dc:date><dc:language>zh-Hant</dc:language>
 </metadata>
 <manifest>
  <item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>
  <item id="one" href="text/chapter%201.xhtml" media-type="application/xhtml+xml"/>
  <item id="two" href="text/chapter2.xhtml" media-type="application/xhtml+xml"/>
  <item id="out" href="../../secret.xhtml" media-type="application/xhtml+xml"/>
  <item id="picture" href="cover.jpg" media-type="image/jpeg"/>
 </manifest>
 <spine><itemref idref="cover"/><itemref idref="one"/><itemref idref="out"/><itemref idref="picture"/>
  <itemref idref="two"/></spine>
</package>"""


def chapter(title: str, *paragraphs: str) -> str:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"
    )


def make_epub(opf: str = OPF, encryption: str | None = None, mimetype: str = "application/epub+zip") -> bytes:
    files = {
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": opf,
        "OEBPS/cover.xhtml": '<html xmlns="http://www.w3.org/1999/xhtml"><body><img src="cover.jpg"/></body></html>',
        "OEBPS/cover.jpg": b"\xff\xd8\xff\xe0",
        "OEBPS/text/chapter 1.xhtml": chapter("第一章 夏天", "二零一九年六月，香港。", "The first chapter."),
        "OEBPS/text/chapter2.xhtml": chapter("Chapter two", "国家安全法 was passed at the end of June."),
        "secret.xhtml": chapter("Outside", "zzoutside"),
    }
    if encryption:
        files["META-INF/encryption.xml"] = encryption
    return zipped(files, mimetype)


def test_an_e_book_reads_its_chapters_in_spine_order_each_a_page():
    extracted = read_epub(make_epub(), LIMITS)
    # The cover (a picture) is no page; the chapter whose path leaves the book is not read.
    assert pages_of(extracted) == [
        "第一章 夏天\n\n二零一九年六月，香港。\n\nThe first chapter.",
        "Chapter two\n\n国家安全法 was passed at the end of June.",
    ]
    assert "zzoutside" not in extracted.text
    assert extracted.warnings == ["chapter ../../secret.xhtml not read: its path leaves the book"]


def test_an_e_book_is_titled_by_its_package_metadata():
    extracted = read_epub(make_epub(), LIMITS)
    assert (extracted.title, extracted.author) == ("香港抗爭紀實 Hong Kong in protest", ["Anna Lee", "李明"])
    assert (extracted.date, extracted.language) == ("2020-06-30", "zh-Hant")


def test_an_e_book_reads_no_more_than_its_limit_unpacks():
    extracted = read_epub(make_epub(), Limits(max_bytes=len(CONTAINER) + len(OPF.encode()) + 500))
    assert pages_of(extracted) == ["第一章 夏天\n\n二零一九年六月，香港。\n\nThe first chapter."]
    assert "chapter OEBPS/text/chapter2.xhtml not read: past the 0 MB a book may unpack to" in extracted.warnings


# Files that cannot be read.

ENCRYPTED = """<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
  xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
 <enc:EncryptedData><enc:CipherData><enc:CipherReference URI="OEBPS/text/chapter%201.xhtml"/></enc:CipherData>
 </enc:EncryptedData>
 <enc:EncryptedData><enc:CipherData><enc:CipherReference URI="OEBPS/text/chapter2.xhtml"/></enc:CipherData>
 </enc:EncryptedData>
</encryption>"""


@pytest.mark.parametrize(
    ("read", "content", "reason"),
    [
        (read_pptx, OLE, "unreadable PowerPoint presentation: password-protected, or an older binary format"),
        (read_pptx, b"This is not a presentation.", "unreadable PowerPoint presentation: not a ZIP package"),
        (read_pptx, make_odp(), "unreadable PowerPoint presentation"),
        (read_odp, OLE, "unreadable OpenDocument presentation: password-protected"),
        (read_odp, make_odp(mimetype="application/vnd.oasis.opendocument.text"), "not a presentation"),
        (read_odp, make_odp(content="<office:document-content"), "unreadable OpenDocument presentation"),
        (read_rtf, b"{\\rtf1 " + b"{" * (MAX_DEPTH + 1) + b"}" * (MAX_DEPTH + 1) + b"}", "nested more than"),
        (read_rtf, b"{\\rtf1 " + b"{" * 2_000_000, "unreadable RTF file: more than 1,000,000 groups"),
        (read_rtf, b"<html>not rich text</html>", "unreadable RTF file: it does not start with"),
        (read_epub, b"PK\x03\x04 and then nothing", "unreadable EPUB e-book: not a ZIP package"),
        (read_epub, zipped({"OEBPS/content.opf": OPF}, "application/epub+zip"), "no META-INF/container.xml"),
        (read_epub, make_epub(opf="<package"), "unreadable EPUB e-book"),
        (read_epub, make_epub(encryption=ENCRYPTED), "encrypted EPUB e-book: its chapters cannot be read"),
        (read_epub, make_epub(mimetype="application/zip"), "EPUB e-book that is not one"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_files_that_cannot_be_read_are_refused_with_their_reason(read, content, reason):
    with pytest.raises(SkipFile, match=reason):
        read(content, LIMITS)


@pytest.mark.parametrize("read", [read_pptx, read_odp])
def test_a_presentation_that_unpacks_past_the_limit_is_refused(read):
    content = make_pptx() if read is read_pptx else make_odp()
    with pytest.raises(SkipFile, match="unpacks to 0 MB \\(the limit is 0 MB\\)"):
        read(content, Limits(max_bytes=1000))


# Indexed and found.


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    """An index of a folder holding one file of each format."""
    folder = tmp_path_factory.mktemp("formats")
    (folder / "briefing.pptx").write_bytes(make_pptx())
    (folder / "vigil.odp").write_bytes(make_odp())
    (folder / "report.rtf").write_bytes(BIG5_RTF.encode("ascii"))
    (folder / "book.epub").write_bytes(make_epub())
    return built(folder, tmp_path_factory.mktemp("index"))


def test_a_presentation_is_found_on_the_slide_that_holds_the_words(index):
    assert hits(index, "起訴") == {"briefing": 2, "vigil": 2}  # 起诉 in Simplified, on slide 2 of each
    assert hits(index, '"numbers slowly"') == {"briefing": 1}  # the speaker's notes of slide 1


def test_an_opendocument_presentation_is_found_on_its_slides(index):
    assert hits(index, "悼念活动") == {"vigil": 1}


def test_rich_text_is_found_in_either_chinese_script(index):
    assert set(hits(index, "国家安全法实施")) == {"report"}
    assert set(hits(index, "特別行政區")) == {"report"}


def test_an_e_book_is_found_on_the_chapter_that_holds_the_words(index):
    assert hits(index, "國家安全法") == {"book": 2, "report": None}
    assert hits(index, '"first chapter"') == {"book": 1}


@pytest.mark.parametrize(
    ("name", "make", "title", "author", "date"),
    [
        ("briefing.pptx", make_pptx, "人權簡報 Rights briefing", "Hong Kong Rights Monitor", "2021-06-04"),
        ("vigil.odp", make_odp, "悼念活動簡報", "Joshua Chan", "2020-06-04"),
        ("report.rtf", lambda: BIG5_RTF.encode("ascii"), "香港人權報告 2020", "Hong Kong Rights Monitor", "2020-07-01"),
        ("book.epub", make_epub, "香港抗爭紀實 Hong Kong in protest", "Anna Lee; 李明", "2020-06-30"),
    ],
)
def test_each_format_is_a_document_with_its_title_author_and_date(tmp_path, name, make, title, author, date):
    (tmp_path / name).write_bytes(make())
    document = load(tmp_path / name, name, 10**7)
    assert (document.format, document.title, document.author, document.date) == (
        name.rsplit(".", 1)[1],
        title,
        author,
        date,
    )
