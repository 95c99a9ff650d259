"""Every match of a search, not a page: the rows of an export, and the entries of a feed.

An export is the whole list a search finds, in its order (relevance, or the sort asked), each
match as an ``ExportRow``: what a spreadsheet, a reference manager or a script wants of it.
The matches are found, filtered and ranked once, as ``search`` finds them (``search.every_match``);
their rows are then made a chunk at a time (``CHUNK``), as a page of results is made, so that
an export of ten thousand documents holds no more in memory than a few pages do. The
generation they come from is held open until the last row is read, or the export is closed.

A search matching more than its ``limit`` (the ``EXPORT_MAX`` setting) is refused before any
row is made, with how many matched and what narrows it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..highlight.snippets import Snippet
from ..index.manifest import build_facts
from ..index.readers import LiveIndex
from ..query.parse import Deadline, QueryError, clean_query
from . import facets
from .cache import CacheLimits, cache_of
from .params import check_languages, check_sort, marking_params
from .results import Hit, SearchRequest
from .search import MAX_CHARS, MAX_TERMS, every_match, hits_of

# Rows made at a time: a chunk's marks are read together, as a page's are.
CHUNK = 200
# How a document's several authors are written apart in its metadata ("A; B").
AUTHORS_APART = ";"

# The link to a document's page in the archive: ``document_url(id, params)``, ``params`` being
# what decides the marks there (the query, expand=0), as ``render.result_json`` takes it.
DocumentUrl = Callable[[str, dict[str, str]], str]


@dataclass(frozen=True)
class ExportRow:
    """One match as an export gives it: the document's details as it writes them (its date at
    its own precision: ``2019``, ``2019-06``, ``2019-06-04``), its page in the archive
    (``url``), the page of the snippet (PDFs, images) and the snippet as plain text."""

    id: str
    title: str
    date: str | None
    author: str | None
    languages: tuple[str, ...]
    tags: tuple[str, ...]
    source_url: str | None
    url: str
    page: int | None
    snippet: str
    # The document's format (markdown, pdf, html...) and, for a page a web archive holds, when
    # it was captured: what a reference manager's type of item is chosen by.
    format: str | None = None
    captured: str | None = None

    @property
    def authors(self) -> tuple[str, ...]:
        """Each author, in the order the document names them."""
        return tuple(name.strip() for name in (self.author or "").split(AUTHORS_APART) if name.strip())


class Export:
    """An export under way: how many documents match (``total``), and ``rows()`` in the
    search's order. It holds the generation the rows come from (its folder: ``generation``)
    until it is closed (``close``, or the end of a ``with`` block)."""

    def __init__(self, total: int, rows: Iterator[ExportRow], held: contextlib.ExitStack, generation: Path) -> None:
        self.total = total
        self.generation = generation
        self._rows = rows
        self._held = held

    def rows(self) -> Iterator[ExportRow]:
        """Every row, made a chunk at a time; the generation is let go after the last."""
        try:
            yield from self._rows
        finally:
            self.close()

    def close(self) -> None:
        """Let go of the generation (rows not yet read are not made)."""
        self._rows.close()
        self._held.close()

    def __enter__(self) -> Export:
        return self

    def __exit__(self, *_exception) -> None:
        self.close()


def open_export(
    live: LiveIndex,
    request: SearchRequest,
    *,
    document_url: DocumentUrl,
    snippet_text: Callable[[Snippet], str],
    limit: int | None,
    first: int = 0,
    max_chars: int = MAX_CHARS,
    max_terms: int = MAX_TERMS,
    cache: CacheLimits | None = None,
    seconds: float | None = None,
    names: Mapping[str, str] | None = None,
) -> Export:
    """Every match of ``request`` (its page and per_page play no part), or its ``first`` only;
    each row's ``url`` is ``document_url``'s and its snippet ``snippet_text``'s (the edges
    render them). Refused as ``search`` refuses, within ``seconds`` as it is (the rows are made
    after, unbounded in time but bounded in number), and with ``QueryError("export_too_large")``
    when more than ``limit`` match (None: no limit)."""
    check_sort(request.sort, (names or {}).get("sort", "sort"))
    text = clean_query(request.q, max_chars)
    held = contextlib.ExitStack()
    try:
        generation = held.enter_context(live.use())
        check_languages(request, facets.facet_index(generation).known("lang"), names)
        total, ranked, found = every_match(
            generation, request, text, max_terms, cache_of(generation, cache), Deadline(seconds), first
        )
        if limit is not None and total > limit:
            raise QueryError("export_too_large", total=total, limit=limit)
    except BaseException:
        held.close()
        raise
    params = marking_params(request)

    def rows() -> Iterator[ExportRow]:
        for start in range(0, len(ranked), CHUNK):
            for hit in hits_of(generation, found, ranked[start : start + CHUNK]):
                yield export_row(hit, document_url(hit.id, params), snippet_text(hit.snippet))

    return Export(total, rows(), held, generation.path)


def export_row(hit: Hit, url: str, snippet: str) -> ExportRow:
    """The row of ``hit``, its page in the archive at ``url``, its snippet as ``snippet``."""
    record = hit.record
    return ExportRow(
        id=hit.id,
        title=hit.title.text,
        date=record.get("date") or None,
        author=record.get("author") or None,
        languages=tuple(hit.language_tags),
        tags=tuple(record.get("tags") or ()),
        source_url=record.get("url") or None,
        url=url,
        page=hit.page,
        snippet=snippet,
        format=record.get("format"),
        captured=record.get("captured") or None,
    )


@dataclass(frozen=True)
class FeedEntries:
    """The newest dated matches of a search, newest first, and when the generation they come
    from was built (ISO 8601; None when its manifest does not say)."""

    rows: list[ExportRow]
    built: str | None


def feed_entries(live: LiveIndex, request: SearchRequest, entries: int, **options) -> FeedEntries:
    """The ``entries`` newest matches of ``request`` by the document's own date (whatever sort
    it asks), newest first; ``options`` as ``open_export`` takes them, but no limit.

    Undated documents are left out. A feed's entries are ordered and updated by their dates,
    and an undated document has neither: given the time its generation was built, it would
    come back as updated after every build, which it was not; and the newest first by date
    lists the undated last, so that they would enter the feed only when fewer dated documents
    match than the feed lists.
    """
    newest = replace(request, sort="-date")
    with open_export(live, newest, limit=None, first=entries, **options) as export:
        built = build_facts(export.generation).get("built")
        rows = [row for row in export.rows() if row.date]
    return FeedEntries(rows, built if isinstance(built, str) else None)
