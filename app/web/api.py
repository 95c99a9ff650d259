"""The JSON API: /api/search, /api/documents/<id>, /api/openapi.json, and /healthz."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, current_app, jsonify, request, url_for

from ..search import SearchResult, get_document, search
from .errors import ApiError
from .openapi import openapi_document
from .params import search_request
from .state import live_index, valid_document_id

bp = Blueprint("api", __name__)


@bp.get("/api/search")
def api_search():
    """Search the archive; results, facets and query echo as JSON."""
    settings = current_app.config
    result = search(
        live_index(),
        search_request(request.args, settings),
        max_chars=settings["MAX_QUERY_CHARS"],
        max_terms=settings["MAX_TERMS"],
    )
    return jsonify(result_json(result, lambda doc_id, q: url_for("pages.document", doc_id=doc_id, q=q)))


@bp.get("/api/documents/<path:doc_id>")
def api_document(doc_id: str):
    """One document's metadata and text as JSON."""
    settings = current_app.config
    view = None
    if valid_document_id(doc_id):
        view = get_document(live_index(), doc_id, None, max_chars=settings["MAX_QUERY_CHARS"])
    if view is None:
        raise ApiError(404, f"There is no document with the id {doc_id!r}.")
    return jsonify({**_metadata(view.record), "url": url_for("pages.document", doc_id=doc_id), "text": view.text})


@bp.get("/api/openapi.json")
def api_openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document())


@bp.get("/healthz")
def healthz():
    """Liveness and the size of the live index."""
    with live_index().use() as generation:
        return jsonify({"ok": True, "documents": generation.doc_count})


def result_json(result: SearchResult, document_url: Callable[[str, str], str]) -> dict:
    """A page of results as the API returns it; ``document_url(id, q)`` links each result."""
    req = result.request
    return {
        "query": req.q,
        "total": result.total,
        "page": req.page,
        "per_page": req.per_page,
        "pages": result.pages,
        "sort": req.sort,
        "took_ms": result.took_ms,
        "filters": {name: list(values) for name, values in req.filters().items()},
        "results": [
            {
                **_metadata(hit.record),
                "title": hit.title,
                "url": document_url(hit.id, req.q),
                "score": hit.score,
                "snippet": str(hit.snippet),
                "page": hit.page,
            }
            for hit in result.hits
        ],
        "facets": {
            name: [{"value": item.value, "count": item.count, "selected": item.selected} for item in values]
            for name, values in result.facets.items()
        },
        "also_matched": [
            {"matched": item.matched, "forms": list(item.forms), "kind": item.kind, "concept": item.concept}
            for item in result.also_matched
        ],
        "suggestion": result.suggestion,
    }


def _metadata(record: dict) -> dict:
    return {
        "id": record["id"],
        "title": record["title"],
        "languages": [language["tag"] for language in record["languages"]],
        "language_shares": {language["tag"]: language["share"] for language in record["languages"]},
        "date": record.get("date"),
        "author": record.get("author"),
        "tags": record.get("tags", []),
        "source_url": record.get("url"),
        "description": record.get("description"),
        "format": record.get("format"),
        "path": record.get("path"),
        "size": record.get("size"),
        "hash": record.get("hash"),
        "pages": len(record.get("pages") or []) or None,
    }
