"""Where a query's units matched in a document: character spans over its own text.

The offsets come from the index's postings and the stored token offsets, so highlighting never
analyses the text again, however long it is. Spans index the original text: the query 人权
spans 人權 where the document writes 人權.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..analysis.scripts import MAX_WORD_LENGTH, token_length
from ..index.textstore import StoredDocument
from ..query.positions import Postings, all_starts
from .units import MatchUnit

# A snippet is chosen among the first matches of each unit in the text: enough to find the
# passage where the query's words gather, without placing every match of a long document.
MAX_OCCURRENCES = 64
# Spans further apart than this are never one run (and the text between is not read).
_MERGE_GAP = 8


@dataclass(frozen=True)
class Span:
    """A matched run of the text, ``start`` to ``end``, and which unit of the query it matched."""

    start: int
    end: int
    unit: int


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


@dataclass(frozen=True)
class Marked:
    """A text and the runs of it that matched the query: what every edge renders its own way."""

    text: str
    spans: tuple[Span, ...] = ()

    def marked(self) -> list[str]:
        """The text of each matched run, in order."""
        return [self.text[span.start : span.end] for span in self.spans]


def marked_parts(document: StoredDocument, spans: list[Span]) -> tuple[Marked, list[Span]]:
    """The title with its matches, and the spans that fall in the text (in the text's offsets)."""
    title_spans = merge(shift(spans, 0, len(document.title)), document.title)
    text_spans = merge(shift(spans, document.text_start, len(document.text)), document.text)
    return Marked(document.title, tuple(title_spans)), text_spans
