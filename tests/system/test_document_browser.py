"""The document page in a real browser: the text starts right below its metadata, PDF pages
follow each other without gaps, lines keep a readable length, and the original file is a link
in every interface language. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ..support import shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# As the browser laid out an element's text: where its first character that is not a space
# stands, where its last one ends, and the most characters a line holds.
LAYOUT = """element => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const boxes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      if (node.data[i].trim()) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        boxes.push(range.getBoundingClientRect());
      }
    }
  }
  const first = boxes[0], last = boxes[boxes.length - 1];
  const perLine = new Map();
  for (const box of boxes) {
    const line = Math.round(box.top);
    perLine.set(line, (perLine.get(line) || 0) + 1);
  }
  return {firstTop: first.top, lastBottom: last.bottom, longestLine: Math.max(...perLine.values())};
}"""


def box(locator) -> dict:
    expect(locator).to_be_visible()
    return locator.bounding_box()


def test_the_text_starts_right_below_the_metadata_at_a_readable_measure(page, server):
    page.goto(f"{server}/documents/udhr/udhr_eng")
    text = page.locator(".text")
    expect(text).to_contain_text("Universal Declaration of Human Rights")
    metadata = box(page.locator("dl.metadata"))
    layout = page.locator(".page-text").first.evaluate(LAYOUT)
    gap = layout["firstTop"] - (metadata["y"] + metadata["height"])
    assert 0 <= gap <= 40, f"{gap:.0f} px between the metadata and the first line of text"
    width = box(text)["width"]
    assert 400 <= width <= 680, f"the English text column is {width:.0f} px wide"
    assert 55 <= layout["longestLine"] <= 80, f"the longest line holds {layout['longestLine']} characters"
    shot(page, "document-english.png")


def test_chinese_text_keeps_a_narrower_measure(page, server):
    page.goto(f"{server}/documents/udhr/udhr_cmn_hant?q=%E4%BA%BA%E6%AC%8A")
    text = page.locator(".text")
    expect(text.locator("mark").first).to_be_visible()
    width = box(text)["width"]
    assert width <= 620, f"the Chinese text column is {width:.0f} px wide"
    layout = page.locator(".page-text").first.evaluate(LAYOUT)
    assert 28 <= layout["longestLine"] <= 40, f"the longest line holds {layout['longestLine']} characters"
    nav = box(page.locator(".match-nav"))
    assert 0 <= layout["firstTop"] - (nav["y"] + nav["height"]) <= 40
    shot(page, "document-chinese.png")


def test_pdf_pages_follow_each_other_without_gaps(page, server):
    page.goto(f"{server}/documents/fixtures/reports/detention_report")
    pages = page.locator(".page-text")
    expect(pages).to_have_count(2)
    first = pages.nth(0).evaluate(LAYOUT)
    second = pages.nth(1).evaluate(LAYOUT)
    heading = box(page.get_by_role("heading", name="p. 2"))
    assert 0 <= heading["y"] - first["lastBottom"] <= 40, "space above the page break"
    assert 0 <= second["firstTop"] - (heading["y"] + heading["height"]) <= 24, "space below the page break"
    metadata = box(page.locator("dl.metadata"))
    assert box(page.get_by_role("heading", name="p. 1"))["y"] - (metadata["y"] + metadata["height"]) <= 40
    shot(page, "document-pdf-pages.png")


def test_a_phone_reads_the_text_without_scrolling_sideways(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    phone = context.new_page()
    phone.goto(f"{server}/documents/002_5db78a1c256f63c4?q=China")
    expect(phone.locator(".text mark").first).to_be_visible()
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 390
    shot(phone, "document-phone.png")
    context.close()


@pytest.mark.parametrize(
    ("ui", "name"),
    [("en", "Download the original file"), ("zh-Hant", "下載原始檔案"), ("zh-Hans", "下载原始文件")],
)
def test_the_original_file_is_a_link_in_every_interface_language(page, server, ui, name):
    page.goto(f"{server}/documents/fixtures/reports/detention_report?ui={ui}")
    link = page.get_by_role("link", name=name)
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", re.compile(r"^/originals/fixtures/reports/detention_report(\?|$)"))
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "detention_report.pdf"
    assert download.failure() is None
    if ui == "en":
        shot(page, "document-original-link.png")


def test_a_hit_found_through_a_translation_opens_on_the_translated_word(page, server):
    page.goto(f"{server}/search?q=torture&dedupe=0")  # every copy: the Traditional declaration its own result
    hit = page.locator("li.hit").filter(has=page.locator(".doc-id", has_text=re.compile(r"^udhr/udhr_cmn_hant$")))
    expect(hit.locator(".translation")).to_have_text("酷刑, a translation of torture")
    hit.locator("h3 a").click()
    expect(page).to_have_url(re.compile(r"/documents/udhr/udhr_cmn_hant\?q=torture(&|$)"))
    expect(page.locator(".text mark")).to_have_text(["酷刑"])
    expect(page.locator(".match-nav .translation")).to_have_text("酷刑, a translation of torture")
    expect(page.locator(".match-count")).to_have_text("1 match")
    shot(page, "document-translation.png")
