"""`archive-search serve` alone, with no proxy in front, against slow and greedy clients: it
keeps answering everyone else within a second.

The same attacks through nginx are in test_deploy.py. Every client is on a loopback address
(one address per client), every loop bounded in count and time. What the tests assert is what
the server promises (no thread held by a slow client, never more searches at once than the
limit), read from the order of events and the server's own log, never from how fast a machine
happens to be.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from app import config
from app.messages import english
from app.web.worker import MAX_BODY

from ..clients import SEARCH, TARGETS, SlowClients, flood, get, polite_traffic, statuses
from ..support import running_server

pytestmark = pytest.mark.slow


# Fewer threads than slow connections, so a slow connection that held a thread would be seen;
# the debug log tells what the search limit did, as the server saw it.
SERVED_WITH = {"ARCHIVE_THREADS": "8", "ARCHIVE_LOG_LEVEL": "debug"}
READ_TIMEOUT = 10  # the default
_SAID = re.compile(
    r"\[(\d+)\] \[DEBUG\] search (admitted|refused) for (\S+): (\d+) running in this worker \(at most (\d+)\)"
)


@dataclass
class Served:
    port: int
    log: Path

    def searches_said(self, client: str) -> list[tuple[int, str, int, int]]:
        """(worker, "admitted" or "refused", searches of ``client`` then running, limit) for
        each search the log records."""
        found = (_SAID.search(line) for line in self.log.read_text(errors="replace").splitlines())
        return [
            (int(m.group(1)), m.group(2), int(m.group(4)), int(m.group(5))) for m in found if m and m.group(3) == client
        ]


@pytest.fixture(scope="module")
def served(index_dir, corpus_dir, tmp_path_factory):
    """`archive-search serve` (two workers of eight threads) over the test index."""
    log = tmp_path_factory.mktemp("attacks") / "serve.log"
    with running_server(index_dir, corpus_dir, env=SERVED_WITH, log_to=log) as (base, _process):
        yield Served(urlsplit(base).port, log)


def test_slow_clients_hold_no_thread_and_are_cut_off_however_they_trickle(served):
    # 64 connections that never finish their request (four times the threads of both workers): a
    # third stop in the request line, a third in the headers, a third in a body they announced;
    # the odd ones trickle a byte a second. The window is long enough that a trickler whose time
    # were extended by each byte would still be open at its end.
    with SlowClients(served.port, seconds=2.5 * READ_TIMEOUT) as slow:
        polite = polite_traffic(served.port, slow, TARGETS)
    closed = slow.closed.values() or [float("inf")]
    answered_while_held = polite.while_held(slow.count)
    print(
        f"\nslow connections: {slow.count}, closed by the server after {min(closed):.1f} to {max(closed):.1f} s; "
        f"normal requests meanwhile: {len(polite.answers)} {statuses(polite.answers)}, "
        f"{len(answered_while_held)} of them while all {slow.count} were held"
    )
    assert statuses(polite.answers) == {200: len(polite.answers)}
    assert len(answered_while_held) >= 20, "a normal request waited for slow connections to go"
    # Every one is closed, trickling or not, and none before READ_TIMEOUT from its start.
    assert len(slow.closed) == slow.count
    assert min(closed) >= READ_TIMEOUT


def test_a_flood_of_searches_from_one_address_never_runs_past_its_limit_and_others_are_answered(served):
    flooded, other = flood(served.port, "/api/search?q=re*", 50, "127.0.0.4", "127.0.0.5", SEARCH)
    counted = statuses(flooded)
    said = served.searches_said("127.0.0.4")
    admitted = [running for _worker, verb, running, _limit in said if verb == "admitted"]
    refused_at = {running for _worker, verb, running, _limit in said if verb == "refused"}
    print(
        f"\nflood of 50 searches from one address: {counted}; most running at once in a worker: "
        f"{max(admitted, default=0)}; another address meanwhile: {statuses(other)}"
    )
    assert len(flooded) == 50 and set(counted) <= {200, 429}, "every search answered, none failed"
    # The server's own count: never more than SEARCHES_PER_CLIENT (4) at once in a worker, and
    # every refusal made at that limit, none below it.
    assert {limit for *_rest, limit in said} == {4}
    assert len(admitted) == counted.get(200, 0) and max(admitted) <= 4
    assert len(said) - len(admitted) == counted.get(429, 0) and refused_at <= {4}
    for refused in (answer for answer in flooded if answer.status == 429):
        assert refused.headers["content-type"] == "application/json"
        assert refused.json()["error"]["message"].startswith("Too many searches at once from your address")
    assert [answer.status for answer in other] == [200] * 5


def test_a_request_body_larger_than_any_the_service_reads_is_refused_at_once(served):
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as connection:
        connection.sendall(b"POST /api/search HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000\r\n\r\n")
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")
    assert b'"status": 413' in answer and b"application/json" in answer
    message = json.loads(answer.partition(b"\r\n\r\n")[2])["error"]["message"]
    assert message == english("body_too_large", {"limit": MAX_BODY})
    assert get(served.port, "/healthz").status == 200


def test_a_batch_body_is_read_up_to_batch_bytes_and_refused_past_it(served):
    # A list larger than any other request's body (MAX_BODY) but within BATCH_BYTES is searched.
    queries = ["rights", "人權"]
    body = json.dumps({"queries": queries}).encode()[:-1] + b" " * (MAX_BODY * 3) + b"}"
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    try:
        connection.request("POST", "/api/batch", body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        answers = json.loads(response.read())["answers"]
    finally:
        connection.close()
    assert response.status == 200 and [item["query"] for item in answers] == queries
    for item in answers:
        assert item["total"] == get(served.port, "/api/search?q=" + quote(item["query"])).json()["total"] > 0
    # Past BATCH_BYTES the worker refuses it at once, naming the batch's own limit.
    limit = config.setting("BATCH_BYTES").default
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as connection:
        connection.sendall(f"POST /api/batch HTTP/1.1\r\nHost: a\r\nContent-Length: {limit + 1}\r\n\r\n".encode())
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")
    message = json.loads(answer.partition(b"\r\n\r\n")[2])["error"]["message"]
    assert message == english("batch_too_large", {"limit": limit})


def test_keep_alive_connections_are_served_one_request_after_another(served):
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as connection:
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
    answer = get(served.port, "/api/search?q=" + quote("人" * 3000))
    assert answer.status == 414
    assert answer.headers["content-type"] == "application/json"
    error = answer.json()["error"]
    assert error["status"] == 414 and "at most 500 characters" in error["message"]
    assert get(served.port, "/healthz").status == 200


def test_the_time_a_request_may_take_to_arrive_is_the_setting(index_dir, corpus_dir):
    # READ_TIMEOUT=2 where the default is 10: all three are closed within a window the default
    # would leave them open through, none before two seconds.
    with (
        running_server(index_dir, corpus_dir, workers=1, env={"ARCHIVE_READ_TIMEOUT": "2"}) as (base, _process),
        SlowClients(urlsplit(base).port, count=3, seconds=8) as slow,
    ):
        slow.done.wait(timeout=30)
    assert len(slow.closed) == 3, "a connection outlived the READ_TIMEOUT it was given"
    assert min(slow.closed.values()) >= 2
