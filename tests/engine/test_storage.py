"""The stores of a generation read back what was written: varints, parts and their merges,
array files, the manifest."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.index import varint
from app.index.arrays import ArrayFile, write
from app.index.codec import Format
from app.index.manifest import MANIFEST, ManifestWriter, read_manifest, warned_files, write_manifest
from app.index.postings.encode import BLOCK, encode
from app.index.postings.merge import merge
from app.index.postings.part import Part
from app.index.postings.writing import PartWriter


@given(st.lists(st.integers(min_value=0, max_value=2**62), max_size=300))
def test_varints_round_trip(values):
    encoded = varint.encode(np.array(values, dtype=np.uint64))
    assert varint.decode(encoded).tolist() == values
    assert varint.count(encoded) == len(values)
    assert int(varint.sizes(np.array(values, dtype=np.uint64)).sum()) == len(encoded)


@given(st.lists(st.integers(min_value=0, max_value=2**62), min_size=1, max_size=40), st.data())
def test_numbers_read_where_they_begin_are_those_decoded_in_one_go(values, data):
    # A few starts are read one by one, more with array operations: both as ``decode`` reads them.
    encoded = np.frombuffer(varint.encode(np.array(values, dtype=np.uint64)), dtype=np.uint8)
    sizes = varint.sizes(np.array(values, dtype=np.uint64))
    chosen = sorted(data.draw(st.sets(st.integers(0, len(values) - 1), min_size=1)))
    found, found_sizes = varint.decode_at(encoded, (np.cumsum(sizes) - sizes)[chosen])
    assert found.tolist() == [values[index] for index in chosen]
    assert found_sizes.tolist() == sizes[chosen].tolist()


def test_small_numbers_take_a_byte_each():
    assert len(varint.encode(np.arange(128))) == 128
    assert len(varint.encode(np.array([128, 16384]))) == 2 + 3


# A term's postings: (keys increasing, each with its positions increasing).
postings_lists = st.dictionaries(
    st.text(alphabet="abcxyz", min_size=1, max_size=4),
    st.lists(st.lists(st.integers(0, 5000), min_size=1, max_size=6, unique=True), min_size=1, max_size=300),
    min_size=1,
    max_size=12,
)


def write_postings(stem, terms: dict[str, list[list[int]]], first_key: int, spacing: int = 3):
    """Write ``terms`` (each posting i of a term at key first_key + spacing * i) as a part."""
    rows = []
    for term, postings in sorted(terms.items()):
        for number, positions in enumerate(postings):
            rows.append((term, first_key + spacing * number, sorted(positions)))
    encoded = encode(
        np.array([row[0] for row in rows], dtype=object),
        np.array([row[1] for row in rows]),
        np.array([len(row[2]) for row in rows]),
        np.array([p for row in rows for p in row[2]]),
    )
    writer = PartWriter(stem, (first_key, first_key + spacing * 400))
    writer.add("words", encoded)
    writer.close()
    return rows


@settings(max_examples=25, deadline=None)
@given(postings_lists, st.sampled_from([1, 3, 40, 1000]))
def test_a_part_reads_back_every_posting_and_position(tmp_path_factory, terms, spacing):
    # Keys one apart to a thousand apart: blocks written as bitmaps and as gaps.
    stem = tmp_path_factory.mktemp("part") / "part"
    write_postings(stem, terms, 7, spacing)
    part = Part(stem)
    for term, postings in terms.items():
        entry = part.entry("words", term)
        keys, freqs = part.postings(entry)
        assert keys.tolist() == [7 + spacing * number for number in range(len(postings))]
        assert freqs.tolist() == [len(positions) for positions in postings]
        wanted = np.arange(0, len(postings), 2)
        owners, positions = part.positions(entry, freqs, wanted)
        assert positions.tolist() == [p for number in wanted for p in sorted(postings[number])]
        assert owners.tolist() == [number for number in wanted for _p in postings[number]]
    assert part.entry("words", "missing") is None
    part.close()


@settings(max_examples=10, deadline=None)
@given(st.lists(st.text(alphabet="ab人權 é", min_size=1, max_size=6), min_size=1, max_size=400, unique=True))
def test_each_blocks_first_term_is_read_as_the_block_decodes_it(tmp_path_factory, words):
    stem = tmp_path_factory.mktemp("firsts") / "part"
    write_postings(stem, {word: [[1]] for word in words}, 0)
    dictionary = Part(stem).dictionary
    blocks = range(dictionary.block_count("words"))
    assert dictionary.firsts("words") == [dictionary.block("words", number).terms[0] for number in blocks]
    dictionary.close()


def test_blocks_of_a_long_list_are_read_alone(tmp_path):
    postings = [[number % 50, 60 + number % 7] for number in range(BLOCK * 3 + 5)]
    write_postings(tmp_path / "part", {"term": postings}, 0)
    part = Part(tmp_path / "part")
    entry = part.entry("words", "term")
    assert len(part.skips(entry)) == 3  # the blocks after the first
    _keys, freqs = part.postings(entry)
    owners, positions = part.positions(entry, freqs, np.array([BLOCK * 2 + 1]))
    assert set(owners.tolist()) == {BLOCK * 2 + 1}
    assert positions.tolist() == sorted(postings[BLOCK * 2 + 1])
    part.close()


@settings(max_examples=12, deadline=None)
@given(st.lists(postings_lists, min_size=2, max_size=4), st.sampled_from([64, 1_000_000]))
def test_merged_parts_read_as_the_parts_did(tmp_path_factory, parts, window_bytes):
    """Merged a few terms at a time or all at once, the parts read as they did."""
    folder = tmp_path_factory.mktemp("merge")
    stems, expected = [], {}
    for number, terms in enumerate(parts):
        stem = folder / f"part{number}"
        for term, key, positions in write_postings(stem, terms, 5000 * number + 1):
            expected.setdefault(term, []).append((key, positions))
        stems.append(stem)
    merge(stems, folder / "merged", window_bytes)
    merged = Part(folder / "merged")
    assert sorted(merged.dictionary.read("words").terms) == sorted(expected)
    for term, rows in expected.items():
        entry = merged.entry("words", term)
        keys, freqs = merged.postings(entry)
        assert keys.tolist() == [key for key, _p in rows]
        _owners, positions = merged.positions(entry, freqs, np.arange(len(rows)))
        assert positions.tolist() == [p for _k, found in rows for p in found]
    merged.close()


def test_array_files_read_back_as_views(tmp_path):
    kind = Format("test", 1)
    write(
        tmp_path / "a", {"n": np.arange(5, dtype=np.uint32), "e": np.zeros(0), "x": np.array([1.5])}, kind, {"k": [1]}
    )
    found = ArrayFile(tmp_path / "a", kind)
    assert found["n"].tolist() == [0, 1, 2, 3, 4] and found["e"].size == 0 and found["x"][0] == 1.5
    assert found.meta == {"k": [1]}
    view = found["n"]
    found.release()  # its pages dropped from this process: the views read the file again
    assert view.tolist() == found["n"].tolist() == [0, 1, 2, 3, 4]
    found.close()


def entry(doc_id: str, key: int, size: int = 10, warnings: tuple[str, ...] = (), children=()) -> dict:
    return {
        "id": doc_id,
        "key": key,
        "hash": f"h{key}",
        "size": size,
        "mtime_ns": key * 1000,
        "languages": ["en"],
        "warnings": list(warnings),
        "children": list(children),
    }


def test_manifest_round_trip_and_incremental_rewrite(tmp_path):
    first, second = tmp_path / "gen-000001", tmp_path / "gen-000002"
    first.mkdir(), second.mkdir()
    files = {
        "a.md": entry("a", 0),
        "b.zip": entry("b", 1, children=(5, 6)),
        "c.md": entry("c", 2, warnings=("date '?' 不是日期",)),
    }
    files["e.md"] = {**entry("e", 9), "hash": hashlib.sha256(b"e").hexdigest()}
    write_manifest(first, {"schema": 8, "documents": 3}, files)
    with contextlib.closing(sqlite3.connect(first / MANIFEST)) as connection:
        stored = dict(connection.execute("SELECT path, hash FROM files"))
    assert stored["e.md"] == hashlib.sha256(b"e").digest() and stored["a.md"] == "h0"  # 32 bytes, not 64
    read = read_manifest(first)
    assert read["schema"] == 8 and read["documents"] == 3
    assert read["files"] == files
    assert read["files"]["e.md"]["hash"] == hashlib.sha256(b"e").hexdigest()
    # The next generation: b changed, c removed, d added; a is the very entry read before.
    previous = read["files"]
    later = {"a.md": previous["a.md"], "e.md": previous["e.md"], "b.zip": entry("b", 3, size=99, children=(7,))}
    later["d.md"] = entry("d", 4)
    write_manifest(second, {"schema": 8, "documents": 3}, later, first, previous)
    assert read_manifest(second)["files"] == later
    assert read_manifest(first)["files"] == files  # the live generation's manifest is untouched
    assert read_manifest(tmp_path / "missing") == {}
    assert warned_files(first) == {"c.md": ["date '?' 不是日期"]} and warned_files(second) == {}


def test_a_manifest_written_as_files_are_done_counts_only_once_finished(tmp_path):
    generation = tmp_path / "gen-000001"
    generation.mkdir()
    writer = ManifestWriter(generation)
    # More entries than go to the database at a time, one file holding two documents.
    files = {f"{number:05d}.md": entry(f"{number:05d}", number) for number in range(4_500)}
    files["box.mbox"] = entry("box", 5_000, children=(5_001, 5_002))
    for path, item in files.items():
        writer.put(path, item)
    writer.remove(["00007.md"])
    del files["00007.md"]
    keys = writer.live_keys()
    assert sorted(keys.tolist()) == sorted([item["key"] for item in files.values()] + [5_001, 5_002])
    writer.close()
    assert read_manifest(generation)["files"] == {}, "a build that stops before finishing leaves no entry"

    generation = tmp_path / "gen-000002"
    generation.mkdir()
    writer = ManifestWriter(generation)
    for path, item in files.items():
        writer.put(path, item)
    writer.finish({"schema": 8}, {"bad.pdf": {"size": 3, "mtime_ns": 4, "reason": "not a PDF"}})
    read = read_manifest(generation)
    assert read["files"] == files and read["schema"] == 8
    assert read["skipped"] == {"bad.pdf": {"size": 3, "mtime_ns": 4, "reason": "not a PDF"}}


def test_a_merged_term_is_blocked_as_if_written_at_once(tmp_path):
    stems = []
    for number in range(4):
        stems.append(tmp_path / f"part{number}")
        write_postings(stems[-1], {"term": [[1, 5]] * 100}, 1000 * number)
    merge(stems, tmp_path / "merged")
    merged = Part(tmp_path / "merged")
    entry = merged.entry("words", "term")
    assert entry.count == 400
    assert len(merged.skips(entry)) == 400 // BLOCK  # the blocks after the first
    keys, _freqs = merged.postings(entry)
    assert keys.tolist() == [1000 * part + 3 * number for part in range(4) for number in range(100)]
    merged.close()


@settings(max_examples=40, deadline=None)
@given(
    blocks=st.sets(st.integers(0, 6), min_size=1),
    share=st.sampled_from([1, 2, 7, 50]),
    seed=st.integers(0, 1_000),
)
def test_positions_of_postings_in_blocks_apart_are_those_written(tmp_path_factory, blocks, share, seed):
    # Blocks read in one go and the ones between them left out, with few or most of a block's
    # postings wanted: each wanted posting gets its own positions, and no other's.
    rng = np.random.default_rng(seed)
    postings = [sorted({*rng.integers(0, 10_000, 1 + number % 9).tolist()}) for number in range(BLOCK * 7)]
    stem = tmp_path_factory.mktemp("apart") / "part"
    write_postings(stem, {"term": postings}, 0)
    part = Part(stem)
    entry = part.entry("words", "term")
    _keys, freqs = part.postings(entry)
    in_blocks = [number for block in sorted(blocks) for number in range(block * BLOCK, (block + 1) * BLOCK)]
    wanted = np.array([number for number in in_blocks if number % share == 0])
    owners, positions = part.positions(entry, freqs, wanted)
    assert owners.tolist() == [number for number in wanted.tolist() for _p in postings[number]]
    assert positions.tolist() == [p for number in wanted.tolist() for p in postings[number]]
    part.close()
