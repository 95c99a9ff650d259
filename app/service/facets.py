"""Facets: the documents each filter value selects, and counts of the values among the results."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .results import FACETS, FacetValue, SearchRequest

# Facet parameter -> the index field counted for it (``lang`` filters on families, counts tags).
_FACET_FIELD = {"lang": "language", "year": "year", "author": "author", "tag": "tag"}
_FILTER_FIELD = {"lang": "lang", "year": "year", "author": "author", "tag": "tag"}
# Values shown per facet (chosen values are always shown).
FACET_LIMIT = 12
# A value held by more than 1 document in this many is counted with bit masks.
_DENSE = 64


@dataclass(frozen=True)
class FacetIndex:
    """For each facet, the documents each filter value selects, and the values shown; values
    held by many documents also as a bit mask (bit n: document n), counted at C speed."""

    docs: dict[str, dict[str, frozenset[int]]]
    shown: dict[str, frozenset[str]]
    masks: dict[tuple[str, str], int]
    size: int

    def selected(self, request: SearchRequest) -> dict[str, set[int]]:
        """The documents each set filter of ``request`` allows, by facet."""
        return {name: _union(self.docs[name], values) for name, values in request.filters().items()}


def facet_index(generation) -> FacetIndex:
    """The facet index of ``generation``, read once: later searches count with set operations."""
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
        cached = generation.cache["facets"] = FacetIndex(docs, shown, masks, size)
    return cached


def intersect(sets: Iterable[set[int]]) -> set[int] | None:
    """The documents in every one of ``sets``; None when there are none (nothing filters)."""
    result = None
    for docs in sets:
        result = set(docs) if result is None else result & docs
    return result


def counts(
    index: FacetIndex, matched: set[int], selected: dict[str, set[int]], request: SearchRequest
) -> dict[str, list[FacetValue]]:
    """Counts per facet value, each facet filtered by the other facets' choices (so a chosen
    value can be widened as well as narrowed)."""
    facets: dict[str, list[FacetValue]] = {}
    masks: dict[frozenset[str], int] = {}  # the base of each facet as a mask, made once per base
    for name in FACETS:
        others = intersect(docs for other, docs in selected.items() if other != name)
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


def _mask(docnums: Iterable[int], size: int) -> int:
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
