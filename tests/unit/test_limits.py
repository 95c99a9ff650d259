"""The limits that keep the archive answering for everyone: a search cut at its time limit, a
client with too many searches at once refused, and who the client is behind a proxy."""

from __future__ import annotations

import pytest

from app.web.limits import client_address

from ..support import notice


@pytest.fixture()
def limited(made_app):
    """An app whose searches may take no time at all, or one at once per client (nothing kept)."""
    return lambda **settings: made_app(CACHE_ENTRIES=0, **settings)


def test_a_search_past_its_time_is_cut_with_a_503_that_says_why(limited):
    client = limited(SEARCH_SECONDS=0.0).test_client()
    answer = client.get("/api/search", query_string={"q": "rights OR 人權"})
    assert answer.status_code == 503
    assert answer.get_json()["error"] == {
        "status": 503,
        "message": "The search took longer than the 0 s it may take and was stopped. "
        "Make it more specific: fewer very common words, or longer prefixes before *.",
    }
    page = client.get("/search", query_string={"q": "rights OR 人權", "ui": "zh-Hant"})
    assert page.status_code == 503
    assert notice(page.get_data(as_text=True)).startswith("搜尋超過了容許的 0 秒")
    assert client.get("/healthz").status_code == 200, "the server itself is fine"


def test_a_client_with_as_many_searches_as_it_may_is_refused_at_once_and_others_are_not(limited):
    app = limited(SEARCHES_PER_CLIENT=1)
    client = app.test_client()
    with app.extensions["limiter"].hold("127.0.0.1"):  # a search of this client still running
        refused = client.get("/api/search", query_string={"q": "rights"})
        other = client.get("/api/search", query_string={"q": "rights"}, environ_base={"REMOTE_ADDR": "127.0.0.2"})
        page = client.get("/search", query_string={"q": "rights"}, headers={"Accept-Language": "zh-CN"})
        document = client.get("/api/documents/udhr/udhr_eng")
    assert refused.status_code == 429
    assert refused.get_json()["error"]["message"].startswith("Too many searches at once from your address (at most 1)")
    assert other.status_code == 200 and other.get_json()["total"] > 0
    assert page.status_code == 429 and notice(page.get_data(as_text=True)).startswith("来自你的网络地址的搜索同时太多")
    assert document.status_code == 200, "only searches are limited"
    assert client.get("/api/search", query_string={"q": "rights"}).status_code == 200, "free again once it ends"


def test_the_client_behind_a_proxy_is_the_one_the_proxy_names(limited):
    app = limited(SEARCHES_PER_CLIENT=1, FORWARDED_ALLOW_IPS="127.0.0.1")
    client = app.test_client()
    with app.extensions["limiter"].hold("203.0.113.9"):
        through_proxy = client.get("/api/search?q=rights", headers={"X-Forwarded-For": "203.0.113.9"})
        someone_else = client.get("/api/search?q=rights", headers={"X-Forwarded-For": "198.51.100.4"})
        forged = client.get(
            "/api/search?q=rights",
            headers={"X-Forwarded-For": "203.0.113.9"},
            environ_base={"REMOTE_ADDR": "192.0.2.1"},  # not a proxy: its header is not believed
        )
    assert (through_proxy.status_code, someone_else.status_code, forged.status_code) == (429, 200, 200)


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "client"),
    [
        ("127.0.0.1", "203.0.113.9", "127.0.0.1,::1", "203.0.113.9"),
        ("127.0.0.1", "10.0.0.1, 203.0.113.9", "127.0.0.1", "203.0.113.9"),  # the proxy appends the peer
        ("10.1.2.3", "203.0.113.9", "*", "203.0.113.9"),
        ("192.0.2.1", "203.0.113.9", "127.0.0.1", "192.0.2.1"),
        ("127.0.0.1", None, "127.0.0.1", "127.0.0.1"),
        (None, None, "*", "unknown"),
    ],
)
def test_client_address(remote, forwarded, trusted, client):
    assert client_address(remote, forwarded, trusted) == client
