"""archive-search: a bilingual search service for an archive of human-rights documents."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from . import config as settings_table
from .generations import LiveIndex

if TYPE_CHECKING:
    from flask import Flask, Response

__version__ = "0.1.0"

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
    # Flask is imported here, not above, so that `archive-search index` starts without it.
    from flask import Flask, url_for

    app = Flask(__name__)
    # "//etc/passwd" must reach the id check as it is, not be redirected to a cleaned path.
    app.url_map.merge_slashes = False
    app.config.update(settings_table.load(config))
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = STATIC_MAX_AGE
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["archive_index"] = LiveIndex(Path(app.config["INDEX"]))

    from .web import api, errors, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    errors.register(app)

    versions = _static_versions(Path(app.static_folder))

    @app.template_global()
    def static_url(filename: str) -> str:
        return url_for("static", filename=filename, v=versions.get(filename))

    @app.template_global()
    def safe_url(url: str) -> bool:
        """Only web links are shown as links: never javascript:, data: or file: URLs."""
        return urlsplit(url.strip()).scheme.lower() in ("http", "https")

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
