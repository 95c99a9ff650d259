"""Facets: the documents each filter value selects, and counts of the values among the results.

Counting is one ``numpy.bincount`` per facet over the rows (document, value) of the generation's
table, whatever the number of results.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .results import FACETS, FacetValue, SearchRequest

# Facet parameter -> the table's field a filter matches, and the field whose values are shown
# (``lang`` filters on families, zh for any Chinese; it shows each document's own tags).
_FILTER_FIELD = {"lang": "lang", "year": "year", "author": "author", "tag": "tag"}
_SHOWN_FIELD = {"lang": "language", "year": "year", "author": "author", "tag": "tag"}
# Values shown per facet (chosen values are always shown).
FACET_LIMIT = 12


@dataclass(frozen=True)
class Facet:
    """One facet: its values, which of them are shown, and its (document, value) rows."""

    values: list[str]
    numbers: dict[str, int]
    shown: np.ndarray
    keys: np.ndarray
    value_of: np.ndarray


@dataclass(frozen=True)
class FacetIndex:
    """Every facet of a generation, and the size of its key space."""

    facets: dict[str, Facet]
    size: int

    def allowed(self, request: SearchRequest) -> np.ndarray | None:
        """The documents the request's filters allow (a mask over keys), or None without filters."""
        mask = None
        for name, chosen in request.filters().items():
            selected = self.selected(name, chosen)
            mask = selected if mask is None else mask & selected
        return mask

    def selected(self, name: str, chosen) -> np.ndarray:
        """Mask of the documents having any of the ``chosen`` values of facet ``name``."""
        facet = self.facets[name]
        numbers = [facet.numbers[value] for value in chosen if value in facet.numbers]
        mask = np.zeros(self.size, dtype=bool)
        mask[facet.keys[np.isin(facet.value_of, numbers)]] = True
        return mask


def facet_index(generation) -> FacetIndex:
    """The facet index of ``generation``, made once."""
    cached = generation.cache.get("facets")
    if cached is None:
        table = generation.table
        facets = {}
        for name in FACETS:
            values = table.facet_values[_FILTER_FIELD[name]]
            shown_values = set(table.facet_values[_SHOWN_FIELD[name]])
            keys, value_of = table.facet(_FILTER_FIELD[name])
            facets[name] = Facet(
                values,
                {value: number for number, value in enumerate(values)},
                np.array([value in shown_values for value in values], dtype=bool),
                keys.astype(np.int64),
                value_of.astype(np.int64),
            )
        cached = generation.cache["facets"] = FacetIndex(facets, table.live.size)
    return cached


def counts(index: FacetIndex, matched: np.ndarray, request: SearchRequest) -> dict[str, list[FacetValue]]:
    """Counts per facet value among the ``matched`` keys, each facet filtered by the other facets'
    choices (so a chosen value can be widened as well as narrowed)."""
    chosen_masks = {name: index.selected(name, values) for name, values in request.filters().items()}
    matched_mask = np.zeros(index.size, dtype=bool)
    matched_mask[matched] = True
    result: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        facet = index.facets[name]
        base = matched_mask
        for other, mask in chosen_masks.items():
            if other != name:
                base = base & mask
        found = np.bincount(facet.value_of[base[facet.keys]], minlength=len(facet.values))
        chosen = set(getattr(request, name))
        values = [
            FacetValue(value, int(found[number]), value in chosen)
            for number, value in enumerate(facet.values)
            if (facet.shown[number] or value in chosen) and (found[number] or value in chosen)
        ]
        values.sort(key=lambda item: item.value)
        if name == "year":
            values.reverse()
        else:
            values.sort(key=lambda item: (-item.count, item.value.casefold()))
        result[name] = [item for rank, item in enumerate(values) if item.selected or rank < FACET_LIMIT]
    return result
