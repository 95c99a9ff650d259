"""Where a query's units matched in a document: character spans over its own text.

The offsets come from the index's postings and the stored token offsets, so highlighting never
analyses the text again, however long it is. Spans index the original text: the query 人权
spans 人權 where the document writes 人權.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..analysis.scripts import MAX_WORD_LENGTH, is_han
from ..analysis.tokens import matched_length
from ..index import packing
from ..index.textstore import StoredDocument
from ..query import phrase
from ..query.evaluate import PostingsReader
from ..tables_text import CELL
from .units import MatchUnit

# A snippet is chosen among the first matches of each unit in the text: enough to find the
# passage where the query's words gather, without placing every match of a long document.
MAX_OCCURRENCES = 64
# Spans further apart than this are never one run (and the text between is not read).
_MERGE_GAP = 8
# Characters read to find where a matched word ends: two words and the line end between them.
_WORD_WINDOW = 2 * MAX_WORD_LENGTH + 16


class Span(NamedTuple):
    """A matched run of the text, ``start`` to ``end``, and which unit of the query it matched.

    A named tuple, not a frozen dataclass: a page of results makes thousands (a document's first
    matches, moved into its title, text and snippet), and one took 530 ns to make against 230."""

    start: int
    end: int
    unit: int


def unit_starts(postings: PostingsReader, units: list[MatchUnit], keys: np.ndarray) -> list[dict[int, np.ndarray]]:
    """For each unit, the positions where it starts in each of the documents ``keys`` (a page of
    results). A term the search has read already is not read again, nor one whose postings the
    generation keeps; one it would keep is read whole, to be kept; others are read only in the
    blocks where the page's documents would be."""
    keys = np.sort(np.asarray(keys, dtype=np.int64))
    occurring: dict[str, np.ndarray] = {}

    def occurrences(word: str) -> np.ndarray:
        found = occurring.get(word)
        if found is None:
            if postings.at_hand(word):
                read = postings(word)
                found = phrase.occurrences(postings.terms, read, keys)
            else:
                owners, positions = postings.terms.positions_in_page(word, keys)
                found = packing.pack(owners, positions)
            occurring[word] = found
        return found

    result: list[dict[int, np.ndarray]] = []
    for unit in units:
        starts = None
        for word, offset in zip(unit.words, unit.offsets, strict=True):
            found = occurrences(word)
            if offset:
                found = found[packing.low(found) >= offset] - offset
            starts = found if starts is None else packing.intersect(starts, found)
            if not starts.size:
                break
        cuts = np.flatnonzero(np.diff(packing.high(starts))) + 1
        groups = np.split(starts, cuts)
        result.append({int(packing.high(group[0])): packing.low(group) for group in groups if group.size})
    return result


def find_spans(
    starts: list[dict[int, np.ndarray]],
    key: int,
    units: list[MatchUnit],
    document: StoredDocument,
    limit: int = MAX_OCCURRENCES,
) -> list[Span]:
    """Where each unit matches in document ``key``, in text order, as offsets into its indexed
    content (at most ``limit`` matches of each unit); ``starts`` from ``unit_starts``."""
    spans: list[Span] = []
    for index, unit in enumerate(units):
        first_positions = starts[index].get(key)
        if first_positions is None:
            continue
        first_positions = _placed(first_positions, limit, document)
        last = unit.offsets[-1]
        begins = document.offsets.many(first_positions)
        last_begins = document.offsets.many(first_positions + last) if last else begins
        last_word = unit.words[-1]
        if len(last_word) == 1 and is_han(last_word):  # a Han character is one character long
            ends = (last_begins + 1).tolist()
        else:  # a word, or the whole of a word hyphenated at a line end (hu-⏎man)
            ends = [
                begin + max(1, matched_length(document.content(begin, begin + _WORD_WINDOW), last_word))
                for begin in last_begins.tolist()
            ]
        spans += [Span(begin, end, index) for begin, end in zip(begins.tolist(), ends, strict=True)]
    spans.sort(key=lambda span: (span.start, -span.end))
    return spans


def _placed(positions: np.ndarray, limit: int, document: StoredDocument) -> np.ndarray:
    """The positions of a unit that are placed: the first ``limit``, and those in the metadata
    after the text (the last ones), however often the text holds the unit."""
    if positions.size <= limit or document.metadata_start is None:
        return positions[:limit]
    last = positions[max(limit, positions.size - limit) :]
    return np.concatenate([positions[:limit], last[document.offsets.many(last) >= document.metadata_start]])


def merge(spans: Iterable[Span], text: str) -> list[Span]:
    """Join overlapping spans, and spans apart only by spaces, into one run each (never across
    a table's cells: the unit separator between them is white space to Python, not to a reader)."""
    merged: list[Span] = []
    for span in spans:
        if merged:
            last = merged[-1]
            gap = span.start - last.end
            # The text between is read only when it is short enough to join across.
            if gap <= 0 or (gap <= _MERGE_GAP and _blank(text[last.end : span.start])):
                merged[-1] = Span(last.start, max(last.end, span.end), last.unit)
                continue
        merged.append(span)
    return merged


def _blank(between: str) -> bool:
    return not between.strip() and CELL not in between


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


@dataclass(frozen=True)
class MetadataValue(Marked):
    """A value of a document's searched metadata as the document wrote it, with its matches:
    its ``field`` (author, tags, description) and which of the field's values it is."""

    field: str = ""
    number: int = 0


def marked_metadata(document: StoredDocument, spans: list[Span]) -> list[MetadataValue]:
    """Every searched metadata value of the document, each with the spans that fall in it."""
    return [
        MetadataValue(
            part.value,
            tuple(merge(shift(spans, part.start, len(part.value)), part.value)),
            field=part.field,
            number=part.number,
        )
        for part in document.metadata
    ]


def by_field(values: Iterable[MetadataValue]) -> dict[str, list[MetadataValue]]:
    """``values`` grouped by their field, in the order they come."""
    fields: dict[str, list[MetadataValue]] = {}
    for value in values:
        fields.setdefault(value.field, []).append(value)
    return fields
