"""A query's hits give each document's score, however many are asked for at once."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.query.hits import Hits, best


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


def _sorted_best(keys: np.ndarray, scores: np.ndarray, limit: int) -> list[tuple[float, int]]:
    order = np.lexsort((keys, -scores))[:limit]
    return list(zip(scores[order].tolist(), keys[order].tolist(), strict=True))


@settings(max_examples=300, deadline=None)
@given(
    size=st.integers(0, 20_000),
    limit=st.integers(0, 60),
    distinct=st.sampled_from([1, 3, 50, 0]),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_best_are_those_a_sort_of_every_score_puts_first(size, limit, distinct, seed):
    """Ties (few distinct scores, or one) go to the earlier document, as a full sort puts them."""
    rng = np.random.default_rng(seed)
    keys = np.sort(rng.choice(size * 3 + 1, size, replace=False)).astype(np.int64)
    scores = rng.integers(0, distinct, size).astype(np.float64) if distinct else rng.random(size) * 20
    assert best(keys, scores, limit) == _sorted_best(keys, scores, limit)


def test_the_best_of_many_are_found_however_the_scores_lie():
    rng = np.random.default_rng(9)
    keys = np.arange(150_000, dtype=np.int64)
    rising = np.linspace(0, 30, keys.size)
    for scores in (rising, rising[::-1].copy(), rng.random(keys.size), np.zeros(keys.size)):
        for limit in (1, 10, 50, 2_500):
            assert best(keys, scores, limit) == _sorted_best(keys, scores, limit)


@settings(max_examples=300, deadline=None)
@given(
    keys=st.lists(st.integers(0, 5_000), max_size=300, unique=True),
    asked=st.lists(st.integers(0, 5_000), max_size=300, unique=True),
)
def test_the_scores_among_hits_are_theirs_and_nan_for_other_documents(keys, asked):
    keys = np.array(sorted(keys), dtype=np.int64)
    scores = np.random.default_rng(len(keys)).random(keys.size) * 30
    asked = np.array(sorted(asked), dtype=np.int64)
    score = dict(zip(keys.tolist(), scores.tolist(), strict=True))
    found = Hits(keys, scores).scores_among(asked)
    assert [None if np.isnan(value) else value for value in found.tolist()] == [score.get(k) for k in asked.tolist()]
