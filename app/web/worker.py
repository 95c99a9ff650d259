"""Gunicorn's threaded worker, made to outlast slow clients.

Gunicorn's threaded worker hands a connection to a thread as soon as its first bytes arrive,
and the thread then reads the rest of the request without a time limit: a client that sends
half a request line, or trickles a byte a second, holds that thread for ever, and a few dozen
such clients stop the service. Here a request is read in the worker's own event loop, without
a thread, until it is whole: its head and a body of at most ``MAX_BODY`` bytes (``BATCH_BYTES``
for a POST to a batch search's address, the only one that takes a body). Only then does
a thread take it, already read. A request not whole within ``READ_TIMEOUT`` seconds of its
first wait is dropped; trickling does not extend the time.
How workers share new connections is ``sharing.py``'s. Answers are written with the same
bound, and a connection is closed without lingering in the event loop for a client that does
not close its side. A request line longer than gunicorn's limit, or a body larger than any
this service reads, is answered in the API's JSON error shape.

Gunicorn has no public hook for any of this: ``accept``, ``on_client_socket_readable``,
``murder_keepalived`` and ``handle_error`` are overridden here, the methods that share
connections in ``sharing.py``, and nowhere else, against the
gunicorn version ``pyproject.toml`` pins.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import re
import selectors
import socket
import time
from functools import partial

from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import TConn, ThreadWorker

from ..messages import MESSAGES
from .batch import POSTED
from .errors import error_body
from .sharing import SharedListening

# The largest request body read but for a batch search's (its addresses answer GET and HEAD).
MAX_BODY = 65_536
# A head longer than this without its end is passed on for the parser to refuse (414 or 400).
MAX_HEAD = 65_536

_HEAD_END = re.compile(rb"\r?\n\r?\n")
_CONTENT_LENGTH = re.compile(rb"^content-length[ \t]*:[ \t]*(\d+)[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
_POSTED = re.compile(rb"POST (?:" + rb"|".join(re.escape(path.encode()) for path in POSTED) + rb")(?:\?\S*)? ")
_CHUNKED = re.compile(rb"^transfer-encoding[ \t]*:", re.IGNORECASE | re.MULTILINE)


class _ClientSocket(socket.socket):
    """A client socket holding the bytes of a request read ahead in the event loop; blocking
    reads bounded by the request's deadline and writes by ``read_timeout`` (the worker's
    ``READ_TIMEOUT`` setting, given when the socket is made)."""

    read_timeout: float

    def begin_request(self) -> None:
        """Start the clock on a new request: it must be whole within ``read_timeout``."""
        self.deadline = time.monotonic() + self.read_timeout
        self.ahead = bytearray()
        self.searched = 0

    def read_ahead(self) -> bytes:
        """Read what has arrived without blocking, keep it, and return it (b"" once closed)."""
        data = super().recv(65_536)
        self.ahead += data
        return data

    def setblocking(self, flag: bool) -> None:
        """Blocking mode bounded by what is left of the request's time; or non-blocking."""
        if flag:
            left = getattr(self, "deadline", 0) - time.monotonic()
            self.settimeout(max(left, 0.5))
        else:
            super().setblocking(False)

    def recv(self, size: int, flags: int = 0) -> bytes:
        """The bytes read ahead first, then the socket's."""
        if getattr(self, "ahead", None):
            data = bytes(self.ahead[:size])
            del self.ahead[:size]
            return data
        return super().recv(size, flags)

    def send(self, data, flags: int = 0) -> int:
        """Send within ``read_timeout``."""
        self.settimeout(self.read_timeout)
        return super().send(data, flags)

    def sendall(self, data, flags: int = 0) -> None:
        """Send all of ``data`` within ``read_timeout`` in total."""
        self.settimeout(self.read_timeout)
        super().sendall(data, flags)


class _Connection(TConn):
    """A connection whose close never waits on the client."""

    def close(self, graceful: bool = False) -> None:
        """Close at once: the request was read whole, so nothing the client sent is left to
        drain (gunicorn's graceful close would wait up to two seconds for the client, in the
        event loop, for every connection)."""
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_WR)
        with contextlib.suppress(OSError):
            self.sock.close()


class _QuietTimeouts(logging.Filter):
    """Leave out of the error log the requests given up for slowness (one line each, not a
    traceback, under an attack of slow clients)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a socket timeout reported as an error."""
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, TimeoutError)


def body_limit(head: bytes | bytearray, batch_bytes: int) -> tuple[int, str]:
    """The largest body a request may send, from its request line, and the key of the message
    that refuses a larger one: ``batch_bytes`` for a POST to a batch search, ``MAX_BODY``
    otherwise."""
    if _POSTED.match(head):
        return batch_bytes, "batch_too_large"
    return MAX_BODY, "body_too_large"


def request_state(data: bytes | bytearray, searched: int = 0, batch_bytes: int = MAX_BODY) -> tuple[str, int]:
    """Whether the bytes hold a whole request: "whole", "partial", or "too large" (a body
    over its ``body_limit`` or of unknown length); and how far the next look may start. The
    first ``searched`` bytes are known to hold no end of the head, so that a request trickled a
    byte at a time is scanned once."""
    end = _HEAD_END.search(data, max(0, searched - 3))
    if end is None:
        return ("whole" if len(data) > MAX_HEAD else "partial"), len(data)  # the parser refuses a head too long
    head = bytes(data[: end.start()])
    if _CHUNKED.search(head):
        return "too large", end.start()
    length = _CONTENT_LENGTH.search(head)
    body = int(length.group(1)) if length else 0
    if body > body_limit(head, batch_bytes)[0]:
        return "too large", end.start()
    return ("whole" if len(data) >= end.end() + body else "partial"), end.start()


def error_answer(status: int, reason: str, message: str) -> bytes:
    """A whole HTTP answer in the API's error shape, closing the connection."""
    body = json.dumps(error_body(status, message)).encode("utf-8")
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class BoundedThreadWorker(SharedListening, ThreadWorker):
    """The threaded worker, reading requests in its event loop and bounding clients in time."""

    def init_process(self) -> None:
        """Start the worker with the archive's settings (those of the gunicorn application that
        made it), its error log quiet about slow clients."""
        settings = self.app.settings
        self.read_timeout = float(settings["READ_TIMEOUT"])
        self.max_query_chars = settings["MAX_QUERY_CHARS"]
        self.batch_bytes = int(settings["BATCH_BYTES"])
        self.reading: dict[_Connection, None] = {}  # connections whose request is arriving
        self.share_slots(int(settings["RUNNING_PER_WORKER"]))
        self.log.error_log.addFilter(_QuietTimeouts())
        super().init_process()

    def accept(self, listener) -> None:
        """Accept a connection and read its request in the event loop."""
        try:
            client, address = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        wrapped = _ClientSocket(client.family, client.type, client.proto, fileno=client.detach())
        wrapped.read_timeout = self.read_timeout
        self._read_request(_Connection(self.cfg, wrapped, address, listener.getsockname()))

    def on_client_socket_readable(self, conn, client) -> None:
        """A kept-alive connection sends its next request: read it in the event loop."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._read_request(conn)

    def _read_request(self, conn: _Connection) -> None:
        conn.sock.begin_request()
        conn.sock.setblocking(False)
        self.reading[conn] = None
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_request_bytes, conn))

    def _on_request_bytes(self, conn: _Connection, client: _ClientSocket) -> None:
        try:
            if not client.read_ahead():
                self._drop(conn)  # the client went away
                return
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._drop(conn)
            return
        state, client.searched = request_state(client.ahead, client.searched, self.batch_bytes)
        if state == "partial":
            return
        self._stop_reading(conn)
        if state == "too large":
            limit, key = body_limit(client.ahead, self.batch_bytes)
            message = MESSAGES[key][0].format(limit=limit)
            with contextlib.suppress(OSError):  # as much as the socket takes now, without waiting
                socket.socket.send(client, error_answer(413, "Content Too Large", message))
            self.nr_conns -= 1
            conn.close()
            return
        conn.data_ready = True  # read already: no thread waits for it
        self.enqueue_req(conn)

    def _stop_reading(self, conn: _Connection) -> None:
        del self.reading[conn]
        with contextlib.suppress(KeyError, ValueError):
            self.poller.unregister(conn.sock)

    def _drop(self, conn: _Connection) -> None:
        self._stop_reading(conn)
        self.nr_conns -= 1
        conn.close()

    def murder_keepalived(self) -> None:
        """Close idle kept-alive connections, and those whose request is not whole in time."""
        super().murder_keepalived()
        now = time.monotonic()
        for conn in [conn for conn in self.reading if conn.sock.deadline <= now]:
            self._drop(conn)

    def handle_error(self, req, client, addr, exc) -> None:
        """A request line over the limit: 414 in the API's error shape; anything else as gunicorn does."""
        if not isinstance(exc, LimitRequestLine):
            super().handle_error(req, client, addr, exc)
            return
        message = MESSAGES["request_line_too_long"][0].format(limit=self.max_query_chars)
        with contextlib.suppress(OSError):
            client.sendall(error_answer(414, "URI Too Long", message))
