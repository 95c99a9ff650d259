"""The batch page in a real browser: a list of names in both Chinese scripts and in English,
pasted and submitted, answered with a table of counts (Chromium drives the real server, as in
tests/system/test_browser.py)."""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from ..support import shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Names the archive's documents hold, some in the other script than the documents write them
# (documents/002 writes 安华托帝 and 卓玛 in Simplified), and one no document holds.
NAMES = ["安華托帝", "安华托帝", "卓瑪", "習近平", "Jimmy Lai", "Enver Tohti"]
NOWHERE = "zebrafishxyz"


def total(server: str, q: str) -> int:
    with urllib.request.urlopen(f"{server}/api/search?q={quote(q)}", timeout=20) as response:
        return json.load(response)["total"]


def test_paste_a_list_and_see_the_counts(page, server):
    page.goto(f"{server}/?ui=en")
    page.get_by_role("link", name="Search a whole list of names at once").click()
    expect(page).to_have_url(re.compile(r"/batch\?ui=en$"))
    page.get_by_label("Queries, one per line").fill("\n".join([*NAMES, NOWHERE]))
    expect(page.get_by_label("Also search translations and other names")).to_be_checked()
    page.get_by_role("button", name="Search the list").click()
    table = page.locator("table.batch-table")
    expect(table.locator("tbody tr")).to_have_count(len(NAMES))
    for line, name in enumerate(NAMES, 1):
        row = table.locator(f'tr[data-line="{line}"]')
        expect(row.locator(".query")).to_contain_text(name)
        expect(row.locator(".count")).to_have_text(str(total(server, name)))
    # a Traditional name finds the Simplified text, marked
    first = table.locator('tr[data-line="1"]')
    expect(first.locator(".documents mark", has_text="安华托帝").first).to_be_visible()
    expect(page.locator(".batch-none")).to_contain_text(NOWHERE)
    expect(page.locator(".batch-counts")).to_have_text(f"With documents: {len(NAMES)} · with none: 1 · not searched: 0")
    shot(page, "batch-results.png")
    # a document's link opens it with the query's matches marked
    first.locator(".documents a").first.click()
    expect(page).to_have_url(
        re.compile(r"/documents/002_5db78a1c256f63c4\?(.*&)?q=%E5%AE%89%E8%8F%AF%E6%89%98%E5%B8%9D(&|$)")
    )
    expect(page.locator(".text mark", has_text="安华托帝")).to_be_visible()


def test_the_batch_page_in_traditional_chinese(page, server):
    page.goto(f"{server}/batch?ui=zh-Hant")
    page.get_by_label("查詢（每行一個）").fill("人權\na*\n")
    page.get_by_role("button", name="搜尋清單").click()
    expect(page.locator("table.batch-table tbody tr")).to_have_count(1)
    expect(page.locator(".batch-errors")).to_contain_text("第 2 行")
    expect(page.locator(".batch-errors .reason")).to_have_text("「a*」：請在 * 或 ? 前至少輸入兩個字母。")
    with page.expect_download() as waiting:
        page.get_by_role("button", name="下載為 CSV").click()
    download = waiting.value
    assert download.suggested_filename == "archive-search-batch.csv"
    data = download.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbfline,query,label,total") and "人權".encode() in data
