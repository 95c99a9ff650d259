"""The OpenAPI 3 description of the JSON API, served at /api/openapi.json.

Its limits are the app's settings (``MAX_PER_PAGE``, ``PER_PAGE``, ``MAX_QUERY_CHARS``), and the
statuses each operation can answer are listed once, in ``ERRORS`` and ``ANY_REQUEST``, from the
errors the views, the limits and the worker raise (tests/system/test_openapi.py provokes each).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..index.content import SEARCHED_METADATA
from ..ingest import FORMATS
from ..languages import TAG_PATTERN
from ..service.batch import BATCH_HITS
from ..service.documents import MAX_MARKS
from ..service.params import MAX_FILTER_CHARS, MAX_FILTER_VALUES, MAX_PAGE, YEAR
from ..service.results import CONCEPT, CONCEPT_FACETS, FACETS, SORTS, UNDATED
from ..version import __version__
from .originals import PAGE_DPI, PAGE_MAX_SIDE

_STRING_OR_NULL = {"type": ["string", "null"]}


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


# What any request may be answered before a view reads it (the worker: web/worker.py), or when
# something fails that should not (errors.py).
ANY_REQUEST = {
    "413": "The request has a body larger than any this service reads (only a batch search takes one).",
    "414": "The request's address is too long (a query longer than the service takes).",
    "500": "The server could not answer; the error is logged.",
}
# The refusals of each operation, by its path.
ERRORS: dict[str, dict[str, str]] = {
    "/api/search": {
        "400": "A parameter is invalid or the query cannot be searched; the message says which.",
        "429": "This address has as many searches running at once as it may (SEARCHES_PER_CLIENT): retry later.",
        "503": "No index has been built yet, or the search took longer than it may (SEARCH_SECONDS) and was cut.",
    },
    "/api/documents/{id}": {
        "400": "The query cannot be searched, or expand is invalid; the message says why.",
        "404": "There is no document with this id.",
        "503": "No index has been built yet.",
    },
    "/api/openapi.json": {},
    "/healthz": {"503": "No index has been built yet."},
    "/api/export": {
        "400": (
            "A parameter is invalid, the format is not one of csv, jsonl and ris, the query cannot be "
            "searched, or more documents match than an export holds (EXPORT_MAX): the message says which, "
            "and how many matched."
        ),
        "429": "This address has as many searches running at once as it may (SEARCHES_PER_CLIENT): retry later.",
        "503": "No index has been built yet, or finding the matches took longer than it may (SEARCH_SECONDS).",
    },
    "/feed": {
        "400": "A parameter is invalid or the query cannot be searched; the message says which.",
        "429": "This address has as many searches running at once as it may (SEARCHES_PER_CLIENT): retry later.",
        "503": "No index has been built yet, or the search took longer than it may (SEARCH_SECONDS) and was cut.",
    },
    "/api/batch": {
        "400": (
            "The list holds no query or more than BATCH_QUERIES, the JSON body is not of its shape, a "
            "parameter is invalid, or the format is not json or csv: the message says which. A query that "
            "cannot be searched is not a refusal: its answer says why (error)."
        ),
        "413": "The body is larger than a batch may be (BATCH_BYTES).",
        "415": "The body is neither application/json, nor text/csv, nor text/plain.",
        "429": "This address has as many searches running at once as it may (SEARCHES_PER_CLIENT): retry later.",
        "503": "No index has been built yet.",
    },
}


def _responses(path: str, answer: dict) -> dict:
    """The ``responses`` of the operation at ``path``: its answer, its refusals, and those any
    request may meet."""
    refusals = {**ANY_REQUEST, **ERRORS[path]}
    return {"200": answer, **{status: _error_response(refusals[status]) for status in sorted(refusals)}}


# The filter by the glossary concepts a document names.
_CONCEPT = {
    "name": CONCEPT,
    "in": "query",
    "required": False,
    "description": (
        "Only documents naming this glossary concept, by its id (jimmy-lai, national-security-law, "
        "hong-kong-alliance), in any of its forms and either script, in the text or the metadata; "
        "repeated, only documents naming every one. The ids are the values of the concept facets "
        f"({', '.join(CONCEPT_FACETS)}) and of a document's concepts; an id the glossary does not "
        "have is refused (400). With q=* it lists every document naming the concept."
    ),
    "schema": {
        "type": "array",
        "items": {"type": "string", "maxLength": MAX_FILTER_CHARS},
        "maxItems": MAX_FILTER_VALUES,
    },
    "style": "form",
    "explode": True,
    "example": ["jimmy-lai"],
}


def _filter_parameter(name: str, description: str, example: str, pattern: str | None = None) -> dict:
    item = {"type": "string", "maxLength": MAX_FILTER_CHARS}
    if pattern:
        item["pattern"] = f"^$|{pattern}"
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": (
            f"{description} Repeat it to accept any of several values; an empty value is no filter. "
            "Case and Chinese script do not matter (Unicode case folding; Chinese folded as the search "
            "folds it): press freedom, Press Freedom and zh-hant filter as the facet's value does, "
            "and 国安法 as 國安法."
        ),
        "schema": {"type": "array", "items": item, "maxItems": MAX_FILTER_VALUES},
        "style": "form",
        "explode": True,
        "example": [example],
    }


# One parameter of a search and of the document a result links to, so that the document marks
# what the result marked.
_EXPAND = {
    "name": "expand",
    "in": "query",
    "description": (
        "1 (default): a word or phrase that names a glossary concept also finds the "
        "concept's other names, in English and Chinese (political prisoner = 政治犯). "
        "0: only the words as typed."
    ),
    "schema": {"type": "string", "enum": ["1", "0", "true", "false"], "default": "1"},
}
_EXACT = {
    "name": "exact",
    "in": "query",
    "description": (
        "1: only the characters as typed: 人权 finds 人权 and not 人權, rights does not find right "
        "(Latin letters in any case); no translations (expand is 0). 0 (default): folded and stemmed."
    ),
    "schema": {"type": "string", "enum": ["1", "0", "true", "false"], "default": "0"},
}


_DEDUPE = {
    "name": "dedupe",
    "in": "query",
    "description": (
        "1 (default): one result per group of copies (exact copies, and near copies: the same text "
        "up to script, punctuation, boilerplate and small edits), the best ranked by relevance, its "
        "other matching copies in its copies; total counts the groups, documents the documents. "
        "0: every copy a result of its own. Exports and feeds follow the same rule."
    ),
    "schema": {"type": "string", "enum": ["1", "0", "true", "false"], "default": "1"},
}


def _date_bound(name: str, side: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "description": (
            f"Only documents whose date may fall {side} this day, month or year (YYYY, YYYY-MM or "
            "YYYY-MM-DD): a document's date is a span at its own precision (2019 is the whole year), "
            "selected when the span overlaps the range; undated documents are left out. Refused (400) "
            "when it is no date, or when from comes after to."
        ),
        "schema": {"type": "string", "pattern": r"^$|^\d{4}(-\d{2}(-\d{2})?)?$"},
        "example": "2019-06",
    }


_SPANS = {
    "type": "array",
    "items": {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 2},
}

_METADATA = {
    "id": {
        "type": "string",
        "description": (
            "Path of the file under the documents folder, without its extension; for a document found in "
            "a file (a member of a zip, a message of a mailbox, an attachment, a captured page), the "
            "file's path with its extension, then a step per container: bundle.zip/press/statement.txt, "
            "mail/visits.eml/2 (the message's second attachment), archive.mbox/17."
        ),
    },
    "title": {"type": "string"},
    "languages": {
        "type": "array",
        "items": {"type": "string"},
        "description": "BCP 47 tags, main language first: en, zh-Hans, zh-Hant, yue-Hans...",
    },
    "language_shares": {
        "type": "object",
        "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1},
        "description": "Share of the document's letters in each language.",
    },
    "date": {**_STRING_OR_NULL, "description": "ISO 8601 date of the document, when known."},
    "author": {**_STRING_OR_NULL, "description": "Author or source organisation; several are separated by '; '."},
    "tags": {"type": "array", "items": {"type": "string"}},
    "source_url": {**_STRING_OR_NULL, "description": "Where the document was published, as its metadata says."},
    "description": _STRING_OR_NULL,
    "format": {"type": "string", "enum": sorted(set(FORMATS.values()))},
    "path": {"type": "string", "description": "The file's path under the documents folder."},
    "size": {"type": "integer", "minimum": 0, "description": "Size of the file (a member's own) in bytes."},
    "hash": {"type": "string", "description": "SHA-256 of the file's bytes (a member's own)."},
    "pages": {"type": ["integer", "null"], "description": "Number of pages, for PDFs and image files."},
    "recipients": {
        "type": "array",
        "items": {"type": "string"},
        "description": "A message's To and Cc, each 'Name <address>'.",
    },
    "captured": {**_STRING_OR_NULL, "description": "When a web archive captured the page (ISO 8601)."},
    "captures": {
        "type": "array",
        "items": {"type": "string"},
        "description": "Every time the web archive captured this page's address, this capture's among them.",
    },
    "name": {**_STRING_OR_NULL, "description": "A document found in a file: its own file name."},
    "parent": {
        "type": ["object", "null"],
        "required": ["id", "title", "relation"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "relation": {"type": "string", "enum": ["attachment", "member"]},
        },
        "description": (
            "The document this one was found in: the message it is attached to (attachment), or the "
            "bundle, mailbox or web archive holding it (member); null for a file of its own."
        ),
    },
}


# An export's formats and the media type each is served as.
EXPORT_TYPES = {
    "csv": "text/csv",
    "jsonl": "application/jsonl",
    "ris": "application/x-research-info-systems",
}


def _export_paths(search_parameters: list[dict], settings: Mapping[str, Any]) -> dict:
    """/api/export and /feed: a search's parameters (not its page; the feed's order is its own)."""
    unpaged = [item for item in search_parameters if item["name"] not in ("page", "per_page")]
    text = {"schema": {"type": "string"}}
    exported = {
        "description": (
            "Every match, as a file to download (Content-Disposition: archive-search-<the query's "
            "words>.<format>), streamed. CSV: UTF-8 with a byte order mark, a header row (id, title, date, "
            "author, languages, tags, source_url, url, page, snippet; several values apart by '; ', a cell "
            "starting with =, +, -, @ given a leading '). JSON Lines: one object per match, those fields and "
            "authors. RIS: a record per match, TY (ELEC for a web page, else GEN), TI, AU, DA, PY, KW, LA, UR, "
            "Y2 (the day of the export), AB, N1, ID, ER."
        ),
        "headers": {
            "Content-Disposition": {"schema": {"type": "string"}},
            "X-Archive-Total": {
                "description": "How many documents match: the rows that follow.",
                "schema": {"type": "string", "pattern": "^[0-9]+$"},
            },
        },
        "content": {media: text for media in EXPORT_TYPES.values()},
    }
    feed = {
        "description": (
            "An Atom feed (RFC 4287) of the newest matching documents, newest first by the document's own "
            "date, a date padded to midnight UTC at its precision (2019-06: 2019-06-01T00:00:00Z); undated "
            "documents are left out. Each entry's id is the document's page, its summary the snippet as text."
        ),
        "content": {"application/atom+xml": text},
    }
    return {
        "/api/export": {
            "get": {
                "operationId": "exportResults",
                "summary": "Every result of a search, as CSV, JSON Lines or RIS",
                "description": (
                    "Every match of the search, in its order (relevance, or the sort asked), not a page. At most "
                    f"EXPORT_MAX ({settings['EXPORT_MAX']:,}) documents: a search matching more is refused with a "
                    "400 that says how many matched and to narrow the search by its filters or dates."
                ),
                "parameters": [
                    *unpaged,
                    {
                        "name": "format",
                        "in": "query",
                        "description": "csv (the default), jsonl (JSON Lines) or ris (Zotero, EndNote).",
                        "schema": {"type": "string", "enum": list(EXPORT_TYPES), "default": "csv"},
                    },
                ],
                "responses": _responses("/api/export", exported),
            }
        },
        "/feed": {
            "get": {
                "operationId": "feed",
                "summary": "The newest results of a search, as an Atom feed",
                "description": (
                    f"At most FEED_ENTRIES ({settings['FEED_ENTRIES']:,}) entries. A refusal has the API's error shape."
                ),
                "parameters": [item for item in unpaged if item["name"] != "sort"],
                "responses": _responses("/feed", feed),
            }
        },
    }


def _batch_paths(search_parameters: list[dict], settings: Mapping[str, Any]) -> dict:
    """/api/batch: a list of queries, each searched with a search's parameters (not its q or page)."""
    shared = [item for item in search_parameters if item["name"] not in ("q", "page", "per_page")]
    per_query = {
        "name": "per_page",
        "in": "query",
        "description": "How many of each query's documents to give (its first, in the search's order).",
        "schema": {"type": "integer", "minimum": 1, "maximum": settings["MAX_PER_PAGE"], "default": BATCH_HITS},
    }
    answer_format = {
        "name": "format",
        "in": "query",
        "description": (
            "json (the default) or csv: UTF-8 with a byte order mark, a header row (line, query, label, total, "
            "rank, id, title, date, url, snippet, also_matched, error), a row per query and document; a query "
            "without documents, or not searched, one row. A cell starting with =, +, -, @ is given a leading '."
        ),
        "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"},
    }
    values = {"type": ["string", "number", "boolean", "array"], "items": {"type": ["string", "number", "boolean"]}}
    text = {"schema": {"type": "string"}}
    return {
        "/api/batch": {
            "post": {
                "operationId": "batchSearch",
                "summary": "Search each query of a list, with the same parameters for all",
                "description": (
                    "Each query runs as /api/search runs it, with the parameters given (in the query string; "
                    "a JSON body may give them too, and its win), so its total is that search's. A list in "
                    "text/plain has a query a line (a tab may follow it with its label); in text/csv the "
                    "queries are its first column and their labels its second. Blank lines and a header row "
                    "query,label are skipped; each query keeps its line (its position in a JSON list). "
                    f"At most BATCH_QUERIES ({settings['BATCH_QUERIES']:,}) queries and BATCH_BYTES "
                    f"({settings['BATCH_BYTES']:,}) bytes; each query within SEARCH_SECONDS, the whole list "
                    f"within BATCH_SECONDS ({settings['BATCH_SECONDS']:g} s): the queries not reached by then "
                    "are answered as not run, and cut is true. The batch holds one of the client's searches "
                    "(SEARCHES_PER_CLIENT) while it runs."
                ),
                "parameters": [*shared, per_query, answer_format],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["queries"],
                                "properties": {
                                    "queries": {
                                        "type": "array",
                                        "items": {"type": "string"},
                                        "maxItems": settings["BATCH_QUERIES"],
                                    },
                                    "labels": {
                                        "type": "array",
                                        "items": {"type": "string"},
                                        "description": "Each query's label, by position (fewer: the rest have none).",
                                    },
                                    **{
                                        name: {**values, "description": f"As the query string's {name}."}
                                        for name in (
                                            "expand",
                                            "exact",
                                            "dedupe",
                                            "from",
                                            "to",
                                            "lang",
                                            "year",
                                            "author",
                                        )
                                    },
                                    **{name: values for name in ("tag", CONCEPT, "sort", "per_page", "format")},
                                },
                            },
                            "example": {"queries": ["黎智英", "Jimmy Lai", "國安法"], "labels": ["a", "a", "law"]},
                        },
                        "text/csv": {**text, "example": "query,label\n黎智英,detained\nJimmy Lai,detained\n"},
                        "text/plain": {**text, "example": "黎智英\nJimmy Lai\n"},
                    },
                },
                "responses": _responses(
                    "/api/batch",
                    {
                        "description": "Every query's answer, in the list's order; with format=csv, the CSV.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/BatchResponse"}},
                            "text/csv": text,
                        },
                    },
                ),
            }
        }
    }


_ECHO = {
    "line": {"type": "integer", "minimum": 1, "description": "The query's line in the list (its position)."},
    "query": {"type": "string", "description": "The query as the list gives it."},
    "label": {"type": "string", "description": "Its label ('' when none; at most 200 characters)."},
}
BATCH_SCHEMAS = {
    "BatchResponse": {
        "type": "object",
        "required": ["queries", "took_ms", "cut", "per_query", "answers", "no_results", "errors"],
        "properties": {
            "queries": {"type": "integer", "minimum": 1},
            "took_ms": {"type": "number"},
            "cut": {"type": "boolean", "description": "True when BATCH_SECONDS ran out before every query ran."},
            "per_query": {"type": "integer", "minimum": 1, "description": "Documents given at most per query."},
            "answers": {"type": "array", "items": {"$ref": "#/components/schemas/BatchAnswer"}},
            "no_results": {
                "type": "array",
                "description": "The queries searched that found no document.",
                "items": {"type": "object", "required": list(_ECHO), "properties": _ECHO},
            },
            "errors": {
                "type": "array",
                "description": "The queries not searched, each with the reason.",
                "items": {
                    "type": "object",
                    "required": [*_ECHO, "error"],
                    "properties": {**_ECHO, "error": {"type": "string"}},
                },
            },
        },
    },
    "BatchAnswer": {
        "type": "object",
        "required": [*_ECHO, "total", "documents", "also_matched", "search_url", "error"],
        "properties": {
            **_ECHO,
            "total": {"type": "integer", "minimum": 0, "description": "How many documents match: /api/search's total."},
            "documents": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "title", "date", "url", "snippet"],
                    "properties": {
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "date": _STRING_OR_NULL,
                        "url": {"type": "string", "description": "The document's page, the query's matches marked."},
                        "snippet": {"type": "string", "description": "The snippet as plain text."},
                    },
                },
            },
            "also_matched": {"type": "array", "items": {"$ref": "#/components/schemas/AlsoMatched"}},
            "search_url": {**_STRING_OR_NULL, "description": "The full search on the search page."},
            "error": {**_STRING_OR_NULL, "description": "Why the query was not searched (null: it was)."},
        },
    },
}


def openapi_document(settings: Mapping[str, Any]) -> dict:
    """The whole OpenAPI document, its limits those of ``settings`` (the app's)."""
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "archive-search API",
            "version": __version__,
            "description": (
                "Search an archive of human-rights documents in English, Simplified and Traditional "
                "Chinese. A query in either Chinese script finds both; snippets show the words as "
                "each document writes them, with <mark> around the matches. Titles, texts, authors, "
                "tags and descriptions are searched; a result says where it matched."
            ),
        },
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search the archive",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": True,
                            "description": (
                                'The query: words (all must match), "phrases", OR, NOT or -word, (groups), '
                                "prefix*, or * alone for every document. Fields: title:, author:, tag: and "
                                'text: (the body alone) before a word, a "phrase" or a (group); another name '
                                "before a colon is a word. Dates: date:2019, date:2019-06..2020-12, "
                                "date:..2014, date:2021-06-04.. select the documents whose own date, at its "
                                'precision, overlaps the range. Nearness: "detention visits"~5 or detention '
                                "NEAR/5 visits (within five positions, in any order; a Chinese run stays a "
                                "phrase). A part at fault is named in the 400's message. The whole syntax: /help."
                            ),
                            "schema": {"type": "string", "minLength": 1, "maxLength": settings["MAX_QUERY_CHARS"]},
                            "example": "人權",
                        },
                        {
                            "name": "page",
                            "in": "query",
                            "description": "Page of results, from 1. A page past the end returns an empty list.",
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
                        },
                        {
                            "name": "per_page",
                            "in": "query",
                            "description": "Results per page.",
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": settings["MAX_PER_PAGE"],
                                "default": settings["PER_PAGE"],
                            },
                        },
                        _filter_parameter(
                            "lang",
                            (
                                "Only documents in this language: en, zh (either script), zh-Hans, zh-Hant, "
                                "or another the archive's documents are in; a language no document is in is "
                                "refused (400), the message naming the archive's languages."
                            ),
                            "zh",
                            TAG_PATTERN,
                        ),
                        _filter_parameter(
                            "year",
                            f"Only documents dated in this year (four digits), or {UNDATED}: those without a date.",
                            "2021",
                            YEAR,
                        ),
                        _filter_parameter(
                            "author",
                            "Only documents by this author or source (a facet value).",
                            "Amnesty International",
                        ),
                        _filter_parameter("tag", "Only documents with this tag (a facet value).", "udhr"),
                        _CONCEPT,
                        _date_bound("from", "on or after"),
                        _date_bound("to", "on or before"),
                        _EXPAND,
                        _EXACT,
                        _DEDUPE,
                        {
                            "name": "sort",
                            "in": "query",
                            "description": (
                                "relevance (default), -date (newest first) or date (oldest first). "
                                "Documents of the same date come in the order of relevance; undated documents "
                                "come last in both directions, in the order of relevance among themselves."
                            ),
                            "schema": {"type": "string", "enum": list(SORTS), "default": "relevance"},
                        },
                    ],
                    "responses": _responses(
                        "/api/search",
                        {
                            "description": "A page of results.",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/SearchResponse"}}
                            },
                        },
                    ),
                }
            },
            "/api/documents/{id}": {
                "get": {
                    "operationId": "getDocument",
                    "summary": "One document's metadata and text, and what a search marks in it",
                    "description": (
                        "With q (and expand), what the search marks in the document, as its result marked it: "
                        "a result's url carries these parameters."
                    ),
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "description": "The document id, as search results give it (it may contain /).",
                            "schema": {"type": "string"},
                            "example": "udhr/udhr_eng",
                        },
                        {
                            "name": "q",
                            "in": "query",
                            "required": False,
                            "description": "A query, as /api/search takes it, whose matches to give (none: no marks).",
                            "schema": {"type": "string"},
                            "example": "torture",
                        },
                        _EXPAND,
                        _EXACT,
                    ],
                    "responses": _responses(
                        "/api/documents/{id}",
                        {
                            "description": "The document.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Document"}}},
                        },
                    ),
                }
            },
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This description",
                    "responses": _responses(
                        "/api/openapi.json",
                        {
                            "description": "The OpenAPI document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                    ),
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "Whether the service is up, and how many documents it serves",
                    "responses": _responses(
                        "/healthz",
                        {
                            "description": "The service answers.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}},
                        },
                    ),
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["status", "message"],
                            "properties": {
                                "status": {"type": "integer", "description": "The HTTP status."},
                                "message": {"type": "string", "description": "What is wrong, and what to do about it."},
                            },
                        }
                    },
                },
                "MetadataMatch": {
                    "type": "object",
                    "description": "A value of the document's author, tags or description that the query matched.",
                    "required": ["field", "index", "value", "spans", "html"],
                    "properties": {
                        "field": {"type": "string", "enum": list(SEARCHED_METADATA)},
                        "index": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "Which of the field's values it is (for tags: the position in tags).",
                        },
                        "value": {"type": "string", "description": "The value as the document wrote it."},
                        "spans": {
                            **_SPANS,
                            "description": "The matched runs of value, [start, end) in Unicode code points.",
                        },
                        "html": {
                            "type": "string",
                            "description": "The value HTML-escaped, each matched run in <mark>...</mark>.",
                        },
                    },
                },
                "Translation": {
                    "type": "object",
                    "description": "A glossary form the document matched for a part of the query.",
                    "required": ["words", "form", "typed", "concept"],
                    "properties": {
                        "words": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "The words matched, as the document writes them (marked like the rest).",
                        },
                        "form": {"type": "string", "description": "The glossary's form that was searched."},
                        "typed": {"type": "string", "description": "The part of the query as typed it translates."},
                        "concept": {"type": "string", "description": "The glossary concept."},
                    },
                },
                "Result": {
                    "type": "object",
                    "required": [
                        "id",
                        "title",
                        "url",
                        "languages",
                        "score",
                        "snippet",
                        "page",
                        "matched_in",
                        "metadata_matches",
                        "translations",
                    ],
                    "properties": {
                        **_METADATA,
                        "url": {
                            "type": "string",
                            "description": (
                                "The document's page, marking every match as this result marks them: it carries "
                                "the query and expand=0 when the search had it (the same parameters give the "
                                "document's JSON at /api/documents/{id})."
                            ),
                        },
                        "score": {"type": "number", "description": "Relevance (0 when sorted by date)."},
                        "snippet": {
                            "type": "string",
                            "description": "HTML-escaped text around the matches; <mark>...</mark> is the only markup.",
                        },
                        "page": {
                            "type": ["integer", "null"],
                            "description": "For PDFs and image files, the page the snippet comes from.",
                        },
                        "matched_in": {
                            "type": "array",
                            "items": {"type": "string", "enum": ["title", "text", *SEARCHED_METADATA]},
                            "description": (
                                "Where the query matched: the title, the text, and the metadata searched as "
                                "text (author, tags, description). Empty for * and excluded words alone."
                            ),
                        },
                        "metadata_matches": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/MetadataMatch"},
                            "description": "Each metadata value the query matched, in the order of matched_in.",
                        },
                        "translations": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Translation"},
                            "description": "The glossary translations of the query the document matched.",
                        },
                        "held_matched": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "For a file holding documents (a zip, a mailbox): how many of them match.",
                        },
                        "copies": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Copy"},
                            "description": "Its copies among the matches (the first 10); none with dedupe=0.",
                        },
                        "copies_total": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "How many copies it has there.",
                        },
                    },
                },
                "Copy": {
                    "type": "object",
                    "description": "Another copy of a document (exact, or near: the same text up to small changes).",
                    "required": ["id", "title", "url", "differences"],
                    "properties": {
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                        "differences": {
                            "type": "array",
                            "description": (
                                "What tells it apart: its main language or script (value: its tag), its "
                                "folder, its date (empty: none), its format, or its wording (a near copy; "
                                "value: the estimated share of its text that is the same, in percent)."
                            ),
                            "items": {
                                "type": "object",
                                "required": ["kind", "value"],
                                "properties": {
                                    "kind": {
                                        "type": "string",
                                        "enum": ["language", "folder", "date", "format", "wording"],
                                    },
                                    "value": {"type": "string"},
                                },
                            },
                        },
                    },
                },
                "FacetValue": {
                    "type": "object",
                    "description": (
                        "Values that differ only in case or in Chinese script (國安法, 国安法) are one value, "
                        "spelt as most documents spell it (equally many: the first in code point order); "
                        f"count is of documents in any spelling. The year facet lists {UNDATED} (the "
                        "documents without a date) after the years."
                    ),
                    "required": ["value", "count", "selected"],
                    "properties": {
                        "value": {"type": "string", "description": "The value; in a concept facet, the concept's id."},
                        "count": {"type": "integer", "minimum": 0},
                        "selected": {"type": "boolean"},
                        "name": {
                            "$ref": "#/components/schemas/ConceptNames",
                            "description": "In a concept facet only: the concept's name in each interface language.",
                        },
                    },
                },
                "ConceptNames": {
                    "type": "object",
                    "required": ["en", "zh-Hant", "zh-Hans"],
                    "properties": {
                        "en": {"type": "string"},
                        "zh-Hant": {"type": "string"},
                        "zh-Hans": {"type": "string"},
                    },
                },
                "NamedConcept": {
                    "type": "object",
                    "description": "A glossary concept the document names, in any of its forms and either script.",
                    "required": ["id", "facet", "count", "names", "query"],
                    "properties": {
                        "id": {
                            "type": "string",
                            "description": "The concept's id: concept=<id> lists the documents naming it.",
                        },
                        "facet": {"type": "string", "enum": list(CONCEPT_FACETS)},
                        "count": {"type": "integer", "minimum": 1, "description": "How often the document names it."},
                        "names": {"$ref": "#/components/schemas/ConceptNames"},
                        "query": {
                            "type": "string",
                            "description": "A query finding its every form: as the q of the document, it marks them.",
                        },
                    },
                },
                "AlsoMatched": {
                    "type": "object",
                    "required": ["matched", "forms", "kind", "concept"],
                    "properties": {
                        "matched": {"type": "string", "description": "The part of the query as typed."},
                        "forms": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "The other forms also searched.",
                        },
                        "kind": {"type": "string", "enum": ["script", "glossary"]},
                        "concept": {**_STRING_OR_NULL, "description": "The glossary concept, for translations."},
                    },
                },
                "SearchResponse": {
                    "type": "object",
                    "required": [
                        "query",
                        "total",
                        "page",
                        "per_page",
                        "took_ms",
                        "results",
                        "facets",
                        "also_matched",
                        "suggestion",
                    ],
                    "properties": {
                        "query": {"type": "string"},
                        "total": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "The results: documents, or with dedupe=1 (default) groups of copies.",
                        },
                        "documents": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "The documents matched (more than total when copies are shown once).",
                        },
                        "page": {"type": "integer", "minimum": 1},
                        "per_page": {"type": "integer", "minimum": 1},
                        "pages": {"type": "integer", "minimum": 1},
                        "sort": {"type": "string", "enum": list(SORTS)},
                        "took_ms": {"type": "number", "minimum": 0},
                        "filters": {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": {"type": "string"}},
                            "description": (
                                "The filters applied, each value spelt as its facet shows it (one value for "
                                "all its spellings in any case and either Chinese script)."
                            ),
                        },
                        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}},
                        "facets": {
                            "type": "object",
                            "properties": {
                                name: {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
                                for name in (*FACETS, *CONCEPT_FACETS)
                            },
                            "description": (
                                "Counts among the matches per facet value, each facet counted over the "
                                "matches the other facets' filters allow. The concept facets ("
                                f"{', '.join(CONCEPT_FACETS)}) count the glossary concepts the matches name, "
                                "over the matches every filter allows, the concept filter's own included."
                            ),
                        },
                        "also_matched": {"type": "array", "items": {"$ref": "#/components/schemas/AlsoMatched"}},
                        "timeline": {
                            "type": "object",
                            "description": (
                                "The matches (those the filters allow) counted by year, or by month when they "
                                "fall within two years; every period from the first to the last, oldest first; "
                                "a bar's from and to narrow a search to it. undated: the matches without a "
                                "date; year_only: by month, those dated only by their year."
                            ),
                            "properties": {
                                "unit": {"type": "string", "enum": ["year", "month"]},
                                "bars": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "label": {"type": "string"},
                                            "count": {"type": "integer", "minimum": 0},
                                            "from": {"type": "string"},
                                            "to": {"type": "string"},
                                        },
                                    },
                                },
                                "undated": {"type": "integer", "minimum": 0},
                                "year_only": {"type": "integer", "minimum": 0},
                            },
                        },
                        "suggestion": {
                            **_STRING_OR_NULL,
                            "description": "The query with misspelt English words corrected.",
                        },
                    },
                },
                "Document": {
                    "type": "object",
                    "required": [
                        "id",
                        "title",
                        "languages",
                        "text",
                        "url",
                        "original_url",
                        "ocr",
                        "page_list",
                        "warnings",
                        "concepts",
                        "query",
                        "matched_in",
                        "title_spans",
                        "spans",
                        "metadata_matches",
                        "translations",
                        "also_matched",
                    ],
                    "properties": {
                        **_METADATA,
                        "url": {"type": "string", "description": "The document's page (with the query's marks)."},
                        "original_url": {
                            "type": "string",
                            "description": (
                                "Where to download the original file: exactly the bytes indexed (their SHA-256 "
                                "is hash), with its media type and name. 409 when the file has changed since it "
                                "was indexed; 404 when it is no longer in the documents folder. A document found "
                                "in a file (an attachment, a member of a zip) is its own bytes, taken from that "
                                "file while the file is the one indexed."
                            ),
                        },
                        "text": {"type": "string", "description": "The document's text as indexed."},
                        "ocr": {
                            "type": "boolean",
                            "description": "True when the text of any page was recognised by OCR (a scan, an image).",
                        },
                        "page_list": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Page"},
                            "description": "Each page of a PDF or an image file, in order (empty for other formats).",
                        },
                        "warnings": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": (
                                "What reading the file warned of when it was indexed, for whoever keeps the "
                                "archive: metadata left out and why (front matter that is not valid YAML, a date "
                                "that does not read as one, a sidecar that cannot be read). Empty when nothing."
                            ),
                        },
                        "held": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["id", "title", "name"],
                                "properties": {
                                    "id": {"type": "string"},
                                    "title": {"type": "string"},
                                    "name": {"type": "string"},
                                },
                            },
                            "description": "The documents found in this one (its first 500), in the order read.",
                        },
                        "held_total": {"type": "integer", "minimum": 0, "description": "How many there are."},
                        "copies": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Copy"},
                            "description": "Its other copies, exact or near (the first 50), and how each differs.",
                        },
                        "copies_total": {"type": "integer", "minimum": 0, "description": "How many copies it has."},
                        "concepts": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/NamedConcept"},
                            "description": "The glossary concepts it names, by facet, the most named first.",
                        },
                        "query": {**_STRING_OR_NULL, "description": "The query whose matches are given (null: none)."},
                        "matched_in": {
                            "type": "array",
                            "items": {"type": "string", "enum": ["title", "text", *SEARCHED_METADATA]},
                            "description": "Where the query matched, as in a search result.",
                        },
                        "title_spans": {
                            **_SPANS,
                            "description": "The matched runs of title, [start, end) in code points.",
                        },
                        "spans": {
                            **_SPANS,
                            "description": (
                                "The matched runs of text, [start, end) in code points, in order (at most the "
                                f"first {MAX_MARKS:,})."
                            ),
                        },
                        "metadata_matches": {"type": "array", "items": {"$ref": "#/components/schemas/MetadataMatch"}},
                        "translations": {"type": "array", "items": {"$ref": "#/components/schemas/Translation"}},
                        "also_matched": {"type": "array", "items": {"$ref": "#/components/schemas/AlsoMatched"}},
                    },
                },
                "Page": {
                    "type": "object",
                    "description": "A page of the document, and whether its text was recognised by OCR.",
                    "required": ["page", "ocr", "confidence", "image_url"],
                    "properties": {
                        "page": {"type": "integer", "minimum": 1},
                        "ocr": {
                            "type": "boolean",
                            "description": "True when the page's text was recognised from its image by OCR.",
                        },
                        "confidence": {
                            "type": ["number", "null"],
                            "minimum": 0,
                            "maximum": 100,
                            "description": "The mean confidence of the words OCR recognised (null: not recognised).",
                        },
                        "name": {**_STRING_OR_NULL, "description": "The page's name: a workbook's sheet's."},
                        "image_url": {
                            **_STRING_OR_NULL,
                            "description": (
                                "The page's image as PNG (/page-images/{id}/{page}.png), rendered from the original "
                                f"file at {PAGE_DPI} dpi, at most {PAGE_MAX_SIDE} pixels on its longer side; null "
                                "for a format without page images. As original_url: 409 when the file has changed "
                                "since it was indexed, 404 when it is no longer in the documents folder."
                            ),
                        },
                    },
                },
                "Health": {
                    "type": "object",
                    "required": ["ok", "documents"],
                    "properties": {"ok": {"type": "boolean"}, "documents": {"type": "integer", "minimum": 0}},
                },
            }
        },
    }
    document["paths"].update(_export_paths(document["paths"]["/api/search"]["get"]["parameters"], settings))
    document["paths"].update(_batch_paths(document["paths"]["/api/search"]["get"]["parameters"], settings))
    document["components"]["schemas"].update(BATCH_SCHEMAS)
    return document
