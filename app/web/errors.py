"""The one error shape of the JSON API, and error pages for people: made here and only here."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from ..index.readers import IndexMissing
from ..query.parse import QueryError
from .context import page_context

log = logging.getLogger(__name__)

_MESSAGES = {
    404: "There is no such page or document.",
    405: "This address does not accept that method.",
    500: "The server could not answer this request; it has been logged. Please try again.",
    503: "The archive is not ready yet.",
}


class ApiError(Exception):
    """A request the API refuses, with the status and the message to send back."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_body(status: int, message: str) -> dict:
    """The JSON body of every API error."""
    return {"error": {"status": status, "message": message}}


def wants_json() -> bool:
    """True for the machine-facing addresses, which answer errors in JSON."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, message: str) -> Response:
    """An error as JSON under /api/, as a page in the interface language elsewhere."""
    if wants_json():
        response = jsonify(error_body(status, message))
    else:
        response = make_response(render_template("error.html", status=status, message=message, **page_context()))
    response.status_code = status
    return response


def register(app: Flask) -> None:
    """Route every error of ``app`` through ``error_response``."""

    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        return error_response(error.status, error.message)

    @app.errorhandler(QueryError)
    def query_error(error: QueryError) -> Response:
        return error_response(error.status, str(error))

    @app.errorhandler(IndexMissing)
    def index_missing(error: IndexMissing) -> Response:
        return error_response(503, f"{_MESSAGES[503]} {error}")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        response = error_response(status, _MESSAGES.get(status) or error.description or error.name)
        for name, value in error.get_headers():
            if name.lower() == "allow":
                response.headers["Allow"] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unhandled error on %s", request.path)
        return error_response(500, _MESSAGES[500])
