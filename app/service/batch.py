"""A list of searches at once: each query of a list run as a search runs it, with the first
documents it finds and what else it matched; the queries that found nothing come apart.

A list is text: a query a line, in any script (a tab may follow the query with its label, as a
spreadsheet's two columns are pasted), or CSV, whose first column holds the queries and whose
second labels them. Blank lines and a header row ``query,label`` are skipped; a list whose first
line is that header is read as CSV. A line keeps its number in the text, so that a refusal names
the line where the list holds it.

Every query runs through ``search.search`` with the same parameters (filters, dates, expand,
exact), its request made by ``params.search_request`` as any search's is, so its total is the
single search's. Bounds: at most ``BATCH_QUERIES`` queries (more: the whole list is refused),
each query within its own time, the whole list within ``batch_seconds`` (the queries not
reached by then are answered as not run, and the result says it was cut; a query begun before
then has its own time). A line that cannot be searched (refused by the parser, too long, empty)
is answered with its reason while the others run.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from ..index.readers import LiveIndex
from ..ingest.encoding import UndecodableError, decode
from ..query.parse import QueryError
from . import facets
from .cache import CacheLimits
from .params import Given, check_languages, search_request
from .results import AlsoMatched, Hit, SearchRequest
from .search import MAX_CHARS, MAX_TERMS, search

# How a list is read: a query a line, or CSV.
LINES, CSV = "lines", "csv"
KINDS = (LINES, CSV)
# Documents given for each query when the request does not say (its per_page).
BATCH_HITS = 5
# A label is an echo of the caller's own words: longer ones are cut.
MAX_LABEL_CHARS = 200
HEADER = ("query", "label")
# The encodings a short list that is not UTF-8 is read in, and how noisy its reading may be.
CHINESE_ENCODINGS = ("big5hkscs", "gb18030")
MAX_CHAOS = 0.1
# The parameters of a search that play no part in a batch: each query gives its own q, and
# every answer starts at the first document.
_OWN = ("q", "page")


@dataclass(frozen=True)
class Refusal:
    """Why a query was not searched: the message's key and values (``app/messages.py``, so that
    a page says it in its own language) and its English."""

    key: str
    params: dict
    message: str

    @classmethod
    def of(cls, error: QueryError) -> Refusal:
        """The refusal ``error`` stands for."""
        return cls(error.key, dict(error.params), str(error))


@dataclass(frozen=True)
class BatchQuery:
    """A query of a list: its line (from 1; its position in a list given as items), the query
    and its label as given; ``refused`` when the line could not even be read."""

    line: int
    query: str
    label: str = ""
    refused: Refusal | None = None


@dataclass
class BatchAnswer:
    """What one query found: how many documents (``total``, the single search's), the first of
    them, what else it was searched as; or why it was not searched (``error``). ``request`` is the
    search it ran (None when it did not), for the links to its documents and to the full search."""

    query: str
    label: str
    line: int
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    also_matched: list[AlsoMatched] = field(default_factory=list)
    error: Refusal | None = None
    request: SearchRequest | None = None


@dataclass
class BatchResult:
    """Every query's answer, in the list's order; ``request`` the parameters they all ran with
    (its ``q`` empty), ``cut`` when the time of the batch ran out before some were searched."""

    answers: list[BatchAnswer]
    request: SearchRequest
    took_ms: float
    cut: bool = False

    @property
    def found(self) -> list[BatchAnswer]:
        """The queries that found documents."""
        return [answer for answer in self.answers if answer.error is None and answer.total]

    @property
    def no_results(self) -> list[BatchAnswer]:
        """The queries searched that found nothing."""
        return [answer for answer in self.answers if answer.error is None and not answer.total]

    @property
    def errors(self) -> list[BatchAnswer]:
        """The queries not searched, each with its reason."""
        return [answer for answer in self.answers if answer.error is not None]


def decode_list(data: bytes, declared: str | None = None) -> str:
    """The text of a list sent as bytes (UTF-8 or UTF-16 with or without a byte order mark, or
    Big5 or GB18030, as spreadsheets save them; ``declared``: the charset the sender named);
    ``QueryError("batch_unreadable")`` for bytes that are not text."""
    try:
        text, encoding = decode(data, declared)
    except (UndecodableError, LookupError, ValueError):
        raise QueryError("batch_unreadable") from None
    if encoding != "cp1252":
        return text
    # A list of a few names in Big5 or GB18030 reads as Windows-1252 too (any byte does): its
    # Chinese reading, when the bytes have a credible one, is the list's.
    chinese = from_bytes(data, cp_isolation=list(CHINESE_ENCODINGS)).best()
    return str(chinese) if chinese is not None and chinese.chaos <= MAX_CHAOS else text


def read_list(text: str, kind: str | None = None) -> list[BatchQuery]:
    """The queries of ``text``: a query a line (``LINES``) or CSV (``CSV``); None: CSV when its
    first line that is not blank is the header ``query,label``."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next((number for number, line in enumerate(lines, 1) if line.strip()), 0)
    if kind is None:
        cells = _csv_cells(lines[first - 1]) if first else None
        kind = CSV if cells and len(cells) == 2 and _is_header(cells) else LINES
    queries: list[BatchQuery] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        cells = _csv_cells(line) if kind == CSV else line.split("\t", 1)
        if cells is None:
            refused = Refusal.of(QueryError("batch_line_unreadable"))
            queries.append(BatchQuery(number, line.strip(), refused=refused))
            continue
        # A first line "query" is a query in a list of lines; "query<TAB>label" is a pasted header.
        if number == first and _is_header(cells) and (kind == CSV or len(cells) == 2):
            continue
        if not any(cell.strip() for cell in cells):
            continue
        label = cells[1].strip()[:MAX_LABEL_CHARS] if len(cells) > 1 else ""
        queries.append(BatchQuery(number, cells[0].strip(), label))
    return queries


def listed(queries: Sequence[str], labels: Sequence[str] = ()) -> list[BatchQuery]:
    """The queries of a list given as items, each numbered by its position (from 1), labelled by
    the label at the same position."""
    return [
        BatchQuery(number, query.strip(), labels[number - 1].strip()[:MAX_LABEL_CHARS] if number <= len(labels) else "")
        for number, query in enumerate(queries, 1)
    ]


def _csv_cells(line: str) -> list[str] | None:
    """The cells of one line of CSV; None when it cannot be read as a row."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return None


def _is_header(cells: Sequence[str]) -> bool:
    """True for the header row: query, and label after it if anything."""
    names = tuple(cell.strip().casefold() for cell in cells)
    return bool(names) and names[0] == HEADER[0] and names[1:2] in ((), HEADER[1:])


def check_count(queries: Sequence[BatchQuery], limit: int) -> None:
    """``QueryError`` when the list holds no query, or more than ``limit``."""
    if not queries:
        raise QueryError("batch_empty")
    if len(queries) > limit:
        raise QueryError("batch_too_many", count=len(queries), limit=limit)


def run_batch(
    live: LiveIndex,
    queries: Sequence[BatchQuery],
    given: Given,
    settings: Mapping,
    *,
    max_chars: int = MAX_CHARS,
    max_terms: int = MAX_TERMS,
    cache: CacheLimits | None = None,
    seconds: float | None = None,
    batch_seconds: float | None = None,
    names: Mapping[str, str] | None = None,
) -> BatchResult:
    """Search each of ``queries`` with the parameters ``given`` (by name, as a search's; ``q``
    and ``page`` are each query's own), each within ``seconds``, all within ``batch_seconds``
    (None: no limit). The whole list is refused (``QueryError``) when it holds more than
    ``settings["BATCH_QUERIES"]`` queries or none, or when a parameter is refused, as a search
    refuses it (``names`` as for ``search_request``)."""
    started = time.monotonic()
    check_count(queries, settings["BATCH_QUERIES"])
    shared = {name: values for name, values in given.items() if name not in _OWN}
    rules = {**settings, "PER_PAGE": BATCH_HITS}
    # The parameters are the same for every query: refused once, for the whole list.
    template = search_request({**shared, "q": [""]}, rules, require_query=False, names=names)
    with live.use() as generation:
        check_languages(template, facets.facet_index(generation).known("lang"), names)
    options = {"max_chars": max_chars, "max_terms": max_terms, "cache": cache, "seconds": seconds, "names": names}
    deadline = None if batch_seconds is None else started + batch_seconds
    answers = []
    for item in queries:
        if item.refused is None and deadline is not None and time.monotonic() >= deadline:
            refusal = Refusal.of(QueryError("batch_not_run", seconds=f"{batch_seconds:g}"))
            answers.append(BatchAnswer(item.query, item.label, item.line, error=refusal))
        else:
            answers.append(_answer(live, item, shared, rules, options))
    cut = any(answer.error is not None and answer.error.key == "batch_not_run" for answer in answers)
    took_ms = round((time.monotonic() - started) * 1000, 2)
    return BatchResult(answers, template, took_ms, cut)


def _answer(live: LiveIndex, item: BatchQuery, shared: Given, rules: Mapping, options: dict) -> BatchAnswer:
    """The answer to one query of the list: its search's, or why it was not searched."""
    if item.refused is not None:
        return BatchAnswer(item.query, item.label, item.line, error=item.refused)
    try:
        # An empty query is refused by the search itself, as a line: "the query is empty".
        request = search_request({**shared, "q": [item.query]}, rules, require_query=False, names=options["names"])
        result = search(live, request, **options)
    except QueryError as error:  # a search cut at its time limit among them
        return BatchAnswer(item.query, item.label, item.line, error=Refusal.of(error))
    return BatchAnswer(
        item.query, item.label, item.line, result.total, result.hits, result.also_matched, request=request
    )
