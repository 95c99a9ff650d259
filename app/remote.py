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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import urlencode, urlsplit

from .version import __version__

# Seconds to wait for the server at each step (connecting, each read): an export streams for
# longer, a read at a time.
TIMEOUT = 60.0


class ServerError(Exception):
    """The server could not be asked, or refused: its message, and the HTTP ``status`` it
    answered with (0: no answer at all)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


def check_address(server: str) -> None:
    """``ValueError`` unless ``server`` is an http or https address of a host (a path after it
    is kept: a server behind a proxy's prefix)."""
    parts = urlsplit(server)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"{server!r} is not the address of a server: give http://HOST:PORT")
    try:
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        raise ValueError(f"{server!r} is not the address of a server: its port is not a number") from None


@contextmanager
def answer(server: str, path: str, params: Sequence[tuple[str, str]]) -> Iterator[http.client.HTTPResponse]:
    """The server's answer to ``GET path?params``, open for reading while the block runs;
    ``ServerError`` when it cannot be reached or does not answer 200."""
    check_address(server)
    parts = urlsplit(server)
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
    with answer(server, "/api/search", params) as response:
        body = _read(server, response)
    try:
        return json.loads(body)
    except ValueError:
        raise ServerError(f"{server} did not answer with the JSON of a search: is it archive-search?") from None


def export(server: str, params: Sequence[tuple[str, str]], write) -> int:
    """Every match from the server's ``/api/export``, each piece of its bytes given to
    ``write`` as it arrives; how many matches the server counted."""
    with answer(server, "/api/export", params) as response:
        total = int(response.getheader("X-Archive-Total") or 0)
        while piece := _read(server, response, 64 * 1024):
            write(piece)
    return total


def _read(server: str, response: http.client.HTTPResponse, size: int = -1) -> bytes:
    """The next ``size`` bytes of ``response`` (all of it: -1), or ``ServerError`` if the
    server stops answering."""
    try:
        return response.read(size) if size >= 0 else response.read()
    except (OSError, http.client.HTTPException) as error:
        raise ServerError(f"{server} stopped answering: {_reason(error)}") from None


def _refusal(server: str, response: http.client.HTTPResponse) -> str:
    """What a server that did not answer 200 said: the API's error message, else its status."""
    try:
        return str(json.loads(response.read())["error"]["message"])
    except (OSError, http.client.HTTPException, ValueError, KeyError, TypeError):
        return f"{server} answered {response.status} {response.reason}"


def _reason(error: Exception) -> str:
    """An error of the connection as a person reads it."""
    return getattr(error, "strerror", None) or str(error) or type(error).__name__
