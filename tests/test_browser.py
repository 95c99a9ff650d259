"""Real-browser tests: headless Chromium (Debian's) drives the real server.

Screenshots go to test-output/screenshots/. Without Chromium these tests are skipped on a
developer's machine and fail in CI (CI=1), where .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        message = "Chromium not found at /usr/bin/chromium: install Debian's chromium package (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    yield context.new_page()
    context.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_type_a_query_and_see_marked_results(page, server):
    page.goto(server)
    page.get_by_label("Search the archive").fill("人權")
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector("ol.hits li")
    assert query_of(page.url)["q"] == ["人權"]
    marks = page.locator(".snippet mark").all_inner_texts()
    assert "人權" in marks and "人权" in marks  # each document's own script
    assert "Also matched:" in page.locator(".also-matched").inner_text()
    shot(page, "search-results.png")


def test_facets_filter_combine_and_come_off(page, server):
    page.goto(f"{server}/search?q=Hong+Kong")
    total_before = page.locator(".summary").inner_text().split(" in ")[0]
    page.locator(".facet a", has_text="2019").first.click()
    assert query_of(page.url)["year"] == ["2019"]
    page.locator(".facet a", has_text="Chinese (Traditional)").first.click()
    state = query_of(page.url)
    assert state["year"] == ["2019"] and state["lang"] == ["zh-Hant"]
    titles = page.locator("ol.hits h3").all_inner_texts()
    assert titles == ["Extradition bill protest 反修例遊行"]
    shot(page, "facets-combined.png")
    page.get_by_role("link", name="Remove filter: 2019").click()
    assert "year" not in query_of(page.url) and query_of(page.url)["lang"] == ["zh-Hant"]
    page.get_by_role("link", name="Clear all filters").click()
    assert page.locator(".summary").inner_text().split(" in ")[0] == total_before


def test_change_page(page, server):
    page.goto(f"{server}/search?q=rights&per_page=2")
    first = page.locator("ol.hits h3").all_inner_texts()
    page.get_by_role("navigation", name="Pages of results").get_by_role("link", name="2", exact=True).click()
    assert query_of(page.url)["page"] == ["2"]
    second = page.locator("ol.hits h3").all_inner_texts()
    assert second and not set(first) & set(second)
    assert page.locator('.pagination a[aria-current="page"]').inner_text() == "2"
    shot(page, "page-2.png")


def test_open_a_document_and_jump_between_matches(page, server):
    page.goto(f"{server}/search?q=%E4%BA%BA%E6%AC%8A")
    page.locator("ol.hits h3 a", has_text="世界人權宣言").click()
    assert urlsplit(page.url).path == "/documents/udhr/udhr_cmn_hant"
    total = page.locator(".text mark").count()
    assert total >= 5
    page.get_by_role("link", name="Next match").click()
    page.get_by_role("link", name="Next match").click()
    assert page.locator(".match-status").inner_text() == f"match 2 of {total}"
    assert page.url.endswith("#match-2")
    assert page.locator("mark.current").get_attribute("id") == "match-2"
    page.get_by_role("link", name="Previous match").click()
    assert page.locator(".match-status").inner_text() == f"match 1 of {total}"
    shot(page, "document-matches.png")
    page.get_by_role("link", name="Back to the results").click()
    assert query_of(page.url)["q"] == ["人權"]


def test_switch_the_interface_language(page, server):
    page.goto(f"{server}/search?q=torture")
    page.get_by_role("link", name="繁體中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    assert page.get_by_label("搜尋檔案庫").input_value() == "torture"
    assert "項結果" in page.locator(".summary").inner_text()
    shot(page, "interface-zh-hant.png")
    page.get_by_role("link", name="简体中文").click()
    assert page.get_by_label("搜索档案库").is_visible()
    # the choice stays with the search: following a result keeps it
    page.locator("ol.hits h3 a").first.click()
    assert query_of(page.url)["ui"] == ["zh-Hans"]


def test_spelling_suggestion_runs_the_corrected_search(page, server):
    page.goto(f"{server}/search?q=extradtion")
    page.get_by_role("link", name="extradition").click()
    assert query_of(page.url)["q"] == ["extradition"]
    assert page.locator("ol.hits li").count() >= 1


def test_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server)
    page.get_by_label("Search the archive").fill("torture")
    page.get_by_label("Search the archive").press("Enter")
    page.wait_for_selector("ol.hits li")
    assert page.locator(".snippet mark").count() >= 1
    shot(page, "phone-without-javascript.png")
    page.locator("ol.hits h3 a").first.click()
    page.get_by_text("All matches").click()
    page.locator(".match-list a", has_text="1").first.click()
    assert page.url.endswith("#match-1")
    context.close()


def test_empty_result_says_what_to_try(page, server):
    page.goto(f"{server}/search?q=zzqqxxnothing")
    assert "No document matches zzqqxxnothing" in page.locator(".empty").inner_text()
    assert "check the spelling" in page.locator(".empty").inner_text()
