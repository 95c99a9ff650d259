"""What a search marks in a document: one marking for the results and the document page.

A request's ``Marking`` is what it looks for: the query's units (terms and phrases, patterns
expanded, translations added), which of them are the words as typed, and the glossary form each
other unit comes from. ``marks`` places a marking in one document: the spans over its title, its
text and each metadata value, and which translations matched. A result's snippet is a window
over these marks and its document page shows them all, so the page marks what the result marked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from .. import glossary
from ..analysis import scripts
from ..analysis.chinese import script_variants
from ..highlight.spans import Marked, MetadataValue, Span, find_spans, marked_metadata, marked_parts, unit_starts
from ..highlight.units import MatchUnit, match_units
from ..index.readers import Generation
from ..index.schema import CONTENT
from ..index.textstore import StoredDocument
from ..query.evaluate import PostingsReader
from ..query.expand import Expansion, expand
from ..query.parse import parse
from .results import AlsoMatched, Translation

# Spellings of one translation named (the first the document writes, each once).
MAX_SPELLINGS = 3
# For each unit of a marking, the positions where it starts in each document read for it.
Starts = list[dict[int, np.ndarray]]


@dataclass(frozen=True)
class Source:
    """The glossary form a unit of the query was searched for, and the part of the query as
    typed that it translates."""

    form: str
    typed: str
    concept: str


@dataclass(frozen=True)
class Marking:
    """What a query looks for in a document, as typed and translated."""

    typed: wq.Query
    query: wq.Query  # the query searched: ``typed`` with the glossary's forms added
    expansions: list[Expansion]
    units: list[MatchUnit]
    sources: tuple[Source | None, ...]  # for each unit, the translation it comes from; None: typed

    @property
    def preferred(self) -> frozenset[int]:
        """The units of the words as typed, when translations were added (without translations,
        every unit is as typed and none is preferred)."""
        if not self.expansions:
            return frozenset()
        return frozenset(index for index, source in enumerate(self.sources) if source is None)


def marking(generation: Generation, text: str, translations: bool, max_terms: int, exact: bool = False) -> Marking:
    """The query ``text`` (cleaned) parsed and, with ``translations``, widened by the glossary
    (``exact``: only the characters as typed are marked); ``QueryError`` when it cannot be
    searched."""
    typed = parse(generation, text, max_terms)
    query, expansions = typed, []
    if translations:
        expanded, expansions = expand(typed, text, glossary.load(), CONTENT)
        if expansions:
            query = expanded
    units = match_units(query, generation.terms, CONTENT, max_terms, exact)
    if not expansions:
        return Marking(typed, query, expansions, units, (None,) * len(units))
    as_typed = set(match_units(typed, generation.terms, CONTENT, max_terms))
    of_forms: dict[MatchUnit, Source] = {}
    for expansion in expansions:
        source = {"typed": expansion.typed, "concept": expansion.concept.id}
        for form, form_query in zip(expansion.forms, expansion.queries, strict=True):
            for unit in match_units(form_query, generation.terms, CONTENT, max_terms) if form_query else ():
                of_forms.setdefault(unit, Source(form, **source))
    sources = tuple(None if unit in as_typed else of_forms.get(unit) for unit in units)
    return Marking(typed, query, expansions, units, sources)


@dataclass(frozen=True)
class Marks:
    """Where a marking matched one document: its title, the spans over its text (in the text's
    offsets), each searched metadata value, and the translations that matched."""

    title: Marked
    text: tuple[Span, ...]
    metadata: list[MetadataValue]
    translations: tuple[Translation, ...]
    # True when the words as typed matched (not only their translations), or nothing matched.
    as_typed: bool

    @property
    def matched_in(self) -> tuple[str, ...]:
        """Where the query matched: title, text, then each metadata field, in that order."""
        found = [name for name, spans in (("title", self.title.spans), ("text", self.text)) if spans]
        found += dict.fromkeys(value.field for value in self.metadata if value.spans)
        return tuple(found)


def starts_in(
    generation: Generation, found: Marking, keys: np.ndarray, postings: PostingsReader | None = None
) -> Starts:
    """Where each unit of ``found`` starts in the documents ``keys``; ``postings``: those a
    search has read already (not read again)."""
    return unit_starts(postings or PostingsReader(generation.terms), found.units, keys)


def marks(document: StoredDocument, key: int, starts: Starts, found: Marking, limit: int) -> Marks:
    """What ``found`` marks in ``document`` (its key ``key``; ``starts`` from ``starts_in``),
    placing at most ``limit`` matches of each unit."""
    spans = find_spans(starts, key, found.units, document, limit=limit)
    spans = [span for span in spans if _written_as_typed(document, span, found.units[span.unit])]
    return _marks(document, spans, found.sources)


def _written_as_typed(document: StoredDocument, span: Span, unit: MatchUnit) -> bool:
    """True unless the search asked for the characters as typed and the span writes others (人權
    where 人权 was typed); the layout between them (a line break) does not count."""
    if unit.typed is None:
        return True
    written = "".join(document.content(span.start, span.end).split())
    return written.casefold() == "".join(unit.typed.split()).casefold()


def unmarked(document: StoredDocument) -> Marks:
    """``document`` with nothing marked (no query)."""
    return _marks(document, [], ())


def _marks(document: StoredDocument, spans: list[Span], sources: tuple[Source | None, ...]) -> Marks:
    title, text = marked_parts(document, spans)
    translated = [span for span in spans if sources[span.unit] is not None]
    return Marks(
        title=title,
        text=tuple(text),
        metadata=marked_metadata(document, spans),
        translations=_translations(document, translated, sources),
        as_typed=len(translated) < len(spans) or not spans,
    )


def _translations(
    document: StoredDocument, spans: list[Span], sources: tuple[Source | None, ...]
) -> tuple[Translation, ...]:
    """The translations the ``spans`` matched, in the order they first occur, each with the
    words as the document writes them."""
    spellings: dict[Source, dict[str, None]] = {}
    of_unit: dict[int, dict[str, None]] = {}  # a unit's source's spellings, not hashed span by span
    for span in spans:
        found = of_unit.get(span.unit)
        if found is None:
            found = of_unit[span.unit] = spellings.setdefault(sources[span.unit], {})
        found[" ".join(document.content(span.start, span.end).split())] = None
    return tuple(
        Translation(tuple(words)[:MAX_SPELLINGS], source.form, source.typed, source.concept)
        for source, words in spellings.items()
    )


def also_matched(text: str, expansions: list[Expansion]) -> list[AlsoMatched]:
    """What the query ``text`` was also searched as: its other scripts, then its translations."""
    return script_forms(text) + [
        AlsoMatched(item.typed, item.forms, kind="glossary", concept=item.concept.id) for item in expansions
    ]


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
