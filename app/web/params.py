"""Reading a search from a request's query string: the same rules for pages and the API."""

from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from ..languages import TAG_PATTERN
from ..query.parse import QueryError
from ..service.results import FACETS, SORTS, SearchRequest

# The form a year filter takes (the OpenAPI document publishes the same pattern).
YEAR = r"^[0-9]{4}$"
_LANGUAGE_TAG = re.compile(TAG_PATTERN)
_YEAR = re.compile(YEAR)
MAX_FILTER_VALUES = 20
MAX_FILTER_CHARS = 200
_SWITCH = {"1": True, "0": False, "true": True, "false": False}
MAX_PAGE = 100_000


def search_request(args: MultiDict, settings: dict, *, require_query: bool = True) -> SearchRequest:
    """The ``SearchRequest`` the query string asks for; ``QueryError`` names a bad parameter."""
    q = args.get("q", "")
    if require_query and not q.strip():
        raise QueryError(
            "Give the words to search for in the q parameter, for example ?q=political+prisoners", key="q_missing"
        )
    page = _integer(args, "page", 1, 1, MAX_PAGE)
    per_page = _integer(args, "per_page", settings["PER_PAGE"], 1, settings["MAX_PER_PAGE"])
    sort = args.get("sort", "relevance")
    if sort not in SORTS:
        raise QueryError(
            f"sort must be one of {', '.join(SORTS)}; got {sort!r}.",
            key="sort_invalid",
            params={"choices": ", ".join(SORTS), "value": sort},
        )
    filters: dict[str, tuple[str, ...]] = {}
    for name in FACETS:
        given = args.getlist(name)
        if len(given) > MAX_FILTER_VALUES:
            raise QueryError(
                f"at most {MAX_FILTER_VALUES} values of {name} may be given at once.",
                key="filter_too_many_values",
                params={"limit": MAX_FILTER_VALUES, "name": name},
            )
        # An empty value (a form's "any" choice) sets no filter.
        values = tuple(dict.fromkeys(value.strip() for value in given if value.strip()))
        for value in values:
            if len(value) > MAX_FILTER_CHARS:
                raise QueryError(
                    f"the {name} filter value is too long (over {MAX_FILTER_CHARS} characters).",
                    key="filter_value_too_long",
                    params={"name": name, "limit": MAX_FILTER_CHARS},
                )
            if name == "lang" and not _LANGUAGE_TAG.match(value):
                raise QueryError(
                    f"lang must be a language tag such as en, zh, zh-Hans or zh-Hant; got {value!r}.",
                    key="lang_invalid",
                    params={"value": value},
                )
            if name == "year" and not _YEAR.match(value):
                raise QueryError(
                    f"year must be four digits, such as 2021; got {value!r}.",
                    key="year_invalid",
                    params={"value": value},
                )
        filters[name] = values
    expand = args.get("expand", "1")
    if expand not in _SWITCH:
        raise QueryError(
            f"expand must be 1 (search translations too) or 0 (only the words as typed); got {expand!r}.",
            key="expand_invalid",
            params={"value": expand},
        )
    return SearchRequest(q=q, page=page, per_page=per_page, sort=sort, expand=_SWITCH[expand], **filters)


def _integer(args: MultiDict, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise QueryError(
            f"{name} must be a whole number from {low} to {high}; got {raw[:40]!r}.",
            key="number_not_whole",
            params={"name": name, "low": low, "high": high, "value": raw[:40]},
        ) from None
    if not low <= value <= high:
        raise QueryError(
            f"{name} must be from {low} to {high}; got {value}.",
            key="number_out_of_range",
            params={"name": name, "low": low, "high": high, "value": value},
        )
    return value
