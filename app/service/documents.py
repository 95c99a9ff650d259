"""One document for reading: its metadata and text, with every match of a query marked."""

from __future__ import annotations

import itertools

import numpy as np

from ..highlight.spans import Span, find_spans, marked_metadata, marked_parts, shift, unit_starts
from ..highlight.units import match_units
from ..index.readers import LiveIndex
from ..index.schema import CONTENT
from ..query.evaluate import PostingsReader
from ..query.parse import clean_query, parse
from .results import AlsoMatched, DocumentView, PageText
from .search import MAX_CHARS, MAX_TERMS, script_forms

# Most marks drawn on one document page.
MAX_MARKS = 5000


def get_document(
    live: LiveIndex, doc_id: str, q: str | None = None, *, max_chars: int = MAX_CHARS, max_terms: int = MAX_TERMS
) -> DocumentView | None:
    """The document ``doc_id`` with every match of ``q`` marked; None when there is no such id."""
    with live.use() as generation:
        key = generation.key_of(doc_id)
        if key is None:
            return None
        document = generation.document(key)
        spans: list[Span] = []
        also: list[AlsoMatched] = []
        if q and q.strip():
            cleaned = clean_query(q, max_chars)
            query = parse(generation, cleaned, max_terms)
            units = match_units(query, generation.terms, CONTENT, max_terms)
            starts = unit_starts(PostingsReader(generation.terms), units, np.array([key]))
            spans = find_spans(starts, key, units, document, limit=MAX_MARKS)
            also = script_forms(cleaned)
        warnings = generation.warnings(document.record["path"])
    text = str(document.text)
    title, text_spans = marked_parts(document, spans)
    truncated = len(text_spans) > MAX_MARKS
    text_spans = text_spans[:MAX_MARKS]
    return DocumentView(
        id=doc_id,
        record=document.record,
        text=text,
        title=title,
        pages=_paged(text, text_spans, document.record.get("pages") or []),
        matches=len(text_spans),
        truncated=truncated,
        also_matched=also,
        warnings=warnings,
        metadata=marked_metadata(document, spans),
    )


def _paged(text: str, spans: list[Span], pages: list[int]) -> list[PageText]:
    """The text cut at its page breaks, each page with its matches."""
    if not pages:
        return [PageText(text, tuple(spans))]
    parts = []
    bounds = [*pages, len(text)]
    number = 0
    for page, (start, end) in enumerate(itertools.pairwise(bounds), 1):
        inside = shift([s for s in spans if start <= s.start < end], start, end - start)
        parts.append(PageText(text[start:end].rstrip("\n"), tuple(inside), number=page, first=number + 1))
        number += len(inside)
    return parts
