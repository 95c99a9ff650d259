"""Web archives (.warc, .warc.gz, .wacz): each captured page or file is a document of its own,
found again by its record's number; what is no document is passed over, and a damaged or
oversized archive gives what it can and says where it stopped."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from urllib.parse import quote

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from app.ingest import SkipFile
from app.ingest.members import Limits, find
from app.ingest.webarchive import read_wacz, read_warc

from ..support import built, serving

SITE = "https://www.thestandnews.com"
CLOSURE = "立場新聞停止運作 即時解散"
CLOSURE_URL = f"{SITE}/politics/{quote(CLOSURE.replace(' ', '-'))}"
SOCIETY_URL = f"{SITE}/society/"
PDF_URL = f"{SITE}/files/statement.pdf"
FIRST_CAPTURE = "2021-06-20T08:15:00Z"
LATER_CAPTURE = "2021-12-28T23:59:00Z"


def stand_page(title: str, paragraphs: list[str]) -> bytes:
    """A page as Stand News laid them out: the site's name in the title, a nav bar, the article."""
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        '<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8">'
        f"<title>{title} | 立場新聞 Stand News</title></head><body>"
        '<nav><a href="/">首頁</a><a href="/politics">政治</a><a href="/society">社會</a></nav>'
        f"<article><h1>{title}</h1>{body}</article><footer>© 立場新聞</footer></body></html>"
    ).encode()


CLOSURE_PAGE = stand_page(CLOSURE, ["《立場新聞》今日宣布即時停止運作，網站及社交媒體停止更新。", "所有員工即時解僱。"])
CLOSURE_PAGE_LATER = stand_page(CLOSURE, ["《立場新聞》宣布停止運作。", "網站將於稍後下線。"])
SOCIETY_PAGE = stand_page("社會新聞", ["警方國安處拘捕多名前董事及高層。", "法庭拒絕保釋。"])


def statement_pdf() -> bytes:
    """A one-page PDF statement, as a site links to one."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setTitle("Statement on the closure")
    page.drawString(72, 760, "Statement on the closure of Stand News")
    page.showPage()
    page.save()
    return out.getvalue()


PDF = statement_pdf()


class Archive:
    """A WARC written record by record with warcio's own writer."""

    def __init__(self, gzip_records: bool = True) -> None:
        self.out = io.BytesIO()
        self.writer = WARCWriter(self.out, gzip=gzip_records)

    def response(self, url: str, date: str, body: bytes, status: str = "200 OK", **headers: str) -> Archive:
        """A response record: ``headers`` are HTTP headers (``content_type="text/html"``)."""
        pairs = [(name.replace("_", "-").title(), value) for name, value in headers.items()]
        http = StatusAndHeaders(status, pairs, protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": date}
        )
        self.writer.write_record(record)
        return self

    def other(self, url: str, kind: str, body: bytes = b"", http: StatusAndHeaders | None = None) -> Archive:
        """A record of another type (request, revisit, metadata, warcinfo)."""
        record = self.writer.create_warc_record(
            url,
            kind,
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": FIRST_CAPTURE},
            warc_content_type="application/json" if kind == "metadata" else "",
        )
        self.writer.write_record(record)
        return self

    def bytes(self) -> bytes:
        return self.out.getvalue()


def chunked(body: bytes) -> bytes:
    """``body`` in HTTP's chunked transfer encoding, as a server streams a page."""
    half = len(body) // 2
    return b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:half], body[half:])) + b"0\r\n\r\n"


def stand_news(gzip_records: bool = True) -> bytes:
    """A crawl of Stand News: two pages (one captured twice), a PDF and what is no document."""
    request = StatusAndHeaders("GET /politics HTTP/1.1", [("Host", "www.thestandnews.com")], is_http_request=True)
    return (
        Archive(gzip_records)
        .other("", "warcinfo", json.dumps({"software": "crawler"}).encode())
        .other(CLOSURE_URL, "request", http=request)
        .response(CLOSURE_URL, FIRST_CAPTURE, CLOSURE_PAGE, content_type="text/html; charset=utf-8")
        .response("http://thestandnews.com/", FIRST_CAPTURE, b"", status="301 Moved Permanently", location=SITE)
        .response(f"{SITE}/logo.jpg", FIRST_CAPTURE, b"\xff\xd8\xff\xe0 a photo", content_type="image/jpeg")
        .response(f"{SITE}/gone", FIRST_CAPTURE, b"<h1>404</h1>", status="404 Not Found", content_type="text/html")
        .response(
            SOCIETY_URL,
            "2021-06-21T01:00:00Z",
            gzip.compress(SOCIETY_PAGE),
            content_type="application/xhtml+xml",
            content_encoding="gzip",
        )
        .response(
            CLOSURE_URL,
            LATER_CAPTURE,
            chunked(CLOSURE_PAGE_LATER),
            content_type="text/html",
            transfer_encoding="chunked",
        )
        .other(SOCIETY_URL, "revisit", http=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1"))
        .other(f"metadata://{SITE}", "metadata", b'{"outlinks": []}')
        .response(PDF_URL, LATER_CAPTURE, PDF, content_type="application/pdf")
        .bytes()
    )


WARC = stand_news()
DOCUMENTS = ["3", "7", "8", "11"]


def members(data: bytes, read=read_warc, limits: Limits | None = None):
    return list(read(data, limits or Limits()).members)


def test_each_captured_document_is_a_member_numbered_by_its_record():
    found = members(WARC)
    assert [member.step for member in found] == DOCUMENTS
    assert [member.kind for member in found] == ["html", "html", "html", "pdf"]
    types = ["text/html", "application/xhtml+xml", "text/html", "application/pdf"]
    assert [member.media_type for member in found] == types
    page = f"{CLOSURE.replace(' ', '-')}.html"
    assert [member.name for member in found] == [page, "index.html", page, "statement.pdf"]
    assert all(member.reason is None for member in found)


def test_a_member_is_its_payload_with_the_encodings_undone():
    assert find(WARC, read_warc, "3", Limits()).data == CLOSURE_PAGE
    assert find(WARC, read_warc, "7", Limits()).data == SOCIETY_PAGE  # gzip content encoding
    assert find(WARC, read_warc, "8", Limits()).data == CLOSURE_PAGE_LATER  # chunked
    assert find(WARC, read_warc, "11", Limits()).data == PDF


def test_what_is_no_document_is_passed_over_without_a_word():
    # a request, a redirect, an image, a 404, a revisit, metadata: none is a member, refused or not
    for step in ("1", "2", "4", "5", "6", "9", "10"):
        with pytest.raises(SkipFile, match=f"no member '{step}'"):
            find(WARC, read_warc, step, Limits())


def test_a_capture_says_where_and_when_it_was_made():
    first, society, _later, pdf = members(WARC)
    assert society.overrides == {"url": SOCIETY_URL, "captured": "2021-06-21T01:00:00Z"}
    assert society.defaults == {"date": "2021-06-21"}  # the page's own date, if it states one, wins
    assert pdf.overrides == {"url": PDF_URL, "captured": LATER_CAPTURE}
    assert first.defaults == {"date": "2021-06-20"}


def test_a_url_captured_twice_gives_two_members_each_told_of_both_captures():
    first, _society, later, _pdf = members(WARC)
    both = [FIRST_CAPTURE, LATER_CAPTURE]
    assert first.overrides == {"url": CLOSURE_URL, "captured": FIRST_CAPTURE, "captures": both}
    assert later.overrides == {"url": CLOSURE_URL, "captured": LATER_CAPTURE, "captures": both}
    assert "description" not in first.defaults and "description" not in later.defaults
    assert (first.step, later.step) == ("3", "8") and first.data != later.data


def test_the_archive_reads_as_its_list_of_captures():
    extracted = read_warc(WARC, Limits()).extracted
    assert extracted.text.splitlines() == [
        f"{FIRST_CAPTURE} {CLOSURE_URL}",
        f"2021-06-21T01:00:00Z {SOCIETY_URL}",
        f"{LATER_CAPTURE} {CLOSURE_URL}",
        f"{LATER_CAPTURE} {PDF_URL}",
    ]
    assert extracted.title is None


@pytest.mark.parametrize(
    "data",
    [stand_news(gzip_records=False), gzip.compress(stand_news(gzip_records=False))],
    ids=["plain", "gzipped-whole"],
)
def test_a_plain_warc_and_one_gzipped_whole_read_as_the_gzipped_one(data):
    assert [(member.step, member.data) for member in members(data)] == [
        (member.step, member.data) for member in members(WARC)
    ]


@pytest.mark.parametrize(
    ("url", "media_type", "name", "kind"),
    [
        ("https://example.org/a%2Fb%00c.php?id=3", "text/html", "abc.html", "html"),
        ("https://example.org/news/%E6%96%B0%E8%81%9E", "text/html", "新聞.html", "html"),
        ("https://example.org/..", "text/html", "index.html", "html"),
        ("https://example.org/report.2021", "application/pdf", "report.2021.pdf", "pdf"),
        ("https://example.org/files/report.pdf", "application/octet-stream", "report.pdf", "pdf"),
        ("https://example.org/notes.txt", "text/plain", "notes.txt", "text"),
    ],
)
def test_a_member_is_named_safely_after_its_url_with_the_extension_of_its_type(url, media_type, name, kind):
    data = Archive().response(url, FIRST_CAPTURE, b"%PDF-1.4 text", content_type=media_type).bytes()
    (member,) = members(data)
    assert (member.name, member.kind) == (name, kind)
    assert "/" not in member.name


def test_a_wacz_reads_every_warc_it_holds_each_step_naming_its_warc():
    second = Archive().response(CLOSURE_URL, "2022-01-02T00:00:00Z", CLOSURE_PAGE_LATER, content_type="text/html")
    wacz = _wacz({"archive/crawl-1.warc.gz": WARC, "archive/crawl-2.warc.gz": second.bytes()})
    found = members(wacz, read_wacz)
    assert [member.step for member in found] == [
        *(f"crawl-1.warc.gz/{step}" for step in DOCUMENTS),
        "crawl-2.warc.gz/1",
    ]
    assert find(wacz, read_wacz, "crawl-2.warc.gz/1", Limits()).data == CLOSURE_PAGE_LATER
    assert find(wacz, read_wacz, "crawl-1.warc.gz/7", Limits()).data == SOCIETY_PAGE
    # captured in both WARCs: three times in the archive
    assert found[-1].overrides["captures"] == [FIRST_CAPTURE, LATER_CAPTURE, "2022-01-02T00:00:00Z"]
    assert read_wacz(wacz, Limits()).extracted.text.splitlines()[-1] == f"2022-01-02T00:00:00Z {CLOSURE_URL}"


def test_a_wacz_without_warcs_or_not_a_zip_is_not_a_web_archive():
    with pytest.raises(SkipFile, match="not a web archive: the WACZ package holds no WARC"):
        read_wacz(_wacz({"pages/pages.jsonl": b"{}"}), Limits())
    with pytest.raises(SkipFile, match="not a web archive: not a WACZ"):
        read_wacz(WARC, Limits())


def test_a_broken_warc_in_a_wacz_is_refused_and_the_others_read():
    wacz = _wacz({"archive/a.warc.gz": b"not a warc at all", "archive/b.warc.gz": WARC})
    found = members(wacz, read_wacz)
    assert found[0].step == "a.warc.gz/1" and "not a web archive" in found[0].reason
    assert [member.step for member in found[1:]] == [f"b.warc.gz/{step}" for step in DOCUMENTS]


def test_past_the_members_limit_one_refused_member_names_the_limit():
    found = members(WARC, limits=Limits(max_members=2))
    assert [member.step for member in found] == ["3", "7", "8"]
    assert [member.reason for member in found[:2]] == [None, None]
    assert "more than 2 documents (the limit)" in found[2].reason and not found[2].data


def test_past_the_records_limit_reading_stops_saying_so():
    archive = Archive()
    for number in range(12):
        archive.response(f"{SITE}/photo-{number}.jpg", FIRST_CAPTURE, b"\xff\xd8", content_type="image/jpeg")
    archive.response(CLOSURE_URL, FIRST_CAPTURE, CLOSURE_PAGE, content_type="text/html")
    (stop,) = members(archive.bytes(), limits=Limits(max_members=1))
    assert stop.step == "11" and "more than 10 records (the limit)" in stop.reason


def test_a_capture_larger_than_the_member_limit_is_refused_with_its_size():
    found = members(WARC, limits=Limits(max_member_bytes=len(PDF) - 1))
    assert [member.step for member in found] == DOCUMENTS
    assert found[-1].reason == f"capture too large ({len(PDF):,} bytes; the limit is {len(PDF) - 1:,} bytes)"
    assert found[0].data == CLOSURE_PAGE


def test_an_archive_unpacking_past_the_bytes_limit_stops_there():
    plain = stand_news(gzip_records=False)
    found = members(WARC, limits=Limits(max_bytes=len(plain) // 2))
    assert [member.reason for member in found[:-1]] == [None] * (len(found) - 1) and found[0].data == CLOSURE_PAGE
    assert "unpacks to more than" in found[-1].reason and "(the limit)" in found[-1].reason
    assert len(found) < len(DOCUMENTS) + 1


def test_a_gzip_bomb_is_refused():
    bomb = Archive().response(CLOSURE_URL, FIRST_CAPTURE, CLOSURE_PAGE, content_type="text/html")
    bomb.response(f"{SITE}/bomb", FIRST_CAPTURE, b"\0" * (20 << 20), content_type="text/html")
    found = members(bomb.bytes())
    assert [member.step for member in found] == ["1", "2"]
    assert found[0].data == CLOSURE_PAGE
    assert "more than 200 times its size" in found[1].reason and "compression bomb" in found[1].reason


def test_a_capture_whose_content_encoding_is_a_bomb_is_refused_and_the_rest_read():
    archive = Archive(gzip_records=False)
    bomb = gzip.compress(b"\0" * (20 << 20))
    archive.response(f"{SITE}/bomb", FIRST_CAPTURE, bomb, content_type="text/html", content_encoding="gzip")
    archive.response(CLOSURE_URL, FIRST_CAPTURE, CLOSURE_PAGE, content_type="text/html", content_encoding="identity")
    bomb, page = members(archive.bytes(), limits=Limits())
    assert "more than 200 times its size" in bomb.reason
    assert page.data == CLOSURE_PAGE


def test_a_file_that_is_no_web_archive_is_skipped():
    for data in (CLOSURE_PAGE, gzip.compress(CLOSURE_PAGE), b"\x1f\x8b\x08\x00broken", b"\n\n"):
        with pytest.raises(SkipFile, match="not a web archive"):
            read_warc(data, Limits())


@pytest.mark.parametrize("gzip_records", [True, False], ids=["warc.gz", "warc"])
def test_a_truncated_archive_keeps_what_came_before_the_damage_and_says_where_it_broke(gzip_records):
    data = stand_news(gzip_records)
    cut = data[: len(data) - len(PDF) // 2]  # inside the PDF, the last record
    found = members(cut)
    assert [member.step for member in found] == DOCUMENTS
    assert [member.data for member in found[:3]] == [CLOSURE_PAGE, SOCIETY_PAGE, CLOSURE_PAGE_LATER]
    assert "cut short in record 11" in found[-1].reason and not found[-1].data
    with pytest.raises(SkipFile, match="cut short in record 11"):
        find(cut, read_warc, "11", Limits())


@pytest.mark.parametrize("gzip_records", [True, False], ids=["warc.gz", "warc"])
def test_an_archive_broken_in_its_first_record_is_skipped_saying_so(gzip_records):
    data = Archive(gzip_records).response(CLOSURE_URL, FIRST_CAPTURE, CLOSURE_PAGE, content_type="text/html")
    with pytest.raises(SkipFile, match="the web archive breaks in its first record"):
        read_warc(data.bytes()[:300], Limits())


@pytest.mark.parametrize("gzip_records", [True, False], ids=["warc.gz", "warc"])
def test_an_archive_cut_anywhere_or_with_bytes_changed_reads_or_is_skipped_never_raises(gzip_records):
    data = stand_news(gzip_records)
    damaged = [data[:end] for end in range(0, len(data), 61)]
    damaged += [data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1 :] for at in range(0, len(data), 83)]
    for case in damaged:
        try:
            found = members(case)
        except SkipFile:
            continue
        assert all(bool(member.reason) != bool(member.data) for member in found)


def _wacz(entries: dict[str, bytes]) -> bytes:
    """A WACZ holding ``entries`` (its WARCs stored, as WACZ writers store them)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in entries.items():
            package.writestr(name, data, compress_type=zipfile.ZIP_STORED)
        package.writestr("datapackage.json", json.dumps({"profile": "data-package", "resources": []}))
    return out.getvalue()


# In the archive, end to end: a capture found in both scripts, its page naming the address and
# time of capture, the other captures of its address, and its original capture's bytes.


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crawl")
    (folder / "standnews.warc.gz").write_bytes(WARC)
    with serving(built(folder, tmp_path_factory.mktemp("index")), folder) as client:
        yield client


def test_a_capture_is_found_in_both_scripts_with_its_address_and_time(crawl):
    for query in ("國安處拘捕", "国安处拘捕"):
        [hit] = crawl.get("/api/search", query_string={"q": query}).get_json()["results"]
        assert hit["id"] == "standnews.warc.gz/7"
        assert (hit["source_url"], hit["captured"], hit["date"]) == (SOCIETY_URL, "2021-06-21T01:00:00Z", "2021-06-21")
        assert hit["parent"] == {"id": "standnews.warc", "title": "standnews.warc.gz", "relation": "member"}


def test_a_captures_page_names_its_capture_and_the_others_of_its_address(crawl):
    first = crawl.get("/api/documents/standnews.warc.gz/3").get_json()
    assert first["title"] == CLOSURE  # the site's name taken off the page's title
    assert first["captures"] == [FIRST_CAPTURE, LATER_CAPTURE]
    page = crawl.get("/documents/standnews.warc.gz/3").get_data(as_text=True)
    assert f"{CLOSURE_URL} on {FIRST_CAPTURE}" in page
    assert "This address was captured 2 times:" in page
    assert f'<time class="this-capture">{FIRST_CAPTURE}</time>' in page
    assert "Download the original capture" in page
    assert "首頁" not in first["text"]  # the navigation is no part of the article


def test_a_captures_original_is_its_payload(crawl):
    answer = crawl.get("/originals/standnews.warc.gz/11")
    assert answer.status_code == 200 and answer.data == PDF
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="statement.pdf"'
    later = crawl.get("/originals/standnews.warc.gz/8")
    assert later.data == CLOSURE_PAGE_LATER  # the chunked transfer undone: the page as served
