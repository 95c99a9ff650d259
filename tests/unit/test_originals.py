"""The original file of a document: exactly the bytes indexed, with its type and name, from
inside the documents folder only, and never once it has changed."""

from __future__ import annotations

import hashlib
import html
import re
import shutil
from pathlib import Path

import pytest

from app.index.build import build
from app.ingest import FORMATS
from app.web import create_app
from app.web.originals import UNKNOWN_TYPE, media_type

from ..support import DATA


def original_of(client, doc_id: str, **query):
    """The response to the original-file link the document's JSON gives."""
    url = client.get(f"/api/documents/{doc_id}").get_json()["original_url"]
    return client.get(url, query_string=query)


def notice(page: str) -> str:
    found = re.search(r'<p class="notice error" role="alert">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def test_every_download_is_exactly_the_bytes_indexed(client, corpus_dir):
    listing = client.get("/api/search", query_string={"q": "*", "per_page": 100}).get_json()["results"]
    assert len(listing) > 10
    for document in listing:
        response = original_of(client, document["id"])
        assert response.status_code == 200, document["id"]
        assert response.data == (corpus_dir / document["path"]).read_bytes()
        assert hashlib.sha256(response.data).hexdigest() == document["hash"]


def test_the_document_json_links_the_original(client):
    body = client.get("/api/documents/udhr/udhr_eng").get_json()
    assert body["original_url"] == "/originals/udhr/udhr_eng"


@pytest.mark.parametrize(
    ("doc_id", "content_type", "name"),
    [
        ("fixtures/reports/detention_report", "application/pdf", "detention_report.pdf"),
        ("udhr/udhr_eng", "text/markdown; charset=utf-8", "udhr_eng.md"),
        ("fixtures/encodings/bom_note", "text/markdown; charset=utf-8", "bom_note.md"),
        ("fixtures/web/apple_daily", "text/html; charset=utf-8", "apple_daily.html"),
        ("000_6483e5254f4e0a3b", "text/plain; charset=utf-8", "000_6483e5254f4e0a3b.txt"),
        ("fixtures/encodings/big5_statement", "text/plain; charset=Big5-HKSCS", "big5_statement.txt"),
        ("fixtures/encodings/gb18030_notice", "text/plain; charset=GB18030", "gb18030_notice.txt"),
        ("fixtures/encodings/utf16_letter", "text/plain; charset=utf-16", "utf16_letter.txt"),
    ],
)
def test_each_original_has_its_type_and_its_name(client, doc_id, content_type, name):
    response = original_of(client, doc_id)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("minutes.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("Minutes.DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("minutes.odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_word_and_opendocument_originals_open_in_a_word_processor(name, content_type):
    assert media_type(name, b"PK\x03\x04") == content_type


def test_every_format_the_archive_reads_has_a_media_type():
    assert all(media_type(f"file{suffix}", b"text") != UNKNOWN_TYPE for suffix in FORMATS)


def test_an_original_is_saved_never_run_as_a_page_of_the_site(client):
    response = original_of(client, "fixtures/web/apple_daily")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_unchanged_original_is_not_sent_twice(client):
    first = original_of(client, "udhr/udhr_eng")
    again = client.get("/originals/udhr/udhr_eng", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert first.headers["ETag"].strip('"') == hashlib.sha256(first.data).hexdigest()


@pytest.mark.parametrize(
    "path",
    [
        "/originals/nothing",
        "/originals/../pyproject",
        "/originals/%2e%2e/pyproject",
        "/originals/udhr%2f..%2f..%2fpyproject",
        "/originals/udhr/..%2f..%2fpyproject",
        "/originals/..%5c..%5cpyproject",
        "/originals//etc/passwd",
        "/originals/%2Fetc%2Fpasswd",
        "/originals/udhr/udhr_eng%00",
        "/originals/udhr/udhr_eng.md",
    ],
)
def test_paths_that_try_to_leave_the_archive_are_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"[tool" not in response.data and b"root:" not in response.data


@pytest.fixture()
def archive(tmp_path: Path):
    """A small archive of its own, for tests that change its files: (documents, app, client)."""
    documents = tmp_path / "documents"
    (documents / "reports").mkdir(parents=True)
    (documents / "notes.txt").write_text("Notes on the freedom of assembly.\n", encoding="utf-8")
    (documents / "人權報告.md").write_text("# 人權報告\n\n集會自由受到限制。\n", encoding="utf-8")
    # A file called "original": its id ends in /original, as the download address of another would.
    (documents / "reports" / "original.txt").write_text("The original report on detention.\n", encoding="utf-8")
    shutil.copy(DATA / "corpus" / "reports" / "detention_report.pdf", documents / "reports" / "detention.pdf")
    (tmp_path / "outside").mkdir()
    index = tmp_path / "index"
    build(documents, index)
    app = create_app({"INDEX": str(index), "DOCUMENTS": str(documents), "TESTING": True})
    yield documents, app, app.test_client()
    app.extensions["archive_index"].close()


def test_a_name_beyond_ascii_is_given_in_utf8(archive):
    _documents, _app, client = archive
    response = original_of(client, "人權報告")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"original.md\"; filename*=UTF-8''%E4%BA%BA%E6%AC%8A%E5%A0%B1%E5%91%8A.md"
    )


def test_a_document_whose_id_ends_in_original_keeps_its_page(archive):
    documents, _app, client = archive
    page = client.get("/documents/reports/original")
    assert page.status_code == 200 and "The original report on detention." in page.get_data(as_text=True)
    assert client.get("/originals/reports/original").data == (documents / "reports" / "original.txt").read_bytes()
    assert client.get("/documents/reports").status_code == 404


def test_a_file_swapped_for_a_link_to_outside_is_not_served(archive, tmp_path):
    documents, _app, client = archive
    # The same bytes, so only where the file lies can refuse it.
    secret = tmp_path / "outside" / "notes.txt"
    shutil.copy(documents / "notes.txt", secret)
    (documents / "notes.txt").unlink()
    (documents / "notes.txt").symlink_to(secret)
    response = client.get("/originals/notes")
    assert response.status_code == 404
    assert b"freedom of assembly" not in response.data


def test_a_folder_swapped_for_a_link_to_outside_is_not_served(archive, tmp_path):
    documents, _app, client = archive
    outside = tmp_path / "outside" / "reports"
    shutil.copytree(documents / "reports", outside)
    shutil.rmtree(documents / "reports")
    (documents / "reports").symlink_to(outside, target_is_directory=True)
    assert client.get("/originals/reports/original").status_code == 404


def test_a_link_inside_the_archive_is_served(archive):
    documents, _app, client = archive
    (documents / "copy.txt").write_bytes((documents / "notes.txt").read_bytes())
    (documents / "notes.txt").unlink()
    (documents / "notes.txt").symlink_to(documents / "copy.txt")
    assert client.get("/originals/notes").data == b"Notes on the freedom of assembly.\n"


@pytest.mark.parametrize(
    ("ui", "expected"),
    [
        ("en", "The original file has changed since it was indexed"),
        ("zh-Hant", "原始檔案在編入索引後已被更改"),
        ("zh-Hans", "原始文件在编入索引后已被更改"),
    ],
)
@pytest.mark.parametrize("change", ["same size", "longer"])
def test_a_changed_file_is_refused_and_says_so(archive, ui, expected, change):
    documents, _app, client = archive
    path = documents / "notes.txt"
    path.write_bytes(path.read_bytes().replace(b"Notes", b"NOTES" if change == "same size" else b"Longer notes"))
    response = client.get("/originals/notes", query_string={"ui": ui})
    assert response.status_code == 409
    assert notice(response.get_data(as_text=True)).startswith(expected)
    assert b"freedom of assembly" not in response.data


def test_a_deleted_file_is_not_found_and_says_so(archive):
    documents, _app, client = archive
    (documents / "notes.txt").unlink()
    response = client.get("/originals/notes", query_string={"ui": "zh-Hant"})
    assert response.status_code == 404
    assert notice(response.get_data(as_text=True)) == "此文件的原始檔案已不在檔案庫的文件資料夾中。"


@pytest.mark.parametrize(
    ("ui", "name"),
    [("en", "Download the original file"), ("zh-Hant", "下載原始檔案"), ("zh-Hans", "下载原始文件")],
)
def test_the_document_page_links_its_original_in_each_language(client, ui, name):
    page = client.get("/documents/fixtures/reports/detention_report", query_string={"ui": ui}).get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" download>([^<]+)</a>', page)
    assert link and link.group(2) == name
    assert html.unescape(link.group(1)) == f"/originals/fixtures/reports/detention_report?ui={ui}"
    assert client.get(html.unescape(link.group(1))).headers["Content-Type"] == "application/pdf"


def download_link(page: str) -> str | None:
    """The document page's link to its original, None when it shows none."""
    link = re.search(r'<span class="original"><a href="([^"]+)" download>', page)
    return html.unescape(link.group(1)) if link else None


@pytest.fixture()
def built_elsewhere(tmp_path: Path, monkeypatch):
    """An archive indexed from ``work/documents`` given as a relative path, and a working
    directory elsewhere with no documents folder: (documents, index)."""
    monkeypatch.delenv("ARCHIVE_DOCUMENTS", raising=False)
    (tmp_path / "work" / "documents").mkdir(parents=True)
    documents = tmp_path / "work" / "documents"
    (documents / "notes.txt").write_text("Notes on the freedom of assembly.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "work")
    build(Path("documents"), Path("index"))
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    return documents, tmp_path / "work" / "index"


def pages_of(config: dict):
    """The document page of ``notes`` and the answer to its original's address."""
    app = create_app({**config, "TESTING": True})
    try:
        client = app.test_client()
        return client.get("/documents/notes").get_data(as_text=True), client.get("/originals/notes")
    finally:
        app.extensions["archive_index"].close()


def test_without_a_documents_folder_the_originals_are_those_the_index_was_built_from(built_elsewhere, tmp_path):
    documents, index = built_elsewhere
    page, original = pages_of({"INDEX": str(index)})
    assert download_link(page) == "/originals/notes"
    assert original.status_code == 200 and original.data == (documents / "notes.txt").read_bytes()

    documents.rename(tmp_path / "moved")  # the folder is gone: no link to a download that fails
    page, original = pages_of({"INDEX": str(index)})
    assert download_link(page) is None and "Notes on the freedom of assembly." in page
    assert original.status_code == 404


def test_a_documents_folder_given_is_the_one_served(built_elsewhere, tmp_path):
    documents, index = built_elsewhere
    other = tmp_path / "other"
    other.mkdir()
    page, original = pages_of({"INDEX": str(index), "DOCUMENTS": str(other)})
    assert download_link(page) is None and original.status_code == 404
    shutil.copy(documents / "notes.txt", other / "notes.txt")
    (documents / "notes.txt").write_text("Changed since.\n", encoding="utf-8")
    page, original = pages_of({"INDEX": str(index), "DOCUMENTS": str(other)})
    assert download_link(page) == "/originals/notes" and original.data == b"Notes on the freedom of assembly.\n"


def test_an_index_that_does_not_record_its_folder_falls_back_to_the_documents_setting(built_elsewhere, tmp_path):
    import sqlite3

    documents, index = built_elsewhere
    # Before the folder was recorded resolved, a build wrote it as it was given.
    manifest = next(index.glob("gen-*")) / "manifest.sqlite"
    with sqlite3.connect(manifest) as connection:
        connection.execute("UPDATE info SET value = '\"documents\"' WHERE name = 'documents_dir'")
    page, original = pages_of({"INDEX": str(index)})  # ./documents is not here
    assert download_link(page) is None and original.status_code == 404
    shutil.copytree(documents, tmp_path / "elsewhere" / "documents")
    page, original = pages_of({"INDEX": str(index)})
    assert download_link(page) == "/originals/notes" and original.status_code == 200
