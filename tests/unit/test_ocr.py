"""Scans and photos are read: a photographed notice, a scanned judgment of two pages, a PDF that
mixes a printed page with a scanned one, each found by its words in either Chinese script; no
rebuild recognises a page twice; and where Tesseract is missing, they are skipped and named."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from app.cli import main
from app.index.adding import WriterSettings
from app.index.build import build
from app.index.readers import LiveIndex
from app.ingest import OcrSettings
from app.service.results import SearchRequest
from app.service.search import search

from ..support import hits, needs_tesseract, pdf_with_pages, scan_image

NOTICE = ["本會謹定於六月四日舉行悼念集會", "The vigil will be held on the fourth of June."]
JUDGMENT = (
    ["法院駁回人身保護令申請", "The court rejected the habeas corpus application."],
    ["香港特别行政区政府宣布", "The government announced new measures."],
)
PRINTED = ["A statement of the Legislative Council panel on security, printed with its text."]


def write_scans(folder: Path) -> Path:
    """A folder holding a photographed notice (PNG), a scanned judgment of two pages (TIFF), a PDF
    of a printed page and a scanned one, and a text file."""
    folder.mkdir(parents=True, exist_ok=True)
    scan_image(NOTICE).save(folder / "notice.png")
    first, second = (scan_image(lines) for lines in JUDGMENT)
    first.save(folder / "judgment.tiff", save_all=True, append_images=[second])
    pdf_with_pages(folder / "mixed.pdf", [PRINTED, scan_image(JUDGMENT[1], size=(1240, 1754), px=44)])
    (folder / "note.txt").write_text("A note typed by hand about the vigil.", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> tuple[Path, Path]:
    """The scans, and an index built from them with OCR (its cache beside its generations)."""
    needs_tesseract()
    folder = write_scans(tmp_path_factory.mktemp("scans"))
    index = tmp_path_factory.mktemp("index")
    report = build(folder, index, writer=WriterSettings(ocr=OcrSettings()))
    assert report.count("skipped") == 0, report.as_text()
    assert report.ocr == {"recognised": 4, "from_cache": 0}, report.as_text()
    return folder, index


@pytest.mark.parametrize("q", ["悼念集會", "悼念集会", '"fourth of June"'])
def test_a_photographed_notice_is_found_in_either_script(scans, q):
    assert hits(scans[1], q) == {"notice": 1}


@pytest.mark.parametrize(("q", "found"), [("保護令", {"judgment": 1}), ("保护令", {"judgment": 1})])
def test_a_scanned_judgment_is_found_on_its_first_page(scans, q, found):
    assert hits(scans[1], q) == found


@pytest.mark.parametrize("q", ["特別行政區", "特别行政区", '"new measures"'])
def test_a_hit_on_the_second_page_of_a_scan_says_page_2(scans, q):
    assert hits(scans[1], q) == {"judgment": 2, "mixed": 2}


def test_a_pdf_keeps_its_printed_page_and_recognises_its_scanned_one(scans):
    assert hits(scans[1], '"Legislative Council panel"') == {"mixed": 1}
    live = LiveIndex(scans[1])
    try:
        with live.use() as generation:
            record = generation.document(generation.key_of("mixed")).record
    finally:
        live.close()
    [page] = record["ocr"]
    assert page["page"] == 2 and page["confidence"] > 50
    assert len(record["pages"]) == 2


def test_recognised_chinese_is_shown_as_printed_without_spaces_between_characters(scans):
    live = LiveIndex(scans[1])
    try:
        [hit] = search(live, SearchRequest(q="悼念集會")).hits
    finally:
        live.close()
    assert "悼念集會" in hit.snippet.text and "悼 念" not in hit.snippet.text


def test_a_second_full_build_recognises_nothing(scans, tmp_path):
    folder, index = scans
    report = build(folder, index, full=True, writer=WriterSettings(ocr=OcrSettings()))
    assert report.ocr == {"recognised": 0, "from_cache": 4}
    assert "OCR: 0 pages recognised, 4 read from the cache." in report.as_text()
    assert (index / "ocr-cache").is_dir()
    assert hits(index, "悼念集会") == {"notice": 1}


def test_a_damaged_cache_file_is_recognised_again(scans, tmp_path):
    folder, _index = scans
    cache = tmp_path / "cache"
    settings = OcrSettings(cache=str(cache))
    build(folder, tmp_path / "one", writer=WriterSettings(ocr=settings))
    [kept, *_others] = sorted(cache.glob("*/*.json"))
    pages = len(json.loads(kept.read_text(encoding="utf-8"))["pages"])
    kept.write_text('{"format": "archive-ocr", "version": 1, "pages": {"1": {"text": ', encoding="utf-8")
    report = build(folder, tmp_path / "two", full=True, writer=WriterSettings(ocr=settings))
    assert report.ocr == {"recognised": pages, "from_cache": 4 - pages}
    assert report.count("skipped") == 0 and hits(tmp_path / "two", "悼念集会") == {"notice": 1}


def test_a_sidecar_names_the_models_of_its_file(scans, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    scan_image(NOTICE).save(folder / "notice.png")
    (folder / "notice.png.meta.yaml").write_text("title: Vigil notice\nocr: [eng]\n", encoding="utf-8")
    index = tmp_path / "index"
    build(folder, index, writer=WriterSettings(ocr=OcrSettings()))
    assert hits(index, '"fourth of June"') == {"notice": 1}
    assert hits(index, "悼念集會") == {}  # the English model reads no Chinese


def test_a_page_past_its_time_limit_is_named_and_the_rest_of_the_file_kept(tmp_path):
    # A Tesseract that lists its models at once but never finishes a page.
    fake = tmp_path / "tesseract"
    fake.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        '  --list-langs) printf "List of available languages (3):\\nchi_sim\\nchi_tra\\neng\\n"; exit 0;;\n'
        '  --version) echo "tesseract 5.3.0 (stalled)"; exit 0;;\n'
        "esac\n"
        "exec sleep 600\n",
        encoding="utf-8",
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    folder = tmp_path / "docs"
    folder.mkdir()
    pdf_with_pages(folder / "mixed.pdf", [PRINTED, scan_image(JUDGMENT[1], size=(1240, 1754), px=44)])
    scan_image(NOTICE).save(folder / "notice.png")
    index = tmp_path / "index"
    settings = OcrSettings(tesseract=str(fake), page_seconds=1)
    report = build(folder, index, writer=WriterSettings(ocr=settings))
    by_path = {file.path: file for file in report.files}
    assert by_path["mixed.pdf"].status == "added"
    assert by_path["mixed.pdf"].warnings == ["page 2 is a scan: OCR took longer than 1 s"]
    # An image with nothing but its timed-out page says why it has no text.
    assert (by_path["notice.png"].status, by_path["notice.png"].reason) == (
        "skipped",
        "no text recognised (page 1: OCR took longer than 1 s), and no title",
    )
    assert hits(index, '"Legislative Council panel"') == {"mixed": 1}


def test_without_tesseract_scans_and_images_are_skipped_and_named_once(runner, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    scan_image(NOTICE).save(folder / "notice.png")
    scan_image(JUDGMENT[0]).save(folder / "judgment.jpg")
    pdf_with_pages(folder / "mixed.pdf", [PRINTED, scan_image(JUDGMENT[1], size=(1240, 1754), px=44)])
    (folder / "note.txt").write_text("A note typed by hand about the vigil.", encoding="utf-8")
    index = tmp_path / "index"
    environ = {"ARCHIVE_TESSERACT": str(tmp_path / "no-such-tesseract")}
    result = runner.invoke(main, ["index", "--documents", str(folder), "--index", str(index), "--json"], env=environ)
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    by_path = {item["path"]: item for item in report["files"]}
    assert by_path["note.txt"]["status"] == "added"
    missing = f"OCR is not available (no {tmp_path / 'no-such-tesseract'} command to run)"
    for name in ("notice.png", "judgment.jpg"):
        assert (by_path[name]["status"], by_path[name]["reason"]) == ("skipped", f"an image: {missing}")
    assert by_path["mixed.pdf"]["status"] == "added"  # its printed page is there to search
    assert by_path["mixed.pdf"]["warnings"] == [f"page 2 is a scan: {missing}"]
    [note] = [note for note in report["notes"] if "OCR" in note]
    assert note == (
        "OCR is not available for 3 files (scans and images): install tesseract-ocr, tesseract-ocr-chi-tra "
        "and tesseract-ocr-chi-sim (Debian's packages), or set ARCHIVE_OCR=0"
    )
    # Said once by each build, not once per file.
    text = runner.invoke(main, ["index", "--documents", str(folder), "--index", str(index)], env=environ).output
    assert text.count("install tesseract-ocr") == 1 and text.count(missing) == 3


def test_no_ocr_skips_images_and_says_so(runner, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    scan_image(NOTICE).save(folder / "notice.png")
    result = runner.invoke(main, ["index", "--no-ocr", "--documents", str(folder), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1
    assert "notice.png: an image: OCR is turned off (ARCHIVE_OCR=0 or --no-ocr)" in result.output
    assert "install tesseract" not in result.output


def test_an_image_too_large_to_decode_is_refused_before_its_pixels_are_read(tmp_path):
    from PIL import Image

    folder = tmp_path / "docs"
    folder.mkdir()
    Image.new("1", (12_000, 6_000), 1).save(folder / "huge.png")  # 72 million pixels, a few kB
    assert os.path.getsize(folder / "huge.png") < 200_000
    report = build(folder, tmp_path / "index", writer=WriterSettings(ocr=OcrSettings()))
    [file] = report.files
    assert (file.status, file.reason) == ("skipped", "image larger than 60 million pixels (12000×6000): not read")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "unreadable image"),
        ("broken.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "unreadable image"),
        ("fake.tiff", b"II*\x00" + b"\xff" * 32, "unreadable image"),
    ],
)
def test_a_broken_image_is_skipped_with_its_reason(tmp_path, name, content, reason):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / name).write_bytes(content)
    (folder / "note.txt").write_text("A note typed by hand about the vigil.", encoding="utf-8")
    report = build(folder, tmp_path / "index", writer=WriterSettings(ocr=OcrSettings()))
    by_path = {file.path: file for file in report.files}
    assert by_path["note.txt"].status == "added"
    assert by_path[name].status == "skipped" and by_path[name].reason.startswith(reason), by_path[name]


def test_a_phone_photo_is_read_the_way_up_its_camera_says(tmp_path):
    from PIL import Image

    needs_tesseract()
    folder = tmp_path / "docs"
    folder.mkdir()
    # Stored turned a quarter to the left, with the EXIF orientation that turns it back (6).
    exif = Image.Exif()
    exif[0x0112] = 6
    scan_image(NOTICE).rotate(90, expand=True).save(folder / "photo.jpg", quality=90, exif=exif.tobytes())
    index = tmp_path / "index"
    build(folder, index, writer=WriterSettings(ocr=OcrSettings()))
    assert hits(index, "悼念集会") == {"photo": 1}


def test_each_scanned_page_shows_in_the_script_it_was_printed_in(scans):
    live = LiveIndex(scans[1])
    try:
        with live.use() as generation:
            stored = generation.document(generation.key_of("judgment")).text
            text = stored[0 : len(stored)]
    finally:
        live.close()
    # Page 1 printed in Traditional, page 2 in Simplified: each read by its own script's model.
    assert "法院駁回人身保護令申請" in text and "香港特别行政区政府宣布" in text


def test_a_single_line_on_a_wide_page_is_read(tmp_path):
    # Tesseract's own layout analysis finds nothing on this page ("Empty page!!").
    needs_tesseract()
    folder = tmp_path / "docs"
    folder.mkdir()
    scan_image(["本會謹定於六月四日舉行悼念集會"]).save(folder / "vigil-notice.png")
    index = tmp_path / "index"
    report = build(folder, index, writer=WriterSettings(ocr=OcrSettings()))
    assert report.count("skipped") == 0, report.as_text()
    assert hits(index, "悼念集会") == {"vigil-notice": 1}


def test_a_pdf_of_scanned_pages_only_is_found_by_its_words(tmp_path):
    needs_tesseract()
    folder = tmp_path / "docs"
    folder.mkdir()
    pages = [scan_image(lines, size=(1240, 1754), px=44) for lines in JUDGMENT]
    pdf_with_pages(folder / "scanned.pdf", pages)
    index = tmp_path / "index"
    report = build(folder, index, writer=WriterSettings(ocr=OcrSettings()))
    [file] = report.files
    assert (file.status, file.warnings, file.ocr_pages) == ("added", [], 2)
    assert hits(index, "保护令") == {"scanned": 1}
    assert hits(index, "特別行政區") == {"scanned": 2}


def test_a_reading_that_names_no_model_is_refused_before_the_build(runner, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "note.txt").write_text("A note typed by hand about the vigil.", encoding="utf-8")
    environ = {"ARCHIVE_OCR_LANGUAGES": "chi-tra+eng"}
    result = runner.invoke(main, ["index", "--documents", str(folder), "--index", str(tmp_path / "ix")], env=environ)
    assert result.exit_code == 2
    assert "ARCHIVE_OCR_LANGUAGES: 'chi-tra' is not a Tesseract model name" in result.output
    assert not (tmp_path / "ix").exists()
