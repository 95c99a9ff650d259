"""A batch search's answers as the edges give them: the API's JSON, CSV and terminal text.

Like ``render``, this turns what the service found into what a reader is given, for the web
(``/api/batch``, the batch page's download) and the command line alike; nothing here searches.
Snippets are plain text (``render.snippet_text``): a spreadsheet or a script reads the words as
the documents wrote them.

CSV is UTF-8 with a byte order mark (so that spreadsheets read it as UTF-8, Chinese included),
a header row, then a row per query and document; a query without documents has one row, its
rank empty, and a query not searched one row with its reason. A cell that a spreadsheet would
take for a formula (it starts with =, +, -, @, a tab or a carriage return) is given a leading
apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

from .export_formats import BOM, csv_cell, taken
from .render import also_matched_json, snippet_text
from .service.batch import BatchAnswer, BatchResult
from .service.params import marking_params
from .service.results import Hit, SearchRequest

COLUMNS = ("line", "query", "label", "total", "rank", "id", "title", "date", "url", "snippet", "also_matched", "error")
# How a cell holds several forms a query was also searched as.
FORMS_APART = " · "

# The link to a document's page: ``document_url(id, params)``, ``params`` what decides its marks.
DocumentUrl = Callable[[str, dict[str, str]], str]
# The link to the full search of a query: ``search_url(request)``.
SearchUrl = Callable[[SearchRequest], str]


def batch_json(result: BatchResult, document_url: DocumentUrl, search_url: SearchUrl) -> dict:
    """A batch's answers as the API returns them: every query in the list's order, then those
    that found nothing and those not searched, apart."""
    return {
        "queries": len(result.answers),
        "took_ms": result.took_ms,
        "cut": result.cut,
        "per_query": result.request.per_page,
        "answers": [answer_json(answer, document_url, search_url) for answer in result.answers],
        "no_results": [_echo(answer) for answer in result.no_results],
        "errors": [{**_echo(answer), "error": _error(answer)} for answer in result.errors],
    }


def answer_json(answer: BatchAnswer, document_url: DocumentUrl, search_url: SearchUrl) -> dict:
    """One query's answer: how many documents, the first of them, what else it was searched as,
    the address of its full search, or why it was not searched."""
    params = marking_params(answer.request) if answer.request else {}
    return {
        **_echo(answer),
        "total": answer.total,
        "documents": [document_json(hit, document_url(hit.id, params)) for hit in answer.hits],
        "also_matched": [also_matched_json(item) for item in answer.also_matched],
        "search_url": search_url(answer.request) if answer.request else None,
        "error": _error(answer),
    }


def document_json(hit: Hit, url: str) -> dict:
    """A document a query found: its id, title, date as written, page and snippet as text."""
    return {
        "id": hit.id,
        "title": hit.title.text,
        "date": hit.record.get("date") or None,
        "url": url,
        "snippet": snippet_text(hit.snippet),
    }


def search_params(request: SearchRequest) -> dict[str, str | list[str]]:
    """The parameters of the search page that run ``request``: its query, what decides its marks,
    its filters, dates and order."""
    params: dict[str, str | list[str]] = dict(marking_params(request))
    params |= {name: list(values) for name, values in request.filters().items()}
    params |= {name: value for name, value in (("from", request.date_from), ("to", request.date_to)) if value}
    if request.sort != "relevance":
        params["sort"] = request.sort
    return params


def _echo(answer: BatchAnswer) -> dict:
    return {"line": answer.line, "query": answer.query, "label": answer.label}


def _error(answer: BatchAnswer) -> str | None:
    return answer.error.message if answer.error else None


def also_forms(answer: BatchAnswer) -> list[str]:
    """Every other form a query was searched as (scripts, then translations), once each."""
    return list(dict.fromkeys(form for item in answer.also_matched for form in item.forms))


def batch_csv(result: BatchResult, document_url: DocumentUrl) -> Iterator[str]:
    """The CSV of a batch: the byte order mark and the header, then a row per query and document
    (a query without documents, or not searched, a row of its own)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield BOM + taken(buffer)
    for answer in result.answers:
        params = marking_params(answer.request) if answer.request else {}
        start = [answer.line, answer.query, answer.label, "" if answer.error else answer.total]
        end = [FORMS_APART.join(also_forms(answer)), _error(answer) or ""]
        rows = [_hit_cells(rank, hit, document_url(hit.id, params)) for rank, hit in enumerate(answer.hits, 1)]
        for row in rows or [[""] * 6]:
            writer.writerow([csv_cell(value) for value in start + row + end])
        yield taken(buffer)


def _hit_cells(rank: int, hit: Hit, url: str) -> list:
    """The cells of a document in a query's row: its rank, id, title, date, address and snippet."""
    return [rank, hit.id, hit.title.text, hit.record.get("date") or "", url, snippet_text(hit.snippet)]


def batch_terminal(result: BatchResult) -> str:
    """A batch as terminal text: a line per query that found documents, with its count and the
    first ids; then the queries that found nothing, then those not searched, with the reason."""
    found, none, errors = result.found, result.no_results, result.errors
    lines = [
        f"{len(result.answers)} quer{'y' if len(result.answers) == 1 else 'ies'} ({result.took_ms} ms): "
        f"{len(found)} with documents, {len(none)} with none, {len(errors)} not searched"
    ]
    if result.cut:
        lines.append("The batch ran out of time (BATCH_SECONDS): the queries it did not reach were not searched.")
    for answer in found:
        ids = ", ".join(hit.id for hit in answer.hits)
        more = ", …" if answer.total > len(answer.hits) else ""
        lines.append(f"{_shown(answer)}  {answer.total}  {ids}{more}")
    if none:
        lines += ["", "No document found:"] + [f"{_shown(answer)}" for answer in none]
    if errors:
        lines += ["", "Not searched:"] + [f"{_shown(answer)}  {answer.error.message}" for answer in errors]
    return "\n".join(lines)


def _shown(answer: BatchAnswer) -> str:
    """A query as the terminal shows it: its line, the query, and its label in brackets."""
    label = f" [{answer.label}]" if answer.label else ""
    return f"{answer.line:>5}  {answer.query}{label}"
