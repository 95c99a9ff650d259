"""The date filter beside the results (the from and to parameters) and the search form's "exactly
as typed" option (exact=1): shown as they are set, kept across the pages of a search, and cleared
without losing the rest of it."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest


class _Forms(HTMLParser):
    """Each form of a page, by its class: its fields (name, value, type, checked) and labels;
    and every link, its text and address."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[tuple[str, str]] = []
        self.labels: dict[str, str] = {}
        self._label: str | None = None
        self._link: list | None = None
        self._section: str = ""

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "section" and found.get("class"):
            self._section = found["class"]
        if tag == "form":
            self.forms.append({"class": found.get("class") or self._section, "fields": []})
        elif tag == "input" and self.forms:
            self.forms[-1]["fields"].append(found)
        elif tag == "label":
            self._label = found.get("for", "")
            self.labels[self._label] = ""
        elif tag == "a":
            self._link = [found.get("href", ""), ""]

    def handle_data(self, data):
        if self._label is not None:
            self.labels[self._label] += data
        if self._link is not None:
            self._link[1] += data

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None
        if tag == "a" and self._link is not None:
            self.links.append((self._link[1].strip(), self._link[0]))
            self._link = None

    def form(self, cls: str) -> dict:
        return next(form for form in self.forms if cls in form["class"])

    def link(self, text: str) -> dict[str, str]:
        href = next(href for shown, href in self.links if shown == text)
        return dict(parse_qsl(urlsplit(href).query))


def _page(client, **query) -> _Forms:
    parsed = _Forms()
    parsed.feed(client.get("/search", query_string=query).get_data(as_text=True))
    return parsed


def _hidden(form: dict) -> list[tuple[str, str]]:
    return [(field["name"], field["value"]) for field in form["fields"] if field.get("type") == "hidden"]


def _field(form: dict, name: str) -> dict:
    return next(field for field in form["fields"] if field.get("name") == name)


def test_the_date_filter_shows_its_values_and_keeps_the_rest_of_the_search(client):
    asked = {"q": "rights", "lang": "en", "sort": "-date", "exact": "1", "from": "2019", "to": "2022-06", "page": "2"}
    page = _page(client, **asked)
    dates = page.form("date-filter")
    assert _field(dates, "from")["value"] == "2019" and _field(dates, "to")["value"] == "2022-06"
    for name in ("from", "to"):
        assert _field(dates, name)["placeholder"] == "YYYY, YYYY-MM or YYYY-MM-DD"
    assert page.labels["date-from"] == "From" and page.labels["date-to"] == "To"
    # The rest of the search rides along; its page does not (new dates, new results).
    assert sorted(_hidden(dates)) == sorted((k, v) for k, v in asked.items() if k not in ("from", "to", "page"))


def test_the_date_filter_narrows_the_results_to_the_documents_whose_date_overlaps(client):
    everything = client.get("/api/search", query_string={"q": "*", "per_page": 100}).get_json()
    narrowed = client.get("/api/search", query_string={"q": "*", "from": "2019-06", "to": "2021", "per_page": 100})
    found = narrowed.get_json()["results"]
    assert 0 < len(found) < everything["total"]
    assert all(result["date"] and "2019-06" <= result["date"][:7] <= "2021-12" for result in found)
    page = client.get("/search", query_string={"q": "*", "from": "2019-06", "to": "2021"}).get_data(as_text=True)
    assert f"{len(found)} results" in page


def test_clearing_the_dates_keeps_the_query_and_the_other_filters(client):
    page = _page(client, q="rights", lang="en", **{"from": "2019", "to": "2022"})
    assert page.link("Clear dates") == {"q": "rights", "lang": "en"}
    # The dates are a filter among the others: one link takes them off, one takes all off.
    assert page.link("2019 to 2022 ×") == {"q": "rights", "lang": "en"}
    assert page.link("Clear all filters") == {"q": "rights"}
    assert "Clear dates" not in dict(_page(client, q="rights").links)


def test_an_open_range_is_shown_open(client):
    page = _page(client, q="rights", ui="zh-Hant", **{"from": "2019"})
    assert page.link("2019 至 … ×") == {"q": "rights", "ui": "zh-Hant"}
    assert page.labels["date-from"] == "由" and page.labels["date-to"] == "至"


@pytest.mark.parametrize(
    ("ui", "said"),
    [
        ("en", "from: &#39;2019-13&#39; is not a date"),
        ("zh-Hant", "開始日期（from）：「2019-13」不是日期"),
        ("zh-Hans", "开始日期（from）：“2019-13”不是日期"),
    ],
)
def test_a_date_that_is_no_date_is_explained_and_left_in_its_field(client, ui, said):
    response = client.get("/search", query_string={"q": "rights", "from": "2019-13", "to": "2020", "ui": ui})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert said in text
    parsed = _Forms()
    parsed.feed(text)
    dates = parsed.form("date-filter")
    assert _field(dates, "from")["value"] == "2019-13" and _field(dates, "to")["value"] == "2020"


def test_a_range_that_ends_before_it_starts_is_explained(client):
    response = client.get("/search", query_string={"q": "rights", "from": "2021", "to": "2019", "ui": "zh-Hant"})
    assert response.status_code == 400
    assert "結束早於開始" in response.get_data(as_text=True)


def test_a_new_query_keeps_the_dates_of_the_search(client):
    search = _page(client, q="rights", **{"from": "2019", "to": "2022"}).form("search-form")
    assert ("from", "2019") in _hidden(search) and ("to", "2022") in _hidden(search)


def test_the_exact_option_is_a_checkbox_shown_as_set(client):
    unset = _field(_page(client, q="人权").form("search-form"), "exact")
    assert unset["type"] == "checkbox" and unset["value"] == "1" and "checked" not in unset
    page = _page(client, q="人权", exact="1")
    assert "checked" in _field(page.form("search-form"), "exact")
    assert page.labels["exact-typed"].strip() == "Exactly as typed"
    assert _page(client, q="人权", ui="zh-Hans").labels["exact-typed"].strip() == "完全按照输入"
    assert "exact" not in dict(_hidden(page.form("search-form")))  # the checkbox says it, once


def test_exactly_as_typed_is_kept_across_the_pages_of_a_search(client):
    page = _page(client, q="rights", exact="1", per_page="2")
    for text in ("Newest first", "2", "Next"):
        assert page.link(text)["exact"] == "1", text
    assert ("exact", "1") in _hidden(page.form("date-filter"))
    timeline = client.get("/search", query_string={"q": "rights", "exact": "1"}).get_data(as_text=True)
    assert "exact=1&amp;from=" in timeline


def test_exactly_as_typed_finds_only_the_characters_typed(client):
    exact = client.get("/search", query_string={"q": "人权", "exact": "1"}).get_data(as_text=True)
    assert "<mark>人权</mark>" in exact and "<mark>人權</mark>" not in exact
    either = client.get("/search", query_string={"q": "人权"}).get_data(as_text=True)
    assert "<mark>人權</mark>" in either
