"""What the views share: the live index of the app, and the rule for a document id."""

from __future__ import annotations

from flask import current_app

from ..index.readers import LiveIndex
from ..service.cache import CacheLimits

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
    }


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
