"""Find where a query matched in a document, and mark it in the document's own words.

The character offsets come from the index's postings, so highlighting never analyses the text
again, however long it is. Marks go on the original text: the query 人权 marks 人權 where the
document writes 人權. Everything but the ``<mark>`` tags is HTML-escaped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from markupsafe import Markup, escape
from whoosh import query as wq
from whoosh.reading import IndexReader

from .analysis.scripts import MAX_WORD_LENGTH, is_han, token_length
from .positions import Postings, all_starts
from .textstore import StoredDocument

# Characters of context in a snippet fragment, and before its first match.
SNIPPET_CHARS = 240
LEAD_CHARS = 60
# A snippet is chosen among the first matches of each unit in the text: enough to find the
# passage where the query's words gather, without placing every match of a long document.
MAX_OCCURRENCES = 64
_WHITESPACE = re.compile(r"\s+")
# Spans further apart than this are never one run (and the text between is not read).
_MERGE_GAP = 8


@dataclass(frozen=True)
class MatchUnit:
    """What the query looks for: one term, or a phrase of terms in a row."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Span:
    """A matched run of the text, and which unit of the query it matched."""

    start: int
    end: int
    unit: int


def positive_leaves(query: wq.Query) -> Iterator[wq.Query]:
    """The terms, phrases and patterns of ``query`` that a document must or may match
    (what NOT excludes is left out)."""
    if isinstance(query, wq.Not):
        return
    if isinstance(query, wq.AndNot):
        yield from positive_leaves(query.a)
        return
    if isinstance(query, wq.Phrase | wq.Term | wq.MultiTerm):
        yield query
        return
    for child in query.children():
        yield from positive_leaves(child)


def match_units(query: wq.Query, reader: IndexReader, fieldname: str, limit: int) -> list[MatchUnit]:
    """The terms and phrases of ``query`` on ``fieldname``, patterns expanded to their terms."""
    units: list[MatchUnit] = []
    for node in positive_leaves(query):
        if node.fieldname != fieldname:
            continue
        if isinstance(node, wq.Phrase):
            _add(units, MatchUnit(tuple(node.words)))
        elif isinstance(node, wq.Term):
            _add(units, MatchUnit((node.text,)))
        else:
            field = reader.schema[fieldname]
            for count, btext in enumerate(node._btexts(reader)):
                if count >= limit:
                    break
                _add(units, MatchUnit((field.from_bytes(btext),)))
    return units


def _add(units: list[MatchUnit], unit: MatchUnit) -> None:
    if unit.words and unit not in units:
        units.append(unit)


def find_spans(
    postings: Postings, docnum: int, units: list[MatchUnit], document: StoredDocument, limit: int = MAX_OCCURRENCES
) -> list[Span]:
    """Where each unit matches in document ``docnum``, in text order, as offsets into its
    indexed content (at most ``limit`` matches of each unit)."""
    occurrences: dict[str, list[int]] = {}
    spans: list[Span] = []
    for index, unit in enumerate(units):
        for word in unit.words:
            if word not in occurrences:
                occurrences[word] = postings.positions(word, docnum)
        if len(unit.words) > 1:
            first_positions = all_starts([occurrences[word] for word in unit.words])
        else:
            first_positions = occurrences[unit.words[0]]
        last = len(unit.words) - 1
        for pos in first_positions[:limit]:
            start = document.offsets[pos]
            end_start = document.offsets[pos + last] if last else start
            window = document.content(end_start, end_start + MAX_WORD_LENGTH + 1)
            spans.append(Span(start, end_start + max(1, token_length(window)), index))
    spans.sort(key=lambda span: (span.start, -span.end))
    return spans


def merge(spans: Iterable[Span], text: str) -> list[Span]:
    """Join overlapping spans, and spans apart only by spaces, into one run each."""
    merged: list[Span] = []
    for span in spans:
        gap = span.start - merged[-1].end if merged else None
        if merged and (gap <= 0 or (gap <= _MERGE_GAP and not text[merged[-1].end : span.start].strip())):
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.unit)
        else:
            merged.append(span)
    return merged


def shift(spans: Iterable[Span], offset: int, length: int) -> list[Span]:
    """Spans of a part of the indexed string (starting at ``offset``), in that part's offsets."""
    return [
        Span(span.start - offset, span.end - offset, span.unit)
        for span in spans
        if span.start >= offset and span.end <= offset + length
    ]


def mark(text: str, spans: list[Span], ids: bool = False, first: int = 1) -> Markup:
    """``text`` escaped, with each span in ``<mark>``; ``ids`` numbers them ``match-<first>``..."""
    parts: list[str] = []
    position = 0
    for number, span in enumerate(spans, first):
        parts.append(escape(text[position : span.start]))
        attributes = f' id="match-{number}"' if ids else ""
        parts.append(Markup(f"<mark{attributes}>") + escape(text[span.start : span.end]) + Markup("</mark>"))
        position = span.end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


@dataclass(frozen=True)
class Snippet:
    """A short extract around the best matches, as HTML, and the PDF page it comes from."""

    html: Markup
    start: int
    page: int | None


def snippet(
    text: str,
    spans: list[Span],
    pages: list[int] | None = None,
    width: int = SNIPPET_CHARS,
    preferred: frozenset[int] = frozenset(),
) -> Snippet:
    """The stretch of ``text`` of about ``width`` characters that shows the most of the query;
    where the text holds ``preferred`` units (the words as typed), the stretch shows those."""
    if not spans:
        width = _columns(text, 0, width)
        end = _word_end(text, min(len(text), width))
        return Snippet(_fragment(text, 0, end, []), 0, _page(pages, 0))
    candidates = [span for span in spans if span.unit in preferred] or spans
    width = _columns(text, candidates[0].start, width)
    lead = width * LEAD_CHARS // SNIPPET_CHARS
    anchor = candidates[_densest(candidates, width - lead)]
    start = _word_start(text, max(0, anchor.start - lead))
    end = _word_end(text, min(len(text), max(start + width, anchor.end)))
    inside = [span for span in spans if span.start >= start and span.end <= end]
    return Snippet(_fragment(text, start, end, inside), start, _page(pages, anchor.start))


def _columns(text: str, near: int, width: int) -> int:
    """``width`` in characters of the text near ``near``: a Chinese character fills two columns."""
    sample = text[near : near + 40]
    wide = sum(1 for char in sample if is_han(char))
    return width // 2 if sample and wide * 2 > len(sample) else width


def _densest(spans: list[Span], reach: int) -> int:
    """Index of the span that opens the window of ``reach`` characters with the most distinct
    units of the query, then the most matches (a sliding window: one pass)."""
    best, best_key = 0, (0, 0)
    units: dict[int, int] = {}
    right = 0
    for left, first in enumerate(spans):
        while right < len(spans) and spans[right].start < first.start + reach:
            units[spans[right].unit] = units.get(spans[right].unit, 0) + 1
            right += 1
        key = (len(units), right - left)
        if key > best_key:
            best, best_key = left, key
        units[first.unit] -= 1
        if not units[first.unit]:
            del units[first.unit]
    return best


def _fragment(text: str, start: int, end: int, spans: list[Span]) -> Markup:
    local = [Span(span.start - start, span.end - start, span.unit) for span in spans]
    # Line breaks and runs of spaces read as one space in a snippet; tags hold no whitespace runs.
    html = Markup(_WHITESPACE.sub(" ", str(mark(text[start:end], local))).strip())
    return (Markup("… ") if start > 0 else Markup("")) + html + (Markup(" …") if end < len(text) else Markup(""))


def _word_start(text: str, index: int) -> int:
    """Move ``index`` back to the start of the word it falls in (Latin words are not cut)."""
    limit = max(0, index - 20)
    while index > limit and text[index - 1].isalnum() and text[index - 1].isascii():
        index -= 1
    return index


def _word_end(text: str, index: int) -> int:
    limit = min(len(text), index + 20)
    while index < limit and text[index].isalnum() and text[index].isascii():
        index += 1
    return index


def _page(pages: list[int] | None, offset: int) -> int | None:
    """The 1-based page holding ``offset``, for documents that have pages."""
    if not pages:
        return None
    return bisect_right(pages, offset)
