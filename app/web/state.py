"""What the views share: the live index of the app, searches within the app's limits, and the
rule for a document id."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from flask import current_app, request

from ..index.readers import LiveIndex
from ..service.cache import CacheLimits
from ..service.results import SearchRequest, SearchResult
from ..service.search import search
from .errors import ApiError
from .limits import ClientLimiter, TooManySearches, client_address

MAX_ID_CHARS = 1024


def live_index() -> LiveIndex:
    """The live index this app serves."""
    return current_app.extensions["archive_index"]


def search_options() -> dict:
    """The limits and cache a search of this app runs with."""
    settings = current_app.config
    return {
        "max_chars": settings["MAX_QUERY_CHARS"],
        "max_terms": settings["MAX_TERMS"],
        "cache": CacheLimits(settings["CACHE_ENTRIES"], settings["CACHE_MB"]),
        "seconds": settings["SEARCH_SECONDS"],
    }


def run_search(search_request: SearchRequest) -> SearchResult:
    """``search_request`` against the live index, within the app's limits: a client that has
    as many searches running as it may is answered 429 at once."""
    with search_slot():
        return search(live_index(), search_request, **search_options())


@contextlib.contextmanager
def search_slot() -> Iterator[None]:
    """One of the searches the client may run at once in this worker, held until the block
    ends (an export holds it while it is written); 429 at once when it has them all."""
    limiter: ClientLimiter = current_app.extensions["limiter"]
    client = client_address(
        request.remote_addr, request.headers.get("X-Forwarded-For"), current_app.config["FORWARDED_ALLOW_IPS"]
    )
    try:
        with limiter.hold(client):
            yield
    except TooManySearches:
        raise ApiError(429, key="too_many_searches", params={"limit": limiter.per_client}) from None


def valid_document_id(doc_id: str) -> bool:
    """True for an id that could name a file inside the documents directory.

    Ids are looked up in the index, never opened as paths, but an id that tries to climb out
    (``..``, absolute paths, backslashes, NUL) is refused before anything else happens.
    """
    if not doc_id or len(doc_id) > MAX_ID_CHARS or doc_id.startswith("/"):
        return False
    if "\\" in doc_id or "\x00" in doc_id or any(ord(char) < 32 for char in doc_id):
        return False
    return all(part not in ("", ".", "..") for part in doc_id.split("/"))
