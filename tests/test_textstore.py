"""Stored text and token offsets: read back exactly, a chunk at a time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.analysis import analyse
from app.index.textstore import OFFSET_BLOCK, TEXT_CHUNK, StoredOffsets, StoredText, pack_offsets, pack_text


def test_stored_text_reads_back_any_slice():
    text = "香港人權 Hong Kong 𨋢 " * 5000  # several chunks, astral characters at chunk edges
    stored = StoredText(pack_text(text), len(text))
    assert len(stored) == len(text) and str(stored) == text
    for start, end in [(0, 10), (TEXT_CHUNK - 3, TEXT_CHUNK + 3), (len(text) - 5, len(text)), (100, 100)]:
        assert stored[start:end] == text[start:end]
    assert stored[TEXT_CHUNK] == text[TEXT_CHUNK] and stored[-1] == text[-1]


def test_only_the_chunks_asked_for_are_decompressed():
    text = "x" * (TEXT_CHUNK * 10)
    stored = StoredText(pack_text(text), len(text))
    assert stored[TEXT_CHUNK * 5 + 1 : TEXT_CHUNK * 5 + 9] == "x" * 8
    assert list(stored._cache) == [5]


def test_offsets_read_back_across_blocks():
    text = "人權 rights " * (OFFSET_BLOCK)
    starts = analyse(text).starts
    offsets = StoredOffsets(pack_offsets(starts))
    for position in (0, 1, OFFSET_BLOCK - 1, OFFSET_BLOCK, len(starts) - 1):
        assert offsets[position] == starts[position]


def test_empty_text_packs():
    assert str(StoredText(pack_text(""), 0)) == ""
    offsets = StoredOffsets(pack_offsets([]))
    with pytest.raises(IndexError):
        offsets[0]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_round_trips(text):
    stored = StoredText(pack_text(text), len(text))
    assert str(stored) == text
    starts = analyse(text).starts
    offsets = StoredOffsets(pack_offsets(starts))
    assert [offsets[i] for i in range(len(starts))] == starts
