"""A query's hits give each document's score, however many are asked for at once."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.query.hits import Hits


@settings(max_examples=300, deadline=None)
@given(
    keys=st.lists(st.integers(0, 5_000), max_size=200, unique=True),
    data=st.data(),
)
def test_the_scores_of_some_or_most_hits_are_those_of_their_documents(keys, data):
    keys = np.array(sorted(keys), dtype=np.int64)
    scores = np.random.default_rng(len(keys)).random(keys.size) * 30
    hits = Hits(keys, scores)
    drawn = data.draw(st.lists(st.sampled_from(keys.tolist()), unique=True)) if keys.size else []
    asked = np.array(sorted(drawn), dtype=np.int64)
    expected = [dict(zip(keys.tolist(), scores.tolist(), strict=True))[key] for key in asked.tolist()]
    assert hits.score_of(asked).tolist() == expected


def test_the_scores_of_most_of_many_hits_are_those_of_their_documents():
    rng = np.random.default_rng(4)
    keys = np.sort(rng.choice(240_000, 76_000, replace=False)).astype(np.int64)
    hits = Hits(keys, rng.random(keys.size))
    for asked in (keys, keys[::2], keys[::50], keys[-1:], keys[:0]):
        assert np.array_equal(hits.score_of(asked), hits.scores[np.searchsorted(keys, asked)])
