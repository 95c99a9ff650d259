"""Real-browser tests of the date filter, the timeline, the "exactly as typed" option and the
search help: headless Chromium (Debian's) drives the real server, as in test_browser.py."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from ..support import shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _api(server: str, **query) -> dict:
    with urllib.request.urlopen(f"{server}/api/search?{urllib.parse.urlencode(query)}", timeout=30) as response:
        return json.load(response)


def _count(total: int) -> str:
    return f"{total:,} result" if total == 1 else f"{total:,} results"


def test_the_date_filter_narrows_the_results_and_comes_off(page, server):
    everything = _api(server, q="*")["total"]
    narrowed = _api(server, q="*", **{"from": "2019", "to": "2020"})["total"]
    assert 0 < narrowed < everything
    page.goto(f"{server}/search?q=%2A&sort=-date")
    summary = page.locator(".summary")
    before = summary.inner_text().split(" in ")[0]
    page.get_by_label("From", exact=True).fill("2019")
    page.get_by_label("To", exact=True).fill("2020")
    page.get_by_role("button", name="Apply dates").click()
    expect(page).to_have_url(re.compile(r"[?&]from=2019(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]to=2020(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]sort=-date(&|$)"))  # the rest of the search kept
    expect(page.get_by_label("From", exact=True)).to_have_value("2019")
    dates = page.locator("ol.hits time")
    expect(dates.first).to_be_visible()
    for text in dates.all_inner_texts():
        assert text[:4] in ("2019", "2020"), text
    expect(summary).to_contain_text(_count(narrowed) + " in ")
    shot(page, "date-filter.png")
    page.get_by_role("link", name="Clear dates").click()
    expect(page).not_to_have_url(re.compile(r"[?&](from|to)="))
    expect(summary).to_contain_text(before + " in ")


def test_a_bar_of_the_timeline_narrows_the_search_to_its_year_then_month(page, server):
    bars = [bar for bar in _api(server, q="rights")["timeline"]["bars"] if bar["count"]]
    bar = bars[-1]
    page.goto(f"{server}/search?q=rights")
    link = page.get_by_role("link", name=f"{bar['label']}: {_count(bar['count'])}", exact=True)
    expect(link).to_be_visible()
    shot(page, "timeline.png")
    link.click()
    expect(page).to_have_url(re.compile(rf"[?&]from={bar['from']}&to={bar['to']}(&|$)"))
    expect(page.locator(".summary")).to_contain_text(_count(bar["count"]) + " in ")
    # Within one year the bars are months: one more click narrows the search to a month.
    expect(page.locator(".timeline figcaption")).to_contain_text("Results by month")
    month = page.locator(".timeline-bars a").first
    name = month.get_attribute("aria-label")
    month.click()
    expect(page).to_have_url(re.compile(rf"[?&]from={name[:7]}&to={name[:7]}(&|$)"))
    expect(page.get_by_role("link", name=name, exact=True)).to_have_attribute("aria-current", "true")


def test_exactly_as_typed_is_a_checkbox_of_the_form(page, server):
    page.goto(server)
    page.get_by_label("Search the archive").fill("人权")
    page.get_by_label("Exactly as typed").check()
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]exact=1(&|$)"))
    marks = page.locator(".snippet mark")
    expect(marks.first).to_have_text("人权")
    expect(marks.filter(has_text=re.compile("^人權$"))).to_have_count(0)
    expect(page.get_by_label("Exactly as typed")).to_be_checked()


def test_the_help_opens_from_the_form_and_its_examples_search(page, server):
    page.goto(server)
    page.get_by_role("link", name="Search help").click()
    expect(page).to_have_url(re.compile(r"/help$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search help")
    expect(page.get_by_role("heading", name="Dates")).to_be_visible()
    shot(page, "help.png")
    page.get_by_role("link", name="title:人權", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]q=title(:|%3A)%E4%BA%BA%E6%AC%8A(&|$)", re.IGNORECASE))
    expect(page.locator("ol.hits li").first).to_be_visible()


def test_the_help_speaks_the_interface_language(page, server):
    page.goto(f"{server}/?ui=zh-Hant")
    page.get_by_role("link", name="搜尋說明").click()
    expect(page).to_have_url(re.compile(r"/help\?ui=zh-Hant$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("搜尋說明")
    page.get_by_role("link", name="简体中文").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("搜索说明")
