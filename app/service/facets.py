"""Facets: the documents each filter value selects, and counts of the values among the results.

Values that differ only in case or in Chinese script are one value, as they are one word to the
search (Unicode case folding: ``Press Freedom`` is ``press freedom``, ``zh-hant`` is ``zh-Hant``;
Chinese folded as the analysis folds it: ``國安法`` is ``国安法``), shown in the spelling most
documents use. The year facet has one more value, ``undated``, for the documents without a date.
Counting is a tally (``tally``) per facet: a value many documents have is a bitmap ANDed with
the matches', the rows (document, value) of the others are read for the matched documents alone.

The glossary concepts a document names are one more filter (``concept``), where a document must
name every concept chosen, not one of them: a reader narrows 2,000 hits on 國安法 to those naming
one defendant, then one court. Their counts, over the matches that every filter allows, are
shown as a facet per group of categories (``CONCEPT_FACETS``: people, organisations...).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .. import glossary
from ..analysis.chinese import fold
from ..index import packing
from .results import CONCEPT, CONCEPT_FACETS, FACETS, FILTERS, UNDATED, FacetValue, SearchRequest
from .tally import Tally

# Facet parameter -> the table's field a filter matches, and the field whose values are shown
# (``lang`` filters on families, zh for any Chinese; it shows each document's own tags).
_FILTER_FIELD = {"lang": "lang", "year": "year", "author": "author", "tag": "tag", CONCEPT: CONCEPT}
_SHOWN_FIELD = {"lang": "language", "year": "year", "author": "author", "tag": "tag", CONCEPT: CONCEPT}
# Values shown per facet (chosen values are always shown).
FACET_LIMIT = 12


def facet_key(value: str) -> str:
    """What makes two facet values the same value: their Unicode case folding, and Chinese
    folded to one script character by character, as the search folds it (``chinese.fold``)."""
    return fold(value).casefold()


def spellings(values: list[str], documents: Iterable[int]) -> dict[str, str]:
    """The spelling shown for each key (``facet_key``) of ``values``, given how many documents
    use each spelling: the most used, and of those the first in code point order."""
    best: dict[str, tuple[int, str]] = {}
    for value, count in zip(values, documents, strict=True):
        key = facet_key(value)
        if key not in best or (-count, value) < (-best[key][0], best[key][1]):
            best[key] = (count, value)
    return {key: value for key, (_count, value) in best.items()}


@dataclass(frozen=True)
class Facet:
    """One facet: a value per key (its shown spelling), which are shown, how many live
    documents have each, the facet's (document, value) rows, one per document and key, sorted
    by document, and their tally for counting."""

    values: list[str]
    numbers: dict[str, int]
    shown: np.ndarray
    documents: np.ndarray
    keys: np.ndarray
    value_of: np.ndarray
    tally: Tally

    @functools.cached_property
    def rank(self) -> np.ndarray:
        """Each value's place in code point order (made when first asked for)."""
        return np.argsort(np.argsort(np.array(self.values, dtype=object)))

    def count(self, allowed: np.ndarray) -> np.ndarray:
        """How many of the documents ``allowed`` (a mask over keys) have each value."""
        return self.tally.count(allowed)

    def number(self, value: str) -> int | None:
        """The number of ``value`` (in any spelling), None when no document has it."""
        return self.numbers.get(facet_key(value))


@dataclass(frozen=True)
class FacetIndex:
    """Every facet of a generation, and the size of its key space."""

    facets: dict[str, Facet]
    size: int

    @functools.cached_property
    def concept_places(self) -> np.ndarray:
        """Each concept value's facet, as its place in ``CONCEPT_FACETS`` (-1 for none), made
        when first asked for."""
        place_of = {name: place for place, name in enumerate(CONCEPT_FACETS)}
        facet_of = _concept_groups()
        values = self.facets[CONCEPT].values
        return np.array([place_of.get(facet_of.get(value, ""), -1) for value in values], dtype=np.int64)

    def known(self, name: str) -> list[str]:
        """The values of facet ``name`` that live documents have, in code point order."""
        facet = self.facets[name]
        return sorted(value for number, value in enumerate(facet.values) if facet.documents[number])

    def chosen(self, request: SearchRequest) -> dict[str, np.ndarray]:
        """For each facet the request filters on, the mask of the documents it allows."""
        return {name: self.selected(name, values) for name, values in request.filters().items()}

    def selected(self, name: str, chosen) -> np.ndarray:
        """Mask of the documents having any of the ``chosen`` values of facet ``name`` (for
        ``concept``: naming every one of them)."""
        facet = self.facets[name]
        numbers = [facet.number(value) for value in chosen]
        if name == CONCEPT:
            masks = [self._having(facet, [number] if number is not None else []) for number in numbers]
            return functools.reduce(np.logical_and, masks) if masks else np.ones(self.size, dtype=bool)
        return self._having(facet, [number for number in numbers if number is not None])

    def _having(self, facet: Facet, numbers: list[int]) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[facet.keys[np.isin(facet.value_of, numbers)]] = True
        return mask

    def shown_filters(self, request: SearchRequest) -> dict[str, tuple[str, ...]]:
        """The request's filters with each value as the facets show it (one per key); a value
        no document has stays as given."""
        shown = {}
        for name, chosen in request.filters().items():
            facet = self.facets[name]
            values = {}
            for value in chosen:
                number = facet.number(value)
                values.setdefault(facet_key(value), value if number is None else facet.values[number])
            shown[name] = tuple(values.values())
        return shown


def facet_index(generation) -> FacetIndex:
    """The facet index of ``generation``, made once."""
    table = generation.table
    return generation.memo(
        "facets", lambda: FacetIndex({name: _facet(table, name) for name in FILTERS}, table.live.size)
    )


def _facet(table, name: str) -> Facet:
    """Facet ``name`` of ``table``: its values joined by key, each shown as most live documents
    spell it."""
    values, keys, value_of = _rows(table, name)
    used = np.bincount(value_of[table.live[keys]], minlength=len(values))
    shown_as = spellings(values, used.tolist())
    numbers = {key: number for number, key in enumerate(shown_as)}
    group = np.array([numbers[facet_key(value)] for value in values], dtype=np.int64)
    # A document spelling a value two ways counts once: one row per (document, key).
    rows = packing.unique(packing.pack(keys, group[value_of])) if keys.size else keys
    rows_keys, rows_values = packing.unpack(rows)
    shown_field = _SHOWN_FIELD[name]
    shown_values = values if shown_field == _FILTER_FIELD[name] else table.facet_values[shown_field]
    shown_keys = {facet_key(value) for value in shown_values}
    return Facet(
        list(shown_as.values()),
        numbers,
        np.array([key in shown_keys for key in shown_as], dtype=bool),
        np.bincount(rows_values[table.live[rows_keys]], minlength=len(shown_as)),
        rows_keys,
        rows_values,
        Tally.of(rows_keys, rows_values, len(shown_as), table.live.size),
    )


def _rows(table, name: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(values, keys, value numbers) of the table's field for facet ``name``, one row per value a
    document has; the year facet gives every document without a year the value ``UNDATED``."""
    field = _FILTER_FIELD[name]
    values = list(table.facet_values[field])
    keys, value_of = table.facet(field)
    keys, value_of = keys.astype(np.int64), value_of.astype(np.int64)
    if name == "year":
        has_year = np.zeros(table.live.size, dtype=bool)
        has_year[keys] = True
        undated = np.flatnonzero(~has_year)
        keys = np.concatenate([keys, undated])
        value_of = np.concatenate([value_of, np.full(undated.size, len(values), dtype=np.int64)])
        values.append(UNDATED)
    return values, keys, value_of


def allowed(chosen_masks: dict[str, np.ndarray]) -> np.ndarray | None:
    """The documents every filter allows (a mask over keys), or None without filters."""
    return functools.reduce(np.logical_and, chosen_masks.values()) if chosen_masks else None


def counts(
    index: FacetIndex, matched: np.ndarray, request: SearchRequest, chosen_masks: dict[str, np.ndarray]
) -> dict[str, list[FacetValue]]:
    """Counts per facet value among the ``matched`` keys, each facet filtered by the other facets'
    choices (``chosen_masks``, from ``FacetIndex.chosen``), so a chosen value can be widened as well
    as narrowed."""
    matched_mask = np.zeros(index.size, dtype=bool)
    matched_mask[matched] = True
    result: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        facet = index.facets[name]
        base = matched_mask
        for other, mask in chosen_masks.items():
            if other != name:
                base = base & mask
        found = facet.count(base)
        chosen = {number for value in getattr(request, name) if (number := facet.number(value)) is not None}
        values = [
            FacetValue(value, int(found[number]), number in chosen)
            for number, value in enumerate(facet.values)
            if (facet.shown[number] or number in chosen) and (found[number] or number in chosen)
        ]
        if name == "year":
            # Newest year first, undated last, and always listed: it is not one year among many.
            values.sort(key=lambda item: (item.value != UNDATED, item.value), reverse=True)
        else:
            values.sort(key=lambda item: (-item.count, facet_key(item.value), item.value))
        result[name] = [
            item for rank, item in enumerate(values) if item.selected or rank < FACET_LIMIT or item.value == UNDATED
        ]
    result.update(_concept_counts(index, matched_mask, request, chosen_masks))
    return result


def _concept_counts(
    index: FacetIndex, matched_mask: np.ndarray, request: SearchRequest, chosen_masks: dict[str, np.ndarray]
) -> dict[str, list[FacetValue]]:
    """The concepts the matches name, counted over those every filter allows (a concept chosen
    narrows: the others count among the documents naming it), a facet per ``CONCEPT_FACETS``."""
    facet = index.facets[CONCEPT]
    base = functools.reduce(np.logical_and, chosen_masks.values(), matched_mask)
    found = facet.count(base)
    chosen = set(request.concept)
    group_of = _concept_groups()
    concepts = glossary.load()
    grouped: dict[str, list[FacetValue]] = {}
    # The most named first, ties by id: only the first FACET_LIMIT of each facet, and the chosen, are made.
    numbers = np.flatnonzero(found)
    numbers = numbers[np.lexsort((facet.rank[numbers], -found[numbers]))]
    places = index.concept_places[numbers]
    for place, name in enumerate(CONCEPT_FACETS):
        mine = numbers[places == place].tolist()
        kept = mine[:FACET_LIMIT] + [number for number in mine[FACET_LIMIT:] if facet.values[number] in chosen]
        items = grouped[name] = []
        for number in kept:
            value = facet.values[number]
            items.append(FacetValue(value, int(found[number]), value in chosen, concepts.concept(value).names))
    for value in chosen - {item.value for items in grouped.values() for item in items}:
        if value in group_of:
            grouped[group_of[value]].append(FacetValue(value, 0, True, concepts.concept(value).names))
    for values in grouped.values():
        values.sort(key=lambda item: (-item.count, item.value))
    return grouped


def concept_facet(concept_id: str) -> str:
    """The facet (``CONCEPT_FACETS``) that lists the concept ``concept_id``."""
    return _concept_groups()[concept_id]


@functools.lru_cache(maxsize=1)
def _concept_groups() -> dict[str, str]:
    """The facet (``CONCEPT_FACETS``) of each concept of the glossary, by its id."""
    facet_of = {category: name for name, categories in CONCEPT_FACETS.items() for category in categories}
    return {concept.id: facet_of[concept.category] for concept in glossary.load().concepts}
