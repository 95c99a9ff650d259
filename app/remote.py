"""Asking a running ``archive-search serve`` over HTTP, for the command line.

A ``search`` that names a server (``--server``, ``ARCHIVE_SERVER``) sends its parameters to
``/api/search`` or ``/api/export`` and prints the answer as if it had searched the index itself:
the server has its generation open and warm, so the command pays for Python's start and one
request, not for loading the search machinery and a first search. Only the standard library is
read here, for the same reason, and of it not ``http.client``, which reads the ``email`` package
to parse headers: a sixth of the time the whole command may take. The request is HTTP/1.0, so
the answer comes whole and the server closes the connection at its end (no chunks to join, no
connection kept); its status line and headers are read within ``MAX_HEAD_BYTES``, its body to
its ``Content-Length`` or to the close. A refusal carries the server's own message (the API's
one error shape).
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import SplitResult, quote, urlencode, urlsplit

from .version import __version__

# Seconds to wait for the server at each step (connecting, each read), and for a whole page of
# results; an export streams for longer, a read at a time.
TIMEOUT = 60.0
# The most bytes a page of results is read to: a page of the most results a server gives is a
# few hundred kilobytes, and an answer past this is not one.
MAX_ANSWER_BYTES = 32 * 1024 * 1024
# The most bytes of an answer's status line and headers (the server sends well under one).
MAX_HEAD_BYTES = 64 * 1024
_PIECE = 64 * 1024
# What a path keeps as it is (RFC 3986's characters of a path, and escapes already made).
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


class ServerError(Exception):
    """The server could not be asked, or refused: its message, and the HTTP ``status`` it
    answered with (0: no answer at all)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


def check_address(server: str) -> SplitResult:
    """``server``'s parts when it is an http or https address of a host (a path after it is
    kept: a server behind a proxy's prefix); ``ValueError`` otherwise."""
    parts = urlsplit(server)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"{server!r} is not the address of a server: give http://HOST:PORT")
    try:
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        raise ValueError(f"{server!r} is not the address of a server: its port is not a number") from None
    return parts


class Answer:
    """A server's answer: its ``status``, ``reason`` and ``headers`` (names in lower case), and
    its body, read a piece at a time with ``read``."""

    def __init__(self, server: str, connection: socket.socket, head: bytes, rest: bytes) -> None:
        self.server = server
        self._connection = connection
        lines = head.decode("iso-8859-1").split("\r\n")
        version, _, status = lines[0].partition(" ")
        code, _, reason = status.partition(" ")
        if not version.startswith("HTTP/1.") or len(code) != 3 or not code.isdigit():
            raise ServerError(f"{server} did not answer in HTTP: is it archive-search?")
        self.status, self.reason = int(code), reason.strip()
        self.headers: dict[str, str] = {}
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if colon:
                self.headers[name.strip().lower()] = value.strip()
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            raise ServerError(f"{server} answered an HTTP/1.0 request in chunks: is it archive-search?")
        length = self.headers.get("content-length")
        # The bytes of the body not read yet (None: to the close).
        self._left = int(length) if length is not None and length.isdigit() else None
        self._rest = rest

    def read(self, size: int) -> bytes:
        """Up to ``size`` more bytes of the body (none at its end); ``ServerError`` if the server
        stops answering, or closes before the length it gave."""
        if self._left == 0:
            return b""
        wanted = size if self._left is None else min(size, self._left)
        if self._rest:
            piece, self._rest = self._rest[:wanted], self._rest[wanted:]
        else:
            piece = _received(self.server, self._connection, wanted)
            if not piece and self._left:
                raise ServerError(f"{self.server} stopped answering: {self._left} bytes of its answer did not come")
        if self._left is not None:
            self._left -= len(piece)
        return piece


@contextmanager
def answer(server: str, path: str, params: Sequence[tuple[str, str]]) -> Iterator[Answer]:
    """The server's answer to ``GET path?params``, open for reading while the block runs;
    ``ServerError`` when it cannot be reached or does not answer 200."""
    parts = check_address(server)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    # The request is ASCII: a name of a host in another script as IDNA, a path's other characters escaped.
    named = f"[{host}]" if ":" in host else host.encode("idna").decode("ascii")
    target = f"{quote(parts.path.rstrip('/'), safe=_PATH_SAFE)}{path}?{urlencode(params)}"
    request = (
        f"GET {target} HTTP/1.0\r\nHost: {named}{f':{parts.port}' if parts.port else ''}\r\n"
        f"Accept: application/json\r\nUser-Agent: archive-search/{__version__}\r\n\r\n"
    )
    try:
        connection = socket.create_connection((host, port), timeout=TIMEOUT)
    except OSError as error:
        raise ServerError(f"no answer from {server}: {_reason(error)}") from None
    try:
        try:
            if parts.scheme == "https":
                import ssl  # only for a server that is asked over TLS

                connection = ssl.create_default_context().wrap_socket(connection, server_hostname=host)
            connection.sendall(request.encode("ascii"))
            head, rest = _head(server, connection)
        except OSError as error:
            raise ServerError(f"no answer from {server}: {_reason(error)}") from None
        response = Answer(server, connection, head, rest)
        if response.status != 200:
            raise ServerError(_refusal(server, response), response.status)
        yield response
    finally:
        connection.close()


def _head(server: str, connection: socket.socket) -> tuple[bytes, bytes]:
    """The status line and headers of the answer on ``connection``, and what came after them."""
    received = b""
    while (end := received.find(b"\r\n\r\n")) < 0:
        if len(received) > MAX_HEAD_BYTES:
            raise ServerError(f"{server} sent more than {MAX_HEAD_BYTES // 1024} KB of headers: is it archive-search?")
        piece = connection.recv(_PIECE)
        if not piece:
            raise ServerError(f"no answer from {server}: it closed the connection")
        received += piece
    return received[:end], received[end + 4 :]


def _received(server: str, connection: socket.socket, size: int) -> bytes:
    """Up to ``size`` bytes from ``connection``, or ``ServerError`` if the server stops answering."""
    try:
        return connection.recv(size)
    except OSError as error:
        raise ServerError(f"{server} stopped answering: {_reason(error)}") from None


def search(server: str, params: Sequence[tuple[str, str]]) -> dict:
    """A page of results from the server's ``/api/search``, as the API gives it."""
    deadline = time.monotonic() + TIMEOUT
    pieces: list[bytes] = []
    size = 0
    with answer(server, "/api/search", params) as response:
        while piece := response.read(_PIECE):
            pieces.append(piece)
            size += len(piece)
            if size > MAX_ANSWER_BYTES:
                raise ServerError(f"{server} answered more than {MAX_ANSWER_BYTES / 2**20:g} MB: not a page of results")
            if time.monotonic() > deadline:
                raise ServerError(f"{server} took more than {TIMEOUT:.0f} s to send a page of results")
    body = b"".join(pieces)
    try:
        return json.loads(body)
    except ValueError:
        raise ServerError(f"{server} did not answer with the JSON of a search: is it archive-search?") from None


def export(server: str, params: Sequence[tuple[str, str]], write) -> int:
    """Every match from the server's ``/api/export``, each piece of its bytes given to
    ``write`` as it arrives; how many matches the server counted."""
    with answer(server, "/api/export", params) as response:
        counted = response.headers.get("x-archive-total", "")
        if not counted.isdigit():
            raise ServerError(f"{server} did not say how many documents its export holds: is it archive-search?")
        total = int(counted)
        while piece := response.read(_PIECE):
            write(piece)
    return total


def _refusal(server: str, response: Answer) -> str:
    """What a server that did not answer 200 said: the API's error message, else its status."""
    pieces: list[bytes] = []
    try:
        while sum(map(len, pieces)) < _PIECE and (piece := response.read(_PIECE)):
            pieces.append(piece)
        return str(json.loads(b"".join(pieces))["error"]["message"])
    except (ServerError, ValueError, KeyError, TypeError):
        return f"{server} answered {response.status} {response.reason}"


def _reason(error: Exception) -> str:
    """An error of the connection as a person reads it."""
    return getattr(error, "strerror", None) or str(error) or type(error).__name__
