"""The index's array idioms: two numbers packed in one, the indexes of runs, distinct values."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from app.index import packing

LARGEST_KEY = 2**31 - 1
LARGEST_POSITION = 2**32 - 1


def test_packed_numbers_come_back_as_they_were_given():
    rng = np.random.default_rng(7)
    keys = rng.integers(0, LARGEST_KEY, 10_000, endpoint=True)
    positions = rng.integers(0, LARGEST_POSITION, 10_000, endpoint=True)
    back_keys, back_positions = packing.unpack(packing.pack(keys, positions))
    assert np.array_equal(back_keys, keys) and np.array_equal(back_positions, positions)


def test_the_edge_values_round_trip_without_touching_each_other():
    keys = np.array([0, 0, 1, LARGEST_KEY, LARGEST_KEY], dtype=np.int64)
    positions = np.array([0, LARGEST_POSITION, 0, 0, LARGEST_POSITION], dtype=np.int64)
    packed = packing.pack(keys, positions)
    assert packed.dtype == np.int64 and (packed >= 0).all()
    assert packing.high(packed).tolist() == keys.tolist()
    assert packing.low(packed).tolist() == positions.tolist()
    # The largest position of a document stays below the first of the next.
    assert packed[1] < packed[2]


def test_packed_numbers_sort_by_key_then_position():
    rng = np.random.default_rng(11)
    keys = rng.integers(0, 50, 2_000)
    positions = rng.integers(0, LARGEST_POSITION, 2_000)
    in_order = np.lexsort((positions, keys))
    assert np.array_equal(np.sort(packing.pack(keys, positions)), packing.pack(keys[in_order], positions[in_order]))


def test_empty_inputs_give_empty_arrays():
    empty = np.zeros(0, dtype=np.int64)
    packed = packing.pack(empty, empty)
    assert packed.size == 0 and packed.dtype == np.int64
    assert [part.size for part in packing.unpack(packed)] == [0, 0]
    assert packing.starts(empty).size == 0
    assert packing.spans(empty, empty).size == 0


def test_spans_are_the_runs_one_after_another():
    rng = np.random.default_rng(3)
    firsts = rng.integers(0, 1_000, 200)
    lengths = rng.integers(0, 6, 200)  # some runs are empty
    expected = np.concatenate([np.arange(first, first + length) for first, length in zip(firsts, lengths, strict=True)])
    assert np.array_equal(packing.spans(firsts, lengths), expected)


def test_starts_are_where_runs_laid_end_to_end_begin():
    lengths = np.array([3, 0, 2, 5])
    assert packing.starts(lengths).tolist() == [0, 3, 3, 5]
    # Laid end to end, the runs' spans are every index once, in order.
    assert packing.spans(packing.starts(lengths), lengths).tolist() == list(range(10))


@given(arrays(np.int64, st.integers(0, 300), elements=st.integers(-(2**63), 2**63 - 1)))
def test_distinct_values_are_numpys_unique(values):
    found = packing.unique(values)
    assert found.dtype == values.dtype and np.array_equal(found, np.unique(values))


def test_distinct_values_of_large_sorted_and_shuffled_arrays_are_numpys_unique():
    rng = np.random.default_rng(3)
    for values in (
        np.sort(rng.integers(0, 2**40, 200_000)),  # packed positions: sorted, most distinct
        rng.integers(0, 500, 200_000),  # block numbers: few, repeated
        np.array([], dtype=np.int64),
        np.array([5], dtype=np.int64),
    ):
        assert np.array_equal(packing.unique(values), np.unique(values))
    terms = np.array(["人權", "rights", "人權", "", "hong kong", "rights"])
    assert packing.unique(terms).tolist() == np.unique(terms).tolist()


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.integers(-5, 400), max_size=60),
    keys=st.lists(st.integers(-5, 400), max_size=600, unique=True),
)
def test_membership_in_sorted_keys_is_numpys_isin(values, keys):
    values, keys = np.array(values, dtype=np.int64), np.array(sorted(keys), dtype=np.int64)
    assert np.array_equal(packing.within(values, keys), np.isin(values, keys))


@settings(max_examples=300, deadline=None)
@given(
    first=st.lists(st.integers(-5, 2**40), max_size=300, unique=True),
    second=st.lists(st.integers(-5, 2**40), max_size=300, unique=True),
    shared=st.lists(st.integers(0, 2**40), max_size=50, unique=True),
)
def test_an_intersection_of_sorted_values_is_numpys_intersect1d(first, second, shared):
    # Shared values make the intersection something more than empty most of the time.
    first = np.array(sorted({*first, *shared[::2]}), dtype=np.int64)
    second = np.array(sorted({*second, *shared[1::3], *shared[::2][:3]}), dtype=np.int64)
    for one, other in ((first, second), (second, first)):
        found = packing.intersect(one, other)
        assert found.dtype == np.int64 and np.array_equal(found, np.intersect1d(one, other, assume_unique=True))


def test_an_intersection_of_large_arrays_of_packed_positions_is_numpys():
    rng = np.random.default_rng(5)
    common = rng.integers(0, 2**40, 20_000)
    first = np.unique(np.concatenate([common, rng.integers(0, 2**40, 50_000)]))
    second = np.unique(np.concatenate([common[::3], rng.integers(0, 2**40, 70_000)]))
    found = packing.intersect(first, second)
    assert found.size >= 6_000 and np.array_equal(found, np.intersect1d(first, second, assume_unique=True))


def _summed_by_numpy(keys, values):
    found, owners = np.unique(np.concatenate(keys), return_inverse=True)
    return found, np.bincount(owners, weights=np.concatenate(values))


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(
        st.tuples(
            st.lists(st.integers(0, 2**40), max_size=80, unique=True),
            # How far the part's keys spread: keys near each other are summed densely, and often shared.
            st.sampled_from([10, 100, 1_000, 2**40]),
        ),
        min_size=1,
        max_size=6,
    ),
    data=st.data(),
)
def test_sums_by_key_are_numpys_unique_and_bincount_to_the_last_bit(parts, data):
    keys, values = [], []
    for drawn, spread in parts:
        part = np.array(sorted({value % (spread + 1) for value in drawn}), dtype=np.int64)
        keys.append(part)
        weights = st.floats(-1e6, 1e6, allow_nan=False, width=64)
        values.append(np.array(data.draw(st.lists(weights, min_size=part.size, max_size=part.size)), dtype=np.float64))
    found, sums = packing.summed(keys, values)
    expected, expected_sums = _summed_by_numpy(keys, values)
    assert found.dtype == np.int64 and np.array_equal(found, expected)
    assert sums.tobytes() == expected_sums.tobytes()


def test_sums_of_many_document_keys_and_of_sparse_keys_are_numpys_to_the_last_bit():
    rng = np.random.default_rng(7)
    for span, sizes in ((240_000, (70_000, 50_000, 30_000, 10_000, 3_000)), (2**40, (5_000, 4_000, 300))):
        keys = [np.sort(rng.choice(span, size=size, replace=False)).astype(np.int64) for size in sizes]
        values = [rng.random(part.size) * 20 for part in keys]
        found, sums = packing.summed(keys, values)
        expected, expected_sums = _summed_by_numpy(keys, values)
        assert np.array_equal(found, expected) and sums.tobytes() == expected_sums.tobytes()
    empty = np.zeros(0, dtype=np.int64)
    found, sums = packing.summed([empty, empty], [np.zeros(0), np.zeros(0)])
    assert found.size == 0 and sums.size == 0
