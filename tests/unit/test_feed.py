"""A search as an Atom feed (/feed): the elements RFC 4287 requires, the newest matching documents
first by their own date, the search's filters, refusals in the API's error shape, and the
results page advertising it."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest

from app.export_formats import FeedLinks, atom_feed
from app.service.export import ExportRow, FeedEntries

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def feed_of(client, params: dict) -> ET.Element:
    response = client.get("/feed", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.get_data())
    assert root.tag == f"{ATOM}feed"
    return root


def when(text: str) -> dt.datetime:
    assert RFC3339.match(text), text
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{ATOM}entry")


@pytest.mark.parametrize("params", [{"q": "人權"}, {"q": "*"}, {"q": "Hong Kong", "lang": "zh-Hant"}], ids=str)
def test_the_feed_has_every_element_atom_requires(client, params):
    root = feed_of(client, params)
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    when(root.find(f"{ATOM}updated").text)
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["self"] == root.find(f"{ATOM}id").text and links["self"].startswith("http://localhost/feed?")
    assert links["alternate"].startswith("http://localhost/search?q=")
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Human Rights Archive"
    assert entries(root)
    for entry in entries(root):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        when(entry.find(f"{ATOM}updated").text)
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href").startswith("http://localhost/documents/")
        assert entry.find(f"{ATOM}summary").get("type") == "text"


def test_the_entries_are_the_newest_matches_newest_first_by_their_date(client):
    root = feed_of(client, {"q": "*"})
    times = [when(entry.find(f"{ATOM}updated").text) for entry in entries(root)]
    assert times == sorted(times, reverse=True)
    newest = client.get("/api/search", query_string={"q": "*", "sort": "-date", "per_page": 100}).get_json()
    dated = [result for result in newest["results"] if result["date"]]
    ids = [entry.find(f"{ATOM}id").text for entry in entries(root)]
    assert ids == [f"http://localhost/documents/{result['id']}" for result in dated[: len(ids)]]
    first = entries(root)[0]
    date = dated[0]["date"]
    assert first.find(f"{ATOM}updated").text.startswith(date if len(date) == 10 else date[:4])


def test_a_date_is_padded_to_midnight_utc_at_its_precision(client):
    # The bail hearing is dated "June 2018" (a month), the primaries 2024-11-19 (a day).
    found = {
        entry.find(f"{ATOM}title").text: entry.find(f"{ATOM}updated").text
        for entry in entries(feed_of(client, {"q": "bail OR 初選"}))
    }
    assert found["Bail hearing of four students"] == "2018-06-01T00:00:00Z"
    assert found["民主派初選案判刑"] == "2024-11-19T00:00:00Z"


def test_undated_documents_are_left_out(client):
    undated = client.get("/api/search", query_string={"q": "人權", "year": "undated"}).get_json()
    assert undated["total"] > 0
    ids = {entry.find(f"{ATOM}id").text for entry in entries(feed_of(client, {"q": "人權"}))}
    assert not {f"http://localhost/documents/{result['id']}" for result in undated["results"]} & ids
    assert not entries(feed_of(client, {"q": "人權", "year": "undated"}))


def test_the_feed_lists_at_most_feed_entries(made_app):
    root = feed_of(made_app(FEED_ENTRIES=2).test_client(), {"q": "*"})
    assert len(entries(root)) == 2


def test_the_filters_of_the_search_apply(client):
    for filters in ({"lang": "zh-Hant"}, {"year": "2019"}, {"to": "2019"}, {"from": "2019-06", "to": "2023"}):
        params = {"q": "*", **filters}
        root = feed_of(client, params)
        newest = client.get("/api/search", query_string={**params, "sort": "-date", "per_page": 100}).get_json()
        expected = [f"http://localhost/documents/{item['id']}" for item in newest["results"] if item["date"]]
        assert [entry.find(f"{ATOM}id").text for entry in entries(root)] == expected[:50], filters
        assert expected and len(expected) < len(entries(feed_of(client, {"q": "*"}))), filters
    years = [entry.find(f"{ATOM}updated").text[:4] for entry in entries(feed_of(client, {"q": "*", "year": "2019"}))]
    assert set(years) == {"2019"}


def test_an_entry_names_its_authors_and_its_id_stays(client):
    root = feed_of(client, {"q": "民主派初選"})
    entry = entries(root)[0]
    assert [name.text for name in entry.findall(f"{ATOM}author/{ATOM}name")] == ["Example News Desk"]
    assert entry.find(f"{ATOM}id").text == "http://localhost/documents/fixtures/news/primaries_2024"
    assert "<mark>" not in entry.find(f"{ATOM}summary").text
    again = entries(feed_of(client, {"q": "初選", "lang": "zh"}))
    assert entry.find(f"{ATOM}id").text in {item.find(f"{ATOM}id").text for item in again}


@pytest.mark.parametrize(
    "params",
    [{"q": ""}, {"q": "a*"}, {"q": "rights", "from": "June"}, {"q": "rights", "lang": "fr"}],
    ids=str,
)
def test_a_bad_query_answers_400_in_the_one_error_shape(client, params):
    response = client.get("/feed", query_string=params)
    assert response.status_code == 400
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["status"] == 400
    assert body == client.get("/api/search", query_string=params).get_json()


def test_the_results_page_advertises_and_links_the_feed_of_its_search(client):
    html = client.get("/search", query_string={"q": "人權", "lang": "zh-Hant", "page": "1"}).get_data(as_text=True)
    head = html.split("</head>")[0]
    found = re.search(r'<link rel="alternate" type="application/atom\+xml" title="([^"]+)" href="([^"]+)">', head)
    assert found, head
    href = unescape(found.group(2))
    assert href.startswith("/feed?") and "lang=zh-Hant" in href and "page=" not in href
    assert found.group(1) == "Follow this search (Atom feed)"
    assert re.search(r'<a href="/feed\?[^"]+" type="application/atom\+xml">Follow this search \(Atom feed\)</a>', html)
    assert client.get(href).status_code == 200
    assert "application/atom+xml" not in client.get("/").get_data(as_text=True)


def test_text_xml_cannot_hold_is_left_out_of_the_feed():
    row = ExportRow(
        id="bell",
        title="Bell\x07 and form\x0cfeed",
        date="2022-02",
        author="A; B",
        languages=("en",),
        tags=(),
        source_url=None,
        url="http://localhost/documents/bell?q=x",
        page=None,
        snippet="The hearing\x0b was adjourned.",
    )
    links = FeedLinks(
        "Feed", "en", "http://localhost/feed?q=x", "http://localhost/search?q=x", "Archive", lambda r: r.url
    )
    root = ET.fromstring(atom_feed(FeedEntries([row], "2026-01-02T03:04:05+08:00"), links).encode("utf-8"))
    (entry,) = entries(root)
    assert entry.find(f"{ATOM}title").text == "Bell and formfeed"
    assert entry.find(f"{ATOM}summary").text == "The hearing was adjourned."
    assert [name.text for name in entry.findall(f"{ATOM}author/{ATOM}name")] == ["A", "B"]
    assert entry.find(f"{ATOM}updated").text == "2022-02-01T00:00:00Z"
    assert root.find(f"{ATOM}updated").text == "2026-01-01T19:04:05Z"
