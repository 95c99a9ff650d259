"""Stored text and token offsets: read back exactly, a chunk at a time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.analysis import analyse
from app.index.textstore import (
    OFFSET_BLOCK,
    TEXT_CHUNK,
    StoredDocument,
    StoredOffsets,
    StoredText,
    pack_concepts,
    pack_offsets,
    pack_text,
)


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
    assert stored.chunks_read == [5]


def stored_offsets(text: str) -> tuple[StoredOffsets, list[tuple[int, int]]]:
    analysed = analyse(text)
    return StoredOffsets(pack_offsets(analysed.run_positions, analysed.run_starts)), analysed.starts()


def test_offsets_read_back_across_blocks():
    offsets, starts = stored_offsets("人權，rights " * (OFFSET_BLOCK))
    for index in (0, 1, OFFSET_BLOCK - 1, OFFSET_BLOCK, OFFSET_BLOCK * 2 + 1, len(starts) - 1):
        position, start = starts[index]
        assert offsets[position] == start


def test_a_run_of_han_characters_is_stored_once():
    analysed = analyse("香港國家安全法嚴重侵犯人權")
    assert analysed.run_positions == [0] and analysed.run_starts == [0]
    offsets = StoredOffsets(pack_offsets(analysed.run_positions, analysed.run_starts))
    assert [offsets[position] for position in range(13)] == list(range(13))


def test_empty_text_packs():
    assert str(StoredText(pack_text(""), 0)) == ""
    offsets = StoredOffsets(pack_offsets([], []))
    with pytest.raises(IndexError):
        offsets[0]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_round_trips(text):
    stored = StoredText(pack_text(text), len(text))
    assert str(stored) == text
    offsets, starts = stored_offsets(text)
    assert [offsets[position] for position, _start in starts] == [start for _position, start in starts]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=40), st.integers(min_value=1, max_value=10**6)), max_size=80))
def test_the_concepts_a_document_names_round_trip(named):
    record = {"title": "Title", "chars": 0}
    assert StoredDocument(record, pack_text(""), pack_offsets([], []), pack_concepts(named)).concepts == named


def test_a_document_naming_no_concept_keeps_no_bytes_for_them():
    assert pack_concepts([]) == b""
    assert StoredDocument({"title": "", "chars": 0}, pack_text(""), pack_offsets([], [])).concepts == []
