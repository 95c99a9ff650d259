"""A list of searches at once: the ``/batch`` page (a form, then a table of the answers) and
``POST /api/batch`` (JSON or CSV).

A batch holds one of the client's search slots for its whole run, as a search holds it for
its own, so that a client cannot run more at once than it may search. The body is read within
``BATCH_BYTES`` (Flask's limit for this request; 413 past it), the list within
``BATCH_QUERIES`` and the time within ``BATCH_SECONDS`` (``service/batch.py``).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from ..batch_formats import batch_csv, batch_json, search_params
from ..query.parse import QueryError
from ..service import facets
from ..service.batch import CSV, KINDS, BatchQuery, BatchResult, decode_list, listed, read_list, run_batch
from ..service.params import marking_params
from ..service.results import SearchRequest
from . import i18n
from .context import page_context, query_error_text
from .errors import ApiError
from .state import live_index, search_options, search_slot

bp = Blueprint("batch", __name__)

API_PATH = "/api/batch"
PAGE_PATH = "/batch"
# The only addresses that take a request body (the worker reads theirs within BATCH_BYTES).
POSTED = (PAGE_PATH, API_PATH)

FORMATS = ("json", "csv")
CSV_TYPE = "text/csv; charset=utf-8"
# The fields of the batch form that are not a search's parameters.
_FORM_ONLY = ("queries", "file", "kind", "format")
# What a JSON body may give beside its queries: a search's parameters, and the answer's format.
_JSON_PARAMETERS = (
    "expand",
    "exact",
    "from",
    "to",
    "lang",
    "year",
    "author",
    "tag",
    "concept",
    "dedupe",
    "sort",
    "per_page",
    "format",
)


def _bounded() -> None:
    """Read this request's body within ``BATCH_BYTES`` (form fields and files alike); a body
    that says it is larger is refused before anything else."""
    limit = request.max_content_length = request.max_form_memory_size = current_app.config["BATCH_BYTES"]
    if (request.content_length or 0) > limit:
        raise _too_large()


def _too_large() -> ApiError:
    return ApiError(413, key="batch_too_large", params={"limit": current_app.config["BATCH_BYTES"]})


def _run(queries: list[BatchQuery], given: Mapping[str, list[str]]) -> BatchResult:
    """The batch within the app's limits, holding one of the client's search slots."""
    settings = current_app.config
    with search_slot():
        return run_batch(
            live_index(), queries, given, settings, batch_seconds=settings["BATCH_SECONDS"], **search_options()
        )


def search_url(wanted: SearchRequest, external: bool = False, ui: str | None = None) -> str:
    """The address of the full search ``wanted`` is, on the search page."""
    return url_for("pages.search_page", _external=external, **search_params(wanted), **({"ui": ui} if ui else {}))


def document_url(doc_id: str, params: dict[str, str], external: bool = False) -> str:
    """A document's page, marked as its search marks it."""
    return url_for("pages.document", doc_id=doc_id, _external=external, **params)


def _answer_format(value: str) -> str:
    if value not in FORMATS:
        raise QueryError("format_invalid", name="format", choices=", ".join(FORMATS), value=value)
    return value


def _csv_response(result: BatchResult) -> Response:
    """The batch as a CSV file to download; its links whole addresses (a file is read elsewhere)."""
    text = "".join(batch_csv(result, lambda doc_id, params: document_url(doc_id, params, external=True)))
    response = Response(text, content_type=CSV_TYPE)
    response.headers["Content-Disposition"] = 'attachment; filename="archive-search-batch.csv"'
    return response


# --- The API ----------------------------------------------------------------------------------


@bp.post(API_PATH)
def api_batch():
    """Search each query of a list: a JSON body (``queries``, ``labels``, the parameters), or a
    list as text/csv or text/plain with the parameters in the query string."""
    _bounded()
    given = {name: values for name, values in request.args.to_dict(flat=False).items() if name != "format"}
    wanted = request.args.get("format", "json")
    try:
        if request.mimetype == "application/json":
            queries, from_body = _json_batch(request.get_json(silent=True))
            wanted = str((from_body.pop("format", None) or [wanted])[0])  # [] gives no format
            given |= from_body
        elif request.mimetype in ("text/csv", "text/plain"):
            text = decode_list(request.get_data(cache=False), request.mimetype_params.get("charset"))
            queries = read_list(text, CSV if request.mimetype == "text/csv" else None)
        else:
            raise ApiError(415, key="batch_media_type", params={"value": request.mimetype or "none"})
    except RequestEntityTooLarge:
        raise _too_large() from None
    answer_format = _answer_format(wanted)
    result = _run(queries, given)
    if answer_format == "csv":
        return _csv_response(result)
    return jsonify(batch_json(result, document_url, search_url))


def _json_batch(body: object) -> tuple[list[BatchQuery], dict[str, list[str]]]:
    """The queries of a JSON body and the parameters it gives, each as a list of strings."""
    if not isinstance(body, dict):
        raise QueryError("batch_json_invalid", field="body")
    queries, labels = body.get("queries"), body.get("labels", [])
    for name, items in (("queries", queries), ("labels", labels)):
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise QueryError("batch_json_invalid", field=name)
    given = {}
    for name in _JSON_PARAMETERS:
        if name in body:
            values = body[name] if isinstance(body[name], list) else [body[name]]
            if not all(isinstance(value, str | int | float) for value in values):
                raise QueryError("batch_json_invalid", field=name)
            # JSON's true and false are 1 and 0, as the query string writes them.
            given[name] = [str(int(value)) if isinstance(value, bool) else str(value) for value in values]
    return listed(queries, labels), given


# --- The page ---------------------------------------------------------------------------------


@bp.get(PAGE_PATH)
def batch_form():
    """The batch form: a list to paste or a file to choose, and a search's filters."""
    return _page(None, None, {"queries": "", "expand": True, "lang": "", "from": "", "to": ""})


@bp.post(PAGE_PATH)
def batch_page():
    """The batch's answers as a table, the queries with no result and those not searched apart;
    with ``format=csv``, the same as a CSV file."""
    _bounded()
    try:
        form, files = request.form, request.files
        upload = files.get("file")
        data = upload.read() if upload and upload.filename else None
    except RequestEntityTooLarge:
        raise _too_large() from None
    # An unticked box sends nothing: translations are searched only when it is ticked.
    given = {name: values for name, values in form.to_dict(flat=False).items() if name not in _FORM_ONLY}
    given["expand"] = given.get("expand") or ["0"]
    kind = form.get("kind") if form.get("kind") in KINDS else None
    state = {
        "expand": given["expand"][0] != "0",
        "lang": form.get("lang", ""),
        "from": form.get("from", ""),
        "to": form.get("to", ""),
    }
    try:
        if data is not None:
            text = decode_list(data)
            kind = CSV if upload.filename.casefold().endswith(".csv") else None
        else:
            text = form.get("queries", "")
        state |= {"queries": text, "kind": kind or ""}
        result = _run(read_list(text, kind), given)
    except QueryError as error:
        state.setdefault("queries", form.get("queries", ""))
        return _page(None, query_error_text(error, page_context()["ui"]), state), error.status
    # The page's download button sends the same list again, asking for the file.
    if form.get("format") == "csv":
        return _csv_response(result)
    return _page(result, None, state)


def _page(result: BatchResult | None, error: str | None, form: dict):
    """The batch page: the form as it was filled, and the answers or why there are none."""
    with live_index().use() as generation:
        languages = facets.facet_index(generation).known("lang")
    ui = request.args.get("ui")
    context = page_context()
    return render_template(
        "batch.html",
        result=result,
        error=error,
        form=form,
        languages=languages,
        marking_params=marking_params,
        search_url=lambda wanted: search_url(wanted, ui=ui),
        refusal_text=lambda refusal: i18n.error_message(refusal.key, refusal.params, refusal.message, context["ui"]),
        ui_arg=ui,
        **context,
    )
