"""Searching the live index: a ``SearchRequest`` in, a ``SearchResult`` of plain data out."""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from .. import config, glossary
from ..highlight.snippets import snippet
from ..highlight.spans import MAX_OCCURRENCES
from ..index.readers import Generation, LiveIndex
from ..index.schema import CONTENT
from ..query import dates
from ..query.evaluate import Evaluator, PostingsReader
from ..query.hits import Hits, best
from ..query.parse import NO_DEADLINE, Deadline, clean_query
from . import copies, facets
from .cache import CacheLimits, ResultCache, cache_of
from .marks import Marking, Starts, also_matched, marking, marks, starts_in
from .params import check_languages, check_sort
from .results import Hit, SearchRequest, SearchResult
from .suggest import suggestion
from .timeline import timeline

# The limits when the caller does not give them: the settings' defaults (config.py).
MAX_CHARS = config.setting("MAX_QUERY_CHARS").default
MAX_TERMS = config.setting("MAX_TERMS").default


@dataclass
class Evaluation:
    """A query evaluated over a generation: every match, and what the page of results needs."""

    matched: Hits
    as_typed: Hits | None  # with translations: the matches of the words as typed
    marking: Marking
    suggestion: str | None
    # The postings read while evaluating (a page's snippets read them again); not cached.
    postings: PostingsReader | None = None

    @property
    def size(self) -> int:
        """Bytes its arrays take (what a cache counts)."""
        arrays = [self.matched, *([self.as_typed] if self.as_typed is not None else [])]
        return 1_000 + sum(hits.keys.nbytes + hits.scores.nbytes for hits in arrays)


def search(
    live: LiveIndex,
    request: SearchRequest,
    *,
    max_chars: int = MAX_CHARS,
    max_terms: int = MAX_TERMS,
    cache: CacheLimits | None = None,
    seconds: float | None = None,
    names: Mapping[str, str] | None = None,
) -> SearchResult:
    """Run ``request`` against the live index and return one page of results; with ``cache``,
    a query evaluated lately is not evaluated again; past ``seconds``, the search is cut
    (``SearchTimeout``). A language filter the archive has no documents in is refused
    (``QueryError``, naming the parameter as ``names`` calls it, as ``search_request`` does)."""
    started = time.perf_counter()
    deadline = Deadline(seconds)
    check_sort(request.sort)
    text = clean_query(request.q, max_chars)
    with live.use() as generation:
        check_languages(request, facets.facet_index(generation).known("lang"), names)
        result = search_in(generation, request, text, max_terms, cache_of(generation, cache), deadline)
    result.took_ms = round((time.perf_counter() - started) * 1000, 2)
    return result


def search_in(
    generation: Generation,
    request: SearchRequest,
    text: str,
    max_terms: int,
    cache: ResultCache | None = None,
    deadline: Deadline = NO_DEADLINE,
) -> SearchResult:
    """``request`` (its query cleaned: ``text``) against ``generation``."""
    found, matched, from_cache = _matched(generation, request, text, max_terms, cache, deadline)
    text = dates.take_dates(text).words
    facet_index = facets.facet_index(generation)
    chosen_masks = facet_index.chosen(request)
    allowed = facets.allowed(chosen_masks)
    results = matched if allowed is None else _within(matched, allowed)
    every, results = results, _listed(generation, request, results, found.as_typed)
    ranked = _ranked(generation, request, results, found.as_typed)
    page_keys = np.array([key for _score, key in ranked], dtype=np.int64)
    deadline.check()
    starts = starts_in(generation, found.marking, page_keys, found.postings)
    held = _held_matched(generation, every.keys)
    hits = []
    for score, key in ranked:
        deadline.check()
        hit = _hit(generation, starts, key, score, found.marking)
        shown_with = (
            copies.copies_of(generation, key, every.keys, copies.RESULT_COPIES, hit.record)
            if request.dedupe
            else copies.Copies()
        )
        hits.append(replace(hit, held_matched=held.get(key, 0), copies=shown_with))
    return SearchResult(
        request=request,
        total=len(results),
        documents=len(every),
        hits=hits,
        took_ms=0.0,
        facets=facets.counts(facet_index, matched.keys, request, chosen_masks),
        filters=facet_index.shown_filters(request),
        # Exactly as typed, nothing else was searched.
        also_matched=[] if request.exact else also_matched(text, found.marking.expansions),
        suggestion=found.suggestion,
        from_cache=from_cache,
        # Its bars count results, as the total does: following one finds as many.
        timeline=timeline(generation.table, results.keys),
    )


def _matched(
    generation: Generation, request: SearchRequest, text: str, max_terms: int, cache, deadline: Deadline
) -> tuple[Evaluation, Hits, bool]:
    """The evaluation of the words of ``text`` (from the cache when it holds it), its matches
    within the dates asked, and whether the cache held it."""
    dated = dates.take_dates(text)
    key = (dated.words, request.expand, request.exact, max_terms)
    found = cache.get(key) if cache is not None else None
    from_cache = found is not None
    if found is None:
        found = evaluate(generation, dated.words, request.expand, max_terms, deadline, exact=request.exact)
        if cache is not None:
            cache.put(key, replace(found, postings=None), found.size)
    in_dates = date_mask(generation, request, dated.ranges)
    return found, found.matched if in_dates is None else _within(found.matched, in_dates), from_cache


def date_mask(generation: Generation, request: SearchRequest, ranges=()) -> np.ndarray | None:
    """The documents whose date overlaps every range of the query (``date:``) and the request's
    ``from`` and ``to`` (a mask over keys), or None when no date is asked."""
    asked = [*ranges]
    between = dates.between(request.date_from, request.date_to, "from", "to")
    if between is not None:
        asked.append(between)
    if not asked:
        return None
    table = generation.table
    return functools.reduce(np.logical_and, [item.selects(table.date, table.dated) for item in asked])


def evaluate(
    generation: Generation,
    text: str,
    translations: bool,
    max_terms: int,
    deadline: Deadline = NO_DEADLINE,
    exact: bool = False,
) -> Evaluation:
    """Parse, expand and evaluate the query ``text`` (``exact``: only the characters as typed);
    ``QueryError`` when it cannot be searched."""
    found = marking(generation, text, translations and not exact, max_terms, exact)
    evaluator = Evaluator(generation, CONTENT, max_terms, deadline, as_typed=exact)
    matched = evaluator.hits(found.query)
    as_typed = evaluator.hits(found.typed) if found.expansions else None
    suggested = suggestion(generation, evaluator.postings, text, found.typed)
    return Evaluation(matched, as_typed, found, suggested, evaluator.postings)


# What a new generation is warmed with before searches use it: a query that reads a little of
# everything (the parser, the glossary, Chinese and English postings, facets, a page of hits).
WARM_QUERY = "人權 human rights"


def warm(generation: Generation) -> None:
    """Make ``generation`` ready so that no user waits for its first search."""
    glossary.load()
    search_in(generation, SearchRequest(q=WARM_QUERY), WARM_QUERY, MAX_TERMS)


def _within(hits: Hits, allowed: np.ndarray) -> Hits:
    mask = allowed[hits.keys]
    return Hits(hits.keys[mask], hits.scores[mask])


def _listed(generation: Generation, request: SearchRequest, results: Hits, as_typed: Hits | None) -> Hits:
    """The ``results`` a search lists: one per group of copies, unless every copy is asked for."""
    if not request.dedupe:
        return results
    return copies.one_per_group(generation, results, *_relevance(results, as_typed))


def _ranked(generation: Generation, request: SearchRequest, results: Hits, as_typed: Hits | None):
    """(score, key) of the requested page, best first; with translations (``as_typed``: the
    query as typed), documents holding the words as typed come first. By date, undated
    documents come last in either direction, in the order of relevance; documents of the same
    date come in that order too."""
    first = (request.page - 1) * request.per_page
    wanted = first + request.per_page
    if first >= len(results):
        return []
    untyped, scores = _relevance(results, as_typed)
    if request.sort == "relevance":
        ranked = best(results.keys[~untyped], scores[~untyped], wanted)
        if len(ranked) < wanted:
            ranked += best(results.keys[untyped], scores[untyped], wanted - len(ranked))
        return ranked[first:]
    table = generation.table
    dates = table.date[results.keys]
    by_date = -dates if request.sort == "-date" else dates
    undated = ~table.dated[results.keys].astype(bool)
    order = np.lexsort((results.keys, -scores, untyped, by_date, undated))[:wanted]
    return list(zip(scores[order].tolist(), results.keys[order].tolist(), strict=True))[first:]


def _relevance(results: Hits, as_typed: Hits | None) -> tuple[np.ndarray, np.ndarray]:
    """What relevance orders ``results`` by: whether each lacks the words as typed (with
    translations, those holding them come first), and its score (by the words as typed, for
    those holding them)."""
    if as_typed is None:
        return np.zeros(len(results), dtype=bool), results.scores
    typed_scores = as_typed.scores_among(results.keys)
    untyped = np.isnan(typed_scores)
    return untyped, np.where(untyped, results.scores, typed_scores)


def _held_matched(generation: Generation, keys: np.ndarray) -> dict[int, int]:
    """For each document holding others (a mailbox, a zip), how many of those are in ``keys``."""
    parents = generation.table.parent[keys]
    parents = parents[parents >= 0]
    if not parents.size:
        return {}
    found, counts = np.unique(parents, return_counts=True)
    return dict(zip(found.tolist(), counts.tolist(), strict=True))


def _hit(generation: Generation, starts: Starts, key: int, score: float, found: Marking) -> Hit:
    """One result: the marks of ``found`` in document ``key``, its snippet a window over them."""
    document = generation.document(key)
    marked = marks(document, key, starts, found, MAX_OCCURRENCES)
    excerpt = snippet(document.text, list(marked.text), document.record.get("pages"), preferred=found.preferred)
    return Hit(
        id=document.record["id"],
        title=marked.title,
        snippet=excerpt,
        score=round(float(score), 4),
        languages=document.record["languages"],
        record=document.record,
        metadata=marked.metadata,
        matched_in=marked.matched_in,
        translations=marked.translations,
        as_typed=marked.as_typed,
    )


# --- Every match of a request, not a page: what an export reads (service/export.py) -----------
def every_match(
    generation: Generation,
    request: SearchRequest,
    text: str,
    max_terms: int,
    cache: ResultCache | None = None,
    deadline: Deadline = NO_DEADLINE,
    most: int = 0,
) -> tuple[int, list[tuple[float, int]], Evaluation]:
    """How many documents match ``request`` (its query cleaned: ``text``) as ``search_in`` finds
    them, the first ``most`` (0: all) as (score, key) in its order, and their ``Evaluation``."""
    found, results, _from_cache = _matched(generation, request, text, max_terms, cache, deadline)
    allowed = facets.allowed(facets.facet_index(generation).chosen(request))
    results = _listed(generation, request, results if allowed is None else _within(results, allowed), found.as_typed)
    page = replace(request, page=1, per_page=max(1, min(most or len(results), len(results))))
    return len(results), _ranked(generation, page, results, found.as_typed), found


def hits_of(generation: Generation, found: Evaluation, ranked: list[tuple[float, int]]) -> list[Hit]:
    """The hits of ``ranked`` (score, key) of ``found``'s matches, as a page of results makes them."""
    keys = np.array([key for _score, key in ranked], dtype=np.int64)
    starts = starts_in(generation, found.marking, keys, found.postings)
    return [_hit(generation, starts, key, score, found.marking) for score, key in ranked]
