"""Searching the live index: query in, plain dataclasses out (no Flask here).

The query language is Whoosh's, trimmed to what a reader of an archive needs: words (all must
match), "quoted phrases", OR, NOT or a leading minus, parentheses, and a trailing * for prefixes.
Chinese needs no spaces: a run of Chinese characters is searched as that exact sequence.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup
from whoosh import qparser
from whoosh import query as wq

from . import config, glossary, highlight
from .analysis import scripts
from .analysis.chinese import script_variants
from .analysis.english import normalise, stem
from .analysis.scripts import MAX_WORD_LENGTH, token_length
from .evaluate import Evaluator
from .expansion import expand
from .generations import Generation, LiveIndex
from .phrase import ExactPhrase, bind
from .positions import Postings
from .textstore import StoredDocument

FIELD = "content"
SORTS = ("relevance", "-date", "date")
FACETS = ("lang", "year", "author", "tag")
# Facet parameter -> the index field counted for it (``lang`` filters on families, counts tags).
_FACET_FIELD = {"lang": "language", "year": "year", "author": "author", "tag": "tag"}
_FILTER_FIELD = {"lang": "lang", "year": "year", "author": "author", "tag": "tag"}
FACET_LIMIT = 12
# The limits when the caller does not give them: the settings' defaults (config.py).
_MAX_CHARS = config.setting("MAX_QUERY_CHARS").default
_MAX_TERMS = config.setting("MAX_TERMS").default
# Most marks drawn on one document page.
MAX_MARKS = 5000


class QueryError(ValueError):
    """The request cannot be searched as given; the message says what to change."""

    status = 400


@dataclass(frozen=True)
class SearchRequest:
    """A search as the user asked for it."""

    q: str
    page: int = 1
    per_page: int = 10
    lang: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    sort: str = "relevance"
    expand: bool = True

    def filters(self) -> dict[str, tuple[str, ...]]:
        """The facet filters that are set, by facet name."""
        return {name: values for name in FACETS if (values := getattr(self, name))}


@dataclass
class Hit:
    """One document in the results."""

    id: str
    title: str
    title_html: Markup
    snippet: Markup
    score: float
    languages: list[dict]
    page: int | None
    record: dict

    @property
    def language_tags(self) -> list[str]:
        """The document's language tags, main first."""
        return [language["tag"] for language in self.languages]


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet, how many results have it, and whether it filters now."""

    value: str
    count: int
    selected: bool


@dataclass(frozen=True)
class AlsoMatched:
    """Other forms a part of the query was searched as (another script, a translation)."""

    matched: str
    forms: tuple[str, ...]
    kind: str = "script"
    concept: str | None = None


@dataclass
class SearchResult:
    """A page of results with everything the interfaces show around it."""

    request: SearchRequest
    total: int
    hits: list[Hit]
    took_ms: float
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    also_matched: list[AlsoMatched] = field(default_factory=list)
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        """How many pages of results there are."""
        return max(1, -(-self.total // self.request.per_page))


@dataclass
class DocumentView:
    """One document with its metadata and, for a query, every match marked."""

    id: str
    record: dict
    text: str
    title_html: Markup
    pages: list[tuple[int | None, Markup]]
    matches: int
    truncated: bool
    also_matched: list[AlsoMatched]


# -- Parsing ---------------------------------------------------------------------------------


def _parser(schema) -> qparser.QueryParser:
    plugins = [
        qparser.WildcardPlugin(),
        qparser.PhrasePlugin(),
        qparser.GroupPlugin(),
        qparser.OperatorsPlugin(),
        qparser.PlusMinusPlugin(),
    ]
    return qparser.QueryParser(FIELD, schema, plugins=plugins, phraseclass=ExactPhrase)


def clean_query(text: str, max_chars: int) -> str:
    """The query with control characters removed; ``QueryError`` when empty or too long."""
    cleaned = "".join(char if char >= " " or char in "\t\n" else " " for char in text)
    cleaned = cleaned.replace("\ufffd", " ").strip()
    if len(cleaned) > max_chars:
        raise QueryError(f"The query is {len(cleaned)} characters long; the limit is {max_chars}. Shorten it.")
    if not cleaned:
        raise QueryError("The query is empty: type a word or a phrase to search for.")
    return cleaned


def parse(generation: Generation, text: str, max_terms: int) -> wq.Query:
    """The Whoosh query for ``text``; ``QueryError`` when nothing in it can be searched."""
    try:
        query = _parser(generation.index.schema).parse(text)
    except Exception as error:  # Whoosh's parser raises bare exceptions on odd syntax
        raise QueryError(f"The query could not be read ({error}). Check its quotes and brackets.") from None
    query = query.normalize()
    if query is wq.NullQuery or isinstance(query, wq.NullQuery.__class__):
        raise QueryError(
            "Nothing in the query can be searched: common words such as 'the' and 'of' are not "
            "indexed on their own. Add a more specific word."
        )
    if _only_negative(query):
        raise QueryError("The query only excludes words: add at least one word to search for.")
    _check_expansions(query, generation, max_terms)
    return query


def _only_negative(query: wq.Query) -> bool:
    if isinstance(query, wq.Not):
        return True
    if isinstance(query, wq.And | wq.Or):
        return all(_only_negative(child) for child in query.children())
    return False


def _check_expansions(query: wq.Query, generation: Generation, max_terms: int) -> None:
    """Refuse wildcards that would expand to too many terms, before they are run."""
    reader = generation.searcher.reader()
    for node in query.leaves():
        if not isinstance(node, wq.MultiTerm):
            continue
        pattern = node.text + ("*" if isinstance(node, wq.Prefix) else "")
        if pattern[:1] in ("*", "?"):
            raise QueryError(f"'{pattern}': a word cannot start with * or ?. Put at least two letters first.")
        prefix = pattern.split("*")[0].split("?")[0]
        if len(prefix) < 2 and not (prefix and scripts.is_han(prefix[0])):
            raise QueryError(f"'{pattern}': put at least two letters before * or ?.")
        for count, _term in enumerate(node._btexts(reader), 1):
            if count > max_terms:
                raise QueryError(
                    f"'{pattern}' matches more than {max_terms} different words. Make it longer or more specific."
                )


# -- Searching -------------------------------------------------------------------------------


def search(
    live: LiveIndex, request: SearchRequest, *, max_chars: int = _MAX_CHARS, max_terms: int = _MAX_TERMS
) -> SearchResult:
    """Run ``request`` against the live index and return one page of results."""
    started = time.perf_counter()
    if request.sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}; got {request.sort!r}.")
    text = clean_query(request.q, max_chars)
    with live.use() as generation:
        typed = bind(parse(generation, text, max_terms), generation)
        query, expansions = typed, []
        if request.expand:
            expanded, expansions = expand(typed, text, glossary.load(), FIELD)
            if expansions:
                query = bind(expanded, generation)
        searcher = generation.searcher
        evaluator = Evaluator(generation, FIELD, max_terms)
        scored = evaluator.scores(query)
        facet_index = _facet_index(generation)
        selected = {name: _union(facet_index.docs[name], values) for name, values in request.filters().items()}
        allowed = _intersect(selected.values())
        matched = set(scored)
        results = matched if allowed is None else matched & allowed
        first = (request.page - 1) * request.per_page
        wanted = first + request.per_page
        ranked: list[tuple[float, int]] = []
        if first < len(results):
            if request.sort != "relevance":
                ranked = [(0.0, docnum) for docnum in _by_date(generation, results, request.sort, wanted)]
            elif not expansions:
                ranked = _best(scored, results, wanted)
            else:
                # Documents holding the words as typed come first, then those found only
                # through a translation.
                as_typed = evaluator.scores(typed)
                ranked = _best(as_typed, results & as_typed.keys(), wanted)
                if len(ranked) < wanted:
                    ranked += _best(scored, results - as_typed.keys(), wanted - len(ranked))
            ranked = ranked[first:]
        units = highlight.match_units(query, searcher.reader(), FIELD, max_terms)
        preferred: frozenset[int] = frozenset()  # without translations, every unit is as typed
        if expansions:
            typed_units = set(highlight.match_units(typed, searcher.reader(), FIELD, max_terms))
            preferred = frozenset(index for index, unit in enumerate(units) if unit in typed_units)
        postings = Postings(searcher, FIELD)
        made = {
            docnum: _hit(generation, postings, docnum, score, units, preferred)
            for score, docnum in sorted(ranked, key=_docnum)
        }
        hits = [made[docnum] for _score, docnum in ranked]
        facets = _facets(facet_index, matched, selected, request)
        suggestion = _suggestion(generation, text, typed)
    also = script_forms(text) + [
        AlsoMatched(item.typed, item.forms, kind="glossary", concept=item.concept.id) for item in expansions
    ]
    return SearchResult(
        request=request,
        total=len(results),
        hits=hits,
        took_ms=round((time.perf_counter() - started) * 1000, 2),
        facets=facets,
        also_matched=also,
        suggestion=suggestion,
    )


def _best(scores: dict[int, float], docnums: set[int], limit: int) -> list[tuple[float, int]]:
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
    units: list[highlight.MatchUnit],
    preferred: frozenset[int],
) -> Hit:
    document = generation.document(docnum)
    spans = highlight.find_spans(postings, docnum, units, document)
    title_html, text_spans = _split_spans(document, spans)
    excerpt = highlight.snippet(document.text, text_spans, document.record.get("pages"), preferred=preferred)
    return Hit(
        id=document.record["id"],
        title=document.title,
        title_html=title_html,
        snippet=excerpt.html,
        score=round(float(score), 4),
        languages=document.record["languages"],
        page=excerpt.page,
        record=document.record,
    )


def _split_spans(document: StoredDocument, spans: list[highlight.Span]) -> tuple[Markup, list[highlight.Span]]:
    """The title marked, and the spans that fall in the text (in the text's own offsets)."""
    title_spans = highlight.merge(highlight.shift(spans, 0, len(document.title)), document.title)
    text_spans = highlight.merge(highlight.shift(spans, document.text_start, len(document.text)), document.text)
    return highlight.mark(document.title, title_spans), text_spans


@dataclass(frozen=True)
class _FacetIndex:
    """For each facet, the documents each filter value selects, and the values shown; values
    held by many documents also as a bit mask (bit n: document n), counted at C speed."""

    docs: dict[str, dict[str, frozenset[int]]]
    shown: dict[str, frozenset[str]]
    masks: dict[tuple[str, str], int]
    size: int


def _facet_index(generation: Generation) -> _FacetIndex:
    """Read the facet fields once per generation: later searches count with set operations."""
    cached = generation.cache.get("facets")
    if cached is None:
        reader = generation.searcher.reader()
        docs = {
            name: {
                btext.decode("utf-8"): frozenset(reader.postings(_FILTER_FIELD[name], btext).all_ids())
                for btext in reader.lexicon(_FILTER_FIELD[name])
            }
            for name in FACETS
        }
        shown = {
            name: frozenset(btext.decode("utf-8") for btext in reader.lexicon(_FACET_FIELD[name])) for name in FACETS
        }
        size = reader.doc_count_all()
        masks = {
            (name, value): _mask(found, size)
            for name, values in docs.items()
            for value, found in values.items()
            if len(found) * _DENSE > size
        }
        cached = generation.cache["facets"] = _FacetIndex(docs, shown, masks, size)
    return cached


# A value held by more than 1 document in this many is counted with bit masks.
_DENSE = 64


def _mask(docnums, size: int) -> int:
    """``docnums`` as an integer whose bit n is set for document n."""
    bits = bytearray(size // 8 + 1)
    for docnum in docnums:
        bits[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(bits, "little")


def _union(values_by_name: dict[str, frozenset[int]], wanted: Sequence[str]) -> set[int]:
    result: set[int] = set()
    for value in wanted:
        result |= values_by_name.get(value, frozenset())
    return result


def _intersect(sets) -> set[int] | None:
    result = None
    for docs in sets:
        result = set(docs) if result is None else result & docs
    return result


def _facets(
    index: _FacetIndex, matched: set[int], selected: dict[str, set[int]], request: SearchRequest
) -> dict[str, list[FacetValue]]:
    """Counts per facet value, each facet filtered by the other facets' choices (so a chosen
    value can be widened as well as narrowed)."""
    facets: dict[str, list[FacetValue]] = {}
    masks: dict[frozenset[str], int] = {}  # the base of each facet as a mask, made once per base
    for name in FACETS:
        others = _intersect(docs for other, docs in selected.items() if other != name)
        base = matched if others is None else matched & others
        base_key = frozenset(other for other in selected if other != name)
        chosen = set(getattr(request, name))
        values = []
        for value, docs in index.docs[name].items():
            if value not in index.shown[name] and value not in chosen:
                continue
            dense = index.masks.get((name, value))
            if dense is None:
                count = len(base & docs)
            else:
                if base_key not in masks:
                    masks[base_key] = _mask(base, index.size)
                count = (masks[base_key] & dense).bit_count()
            if count or value in chosen:
                values.append(FacetValue(value, count, value in chosen))
        if name == "year":
            values.sort(key=lambda item: item.value, reverse=True)
        else:
            values.sort(key=lambda item: (-item.count, item.value.casefold()))
        facets[name] = [item for rank, item in enumerate(values) if item.selected or rank < FACET_LIMIT]
    return facets


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


# -- Suggestions -----------------------------------------------------------------------------


def _unknown_words(generation: Generation, text: str, query: wq.Query) -> list[tuple[int, int, str]]:
    """(start, end, word) of each English word the query looks for that no document holds."""
    reader = generation.searcher.reader()
    unknown = []
    for node in highlight.positive_leaves(query):
        if not isinstance(node, wq.Term) or node.fieldname != FIELD or getattr(node, "startchar", None) is None:
            continue
        word = text[node.startchar : node.endchar]
        if word.isascii() and word.isalpha() and len(word) > 2 and reader.doc_frequency(FIELD, node.text) == 0:
            unknown.append((node.startchar, node.endchar, word))
    return unknown


def _suggestion(generation: Generation, text: str, query: wq.Query) -> str | None:
    """The query with each English word the index does not hold replaced by the closest word
    it does hold (spelled as a document spells it), or None."""
    replacements = []
    for start, end, word in _unknown_words(generation, text, query):
        better = _closest_word(generation, normalise(word))
        if better and better != normalise(word):
            replacements.append((start, end, better))
    if not replacements:
        return None
    suggestion = text
    for start, end, better in sorted(replacements, reverse=True):
        suggestion = suggestion[:start] + better + suggestion[end:]
    return suggestion


def _closest_word(generation: Generation, word: str) -> str | None:
    reader = generation.searcher.reader()
    target = stem(word)
    best = None
    for distance in (1, 2):
        candidates = [term for term in reader.terms_within(FIELD, target, distance, prefix=1) if term.isalpha()]
        if candidates:
            best = max(candidates, key=lambda term: (reader.doc_frequency(FIELD, term), term))
            break
    if best is None:
        return None
    return _surface_form(generation, best)


def _surface_form(generation: Generation, term: str) -> str | None:
    """How the first document holding ``term`` writes it ("extradit" -> "extradition")."""
    reader = generation.searcher.reader()
    matcher = reader.postings(FIELD, term)
    if not matcher.is_active():
        return None
    document = generation.document(matcher.id())
    start = document.offsets[matcher.value_as("positions")[0]]
    window = document.content(start, start + MAX_WORD_LENGTH + 1)
    return normalise(window[: token_length(window)])


# -- One document ----------------------------------------------------------------------------


def get_document(
    live: LiveIndex, doc_id: str, q: str | None = None, *, max_chars: int = _MAX_CHARS, max_terms: int = _MAX_TERMS
) -> DocumentView | None:
    """The document ``doc_id`` with every match of ``q`` marked; None when there is no such id."""
    with live.use() as generation:
        searcher = generation.searcher
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return None
        document = generation.document(docnum)
        spans: list[highlight.Span] = []
        also: list[AlsoMatched] = []
        if q and q.strip():
            cleaned = clean_query(q, max_chars)
            query = parse(generation, cleaned, max_terms)
            units = highlight.match_units(query, searcher.reader(), FIELD, max_terms)
            postings = Postings(searcher, FIELD)
            spans = highlight.find_spans(postings, docnum, units, document, limit=MAX_MARKS)
            also = script_forms(cleaned)
    text = str(document.text)
    title_html, text_spans = _split_spans(document, spans)
    truncated = len(text_spans) > MAX_MARKS
    text_spans = text_spans[:MAX_MARKS]
    return DocumentView(
        id=doc_id,
        record=document.record,
        text=text,
        title_html=title_html,
        pages=_paged(text, text_spans, document.record.get("pages") or []),
        matches=len(text_spans),
        truncated=truncated,
        also_matched=also,
    )


def _paged(text: str, spans: list[highlight.Span], pages: list[int]) -> list[tuple[int | None, Markup]]:
    """The marked text cut at its page breaks: (page number or None, HTML) pairs."""
    if not pages:
        return [(None, highlight.mark(text, spans, ids=True))]
    parts = []
    bounds = [*pages, len(text)]
    number = 0
    for page, (start, end) in enumerate(itertools.pairwise(bounds), 1):
        inside = highlight.shift([s for s in spans if start <= s.start < end], start, end - start)
        parts.append((page, highlight.mark(text[start:end].rstrip("\n"), inside, ids=True, first=number + 1)))
        number += len(inside)
    return parts
