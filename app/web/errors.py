"""The one error shape of the JSON API, and error pages for people: made here and only here.

The API answers in English (the shape ``{"error": {"status", "message"}}`` never changes); a
page says the same in its interface language, by the key the error carries.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from ..index.readers import IndexMissing
from ..messages import MESSAGES
from ..query.parse import QueryError
from . import i18n
from .context import current_ui, page_context

log = logging.getLogger(__name__)

# The message of each HTTP status the app answers with on its own.
_STATUS_KEYS = {404: "not_found", 405: "method_not_allowed", 500: "server_error", 503: "unavailable"}


class ApiError(Exception):
    """A request refused, with its status and English message; ``key`` and ``params`` name the
    message for pages in the other interface languages (and, without ``message``, its English)."""

    def __init__(
        self, status: int, message: str | None = None, key: str | None = None, params: dict | None = None
    ) -> None:
        if message is None:
            message = MESSAGES[key][0].format(**(params or {}))
        super().__init__(message)
        self.status = status
        self.message = message
        self.key = key
        self.params = dict(params or {})


def error_body(status: int, message: str) -> dict:
    """The JSON body of every API error."""
    return {"error": {"status": status, "message": message}}


def wants_json() -> bool:
    """True for the machine-facing addresses, which answer errors in JSON."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(
    status: int, message: str, key: str | None = None, params: Mapping[str, object] | None = None
) -> Response:
    """An error as JSON (``message``, in English) under /api/, as a page in the interface
    language elsewhere (the message named by ``key``, else ``message``)."""
    if wants_json():
        response = jsonify(error_body(status, message))
    else:
        shown = i18n.error_message(key, params, message, current_ui())
        response = make_response(render_template("error.html", status=status, message=shown, **page_context()))
    response.status_code = status
    return response


def status_response(status: int, english: str | None = None) -> Response:
    """The error for an HTTP ``status``, in the words the app has for it."""
    key = _STATUS_KEYS.get(status, "http_error")
    return error_response(status, english or MESSAGES[key][0].format(status=status), key, {"status": status})


def register(app: Flask) -> None:
    """Route every error of ``app`` through ``error_response``."""

    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        return error_response(error.status, error.message, error.key, error.params)

    @app.errorhandler(QueryError)
    def query_error(error: QueryError) -> Response:
        return error_response(error.status, str(error), error.key, error.params)

    @app.errorhandler(IndexMissing)
    def index_missing(error: IndexMissing) -> Response:
        # The API says why (for whoever runs the archive); the page says only that it is not ready.
        return error_response(503, f"{MESSAGES['unavailable'][0]} {error}", "unavailable")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        known = status in _STATUS_KEYS
        response = status_response(status, None if known else (error.description or error.name))
        for name, value in error.get_headers():
            if name.lower() == "allow":
                response.headers["Allow"] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unhandled error on %s", request.path)
        return status_response(500)
