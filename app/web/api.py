"""The JSON API: /api/search, /api/documents/<id>, /api/openapi.json, and /healthz."""

from __future__ import annotations

from functools import partial
from urllib.parse import quote

from flask import Blueprint, current_app, g, jsonify, request, url_for

from ..render import document_json, result_json
from ..service.documents import get_document
from ..service.params import document_request, marking_params, search_request
from .errors import ApiError
from .openapi import openapi_document
from .state import live_index, run_search, valid_document_id

bp = Blueprint("api", __name__)


@bp.get("/api/search")
def api_search():
    """Search the archive; results, facets and query echo as JSON."""
    settings = current_app.config
    result = run_search(search_request(request.args.to_dict(flat=False), settings))
    response = jsonify(result_json(result, _document_url))
    # Whether the query's matches were kept from an earlier request (the next page, a facet).
    response.headers["X-Archive-Cache"] = "hit" if result.from_cache else "miss"
    return response


@bp.get("/api/documents/<path:doc_id>")
def api_document(doc_id: str):
    """One document's metadata and text as JSON; with ``q`` (and ``expand``), what a search
    marks in it, as its result marked it."""
    settings = current_app.config
    view = None
    if valid_document_id(doc_id):
        wanted = document_request(request.args.to_dict(flat=False), settings)
        view = get_document(
            live_index(), doc_id, wanted, max_chars=settings["MAX_QUERY_CHARS"], max_terms=settings["MAX_TERMS"]
        )
    if view is None:
        raise ApiError(404, key="document_not_found", params={"id": doc_id})
    params = marking_params(view.request) if view.request else {}
    url = url_for("pages.document", doc_id=doc_id, **params)
    original = url_for("pages.original", doc_id=doc_id)
    return jsonify(document_json(view, url, original, partial(_page_image_url, doc_id), _document_url))


def _document_url(doc_id: str, params: dict[str, str]) -> str:
    """``url_for("pages.document", doc_id=..., **params)``, the same string made faster: an
    answer links dozens of documents with the same parameters (each hit, each of its copies),
    and Werkzeug's building took 1.8 ms of a search's 17 at 60,000 documents. The query string
    is built by Flask once per parameters (and request); the id quoted as Werkzeug's path
    converter quotes it."""
    built = g.setdefault("document_urls", {})
    key = tuple(params.items())
    parts = built.get(key)
    if parts is None:
        template = url_for("pages.document", doc_id=_PLACEHOLDER, **params)
        parts = built[key] = template.split(_PLACEHOLDER, 1)
    return parts[0] + quote(doc_id, safe=_PATH_SAFE) + parts[1]


# An id no document has that Werkzeug leaves as it is; the characters it leaves unquoted in a
# path (werkzeug.routing.converters.BaseConverter.to_url).
_PLACEHOLDER = "document-id-placeholder"
_PATH_SAFE = "!$&'()*+,/:;=@"


def _page_image_url(doc_id: str, page: int) -> str:
    return url_for("pages.page_image", doc_id=doc_id, page=page)


@bp.get("/api/openapi.json")
def api_openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document(current_app.config))


@bp.get("/healthz")
def healthz():
    """Liveness and the size of the live index."""
    with live_index().use() as generation:
        return jsonify({"ok": True, "documents": generation.doc_count})
