"""Searching the live index: a ``SearchRequest`` in, a ``SearchResult`` of plain data out."""

from __future__ import annotations

import heapq
import time

from whoosh import query as wq

from .. import config, glossary
from ..analysis import scripts
from ..analysis.chinese import script_variants
from ..highlight.snippets import snippet
from ..highlight.spans import find_spans, marked_parts
from ..highlight.units import MatchUnit, match_units
from ..index.readers import Generation, LiveIndex
from ..index.schema import CONTENT
from ..query.evaluate import Evaluator, Scores
from ..query.expand import expand
from ..query.parse import QueryError, clean_query, parse
from ..query.phrase import bind
from ..query.positions import Postings
from . import facets
from .results import SORTS, AlsoMatched, Hit, SearchRequest, SearchResult
from .suggest import suggestion

# The limits when the caller does not give them: the settings' defaults (config.py).
MAX_CHARS = config.setting("MAX_QUERY_CHARS").default
MAX_TERMS = config.setting("MAX_TERMS").default


def search(
    live: LiveIndex, request: SearchRequest, *, max_chars: int = MAX_CHARS, max_terms: int = MAX_TERMS
) -> SearchResult:
    """Run ``request`` against the live index and return one page of results."""
    started = time.perf_counter()
    if request.sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}; got {request.sort!r}.")
    text = clean_query(request.q, max_chars)
    with live.use() as generation:
        reader = generation.searcher.reader()
        typed = bind(parse(reader, text, max_terms), generation)
        query, expansions = typed, []
        if request.expand:
            expanded, expansions = expand(typed, text, glossary.load(), CONTENT)
            if expansions:
                query = bind(expanded, generation)
        evaluator = Evaluator(generation, CONTENT, max_terms)
        scored = evaluator.scores(query)
        facet_index = facets.facet_index(generation)
        selected = facet_index.selected(request)
        allowed = facets.intersect(selected.values())
        matched = set(scored)
        results = matched if allowed is None else matched & allowed
        ranked = _ranked(generation, evaluator, request, scored, typed if expansions else None, results)
        units = match_units(query, reader, CONTENT, max_terms)
        preferred: frozenset[int] = frozenset()  # without translations, every unit is as typed
        if expansions:
            typed_units = set(match_units(typed, reader, CONTENT, max_terms))
            preferred = frozenset(index for index, unit in enumerate(units) if unit in typed_units)
        postings = Postings(generation.searcher, CONTENT)
        made = {
            docnum: _hit(generation, postings, docnum, score, units, preferred)
            for score, docnum in sorted(ranked, key=_docnum)
        }
        hits = [made[docnum] for _score, docnum in ranked]
        counts = facets.counts(facet_index, matched, selected, request)
        suggested = suggestion(generation, text, typed)
    also = script_forms(text) + [
        AlsoMatched(item.typed, item.forms, kind="glossary", concept=item.concept.id) for item in expansions
    ]
    return SearchResult(
        request=request,
        total=len(results),
        hits=hits,
        took_ms=round((time.perf_counter() - started) * 1000, 2),
        facets=counts,
        also_matched=also,
        suggestion=suggested,
    )


def _ranked(
    generation: Generation,
    evaluator: Evaluator,
    request: SearchRequest,
    scored: Scores,
    typed: wq.Query | None,
    results: set[int],
) -> list[tuple[float, int]]:
    """(score, document) of the requested page, best first; with translations (``typed`` is the
    query as typed), documents holding the words as typed come first."""
    first = (request.page - 1) * request.per_page
    wanted = first + request.per_page
    if first >= len(results):
        return []
    if request.sort != "relevance":
        ranked = [(0.0, docnum) for docnum in _by_date(generation, results, request.sort, wanted)]
    elif typed is None:
        ranked = _best(scored, results, wanted)
    else:
        as_typed = evaluator.scores(typed)
        ranked = _best(as_typed, results & as_typed.keys(), wanted)
        if len(ranked) < wanted:
            ranked += _best(scored, results - as_typed.keys(), wanted - len(ranked))
    return ranked[first:]


def _best(scores: Scores, docnums: set[int], limit: int) -> list[tuple[float, int]]:
    """The ``limit`` best of ``docnums`` by score (ties: the earlier document), as (score, docnum)."""
    best = heapq.nsmallest(limit, docnums, key=lambda docnum: (-scores[docnum], docnum))
    return [(scores[docnum], docnum) for docnum in best]


def _by_date(generation: Generation, docnums: set[int], sort: str, needed: int) -> list[int]:
    """The first ``needed`` of ``docnums`` by date: newest first for -date; undated last."""
    reader = generation.searcher.reader()
    dates = reader.column_reader("date_key")
    dated = reader.column_reader("has_date")
    newest_first = sort == "-date"

    def key(docnum: int) -> tuple:
        date = dates[docnum]
        return (-dated[docnum], -date if newest_first else date, docnum)

    return sorted(docnums, key=key)[:needed]


def _docnum(ranked: tuple[float, int]) -> int:
    return ranked[1]


def _hit(
    generation: Generation,
    postings: Postings,
    docnum: int,
    score: float,
    units: list[MatchUnit],
    preferred: frozenset[int],
) -> Hit:
    document = generation.document(docnum)
    spans = find_spans(postings, docnum, units, document)
    title, text_spans = marked_parts(document, spans)
    excerpt = snippet(document.text, text_spans, document.record.get("pages"), preferred=preferred)
    return Hit(
        id=document.record["id"],
        title=title,
        snippet=excerpt,
        score=round(float(score), 4),
        languages=document.record["languages"],
        record=document.record,
    )


def script_forms(text: str) -> list[AlsoMatched]:
    """The other scripts each Chinese run of the query was also searched in: 人權 -> 人权."""
    found: list[AlsoMatched] = []
    for run in scripts.runs(text):
        if run.kind != scripts.HAN:
            continue
        typed = text[run.start : run.end]
        others = tuple(form for form in script_variants(typed) if form != typed)
        if others and all(item.matched != typed for item in found):
            found.append(AlsoMatched(typed, others))
    return found
