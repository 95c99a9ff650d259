"""The web layer: the Flask app (pages and the JSON API) and the server that runs it.

- ``create_app`` (here): the app, its settings, security headers and template helpers
- ``pages``, ``api``: the views (a search's parameters are read by ``service.params``)
- ``exports``: a search's whole list of results, as a file (CSV, JSON Lines, RIS) and as a feed
- ``batch``: a list of queries searched at once, the ``/batch`` page and ``POST /api/batch``
- ``reading``: a document's text as its page shows it; ``originals``: its original file, and
  the images of its pages
- ``errors``: the one error shape of the API, and error pages (what each says is ``app/messages.py``)
- ``context``, ``i18n``, ``labels``, ``names``: the interface language and its words (``names``: of
  formats, parameters and languages)
- ``help``: the search help (/help): ``help_sections``, ``help_examples`` (the one list of its
  examples), ``help_refusals``
- ``openapi``: the API's description; ``state``: the live index of the app
- ``limits``: searches per client, and the client's address behind a proxy
- ``server``: gunicorn and its settings; ``worker``: its threaded worker, clients bounded in time;
  ``sharing``: how its workers share new connections, by who has a slot free
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, url_for

from .. import config as settings_table
from .. import render
from ..index.readers import LiveIndex
from ..service.search import warm
from .limits import ClientLimiter
from .originals import documents_from_index, page_cache

# Pages may load only the app's own files: no inline script, no third-party anything.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
STATIC_MAX_AGE = 365 * 24 * 3600  # static URLs carry a hash of their content


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The Flask app serving the index named by the ``INDEX`` setting (see ``config.py``)."""
    app = Flask("app", root_path=str(Path(__file__).resolve().parent.parent))
    # "//etc/passwd" must reach the id check as it is, not be redirected to a cleaned path.
    app.url_map.merge_slashes = False
    app.config.update(settings_table.load(config))
    app.config["DOCUMENTS_FROM_INDEX"] = documents_from_index(config)
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = STATIC_MAX_AGE
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["limiter"] = ClientLimiter(app.config["SEARCHES_PER_CLIENT"])
    app.extensions["page_images"] = page_cache()
    live = app.extensions["archive_index"] = LiveIndex(
        Path(app.config["INDEX"]),
        warm=warm,
        lock_readers=app.config["READER_LOCKS"],
        grace=app.config["GENERATION_GRACE"],
    )
    live.follow()  # the generation is open and warm before the first request

    from . import api, batch, errors, exports, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(batch.bp)
    errors.register(app)

    versions = _static_versions(Path(app.static_folder))

    @app.template_global()
    def static_url(filename: str) -> str:
        return url_for("static", filename=filename, v=versions.get(filename))

    @app.template_global()
    def safe_url(url: str) -> bool:
        """Only web links are shown as links: never javascript:, data: or file: URLs."""
        return urlsplit(url.strip()).scheme.lower() in ("http", "https")

    app.add_template_filter(render.html, "marked")
    app.add_template_filter(render.snippet_html, "snippet")
    app.add_template_filter(render.page_html, "page_text")
    app.add_template_filter(render.translation_html, "translation")

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app


def _static_versions(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:12] for path in folder.iterdir() if path.is_file()
    }
