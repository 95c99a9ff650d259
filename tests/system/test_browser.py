"""Real-browser tests: headless Chromium (Debian's) drives the real server.

Screenshots go to test-output/screenshots/. Without Chromium these tests are skipped on a
developer's machine and fail in CI (CI=1), where .ci/run installs it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ..support import shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The address of a search for 人權, as the browser shows it (UTF-8, percent-encoded).
HUMAN_RIGHTS_QUERY = re.compile(r"[?&]q=%E4%BA%BA%E6%AC%8A(&|#|$)", re.IGNORECASE)


def test_type_a_query_and_see_marked_results(page, server):
    page.goto(server)
    page.get_by_label("Search the archive").fill("人權")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("ol.hits li").first).to_be_visible()
    expect(page).to_have_url(HUMAN_RIGHTS_QUERY)
    marks = page.locator(".snippet mark")
    expect(marks.filter(has_text=re.compile("^人權$")).first).to_be_visible()  # each document's own script
    expect(marks.filter(has_text=re.compile("^人权$")).first).to_be_visible()
    expect(page.locator(".also-matched")).to_contain_text("Also matched:")
    shot(page, "search-results.png")


def test_facets_filter_combine_and_come_off(page, server):
    page.goto(f"{server}/search?q=Hong+Kong")
    summary = page.locator(".summary")
    expect(summary).to_be_visible()
    total_before = summary.inner_text().split(" in ")[0]
    page.locator(".facet a", has_text="2019").first.click()
    expect(page).to_have_url(re.compile(r"[?&]year=2019(&|$)"))
    page.locator(".facet a", has_text="Chinese (Traditional)").first.click()
    expect(page).to_have_url(re.compile(r"[?&]lang=zh-Hant(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]year=2019(&|$)"))
    expect(page.locator("ol.hits h3")).to_have_text(["Extradition bill protest 反修例遊行"])
    shot(page, "facets-combined.png")
    page.get_by_role("link", name="Remove filter: 2019").click()
    expect(page).not_to_have_url(re.compile(r"[?&]year="))
    expect(page).to_have_url(re.compile(r"[?&]lang=zh-Hant(&|$)"))
    page.get_by_role("link", name="Clear all filters").click()
    expect(page).not_to_have_url(re.compile(r"[?&]lang="))
    expect(summary).to_contain_text(total_before + " in ")


def test_change_page(page, server):
    page.goto(f"{server}/search?q=rights&per_page=2")
    titles = page.locator("ol.hits h3")
    expect(titles).to_have_count(2)
    first = titles.all_inner_texts()
    page.get_by_role("navigation", name="Pages of results").get_by_role("link", name="2", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]page=2(&|$)"))
    expect(page.locator('.pagination a[aria-current="page"]')).to_have_text("2")
    expect(titles).to_have_count(2)
    for title in first:  # page 2 shows none of page 1's documents
        expect(titles.filter(has_text=re.compile(f"^{re.escape(title)}$"))).to_have_count(0)
    shot(page, "page-2.png")


def test_open_a_document_and_jump_between_matches(page, server):
    # Every copy its own result: the Traditional declaration is otherwise listed as a copy of the Simplified.
    page.goto(f"{server}/search?q=%E4%BA%BA%E6%AC%8A&dedupe=0")
    page.locator("ol.hits h3 a", has_text="世界人權宣言").click()
    expect(page).to_have_url(re.compile(r"/documents/udhr/udhr_cmn_hant\?"))
    marks = page.locator(".text mark")
    expect(marks.nth(4)).to_be_attached()  # at least five matches
    total = marks.count()
    status = page.locator(".match-status")
    page.get_by_role("link", name="Next match").click()
    expect(status).to_have_text(f"match 1 of {total}")
    page.get_by_role("link", name="Next match").click()
    expect(status).to_have_text(f"match 2 of {total}")
    expect(page).to_have_url(re.compile(r"#match-2$"))
    expect(page.locator("mark.current")).to_have_id("match-2")
    page.get_by_role("link", name="Previous match").click()
    expect(status).to_have_text(f"match 1 of {total}")
    expect(page.locator("mark.current")).to_have_id("match-1")
    page.keyboard.press("p")  # wraps around to the last match
    expect(status).to_have_text(f"match {total} of {total}")
    shot(page, "document-matches.png")
    page.get_by_role("link", name="Back to the results").click()
    expect(page).to_have_url(re.compile(r"/search\?"))
    expect(page).to_have_url(HUMAN_RIGHTS_QUERY)


def test_two_quick_clicks_move_two_matches(page, server):
    page.goto(f"{server}/documents/udhr/udhr_cmn_hant?q=%E4%BA%BA%E6%AC%8A")
    # Both clicks land before the browser reports the first hash change (one task, no await).
    page.get_by_role("link", name="Next match").evaluate("link => { link.click(); link.click(); }")
    expect(page.locator(".match-status")).to_contain_text("match 2 of ")
    expect(page.locator("mark.current")).to_have_id("match-2")


def test_switch_the_interface_language(page, server):
    page.goto(f"{server}/search?q=torture")
    page.get_by_role("link", name="繁體中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    expect(page.get_by_label("搜尋檔案庫")).to_have_value("torture")
    expect(page.locator(".summary")).to_contain_text("項結果")
    shot(page, "interface-zh-hant.png")
    page.get_by_role("link", name="简体中文").click()
    expect(page.get_by_label("搜索档案库")).to_be_visible()
    # the choice stays with the search: following a result keeps it
    page.locator("ol.hits h3 a").first.click()
    expect(page).to_have_url(re.compile(r"/documents/.*[?&]ui=zh-Hans(&|$)"))


def test_spelling_suggestion_runs_the_corrected_search(page, server):
    page.goto(f"{server}/search?q=extradtion")
    page.get_by_role("link", name="extradition").click()
    expect(page).to_have_url(re.compile(r"[?&]q=extradition(&|$)"))
    expect(page.locator("ol.hits li").first).to_be_visible()


def test_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server)
    page.get_by_label("Search the archive").fill("torture")
    page.get_by_label("Search the archive").press("Enter")
    expect(page.locator(".snippet mark").first).to_be_visible()
    shot(page, "phone-without-javascript.png")
    page.locator("ol.hits h3 a").first.click()
    page.get_by_text("All matches").click()
    page.locator(".match-list a", has_text="1").first.click()
    expect(page).to_have_url(re.compile(r"#match-1$"))
    context.close()


def test_empty_result_says_what_to_try(page, server):
    page.goto(f"{server}/search?q=zzqqxxnothing")
    empty = page.locator(".empty")
    expect(empty).to_contain_text("No document matches zzqqxxnothing")
    expect(empty).to_contain_text("check the spelling")
