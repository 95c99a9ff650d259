"""Asking a running ``archive-search serve`` over HTTP, for the command line.

A ``search`` that names a server (``--server``, ``ARCHIVE_SERVER``) sends its parameters to
``/api/search`` or ``/api/export`` and prints the answer as if it had searched the index itself:
the server has its generation open and warm, so the command pays for Python's start and one
request, not for loading the search machinery and a first search. Only the standard library is
read here, for the same reason. A refusal carries the server's own message (the API's one error
shape).
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import SplitResult, urlencode, urlsplit

from .version import __version__

# Seconds to wait for the server at each step (connecting, each read), and for a whole page of
# results; an export streams for longer, a read at a time.
TIMEOUT = 60.0
# The most bytes a page of results is read to: a page of the most results a server gives is a
# few hundred kilobytes, and an answer past this is not one.
MAX_ANSWER_BYTES = 32 * 1024 * 1024
_PIECE = 64 * 1024


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


@contextmanager
def answer(server: str, path: str, params: Sequence[tuple[str, str]]) -> Iterator[http.client.HTTPResponse]:
    """The server's answer to ``GET path?params``, open for reading while the block runs;
    ``ServerError`` when it cannot be reached or does not answer 200."""
    parts = check_address(server)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=TIMEOUT)
    target = f"{parts.path.rstrip('/')}{path}?{urlencode(params)}"
    headers = {"Accept": "application/json", "User-Agent": f"archive-search/{__version__}"}
    try:
        try:
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
        except (OSError, http.client.HTTPException) as error:
            raise ServerError(f"no answer from {server}: {_reason(error)}") from None
        if response.status != 200:
            raise ServerError(_refusal(server, response), response.status)
        yield response
    finally:
        connection.close()


def search(server: str, params: Sequence[tuple[str, str]]) -> dict:
    """A page of results from the server's ``/api/search``, as the API gives it."""
    deadline = time.monotonic() + TIMEOUT
    pieces: list[bytes] = []
    size = 0
    with answer(server, "/api/search", params) as response:
        while piece := _read(server, response, _PIECE):
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
        counted = response.getheader("X-Archive-Total") or ""
        if not counted.isdigit():
            raise ServerError(f"{server} did not say how many documents its export holds: is it archive-search?")
        total = int(counted)
        while piece := _read(server, response, _PIECE):
            write(piece)
    return total


def _read(server: str, response: http.client.HTTPResponse, size: int) -> bytes:
    """Up to ``size`` more bytes of ``response`` (none at its end), or ``ServerError`` if the
    server stops answering."""
    try:
        return response.read(size)
    except (OSError, http.client.HTTPException) as error:
        raise ServerError(f"{server} stopped answering: {_reason(error)}") from None


def _refusal(server: str, response: http.client.HTTPResponse) -> str:
    """What a server that did not answer 200 said: the API's error message, else its status."""
    try:
        return str(json.loads(response.read(_PIECE))["error"]["message"])
    except (OSError, http.client.HTTPException, ValueError, KeyError, TypeError):
        return f"{server} answered {response.status} {response.reason}"


def _reason(error: Exception) -> str:
    """An error of the connection as a person reads it."""
    return getattr(error, "strerror", None) or str(error) or type(error).__name__
