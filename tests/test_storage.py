"""The stores of a generation read back what was written: gaps, the Han pair index, the manifest."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from app.index import gaps
from app.index.hanpairs import PairReader, PairWriter, merge_files
from app.index.manifest import read_manifest, write_manifest


@given(st.lists(st.integers(min_value=0, max_value=2**32 - 1), min_size=1, max_size=300).map(sorted))
def test_gaps_round_trip(values):
    encoded = gaps.encode(values)
    assert gaps.decode(encoded) == values
    assert gaps.count(encoded) == len(values)


def test_small_gaps_take_a_byte_each():
    assert len(gaps.encode(list(range(0, 1000, 3)))) == 1 + 334
    assert len(gaps.encode([0, 70_000])) == 1 + 2 * 4


def test_pairs_written_in_parts_read_back_with_their_counts(tmp_path):
    writer = PairWriter(tmp_path / "pairs.sqlite", flush_postings=3)  # several parts
    writer.add(1, Counter({"人權": 2, "香港": 1}))
    writer.add(4, Counter({"人權": 1}))
    writer.add(9, Counter({"香港": 3}))
    assert writer.close() == 7
    reader = PairReader([tmp_path / "pairs.sqlite"])
    assert reader.postings("人權") == Counter({1: 2, 4: 1})
    assert reader.postings("香港") == Counter({1: 1, 9: 3})
    assert reader.postings("自由") == Counter()
    assert reader.size("香港") > reader.size("自由") == 0
    reader.close()


def test_merging_pairs_files_keeps_only_live_documents(tmp_path):
    first, second = PairWriter(tmp_path / "a.sqlite"), PairWriter(tmp_path / "b.sqlite")
    first.add(1, Counter({"人權": 1, "立法": 1}))
    first.add(2, Counter({"人權": 2}))
    second.add(3, Counter({"人權": 1}))
    second.add(5, Counter({"立法": 1}))
    first.close(), second.close()
    written = merge_files([tmp_path / "a.sqlite", tmp_path / "b.sqlite"], tmp_path / "m.sqlite", live={1, 3, 5})
    assert written == 4
    merged = PairReader([tmp_path / "m.sqlite"])
    assert merged.postings("人權") == Counter({1: 1, 3: 1})
    assert merged.postings("立法") == Counter({1: 1, 5: 1})
    merged.close()


def entry(doc_id: str, key: int, size: int = 10) -> dict:
    return {"id": doc_id, "key": key, "hash": f"h{key}", "size": size, "mtime_ns": key * 1000, "languages": ["en"]}


def test_manifest_round_trip_and_incremental_rewrite(tmp_path):
    first, second = tmp_path / "gen-000001", tmp_path / "gen-000002"
    first.mkdir(), second.mkdir()
    files = {"a.md": entry("a", 0), "b.md": entry("b", 1), "c.md": entry("c", 2)}
    write_manifest(first, {"schema": 6, "documents": 3}, files)
    read = read_manifest(first)
    assert read["schema"] == 6 and read["documents"] == 3
    assert read["files"] == files
    # The next generation: b changed, c removed, d added; a is the very entry read before.
    previous = read["files"]
    later = {"a.md": previous["a.md"], "b.md": entry("b", 3, size=99), "d.md": entry("d", 4)}
    write_manifest(second, {"schema": 6, "documents": 3}, later, first, previous)
    assert read_manifest(second)["files"] == later
    assert read_manifest(first)["files"] == files  # the live generation's manifest is untouched
    assert read_manifest(tmp_path / "missing") == {}
