"""A page read by OCR is shown with its image: the document page puts a scanned page's image
beside its recognised text, marked as any text is, and says the text may hold errors in the
interface language; the image is rendered from the original file while it is the file indexed,
bounded in size; and the API says which pages OCR read."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from app.index.adding import WriterSettings
from app.index.build import build
from app.ingest import OcrSettings
from app.web import create_app

from ..support import needs_tesseract, notice, pdf_with_pages, scan_image

LINES = ["法院駁回人身保護令申請", "The court rejected the habeas corpus application."]
PRINTED = ["A statement of the Legislative Council panel on security, printed with its text."]
# A scan wider than any page image is shown (1600 pixels): it is shown scaled down.
SCAN_SIZE = (2000, 600)
A4 = (595, 842)  # points


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Path, Path]:
    """A folder of a scanned notice (PNG), a PDF of a printed page then a scanned one, and a
    Markdown note; and an index of it built with OCR."""
    needs_tesseract()
    folder = tmp_path_factory.mktemp("scans")
    scan_image(LINES, size=SCAN_SIZE, px=50).save(folder / "notice.png")
    pdf_with_pages(folder / "mixed.pdf", [PRINTED, scan_image(LINES, size=(1240, 1754), px=44)])
    (folder / "note.md").write_text("# A note\n\nTyped by hand about the habeas corpus hearing.\n", encoding="utf-8")
    index = tmp_path_factory.mktemp("index")
    report = build(folder, index, writer=WriterSettings(ocr=OcrSettings()))
    assert report.count("skipped") == 0, report.as_text()
    return folder, index


@pytest.fixture()
def serve(archive):
    """Apps over the archive's index, their originals read from the folder given (the archive's
    own by default), closed at the end."""
    apps = []

    def make(documents: Path | None = None):
        application = create_app({"INDEX": str(archive[1]), "DOCUMENTS": str(documents or archive[0]), "TESTING": True})
        apps.append(application)
        return application.test_client()

    yield make
    for application in apps:
        application.extensions["archive_index"].close()


def page_of(client, path: str, **params) -> BeautifulSoup:
    response = client.get(path, query_string=params)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def png_of(response) -> Image.Image:
    assert (response.status_code, response.content_type) == (200, "image/png")
    return Image.open(io.BytesIO(response.data))


def test_a_scanned_page_shows_its_image_beside_its_text_marked(serve):
    page = page_of(serve(), "/documents/mixed", q="habeas")
    images = page.select(".text img")
    # Only the scanned page (2) has its image; the printed page (1) is text alone.
    assert [image["src"] for image in images] == ["/page-images/mixed/2.png"]
    assert images[0]["alt"] == "Image of page 2"
    assert images[0].find_parent("a")["href"] == "/page-images/mixed/2.png"
    scan = page.select_one(".text .scan")
    assert [mark.get_text().lower() for mark in scan.select(".page-text mark")] == ["habeas"]
    assert "保護令" in scan.select_one(".page-text").get_text()
    printed = page.select(".text > .page-text")
    assert len(printed) == 1 and "printed with its text" in printed[0].get_text()
    notices = [item.get_text() for item in page.select(".text .ocr-notice")]
    assert len(notices) == 1
    assert notices[0].startswith("The text of this page was recognised by OCR and may contain errors (mean confidence ")
    assert notices[0].endswith("%).")
    # The notice comes with page 2, not page 1.
    assert page.select_one("#page-2").find_next_sibling().get_text() == notices[0]


@pytest.mark.parametrize(
    ("ui", "said", "alt"),
    [
        ("zh-Hant", "此頁文字經 OCR 辨識，可能有錯誤（平均可信度 ", "第 2 頁的圖像"),
        ("zh-Hans", "此页文字经 OCR 识别，可能有错误（平均置信度 ", "第 2 页的图像"),
    ],
)
def test_the_ocr_notice_speaks_the_interface_language(serve, ui, said, alt):
    page = page_of(serve(), "/documents/mixed", ui=ui)
    notice_line = page.select_one(".ocr-notice")
    assert notice_line.get_text().startswith(said) and notice_line["lang"] == ui
    assert "OCR and may contain" not in page.get_text()
    assert page.select_one(".text img")["alt"] == alt


def test_an_image_file_shows_the_image_itself(serve):
    page = page_of(serve(), "/documents/notice", q="保護令")
    assert [image["src"] for image in page.select(".text img")] == ["/page-images/notice/1.png"]
    assert [mark.get_text() for mark in page.select(".scan .page-text mark")] == ["保護令"]
    assert len(page.select(".ocr-notice")) == 1


def test_a_page_image_is_a_png_of_the_page_bounded_in_size(serve):
    client = serve()
    scanned = png_of(client.get("/page-images/mixed/2.png"))
    # An A4 page at a screen's resolution (110 dpi).
    assert scanned.size == pytest.approx((A4[0] * 110 / 72, A4[1] * 110 / 72), abs=1)
    printed = png_of(client.get("/page-images/mixed/1.png"))
    assert printed.size == scanned.size
    # The scan is 2000 pixels wide: it comes scaled to 1600, its shape kept.
    assert png_of(client.get("/page-images/notice/1.png")).size == (1600, 480)


def test_a_page_image_is_revalidated_by_its_etag(serve):
    client = serve()
    first = client.get("/page-images/mixed/2.png")
    assert first.headers["Cache-Control"] == "no-cache" and first.headers["ETag"]
    again = client.get("/page-images/mixed/2.png", headers={"If-None-Match": first.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")
    assert client.get("/page-images/mixed/1.png").headers["ETag"] != first.headers["ETag"]


@pytest.mark.parametrize(
    "path",
    [
        "/page-images/mixed/3.png",
        "/page-images/mixed/0.png",
        "/page-images/notice/2.png",
        "/page-images/note/1.png",
        "/page-images/no/such/document/1.png",
        "/page-images/../mixed/1.png",
    ],
)
def test_a_page_that_is_not_there_is_not_found(serve, path):
    response = serve().get(path, query_string={"ui": "zh-Hant"})
    assert response.status_code == 404
    assert notice(response.get_data(as_text=True)) == "找不到此頁面或文件。"


def test_a_page_image_is_only_of_the_file_as_it_was_indexed(serve, archive, tmp_path):
    copy = tmp_path / "documents"
    shutil.copytree(archive[0], copy)
    client = serve(copy)
    assert client.get("/page-images/notice/1.png").status_code == 200
    # Once the file changes, its page is not shown, not even as it was rendered before.
    scan_image(["A different notice"], size=SCAN_SIZE, px=50).save(copy / "notice.png")
    changed = client.get("/page-images/notice/1.png")
    assert changed.status_code == 409 and changed.content_type.startswith("text/html")
    assert "changed since it was indexed" in notice(changed.get_data(as_text=True))
    (copy / "notice.png").unlink()
    assert client.get("/page-images/notice/1.png").status_code == 404
    # No image is offered where it could only answer 404; the recognised text is still shown.
    page = page_of(client, "/documents/notice")
    assert page.select(".text img") == [] and len(page.select(".ocr-notice")) == 1
    assert "保護令" in page.select_one(".text").get_text()


def test_the_api_says_which_pages_ocr_read(serve):
    client = serve()
    body = client.get("/api/documents/mixed").get_json()
    assert body["ocr"] is True
    first, second = body["page_list"]
    assert first == {"page": 1, "ocr": False, "confidence": None, "name": None, "image_url": "/page-images/mixed/1.png"}
    assert (second["page"], second["ocr"], second["image_url"]) == (2, True, "/page-images/mixed/2.png")
    assert 0 < second["confidence"] <= 100
    assert client.get(second["image_url"]).status_code == 200
    note = client.get("/api/documents/note").get_json()
    assert (note["ocr"], note["page_list"]) == (False, [])
    assert client.get("/api/documents/notice").get_json()["page_list"][0]["ocr"] is True
