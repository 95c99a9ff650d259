"""Results as the edges show them: HTML with ``<mark>``, the JSON API's shape, terminal text.

The engine returns text with matched spans (``highlight.Marked``); this module is the one place
that turns them into markup, so the pages, the API and the command line mark the same words.
Everything but the ``<mark>`` tags is escaped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from markupsafe import Markup, escape

from .highlight.snippets import Snippet
from .highlight.spans import Marked, MetadataValue, Span
from .service.copies import Copy
from .service.params import marking_params
from .service.results import AlsoMatched, DocumentView, FacetValue, PageText, SearchResult, Timeline, Translation
from .tables_text import CELL, is_table
from .terminal_text import marked_text

ELLIPSIS = "…"
# What stands between two cells of a table's row where a reader sees them in a line (a result's
# snippet, the terminal): a divider seen in every font and medium, as a tab is not.
DIVIDER = " | "


def html(marked: Marked, ids: bool = False, first: int = 1, continued: bool = False) -> Markup:
    """The text escaped, each match in ``<mark>``; ``ids`` numbers them ``match-<first>``...
    (``continued``: the first is the end of a match numbered before it, and has no number)."""
    # Each piece escaped once, joined as str: Markup's join and + escape each operand again.
    parts: list[str] = []
    position, text = 0, marked.text
    for number, span in enumerate(marked.spans, first - continued):
        parts.append(escape(text[position : span.start]))
        attributes = f' id="match-{number}"' if ids and number >= first else ""
        parts.append(f"<mark{attributes}>{escape(text[span.start : span.end])}</mark>")
        position = span.end
    parts.append(escape(text[position:]))
    return Markup("".join(parts))


def snippet_html(snippet: Snippet) -> Markup:
    """A snippet as HTML, with an ellipsis where text was cut (a table's: its rows, each a line
    of cells with a divider between two, the header first)."""
    if snippet.table:
        rows = [
            Markup('<span class="{}">{}</span>').format(
                "row header" if number == 0 else "row",
                Markup('<span class="divider">{}</span>')
                .format(DIVIDER)
                .join(Markup('<span class="cell">{}</span>').format(html(cell)) for cell, *_numbers in row),
            )
            for number, row in enumerate(table_rows(snippet))
        ]
        return Markup('<span class="table-snippet">{}</span>').format(Markup("").join(rows))
    before = Markup(f"{ELLIPSIS} ") if snippet.cut_before else Markup("")
    after = Markup(f" {ELLIPSIS}") if snippet.cut_after else Markup("")
    return before + html(snippet) + after


def page_html(page: PageText) -> Markup:
    """One page of a document, its matches numbered for the links between them (a table's page:
    a ``<table>`` of its rows, the first its header)."""
    if not is_table(page.text):
        return html(page, ids=True, first=page.first, continued=page.continued)
    rows = table_rows(page)
    columns = max(len(row) for row in rows)
    lines = []
    for number, row in enumerate(rows):
        shape = Markup('<th scope="col">{}</th>') if number == 0 else Markup("<td>{}</td>")
        padded = row + [(Marked(""), 0, False)] * (columns - len(row))
        cells = Markup("").join(shape.format(_numbered(page, *cell)) for cell in padded)
        lines.append(Markup("<tr>{}</tr>").format(cells))
    body = Markup("<tbody>{}</tbody>").format(Markup("").join(lines[1:])) if len(lines) > 1 else Markup("")
    return Markup('<div class="sheet"><table><thead>{}</thead>{}</table></div>').format(lines[0], body)


def _numbered(page: PageText, cell: Marked, first: int, continued: bool) -> Markup:
    """A cell of a table's page, its matches numbered on from the page's (``first``: the number
    among the page's matches of the cell's first; ``continued``: that one began before the cell,
    and has its number there)."""
    continued = continued or (page.continued and first == 0)
    return html(cell, ids=True, first=page.first - page.continued + first + continued, continued=continued)


def table_rows(marked: Marked) -> list[list[tuple[Marked, int, bool]]]:
    """A table's text as rows of cells, each with the parts of the matches inside it, the number
    of the first of them among all the matches, and whether that one began in a cell before:
    a mark never holds the cells' divider."""
    rows: list[list[tuple[Marked, int, bool]]] = []
    spans, index, offset = marked.spans, 0, 0
    for line in marked.text.split("\n"):
        row = []
        for cell in line.split(CELL):
            end = offset + len(cell)
            while index < len(spans) and spans[index].end <= offset:
                index += 1
            inside, probe = [], index
            while probe < len(spans) and spans[probe].start < end:
                span, probe = spans[probe], probe + 1
                inside.append(Span(max(span.start, offset) - offset, min(span.end, end) - offset, span.unit))
            row.append((Marked(cell, tuple(inside)), index, bool(inside) and spans[index].start < offset))
            offset = end + 1
        rows.append(row)
    return rows


def translation_html(item: Translation, sentence: str) -> Markup:
    """A translation a document matched, said by ``sentence`` (its ``{words}``: the words as the
    document writes them, marked; its ``{typed}``: the part of the query, emphasised)."""
    words = Markup(" · ").join(Markup("<mark>{}</mark>").format(word) for word in item.words)
    return escape(sentence).format(words=words, typed=Markup("<em>{}</em>").format(item.typed))


def terminal(snippet: Snippet, color: bool) -> str:
    """A snippet as terminal text, with an ellipsis where text was cut (a table's: its rows, a
    line each, the header first, a divider between two cells)."""
    if snippet.table:
        return "\n".join(
            DIVIDER.join(terminal_marked(cell, color) for cell, *_numbers in row) for row in table_rows(snippet)
        )
    before = f"{ELLIPSIS} " if snippet.cut_before else ""
    return before + terminal_marked(snippet, color) + (f" {ELLIPSIS}" if snippet.cut_after else "")


def snippet_text(snippet: Snippet) -> str:
    """A snippet as plain text, nothing marked, an ellipsis where cut (a table's rows a line each)."""
    return terminal(dataclasses.replace(snippet, spans=()), color=False)


def terminal_marked(marked: Marked, color: bool) -> str:
    """A text as terminal text: matches in bold yellow on a terminal, [in brackets] elsewhere."""
    return marked_text(marked.text, ((span.start, span.end) for span in marked.spans), color)


def result_json(result: SearchResult, document_url: Callable[[str, dict[str, str]], str]) -> dict:
    """A page of results as the API returns it; ``document_url(id, params)`` links each result
    to its document, ``params`` being what decides the marks there (the query, expand=0)."""
    req = result.request
    return {
        "query": req.q,
        "total": result.total,
        "documents": result.documents,
        "page": req.page,
        "per_page": req.per_page,
        "pages": result.pages,
        "sort": req.sort,
        "took_ms": result.took_ms,
        "filters": {name: list(values) for name, values in result.filters.items()},
        "results": [
            {
                **metadata_json(hit.record),
                "title": hit.title.text,
                "url": document_url(hit.id, marking_params(req)),
                "score": hit.score,
                "snippet": str(snippet_html(hit.snippet)),
                "page": hit.page,
                "matched_in": list(hit.matched_in),
                "metadata_matches": [metadata_match_json(value) for value in hit.metadata if value.spans],
                "translations": [translation_json(item) for item in hit.translations],
                "held_matched": hit.held_matched,
                "copies": [copy_json(item, document_url(item.id, marking_params(req))) for item in hit.copies.shown],
                "copies_total": hit.copies.total,
            }
            for hit in result.hits
        ],
        "facets": {name: [facet_value_json(item) for item in values] for name, values in result.facets.items()},
        "also_matched": [also_matched_json(item) for item in result.also_matched],
        "timeline": timeline_json(result.timeline),
        "suggestion": result.suggestion,
    }


def copy_json(item: Copy, url: str) -> dict:
    """A copy of a document as the API gives it: its id, title, link (``url``), and how it differs."""
    differences = [{"kind": part.kind, "value": part.value} for part in item.differences]
    return {"id": item.id, "title": item.title, "url": url, "differences": differences}


def facet_value_json(item: FacetValue) -> dict:
    """A facet's value as the API gives it; a concept's with its names (``en``, ``zh-Hant``, ``zh-Hans``)."""
    names = {"name": item.names} if item.names else {}
    return {"value": item.value, "count": item.count, "selected": item.selected, **names}


def timeline_json(timeline: Timeline | None) -> dict | None:
    """The matches by year or month, as the API gives them."""
    if timeline is None:
        return None
    bars = [{"label": bar.label, "count": bar.count, "from": bar.date_from, "to": bar.date_to} for bar in timeline.bars]
    return {"unit": timeline.unit, "bars": bars, "undated": timeline.undated, "year_only": timeline.year_only}


def document_json(
    view: DocumentView,
    url: str,
    original_url: str,
    page_image_url: Callable[[int], str],
    document_url: Callable[[str, dict[str, str]], str],
) -> dict:
    """One document as the API returns it: its metadata and text, its pages (which OCR read, and
    where each page's image is: ``page_image_url(number)``), its copies (linked by
    ``document_url(id, params)``) and, for a search, what its result
    marked: the matched runs of the title and the text, the metadata values, the translations
    that matched."""
    marked = marking_params(view.request) if view.request else {}
    return {
        **metadata_json(view.record),
        "url": url,
        "original_url": original_url,
        # A tab between a table's cells: one character for another, so the spans' offsets hold.
        "text": view.text.replace(CELL, "\t"),
        "ocr": view.ocr,
        "page_list": [
            {
                "page": page.number,
                "ocr": page.ocr,
                "confidence": page.confidence,
                "name": page.name,
                "image_url": page_image_url(page.number) if view.pictured else None,
            }
            for page in view.pages
            if page.number
        ],
        "warnings": view.warnings,
        "held": [{"id": item.id, "title": item.title, "name": item.name} for item in view.held],
        "held_total": view.held_total,
        "copies": [copy_json(item, document_url(item.id, marked)) for item in view.copies.shown],
        "copies_total": view.copies.total,
        # The glossary's concepts it names: ``query`` finds (and marks) every mention, in any form.
        "concepts": [dataclasses.asdict(item) for item in view.named],
        "query": view.request.q if view.request else None,
        "matched_in": list(view.matched_in),
        "title_spans": spans_json(view.title.spans),
        "spans": spans_json(view.spans),
        "metadata_matches": [metadata_match_json(value) for value in view.metadata if value.spans],
        "translations": [translation_json(item) for item in view.translations],
        "also_matched": [also_matched_json(item) for item in view.also_matched],
    }


def spans_json(spans: tuple[Span, ...]) -> list[list[int]]:
    """Matched runs as the API gives them: [start, end) in code points."""
    return [[span.start, span.end] for span in spans]


def also_matched_json(item: AlsoMatched) -> dict:
    """Another form a part of the query was searched as, as the API returns it."""
    return {"matched": item.matched, "forms": list(item.forms), "kind": item.kind, "concept": item.concept}


def translation_json(item: Translation) -> dict:
    """A translation a document matched, as the API returns it: the words as the document writes
    them, the glossary form searched, the part of the query it translates, and the concept."""
    return {"words": list(item.words), "form": item.form, "typed": item.typed, "concept": item.concept}


def metadata_match_json(value: MetadataValue) -> dict:
    """A metadata value the query matched, as the API returns it: the value as the document
    wrote it, its matched runs (offsets in code points) and the value as HTML with <mark>."""
    return {
        "field": value.field,
        "index": value.number,
        "value": value.text,
        "spans": spans_json(value.spans),
        "html": str(html(value)),
    }


def metadata_json(record: dict) -> dict:
    """A document's metadata as the API returns it."""
    return {
        "id": record["id"],
        "title": record["title"],
        "languages": [language["tag"] for language in record["languages"]],
        "language_shares": {language["tag"]: language["share"] for language in record["languages"]},
        "date": record.get("date"),
        "author": record.get("author"),
        "tags": record.get("tags", []),
        "source_url": record.get("url"),
        "description": record.get("description"),
        "format": record.get("format"),
        "path": record.get("path"),
        "size": record.get("size"),
        "hash": record.get("hash"),
        "pages": len(record.get("pages") or []) or None,
        "recipients": record.get("recipients") or [],
        "captured": record.get("captured"),
        "captures": record.get("captures") or [],
        "name": record.get("name") or None,
        "parent": record.get("parent"),
    }
