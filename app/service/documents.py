"""One document for reading: its metadata and text, with every match of a search marked as its
results mark them (``marks``)."""

from __future__ import annotations

import itertools

import numpy as np

from .. import glossary
from ..highlight.spans import Span
from ..index.readers import LiveIndex
from ..query.dates import take_dates
from ..query.parse import clean_query
from .copies import copies_of
from .facets import concept_facet
from .marks import also_matched, marking, marks, starts_in, unmarked
from .results import CONCEPT_FACETS, AlsoMatched, DocumentView, Held, NamedConcept, PageText, SearchRequest
from .search import MAX_CHARS, MAX_TERMS

# Most marks drawn on one document page.
MAX_MARKS = 5000
# Most of the documents found in one (a mailbox's messages) its page lists.
MAX_HELD = 500


def get_document(
    live: LiveIndex,
    doc_id: str,
    request: SearchRequest | None = None,
    *,
    max_chars: int = MAX_CHARS,
    max_terms: int = MAX_TERMS,
) -> DocumentView | None:
    """The document ``doc_id`` with every match of ``request`` marked (its query and whether it
    searched translations: what its results marked); None when there is no such id."""
    with live.use() as generation:
        key = generation.key_of(doc_id)
        if key is None:
            return None
        document = generation.document(key)
        found = unmarked(document)
        also: list[AlsoMatched] = []
        if request is not None and request.q.strip():
            # The words of the query: its date ranges chose documents, and mark nothing.
            cleaned = take_dates(clean_query(request.q, max_chars)).words
            wanted = marking(generation, cleaned, request.expand and not request.exact, max_terms, request.exact)
            found = marks(document, key, starts_in(generation, wanted, np.array([key])), wanted, MAX_MARKS)
            also = [] if request.exact else also_matched(cleaned, wanted.expansions)
        warnings = own_warnings(generation.warnings(document.record["path"]), document.record)
        children = generation.table.children(key)
        held = [_held(generation.record(int(child))) for child in children[:MAX_HELD]]
        copies = copies_of(generation, key, record=document.record)
    text = str(document.text)
    text_spans = list(found.text[:MAX_MARKS])
    return DocumentView(
        id=doc_id,
        record=document.record,
        text=text,
        title=found.title,
        pages=_paged(text, text_spans, document.record),
        matches=len(text_spans),
        truncated=len(found.text) > MAX_MARKS,
        also_matched=also,
        warnings=warnings,
        metadata=found.metadata,
        request=request if request is not None and request.q.strip() else None,
        spans=tuple(text_spans),
        matched_in=found.matched_in,
        translations=found.translations,
        held=held,
        held_total=int(children.size),
        named=named_concepts(document.concepts),
        copies=copies,
    )


def named_concepts(found: list[tuple[str, int]]) -> list[NamedConcept]:
    """The concepts a document names (``found``: id and how often, as stored), as its page lists
    them: by facet, then the most named first (a concept the glossary no longer has is left out)."""
    concepts = glossary.load()
    named = []
    for concept_id, count in found:
        if concept_id in concepts.ids:
            concept = concepts.concept(concept_id)
            query = f'"{concept.forms[0]}"'
            named.append(NamedConcept(concept.id, concept_facet(concept.id), count, concept.names, query))
    order = list(CONCEPT_FACETS)
    return sorted(named, key=lambda item: (order.index(item.facet), -item.count, item.id))


def _held(record: dict) -> Held:
    return Held(record["id"], record["title"], record.get("name") or "")


def own_warnings(warnings: list[str], record: dict) -> list[str]:
    """Of the warnings of a document's file, those of the document: all of them for the file's
    own (a container's name its members), those a member's place in the file begins for a
    member, without it."""
    within = record.get("within")
    if not within:
        return warnings
    prefix = "/".join(within["steps"]) + ": "
    return [warning[len(prefix) :] for warning in warnings if warning.startswith(prefix)]


def _paged(text: str, spans: list[Span], record: dict) -> list[PageText]:
    """The text cut at its page breaks (the record's ``pages``), each page with its matches and
    whether OCR read it (the record's ``ocr``); a match across a page break (a paragraph runs on
    to the next page) is marked on both, up to the break and from it."""
    pages = record.get("pages") or []
    if not pages:
        return [PageText(text, tuple(spans))]
    recognised = {item["page"]: item.get("confidence") for item in record.get("ocr") or []}
    # An image file's pages are pictures whether or not OCR found text in them.
    pictures = record.get("format") == "image"
    names = record.get("page_names") or []
    parts = []
    bounds = [*pages, len(text)]
    number = 0
    for page, (start, end) in enumerate(itertools.pairwise(bounds), 1):
        shown = text[start:end].rstrip("\n")
        stop = start + len(shown)
        inside = [
            Span(max(span.start, start) - start, min(span.end, stop) - start, span.unit)
            for span in spans
            if span.start < stop and span.end > start
        ]
        continued = any(span.start < start < span.end for span in spans)
        ocr = page in recognised
        parts.append(
            PageText(
                shown,
                tuple(inside),
                number=page,
                first=number + 1,
                continued=continued,
                ocr=ocr,
                confidence=recognised.get(page),
                image=ocr or pictures,
                name=names[page - 1] if page <= len(names) else None,
            )
        )
        number += len(inside) - continued
    return parts
