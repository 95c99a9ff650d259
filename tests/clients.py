"""Clients for the tests of the served archive, polite and not: one request from a chosen
loopback address, connections that never finish their request, and a flood of searches.

Every loop here is bounded in count and in time, and every address is a loopback one.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import select
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

SEARCH = "/api/search?q=" + quote("人權")
# What a person asks for: a search, the health check, a document, the search page, a document page.
TARGETS = [
    SEARCH,
    "/healthz",
    "/api/documents/udhr/udhr_eng",
    "/search?q=" + quote("人權"),
    "/documents/udhr/udhr_eng?q=torture",
]


@dataclass
class Answer:
    status: int  # 0: no HTTP answer at all
    headers: dict[str, str]
    body: bytes
    started: float
    seconds: float

    def json(self) -> dict:
        return json.loads(self.body)


def get(port: int, target: str, source: str = "127.0.0.1", headers: dict | None = None, timeout=20.0) -> Answer:
    """GET ``target`` from the loopback address ``source``: each address is a client of its own."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request("GET", target, headers={"Connection": "close", **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        answer_headers = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, answer_headers, body, started, time.monotonic() - started)
    except (OSError, http.client.HTTPException):
        return Answer(0, {}, b"", started, time.monotonic() - started)
    finally:
        connection.close()


# How a slow connection stops: in the request line, in the headers, or in a body it announced.
SLOW_STARTS = (
    b"GET /api/search?q=rig",
    b"GET /api/search?q=rights HTTP/1.1\r\nHost: a",
    b"POST /api/search HTTP/1.1\r\nHost: a\r\nContent-Length: 900\r\n\r\nq=ri",
)


@dataclass
class SlowClients:
    """``count`` connections from ``source`` that never finish their request, a third stopping
    in each place of ``SLOW_STARTS``; the odd ones trickle a byte a second, as an attacker does
    to extend a per-read timeout. ``closed`` records when the server closed each."""

    port: int
    count: int = 64
    source: str = "127.0.0.3"
    seconds: float = 16.0
    connections: list[socket.socket] = field(default_factory=list)
    closed: dict[int, float] = field(default_factory=dict)
    done: threading.Event = field(default_factory=threading.Event)
    opened: float = 0.0

    def __enter__(self) -> SlowClients:
        self.opened = time.monotonic()
        for number in range(self.count):
            connection = socket.create_connection(("127.0.0.1", self.port), timeout=5, source_address=(self.source, 0))
            connection.sendall(SLOW_STARTS[number % len(SLOW_STARTS)])
            self.connections.append(connection)
        self._holder = threading.Thread(target=self._hold)
        self._holder.start()
        return self

    def _hold(self) -> None:
        last_trickle = time.monotonic()
        while len(self.closed) < self.count and time.monotonic() < self.opened + self.seconds:
            waiting = [c for number, c in enumerate(self.connections) if number not in self.closed]
            readable, _, _ = select.select(waiting, [], [], 0.1)
            for connection in readable:
                with contextlib.suppress(OSError):
                    connection.recv(4096)  # nothing is answered to them: the server closes (or resets)
                self.closed[self.connections.index(connection)] = time.monotonic() - self.opened
            if time.monotonic() - last_trickle >= 1:
                last_trickle = time.monotonic()
                for number, connection in enumerate(self.connections):
                    if number % 2 and number not in self.closed:
                        try:
                            connection.send(b"h")
                        except OSError:
                            self.closed[number] = time.monotonic() - self.opened
        self.done.set()

    def open_now(self) -> int:
        """How many are still open."""
        return self.count - len(self.closed)

    def __exit__(self, *_exc) -> None:
        self.done.set()
        self._holder.join()
        for connection in self.connections:
            connection.close()


@dataclass
class Polite:
    """What ``polite_traffic`` saw: each answer, and how many slow connections were still open
    when it had arrived."""

    answers: list[Answer] = field(default_factory=list)
    slow_open: list[int] = field(default_factory=list)

    def while_held(self, count: int) -> list[Answer]:
        """The answers that arrived while at least ``count`` slow connections were still open."""
        return [answer for answer, still in zip(self.answers, self.slow_open, strict=True) if still >= count]


def polite_traffic(port: int, slow: SlowClients, targets: list[str], source: str = "127.0.0.2") -> Polite:
    """Requests one after another at a person's pace (at most 500) while ``slow`` holds its
    connections."""
    seen = Polite()
    while not slow.done.is_set() and len(seen.answers) < 500:
        seen.answers.append(get(port, targets[len(seen.answers) % len(targets)], source=source))
        seen.slow_open.append(slow.open_now())
        time.sleep(0.1)
    return seen


def flood(port: int, target: str, count: int, source: str, bystander: str, bystander_target: str):
    """``count`` requests of ``target`` at once from ``source`` while ``bystander`` asks five
    times for ``bystander_target``; both lists of answers."""
    flooded: list[Answer] = []
    other: list[Answer] = []
    start = threading.Barrier(count + 1)

    def flooder() -> None:
        start.wait()
        flooded.append(get(port, target, source=source))

    def passer_by() -> None:
        start.wait()
        for _ in range(5):
            other.append(get(port, bystander_target, source=bystander))
            time.sleep(0.05)

    threads = [threading.Thread(target=flooder) for _ in range(count)] + [threading.Thread(target=passer_by)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return flooded, other


def statuses(answers: list[Answer]) -> dict[int, int]:
    """How many answers had each status."""
    return dict(Counter(answer.status for answer in answers))
