"""A search's parameters as a user gives them (text, by name) -> a ``SearchRequest``.

The one set of rules for the pages' and the API's query string and for the command line's
options: every refusal is a ``QueryError`` whose message says what to change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .. import glossary
from ..languages import TAG_PATTERN
from ..query import dates
from ..query.parse import QueryError
from .results import CONCEPT, FILTERS, SORTS, UNDATED, SearchRequest

# The form a year filter takes: a year, or the documents without a date (the OpenAPI document
# publishes the same pattern).
YEAR = rf"^([0-9]{{4}}|{UNDATED})$"
_LANGUAGE_TAG = re.compile(TAG_PATTERN)
_YEAR = re.compile(YEAR)
MAX_FILTER_VALUES = 20
MAX_FILTER_CHARS = 200
MAX_PAGE = 100_000
# The values of a yes/no parameter (expand).
SWITCH = {"1": True, "0": False, "true": True, "false": False}

# Each parameter's values as given, by its name in the query string (q, page, per_page, sort,
# expand, and the facets); a parameter not given has no values.
Given = Mapping[str, Sequence[str]]


def search_request(
    given: Given, settings: Mapping[str, Any], *, require_query: bool = True, names: Mapping[str, str] | None = None
) -> SearchRequest:
    """The ``SearchRequest`` that ``given`` asks for; ``QueryError`` names a bad parameter,
    as ``names`` calls it (the command line's options) or else by its query-string name."""
    shown = dict(names or {})

    def first(name: str, default: str | None = None) -> str | None:
        values = given.get(name) or ()
        return values[0] if values else default

    def name_of(name: str) -> str:
        return shown.get(name, name)

    q = first("q", "")
    if require_query and not q.strip():
        raise QueryError("q_missing")
    page = _integer(first("page"), name_of("page"), "page", 1, 1, MAX_PAGE)
    per_page = _integer(
        first("per_page"), name_of("per_page"), "per_page", settings["PER_PAGE"], 1, settings["MAX_PER_PAGE"]
    )
    sort = first("sort", "relevance")
    check_sort(sort, name_of("sort"))
    filters = {name: _filter_values(name, name_of(name), given.get(name) or ()) for name in FILTERS}
    expand = first("expand", "1")
    if expand not in SWITCH:
        raise QueryError("expand_invalid", shown=name_of("expand"), name="expand", value=expand)
    exact = first("exact", "0")
    if exact not in SWITCH:
        raise QueryError("exact_invalid", shown=name_of("exact"), name="exact", value=exact)
    dedupe = first("dedupe", "1")
    if dedupe not in SWITCH:
        raise QueryError("dedupe_invalid", shown=name_of("dedupe"), name="dedupe", value=dedupe)
    date_from, date_to = (first(name, "").strip() for name in ("from", "to"))
    dates.between(date_from, date_to, name_of("from"), name_of("to"))
    return SearchRequest(
        q=q,
        page=page,
        per_page=per_page,
        sort=sort,
        # Only the characters as typed: no translation is searched.
        expand=SWITCH[expand] and not SWITCH[exact],
        date_from=date_from,
        date_to=date_to,
        exact=SWITCH[exact],
        dedupe=SWITCH[dedupe],
        **filters,
    )


# The parameters that decide what a search marks in a document: a result's link carries them,
# and the document's page and JSON read them, so the page marks what the result marked.
MARKING = ("q", "expand", "exact")


def marking_params(request: SearchRequest) -> dict[str, str]:
    """The ``MARKING`` parameters of ``request`` for the link from a result to its document:
    the query, expand=0 when the search left translations out, exact=1 when it found only the
    characters as typed."""
    return {
        "q": request.q,
        **({"exact": "1"} if request.exact else {} if request.expand else {"expand": "0"}),
    }


def document_request(given: Given, settings: Mapping[str, Any]) -> SearchRequest | None:
    """What a document is asked to mark: the ``MARKING`` parameters of ``given``, read by the
    rules of a search (the others, such as the page of results, play no part); None without a
    query."""
    request = search_request({name: given[name] for name in MARKING if name in given}, settings, require_query=False)
    return request if request.q.strip() else None


def _filter_values(name: str, shown: str, given: Sequence[str]) -> tuple[str, ...]:
    """The values of the facet filter ``name``, each checked; an empty value (a form's "any"
    choice) sets no filter."""
    if len(given) > MAX_FILTER_VALUES:
        raise QueryError("filter_too_many_values", shown=shown, name=name, limit=MAX_FILTER_VALUES)
    values = tuple(dict.fromkeys(value.strip() for value in given if value.strip()))
    for value in values:
        if len(value) > MAX_FILTER_CHARS:
            raise QueryError("filter_value_too_long", shown=shown, name=name, limit=MAX_FILTER_CHARS)
        if name == "lang" and not _LANGUAGE_TAG.match(value):
            raise QueryError("lang_invalid", shown=shown, name=name, value=value)
        if name == "year" and not _YEAR.match(value):
            raise QueryError("year_invalid", shown=shown, name=name, value=value)
        if name == CONCEPT and value not in glossary.load().ids:
            raise QueryError("concept_unknown", shown=shown, name=name, value=value)
    return values


def check_languages(request: SearchRequest, known: Sequence[str], names: Mapping[str, str] | None = None) -> None:
    """``QueryError`` naming the ``known`` language tags (the archive's) when the ``request``
    filters on a language the archive does not have, in any case; ``names`` as for
    ``search_request``. An archive with no languages (no documents) refuses none."""
    folded = {tag.casefold() for tag in known}
    for value in request.lang:
        if known and value.casefold() not in folded:
            shown = (names or {}).get("lang", "lang")
            raise QueryError("lang_unknown", shown=shown, name="lang", choices=", ".join(known), value=value)


def check_sort(sort: str, shown: str = "sort") -> None:
    """``QueryError`` unless ``sort`` is one of the orders a search knows (``shown``: the name
    the message gives the parameter)."""
    if sort not in SORTS:
        raise QueryError("sort_invalid", shown=shown, name="sort", choices=", ".join(SORTS), value=sort)


def _integer(raw: str | None, shown: str, name: str, default: int, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high``; ``default`` when none is given."""
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise QueryError("number_not_whole", shown=shown, name=name, low=low, high=high, value=raw[:40]) from None
    if not low <= value <= high:
        raise QueryError("number_out_of_range", shown=shown, name=name, low=low, high=high, value=value)
    return value
