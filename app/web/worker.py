"""Gunicorn's threaded worker, with a bound on how long a client may take.

Gunicorn's threaded worker waits for a new connection's first bytes without holding a thread,
but once a request has begun it reads the rest in a thread without a time limit: a client that
sends half a request line and stops holds that thread for ever, and a few dozen such clients
stop the service. Here every client socket is given a timeout (the ``READ_TIMEOUT`` setting):
reading a request, or a client reading its answer, that stalls longer is given up, the thread
freed. A request line longer than gunicorn's limit is answered in the API's JSON error shape.

Gunicorn has no public hook for either; ``accept`` and ``handle_error`` are overridden here and
nowhere else.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import socket

from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import TConn, ThreadWorker

# Set by the server from the settings before workers start.
READ_TIMEOUT = 10.0
MAX_QUERY_CHARS = 500


class _TimedSocket(socket.socket):
    """A client socket whose blocking operations give up after ``READ_TIMEOUT`` seconds."""

    def setblocking(self, flag: bool) -> None:
        """Blocking mode, bounded in time; or non-blocking, as asked."""
        if flag:
            self.settimeout(READ_TIMEOUT)
        else:
            super().setblocking(False)


class _QuietTimeouts(logging.Filter):
    """Leave out of the error log the requests given up for slowness (one line each, not a
    traceback, under an attack of slow clients)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a socket timeout reported as an error."""
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, TimeoutError)


class BoundedThreadWorker(ThreadWorker):
    """The threaded worker, its clients' sockets bounded in time."""

    def init_process(self) -> None:
        """Start the worker, its error log quiet about slow clients."""
        self.log.error_log.addFilter(_QuietTimeouts())
        super().init_process()

    def accept(self, listener) -> None:
        """Accept a connection, its socket bounded in time, and queue it for a thread."""
        try:
            client, address = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        timed = _TimedSocket(client.family, client.type, client.proto, fileno=client.detach())
        timed.setblocking(True)
        self.enqueue_req(TConn(self.cfg, timed, address, listener.getsockname()))

    def handle_error(self, req, client, addr, exc) -> None:
        """A request line over the limit: 414 in the API's error shape; anything else as gunicorn does."""
        if not isinstance(exc, LimitRequestLine):
            super().handle_error(req, client, addr, exc)
            return
        message = f"The request's address is too long. A query may be at most {MAX_QUERY_CHARS} characters: shorten it."
        body = json.dumps({"error": {"status": 414, "message": message}}).encode("utf-8")
        head = (
            "HTTP/1.1 414 URI Too Long\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode("ascii")
        with contextlib.suppress(OSError):
            client.sendall(head + body)
