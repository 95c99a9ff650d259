"""A facet's tally counts what a pass over every row of the documents asked for counts: common
values by their bitmaps, rare ones by their rows."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.service.tally import DENSE_SHARE, Tally, words


def _rows(size: int, values: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows (key, value), sorted and distinct: value 0 in most documents, the others rarer and
    rarer (value v in about one document in 2**v)."""
    rng = np.random.default_rng(seed)
    pairs = {(key, 0) for key in range(size) if rng.random() < 0.8}
    for value in range(1, values):
        pairs |= {(int(key), value) for key in rng.integers(0, size, size // 2**value + 1)}
    rows = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    return rows[:, 0].copy(), rows[:, 1].copy()


def _spread(size: int, seed: int, kinds: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Rows where each document has three of many values (``kinds``), none of them common."""
    rng = np.random.default_rng(seed)
    pairs = {(key, int(value)) for key in range(size) for value in rng.integers(0, kinds, 3)}
    rows = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    return rows[:, 0].copy(), rows[:, 1].copy()


def _plain(keys: np.ndarray, value_of: np.ndarray, values: int, allowed: np.ndarray) -> np.ndarray:
    return np.bincount(value_of[allowed[keys]], minlength=values)


@settings(max_examples=150, deadline=None)
@given(
    size=st.integers(1, 700),
    values=st.integers(1, 12),
    seed=st.integers(0, 2**32 - 1),
    share=st.floats(0.0, 1.0),
    spread=st.booleans(),
)
def test_a_tally_counts_as_every_row_counted(size, values, seed, share, spread):
    keys, value_of = _spread(size, seed) if spread else _rows(size, values, seed)
    values = 200 if spread else values
    tally = Tally.of(keys, value_of, values, size)
    allowed = np.random.default_rng(seed + 1).random(size) < share
    assert tally.count(allowed).tolist() == _plain(keys, value_of, values, allowed).tolist()


def test_rare_values_many_rows_are_read_for_the_documents_asked_for():
    size = 3_000
    keys, value_of = _spread(size, 3, kinds=400)
    tally = Tally.of(keys, value_of, 400, size)
    assert not tally.dense.size and tally.sparse_rows.values.size > size
    for allowed in (np.ones(size, bool), np.zeros(size, bool), np.arange(size) % 7 == 0):
        assert tally.count(allowed).tolist() == _plain(keys, value_of, 400, allowed).tolist()


def test_common_values_are_bitmaps_and_rare_ones_rows():
    size, values = 5_000, 12
    keys, value_of = _rows(size, values, 7)
    tally = Tally.of(keys, value_of, values, size)
    documents = np.bincount(value_of, minlength=values)
    assert tally.dense.tolist() == np.flatnonzero(documents * DENSE_SHARE >= size).tolist()
    assert 0 in tally.dense and values - 1 not in tally.dense and tally.sparse_rows.values.size
    assert tally.bitmaps.nbytes <= 8 * np.isin(value_of, tally.dense).sum()  # a row: two int32
    for allowed in (np.ones(size, bool), np.zeros(size, bool), np.arange(size) % 3 == 0):
        assert tally.count(allowed).tolist() == _plain(keys, value_of, values, allowed).tolist()


def test_common_values_of_a_few_documents_are_counted_from_their_rows():
    size, values = 20_000, 12
    keys, value_of = _rows(size, values, 11)
    tally = Tally.of(keys, value_of, values, size)
    assert tally.dense.size >= 3
    rng = np.random.default_rng(12)
    # A handful of documents: fewer rows than the words of the bitmaps; the first and last keys.
    for chosen in ([], [0], [size - 1], [63, 64, 127], rng.choice(size, 40, replace=False)):
        allowed = np.zeros(size, dtype=bool)
        allowed[chosen] = True
        assert tally.count(allowed).tolist() == _plain(keys, value_of, values, allowed).tolist()


def test_a_mask_is_words_of_64_keys():
    mask = np.zeros(130, dtype=bool)
    mask[[0, 63, 64, 129]] = True
    assert words(mask, 3).tolist() == [1 | 1 << 63, 1, 1 << 1]
