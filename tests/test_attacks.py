"""`archive-search serve` alone, with no proxy in front, against slow and greedy clients: it
keeps answering everyone else within a second.

The same attacks through nginx are in test_deploy.py. Every client is on a loopback address
(one address per client), every loop bounded in count and time.
"""

from __future__ import annotations

import socket
from urllib.parse import quote, urlsplit

import pytest

from .clients import SEARCH, TARGETS, SlowClients, flood, get, polite_traffic, statuses
from .conftest import running_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(index_dir, corpus_dir):
    """`archive-search serve` with its defaults (two workers) over the test index; its port."""
    with running_server(index_dir, corpus_dir) as (base, _process):
        yield urlsplit(base).port


def test_slow_clients_do_not_stop_the_service_and_are_cut_off(served):
    # 64 connections that never finish their request: a third stop in the request line, a third
    # in the headers, a third in a body they announced; the odd ones trickle a byte a second.
    with SlowClients(served) as slow:
        normal, held_at_five = polite_traffic(served, slow, TARGETS)
    closed = slow.closed.values() or [float("inf")]
    slowest = max(answer.seconds for answer in normal)
    print(
        f"\nslow connections held: {slow.count} ({held_at_five} still open after 5 s); closed by the server "
        f"after {min(closed):.1f} to {max(closed):.1f} s; normal requests meanwhile: "
        f"{len(normal)} {statuses(normal)}, slowest {slowest * 1000:.0f} ms"
    )
    assert held_at_five == 64
    assert statuses(normal) == {200: len(normal)} and len(normal) >= 50
    assert slowest < 1.0
    # READ_TIMEOUT (10 s) from the first wait closes every one of them, trickling or not
    assert len(slow.closed) == 64 and 9 <= min(closed) <= max(closed) < 13


def test_a_flood_of_searches_from_one_address_is_refused_fast_and_others_are_answered(served):
    flooded, other = flood(served, "/api/search?q=re*", 50, "127.0.0.4", "127.0.0.5", SEARCH)
    counted = statuses(flooded)
    slowest_refusal = max(answer.seconds for answer in flooded if answer.status == 429)
    print(
        f"\nflood of 50 searches from one address: {counted} (slowest 429 in {slowest_refusal * 1000:.0f} ms); "
        f"another address meanwhile: {statuses(other)}, slowest {max(a.seconds for a in other) * 1000:.0f} ms"
    )
    assert len(flooded) == 50 and set(counted) == {200, 429}
    assert counted[429] >= 50 - 2 * 4 * 2  # at most SEARCHES_PER_CLIENT at once in each worker
    refused = next(answer for answer in flooded if answer.status == 429)
    assert refused.headers["content-type"] == "application/json"
    assert refused.json()["error"]["message"].startswith("Too many searches at once from your address")
    assert [answer.status for answer in other] == [200] * 5
    assert max(answer.seconds for answer in other) < 1.0


def test_a_request_body_larger_than_any_the_service_reads_is_refused_at_once(served):
    with socket.create_connection(("127.0.0.1", served), timeout=5) as connection:
        connection.sendall(b"POST /api/search HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000\r\n\r\n")
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")
    assert b'"status": 413' in answer and b"application/json" in answer
    assert get(served, "/healthz").status == 200


def test_keep_alive_connections_are_served_one_request_after_another(served):
    with socket.create_connection(("127.0.0.1", served), timeout=5) as connection:
        for _ in range(3):
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
            answer = b""
            while b'"ok"' not in answer:
                chunk = connection.recv(4096)
                assert chunk, "the server closed a kept-alive connection"
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200")


def test_a_request_line_over_the_limit_is_answered_414_in_the_error_shape(served):
    # 3,000 Chinese characters are 27 kB once percent-encoded: past gunicorn's 8 kB request line
    answer = get(served, "/api/search?q=" + quote("人" * 3000))
    assert answer.status == 414
    assert answer.headers["content-type"] == "application/json"
    error = answer.json()["error"]
    assert error["status"] == 414 and "at most 500 characters" in error["message"]
    assert get(served, "/healthz").status == 200
