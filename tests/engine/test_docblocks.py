"""A block's documents, as gaps or as a bitmap: read back exactly, and the bitmap only where it
is the smaller."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.index import varint
from app.index.postings.docblocks import decode_blocks, encode_blocks
from app.index.postings.encode import BLOCK, encode
from app.index.postings.part import Part
from app.index.postings.writing import PartWriter

# Blocks of postings: each a first key and the gaps after it, with each posting's "frequency 1".
blocks = st.lists(
    st.tuples(
        st.integers(0, 2**31),
        st.lists(st.tuples(st.integers(1, 3) | st.integers(1, 70_000), st.booleans()), max_size=BLOCK - 1),
        st.booleans(),
    ),
    min_size=1,
    max_size=6,
)


def laid_out(found) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(keys, ones, each block's first posting) of ``blocks``' examples."""
    keys, ones, firsts = [], [], []
    for first, later, one in found:
        firsts.append(len(keys))
        keys.append(first)
        ones.append(one)
        for gap, later_one in later:
            keys.append(keys[-1] + gap)
            ones.append(later_one)
    return np.array(keys, dtype=np.int64), np.array(ones, dtype=bool), np.array(firsts, dtype=np.int64)


def round_trip(keys, ones, firsts):
    encoded = encode_blocks(keys, ones, firsts)
    counts = np.diff(np.r_[firsts, keys.size])
    byte_starts = np.cumsum(np.add.reduceat(encoded.sizes, firsts)) - np.add.reduceat(encoded.sizes, firsts)
    assert int(encoded.sizes.sum()) == len(encoded.data)
    return encoded, decode_blocks(encoded.data, byte_starts, counts)


@settings(max_examples=300, deadline=None)
@given(blocks)
def test_blocks_read_back_whichever_way_each_was_written(found):
    keys, ones, firsts = laid_out(found)
    _encoded, (read_keys, read_ones) = round_trip(keys, ones, firsts)
    assert read_keys.tolist() == keys.tolist()
    assert read_ones.tolist() == ones.tolist()


def gap_bytes(keys: np.ndarray, ones: np.ndarray) -> int:
    """The bytes of postings written as one block of varint gaps: its head, then the gaps."""
    head = (keys[0] * 2 + ones[0]) * 2
    return int(varint.sizes(np.r_[head, np.diff(keys) * 2 + ones[1:]]).sum())


@pytest.mark.parametrize(("spacing", "bitmap"), [(1, True), (2, True), (6, True), (8, False), (1000, False)])
def test_a_block_is_a_bitmap_only_where_that_is_smaller(spacing, bitmap):
    keys = 50_000 + spacing * np.arange(BLOCK, dtype=np.int64)
    ones = np.arange(BLOCK) % 3 > 0
    encoded, (read_keys, _ones) = round_trip(keys, ones, np.array([0]))
    as_gaps = gap_bytes(keys, ones)
    if bitmap:  # a key in every document is 16 bytes of keys and 16 of ones, not 127 of gaps
        assert len(encoded.data) < as_gaps
        assert len(encoded.data) <= 3 + (spacing * (BLOCK - 1) + 7) // 8 + 16
    else:
        assert len(encoded.data) == as_gaps
    assert read_keys.tolist() == keys.tolist()


def test_a_term_of_dense_and_sparse_blocks_is_looked_up_block_by_block(tmp_path):
    # Every document for two blocks, then one in five hundred, then every other one.
    keys = np.r_[np.arange(2 * BLOCK), 2 * BLOCK + 500 * np.arange(1, BLOCK + 1), 70_000 + 2 * np.arange(BLOCK + 9)]
    freqs = 1 + (keys % 4 == 0)
    encoded = encode(np.array(["term"] * keys.size, dtype=object), keys, freqs, None)
    writer = PartWriter(tmp_path / "part", (0, int(keys[-1]) + 1))
    writer.add("phrases", encoded)
    writer.close()
    part = Part(tmp_path / "part")
    entry = part.entry("phrases", "term")
    assert entry.docs[1] < gap_bytes(keys, freqs == 1)
    read_keys, read_freqs = part.postings(entry)
    assert read_keys.tolist() == keys.tolist() and read_freqs.tolist() == freqs.tolist()
    asked = np.array([3, 2 * BLOCK + 1000, 2 * BLOCK + 1001, 70_004, 70_005, int(keys[-1])])
    indexes, holding, found_freqs = part.lookup(entry, part.skips(entry), asked)
    assert holding.tolist() == [3, 2 * BLOCK + 1000, 70_004, int(keys[-1])]
    assert keys[indexes].tolist() == holding.tolist()
    assert found_freqs[indexes].tolist() == freqs[indexes].tolist()
    part.close()
