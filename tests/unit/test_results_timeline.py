"""The timeline above the results: a bar per year or month, each a link that narrows the search to
its period and finds as many documents as the bar counts; what it leaves out said in words."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from flask import render_template

from app.service.results import SearchRequest, SearchResult, Timeline, TimelineBar
from app.web.context import page_context
from app.web.pages import state_url


class _Timeline(HTMLParser):
    """The bars of a page's timeline: each link's name, address and height class, and the names
    of the bars that are no link."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.found = False
        self.links: list[dict] = []
        self.empty: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "ol" and found.get("class") == "timeline-bars":
            self.inside = self.found = True
        elif self.inside and tag == "a":
            self.links.append({"name": found["aria-label"], "title": found["title"], "href": found["href"], **found})
        elif self.inside and tag == "span" and self.links:
            self.links[-1]["height"] = found["class"].split()[-1]
        elif self.inside and tag == "li" and found.get("class") == "zero":
            self.empty.append(found["title"])

    def handle_endtag(self, tag):
        if tag == "ol":
            self.inside = False


def _timeline(page: str) -> _Timeline:
    parsed = _Timeline()
    parsed.feed(page)
    return parsed


def _query(href: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(href).query))


def test_each_bar_links_to_its_period_and_finds_what_it_counts(client):
    asked = {"q": "*", "sort": "-date", "per_page": "5", "page": "2", "expand": "0"}
    expected = client.get("/api/search", query_string=asked).get_json()["timeline"]
    assert expected["unit"] == "year" and expected["bars"]
    page = client.get("/search", query_string=asked).get_data(as_text=True)
    bars = _timeline(page)
    counted = [bar for bar in expected["bars"] if bar["count"]]
    assert len(bars.links) == len(counted) and len(bars.empty) == len(expected["bars"]) - len(counted)
    assert 'Results by year <span class="period">1948 – 2024</span>' in page
    for bar, link in zip(counted, bars.links, strict=True):
        noun = "result" if bar["count"] == 1 else "results"
        assert link["name"] == link["title"] == f"{bar['label']}: {bar['count']} {noun}"
        # Every other parameter kept but the page, the period set.
        narrowed = {key: value for key, value in asked.items() if key != "page"}
        assert _query(link["href"]) == {**narrowed, "from": bar["from"], "to": bar["to"]}
        assert urlsplit(link["href"]).path == "/search"
        followed = client.get("/api/search", query_string=_query(link["href"])).get_json()
        assert followed["total"] == bar["count"], bar
    assert "1949: 0 results" in bars.empty


def test_the_tallest_bar_is_full_height_and_the_others_in_proportion(client):
    # Every copy a result: the two Chinese declarations of 1948 are two bars' worth.
    page = client.get("/search", query_string={"q": "*", "dedupe": "0"}).get_data(as_text=True)
    heights = {link["name"]: link["height"] for link in _timeline(page).links}
    assert heights["1948: 4 results"] == "h20"  # the most documents
    assert heights["2019: 3 results"] == "h15"
    assert heights["2000: 1 result"] == "h5"


def test_within_two_years_the_bars_are_months_and_a_bar_replaces_the_period(client):
    asked = {"q": "*", "from": "2019", "to": "2020", "ui": "zh-Hant"}
    page = client.get("/search", query_string=asked).get_data(as_text=True)
    bars = _timeline(page)
    assert '按月份的結果 <span class="period">2019-06 – 2020-07</span>' in page
    names = [link["name"] for link in bars.links]
    assert names == ["2019-06：1 項結果", "2019-11：2 項結果", "2020-07：1 項結果"]
    november = bars.links[1]
    assert _query(november["href"]) == {**asked, "from": "2019-11", "to": "2019-11"}
    assert "aria-current" not in november
    chosen = _timeline(client.get(november["href"]).get_data(as_text=True))
    assert [link.get("aria-current") for link in chosen.links] == ["true"]


def test_the_undated_results_are_counted_apart_in_words(client):
    undated = client.get("/api/search", query_string={"q": "rights"}).get_json()["timeline"]["undated"]
    assert undated > 1
    english = client.get("/search", query_string={"q": "rights"}).get_data(as_text=True)
    assert f"{undated} results have no date." in english
    hans = client.get("/search", query_string={"q": "rights", "ui": "zh-Hans"}).get_data(as_text=True)
    assert f"{undated} 条结果没有日期。" in hans


def test_a_search_without_results_draws_no_timeline(client):
    page = client.get("/search", query_string={"q": "zebrafishxyz"}).get_data(as_text=True)
    assert 'class="timeline' not in page


def _drawn(app, timeline: Timeline | None, ui: str = "en") -> str:
    """The results page of a search whose timeline is ``timeline``."""
    with app.test_request_context("/search", query_string={"q": "vigil", "ui": ui}):
        result = SearchResult(SearchRequest(q="vigil"), total=9, hits=[], took_ms=1.0, timeline=timeline)
        return render_template(
            "search.html", result=result, error=None, count=None, state_url=state_url, **page_context()
        )


def test_a_timeline_by_month_says_what_is_dated_only_by_its_year(app):
    months = [TimelineBar("2019-05", 4, "2019-05", "2019-05"), TimelineBar("2019-06", 0, "2019-06", "2019-06")]
    months.append(TimelineBar("2019-07", 2, "2019-07", "2019-07"))
    page = _drawn(app, Timeline("month", months, undated=1, year_only=2))
    bars = _timeline(page)
    assert [(link["name"], link["height"]) for link in bars.links] == [
        ("2019-05: 4 results", "h20"),
        ("2019-07: 2 results", "h10"),
    ]
    assert bars.empty == ["2019-06: 0 results"]
    assert "2 results are dated only by their year." in page and "1 result has no date." in page
    hant = _drawn(app, Timeline("month", months, undated=1, year_only=2), "zh-Hant")
    assert "2 項結果只有年份。" in hant and "1 項結果沒有日期。" in hant


def test_no_timeline_no_drawing(app):
    assert _timeline(_drawn(app, None)).found is False
    assert not re.search(r'class="timeline', _drawn(app, Timeline("year", [], undated=9, year_only=0)))
