"""The HTML pages: search with facets and pagination, and one document with its matches; the
document's original file, and the images of its pages; the search help."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from ..ingest import Limits
from ..query.parse import QueryError
from ..service.documents import get_document
from ..service.facets import facet_key
from ..service.params import MARKING, document_request, search_request
from ..service.results import FILTERS
from .context import encode, page_context, query_error_text
from .help import help_page as search_help
from .originals import (
    has_original,
    has_page_image,
    indexed_record,
    original_response,
    originals_folder,
    page_image_response,
    page_png,
    read_original,
)
from .reading import tidy_pages
from .state import live_index, run_search, valid_document_id

bp = Blueprint("pages", __name__)

# The query-string keys that make up the state of a search, kept in every link (a result's
# link to its document among them, with what decides the document's marks).
STATE_KEYS = (*MARKING, *FILTERS, "from", "to", "sort", "per_page", "dedupe", "ui")


def state_url(
    changes: dict | None = None, toggle: tuple[str, str] | None = None, endpoint: str = "pages.search_page", **values
) -> str:
    """A link to the current search with ``changes`` applied (None removes a key) and one
    facet value ``toggle``d; any change but the page number goes back to page 1."""
    args = MultiDict((key, value) for key in STATE_KEYS for value in request.args.getlist(key) if value != "")
    if "page" in request.args and not changes and not toggle:
        args["page"] = request.args["page"]
    for key, value in (changes or {}).items():
        args.poplist(key)
        if value is not None:
            args[key] = value
    if toggle:
        name, value = toggle
        chosen = args.getlist(name)
        # A value is the same value in any case: "press freedom" unselects "Press Freedom".
        kept = [item for item in chosen if facet_key(item) != facet_key(value)]
        args.setlist(name, kept if len(kept) < len(chosen) else [*chosen, value])
    query = encode(args)
    return url_for(endpoint, **values) + (f"?{query}" if query else "")


@bp.app_template_global()
def state_fields(left_out: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The current search's state as a form's hidden fields, (name, value) pairs, but the keys
    ``left_out`` (those the form itself sets)."""
    return [
        (key, value) for key in STATE_KEYS if key not in left_out for value in request.args.getlist(key) if value != ""
    ]


@bp.get("/")
@bp.get("/search")
def search_page():
    """The search form, and results when there is a query."""
    settings = current_app.config
    context = page_context()
    if not request.args.get("q", "").strip():
        with live_index().use() as generation:
            count = generation.doc_count
        return render_template("search.html", result=None, error=None, count=count, state_url=state_url, **context)
    try:
        result = run_search(search_request(request.args.to_dict(flat=False), settings))
    except QueryError as error:
        shown = query_error_text(error, context["ui"])
        page = render_template("search.html", result=None, error=shown, count=None, state_url=state_url, **context)
        return page, error.status
    return render_template("search.html", result=result, error=None, count=None, state_url=state_url, **context)


@bp.get("/help")
def help_page():
    """The query language with examples, each a link to its search, and what each refusal means."""
    context = page_context()
    ui_arg = request.args.get("ui")

    def link(params) -> str:
        return url_for("pages.search_page", **params, ui=ui_arg)

    return render_template("help.html", help=search_help(context["ui"], current_app.config, link), **context)


@bp.get("/documents/<path:doc_id>")
def document(doc_id: str):
    """One document: metadata, full text, and every match of the search marked (``q`` and
    ``expand``, as its result marked them)."""
    if not valid_document_id(doc_id):
        abort(404)
    settings = current_app.config
    context = page_context()
    q = request.args.get("q", "")
    error = None
    try:
        wanted = document_request(request.args.to_dict(flat=False), settings)
        view = get_document(
            live_index(), doc_id, wanted, max_chars=settings["MAX_QUERY_CHARS"], max_terms=settings["MAX_TERMS"]
        )
    except QueryError as problem:
        error = query_error_text(problem, context["ui"])
        view = get_document(live_index(), doc_id, None)
    if view is None:
        abort(404)
    back = state_url(endpoint="pages.search_page") if q.strip() else None
    pages = tidy_pages(view.pages)
    # No link to a download that could only answer 404.
    original = has_original(originals_folder(live_index(), settings), view.record)
    return render_template(
        "document.html", doc=view, pages=pages, q=q, error=error, back=back, original=original, **context
    )


@bp.get("/originals/<path:doc_id>")
def original(doc_id: str):
    """The document's original file: exactly the bytes indexed, or why it cannot be had (404 when
    it is not in the documents folder, 409 when it changed since it was indexed)."""
    record = indexed_record(live_index(), doc_id) if valid_document_id(doc_id) else None
    if record is None:
        abort(404)
    settings = current_app.config
    return original_response(
        read_original(originals_folder(live_index(), settings), record, Limits.from_settings(settings))
    )


@bp.get("/page-images/<path:doc_id>/<int:page>.png")
def page_image(doc_id: str, page: int):
    """The image of a page (from 1) of a PDF or an image file, rendered from its original file as
    it was indexed (404 when there is no such page or no such file, 409 when the file changed)."""
    record = indexed_record(live_index(), doc_id) if valid_document_id(doc_id) else None
    if record is None or not has_page_image(record, page):
        abort(404)
    settings = current_app.config
    original = read_original(originals_folder(live_index(), settings), record, Limits.from_settings(settings))
    data = page_png(original, record, page, current_app.extensions["page_images"])
    return page_image_response(data, original, page)
