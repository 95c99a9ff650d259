"""Stored text, token offsets and records: read back exactly, a chunk at a time."""

from __future__ import annotations

import functools
import json
import os
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.analysis import analyse
from app.index.schema import record_of
from app.index.textstore import (
    OFFSET_BLOCK,
    TEXT_CHUNK,
    StoredDocument,
    StoredOffsets,
    StoredText,
    pack_concepts,
    pack_offsets,
    pack_record,
    pack_text,
    unpack_record,
)
from app.ingest.document import Document, Parent, Within
from app.ingest.extracted import OcrPage
from app.ingest.language import Language


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


def test_english_is_kept_in_fewer_bytes_than_as_utf16_and_chinese_than_as_utf8():
    english, chinese = "The court heard the appeal on Monday. " * 300, "法院星期一審理上訴，律師要求押後。" * 300
    assert len(pack_text(english)) < len(zlib.compress(english.encode("utf-16-le"), 6))
    assert len(pack_text(chinese)) < len(zlib.compress(chinese.encode("utf-8"), 6))
    mixed = english[: TEXT_CHUNK - 7] + chinese  # a chunk of each, in one document
    assert str(StoredText(pack_text(mixed), len(mixed))) == mixed


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 2**24), st.integers(1, 2**24)), max_size=200))
def test_offsets_far_apart_read_back(gaps):
    # Gaps of one to four bytes each, up to where a block's first position (four bytes) ends.
    positions = [sum(gap for gap, _ in gaps[: index + 1]) for index in range(len(gaps))]
    starts = [sum(gap for _, gap in gaps[: index + 1]) for index in range(len(gaps))]
    offsets = StoredOffsets(pack_offsets(positions, starts))
    assert [offsets[position] for position in positions] == starts


def test_offsets_of_many_runs_read_back_at_once():
    offsets, starts = stored_offsets("人權 rights, 自由 freedom. " * (OFFSET_BLOCK // 2))
    positions = [position for position, _start in starts]
    assert offsets.many(np.asarray(positions)).tolist() == [start for _position, start in starts]


@functools.cache
def _many_blocks() -> tuple[StoredOffsets, dict[int, int]]:
    """Offsets over a few blocks, made once, and the start of each position."""
    offsets, starts = stored_offsets("人權 rights, 自由 freedom. " * (OFFSET_BLOCK // 2) * 5)
    return offsets, dict(starts)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_offsets_of_any_increasing_positions_read_back_at_once_and_one_by_one(data):
    # Within one block, across two, or from blocks far apart (a page's first matches and the
    # metadata at the document's end); repeated positions too (a phrase's word read twice).
    offsets, start_of = _many_blocks()
    positions = sorted(start_of)
    wanted = sorted(positions[index] for index in data.draw(st.lists(st.integers(0, len(positions) - 1), max_size=80)))
    assert offsets.many(np.asarray(wanted, dtype=np.int64)).tolist() == [start_of[position] for position in wanted]
    assert [offsets[position] for position in wanted] == [start_of[position] for position in wanted]
    assert offsets.many(np.zeros(0, dtype=np.int64)).size == 0


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=12), _JSON, max_size=12))
def test_any_record_round_trips(record):
    assert unpack_record(pack_record(record)) == record


def test_numpy_numbers_in_a_record_are_kept_as_numbers():
    record = {"size": np.int64(48_213), "ocr": [{"page": np.int32(2), "confidence": np.float32(91.5)}]}
    assert unpack_record(pack_record(record)) == {"size": 48_213, "ocr": [{"page": 2, "confidence": 91.5}]}
    with pytest.raises(TypeError, match="set"):
        pack_record({"tags": {"a"}})


def test_a_record_of_a_file_whose_name_is_not_utf8_round_trips():
    name = os.fsdecode(b"2019/\xb0\xa1\xc9\xf7.txt")  # GBK bytes: lone surrogates in the name
    record = {"id": name.removesuffix(".txt"), "path": name, "title": name}
    assert unpack_record(pack_record(record)) == record


def test_a_documents_record_round_trips_and_its_field_names_cost_little():
    document = Document(
        id="bundle.zip/致律政司司長的信.eml#1",
        path="bundle.zip",
        title="致律政司司長的信 Letter to the Secretary for Justice",
        text="",
        format="email",
        size=48_213,
        hash="25bd8b65f192732a2bbaa5f1fa0c6f1e91fe989b9e648cfdd43496833ea70a9a",
        fingerprint="f",
        languages=[Language("zh-Hant", 0.71), Language("en", 0.29)],
        date="2021-06-04",
        author="Hong Kong Alliance; 香港市民支援愛國民主運動聯合會",
        tags=["petition", "national security"],
        pages=[0, 1200],
        ocr=[OcrPage(2, 91.5)],
        recipients=["doj@example.org"],
        name="letter.eml",
        media_type="message/rfc822",
        parent=Parent("bundle.zip", "bundle", "attachment"),
        within=Within("ab" * 32, 90_000, ("letter.eml",)),
    )
    record = record_of(document)
    assert unpack_record(pack_record(record)) == json.loads(json.dumps(record))
    assert unpack_record(pack_record(record))["within"]["steps"] == ["letter.eml"]
    alone = len(zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode(), 9))
    assert len(pack_record(record)) < alone - 60  # the names of its fields come from the dictionary
