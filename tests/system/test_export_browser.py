"""The results page's downloads and feed in a real browser: headless Chromium (Debian's) drives
the real server, as tests/system/test_browser.py does."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..support import shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HEADER = "id,title,date,author,languages,tags,source_url,url,page,snippet"


def test_download_the_results_as_csv_and_json_lines(page, server):
    page.goto(f"{server}/search?q=%E4%BA%BA%E6%AC%8A&lang=zh-Hant")
    downloads = page.locator(".export-links .download")
    expect(downloads).to_contain_text("Download these results (CSV · JSON Lines · RIS)")
    csv_link = downloads.get_by_role("link", name="CSV", exact=True)
    expect(csv_link).to_have_attribute("href", re.compile(r"^/api/export\?.*lang=zh-Hant.*format=csv"))
    expect(downloads.get_by_role("link", name="RIS", exact=True)).to_be_visible()
    shot(page, "export-links.png")
    with page.expect_download() as caught:
        csv_link.click()
    download = caught.value
    assert download.suggested_filename == "archive-search-人權.csv"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + HEADER.encode("ascii") + b"\r\n")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    total = page.locator(".summary").inner_text().split(" ")[0]
    assert len(rows) == int(total.replace(",", ""))
    assert all("zh-Hant" in row["languages"] for row in rows)
    with page.expect_download() as caught:
        downloads.get_by_role("link", name="JSON Lines", exact=True).click()
    lines = Path(caught.value.path()).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [row["id"] for row in rows]


def test_the_page_offers_its_feed(page, server):
    page.goto(f"{server}/search?q=rights&year=1948")
    feed = page.get_by_role("link", name="Follow this search (Atom feed)")
    expect(feed).to_be_visible()
    expect(feed).to_have_attribute("href", re.compile(r"^/feed\?q=rights&year=1948$"))
    expect(page.locator('head link[rel="alternate"][type="application/atom+xml"]')).to_have_attribute(
        "href", "/feed?q=rights&year=1948"
    )
    page.goto(f"{server}/search?q=rights&ui=zh-Hans")
    expect(page.locator(".export-links")).to_contain_text("下载这些结果")
    expect(page.get_by_role("link", name="关注此搜索（Atom 订阅）")).to_be_visible()
