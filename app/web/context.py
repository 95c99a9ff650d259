"""What every page shares: the interface language of the request, its words and its links."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request
from werkzeug.datastructures import MultiDict

from ..query.parse import QueryError
from ..service.results import CONCEPT, CONCEPT_FACETS
from . import i18n


def current_ui() -> str:
    """The interface language of this request."""
    return i18n.choose(request.args.get("ui"), request.accept_languages)


def encode(args: MultiDict) -> str:
    """A query string holding every value of ``args``."""
    return urlencode(list(args.items(multi=True)))


def query_error_text(error: QueryError, ui: str) -> str:
    """What a page in ``ui`` says for ``error``."""
    return i18n.error_message(error.key, error.params, str(error), ui)


def page_context() -> dict:
    """What every page's template needs: the interface language, its words and links."""
    ui = current_ui()
    args = request.args.copy()
    switch = []
    for code in i18n.UI_LANGUAGES:
        args.setlist("ui", [code])
        switch.append((code, i18n.UI_NAMES[code], f"{request.path}?{encode(args)}", code == ui))
    return {
        "ui": ui,
        "t": lambda key, **values: i18n.label(key, ui, **values),
        "language_name": lambda tag: i18n.language_name(tag, ui),
        "facet_value": lambda name, value: i18n.facet_value(name, value, ui),
        # A concept facet's values filter by the one concept parameter.
        "facet_param": lambda name: CONCEPT if name in CONCEPT_FACETS else name,
        "other_name": lambda concept: i18n.concept_other_name(concept, ui),
        "format_name": lambda kind: i18n.format_name(kind, ui),
        "ui_switch": switch,
        "html_lang": ui,
    }
