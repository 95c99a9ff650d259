"""Facet counts read only the rows of the matched documents: the same counts as a pass over every
row of the facet, for any set of documents."""

from __future__ import annotations

import numpy as np

from app.index.readers import LiveIndex
from app.service.facets import facet_index
from app.service.results import FILTERS


def test_counting_the_matches_rows_gives_what_counting_every_row_gives(index_dir):
    live = LiveIndex(index_dir)
    rng = np.random.default_rng(11)
    try:
        with live.use() as generation:
            index = facet_index(generation)
            masks = [np.zeros(index.size, bool), np.ones(index.size, bool)]
            masks += [rng.random(index.size) < share for share in (0.02, 0.3, 0.7)]
            for name in FILTERS:
                facet = index.facets[name]
                assert facet.keys.size and np.all(np.diff(facet.keys) >= 0)
                for mask in masks:
                    every_row = np.bincount(facet.value_of[mask[facet.keys]], minlength=len(facet.values))
                    assert np.array_equal(facet.count(mask), every_row), name
    finally:
        live.close()
