"""Word (.docx) and OpenDocument (.odt) files: their text as it reads now, and their properties."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from app.ingest import SkipFile, load

from ..support import DATA, loaded_after

OFFICE = DATA / "corpus" / "office"
LIMIT = 50_000_000


def read(name: str):
    return load(OFFICE / name, f"office/{name}", LIMIT)


def test_word_document_text_in_document_order_with_its_properties():
    document = read("detention_briefing.docx")
    assert document.format == "docx"
    assert document.title == "Briefing on pre-trial detention"
    assert document.author == "Example Rights Monitor"
    assert document.date == "2022-03-15"  # created 2022-03-15T10:20:00Z, to the day
    assert document.tags == ["detention", "bail"]
    assert document.description == "Pre-trial detention under the National Security Law"
    assert document.text.split("\n\n") == [
        "Pre-trial detention 審前羈押",
        "Defendants charged under the National Security Law are routinely denied bail for months.",
        "根據《國家安全法》被控的被告經常被拒絕保釋。",
        "Defendant group",
        "Months in custody",
        "Forty-seven democrats",
        "Thirty-one",
        "Recommendations",
        "Bail hearings should be open to the public.",
    ]
    assert [language.tag for language in document.languages] == ["en", "zh-Hant"]


def test_word_tracked_deletions_and_comments_are_not_text():
    text = read("detention_briefing.docx").text
    assert "deletedzzword" not in text and "sometimes" not in text
    assert "commentzzword" not in text
    assert "routinely" in text  # a tracked insertion is text as it reads now


def test_opendocument_text_in_document_order_with_its_meta():
    document = read("forum_notes.odt")
    assert document.format == "odt"
    assert document.title == "Notes from a forum on press freedom"
    assert document.author == "Anna Müller"  # who wrote it (meta:initial-creator), not who saved it last
    assert document.date == "2019-11-02"  # meta:creation-date, not dc:date (2019-11-04)
    assert document.tags == ["press freedom", "forum"]
    assert document.languages[0].tag == "en"  # dc:language en-GB
    assert document.text.split("\n\n") == [
        "Notes from a forum on press freedom 新聞自由論壇",
        "The forum met in a small café in Sheung Wan.",
        "Dr Anna Müller spoke first. José Lee answered questions.",
        "Journalists described arrests.",
        "論壇討論新聞自由。",
        "Speaker",
        "Minutes",
        "Anna Müller",
        "Twenty",
        "The notes end with the questions.",
    ]


def test_opendocument_tracked_deletions_and_comments_are_not_text():
    text = read("forum_notes.odt").text
    assert "deletedzzword" not in text and "crowded" not in text
    assert "annotationzzword" not in text and "Reviewer" not in text


@pytest.mark.parametrize("hidden", ["deletedzzword", "commentzzword", "annotationzzword"])
def test_deleted_text_and_comments_of_office_files_are_not_searchable(live, hidden):
    from app.service.results import SearchRequest
    from app.service.search import search

    assert search(live, SearchRequest(q=hidden)).hits == []


def _repacked(source: bytes, dropped: str = "", replaced: dict[str, bytes] | None = None) -> bytes:
    """A copy of the ZIP package ``source`` without the part ``dropped`` and with parts replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as package, zipfile.ZipFile(out, "w") as copy:
        for info in package.infolist():
            if info.filename != dropped:
                copy.writestr(info, (replaced or {}).get(info.filename, package.read(info)))
    return out.getvalue()


DOCX = (OFFICE / "detention_briefing.docx").read_bytes()
ODT = (OFFICE / "forum_notes.odt").read_bytes()


def test_word_document_without_core_properties_takes_its_title_from_the_text(tmp_path):
    with zipfile.ZipFile(io.BytesIO(DOCX)) as package:
        rels = package.read("_rels/.rels").decode()
    rels = re.sub(r"<Relationship [^>]*core-properties[^>]*/>", "", rels)
    path = tmp_path / "bare.docx"
    path.write_bytes(_repacked(DOCX, "docProps/core.xml", {"_rels/.rels": rels.encode()}))
    document = load(path, "bare.docx", LIMIT)
    # python-docx makes up "Word Document" and today's date for such a file: neither is kept.
    assert document.title == "Pre-trial detention 審前羈押"
    assert document.date is None and document.author is None


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("plain.docx", b"This is not a Word document at all.", "unreadable Word document: not a ZIP package"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected, or an older binary"),
        ("renamed.docx", ODT, "unreadable Word document"),
        ("plain.odt", b"PK\x03\x04 and then nothing", "unreadable OpenDocument file: not a ZIP package"),
        ("no_content.odt", _repacked(ODT, "content.xml"), "unreadable OpenDocument file"),
        ("bad_xml.odt", _repacked(ODT, replaced={"content.xml": b"<office:document-content"}), "unreadable OpenDoc"),
        (
            "sheet.odt",
            _repacked(ODT, replaced={"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
            "not a text document (application/vnd.oasis.opendocument.spreadsheet)",
        ),
        (
            "locked.odt",
            _repacked(ODT, replaced={"META-INF/manifest.xml": b"<m><manifest:encryption-data/></m>"}),
            "encrypted OpenDocument file",
        ),
    ],
)
def test_office_files_that_cannot_be_read_are_skipped_with_their_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SkipFile, match=reason.replace("(", r"\(").replace(")", r"\)")):
        load(path, name, LIMIT)


def test_an_office_file_that_unpacks_to_too_much_xml_is_skipped(monkeypatch):
    monkeypatch.setattr("app.ingest.package.MAX_XML_BYTES", 1000)
    with pytest.raises(SkipFile, match="its XML unpacks to"):
        read("detention_briefing.docx")


def test_reading_markdown_loads_no_office_pdf_or_html_parser():
    path = DATA / "corpus" / "news" / "march_2019.md"
    loaded = loaded_after(f"from app.ingest import load\nload({str(path)!r}, 'march_2019.md', 10**6)")
    assert "app.ingest.markdown" in loaded
    assert not {"docx", "lxml", "pypdf", "bs4", "app.ingest.word", "app.ingest.opendocument"} & loaded


def test_a_word_document_without_text_is_indexed_by_the_title_of_its_properties(tmp_path):
    import docx

    document = docx.Document()
    document.core_properties.title = "Photographs of the vigil"
    document.core_properties.keywords = "vigil; 六四"
    document.save(tmp_path / "photos.docx")
    read_back = load(tmp_path / "photos.docx", "photos.docx", LIMIT)
    assert (read_back.title, read_back.text, read_back.tags) == ("Photographs of the vigil", "", ["vigil", "六四"])
    assert read_back.warnings == ["no text in the file; indexed by its title and details"]
    document.core_properties.title = ""
    document.save(tmp_path / "empty.docx")
    with pytest.raises(SkipFile, match="no text in the file, and no title"):
        load(tmp_path / "empty.docx", "empty.docx", LIMIT)
