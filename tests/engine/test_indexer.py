"""Building the index: incremental updates, the writer lock, kills mid-build, old generations."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.index.adding import WriterSettings
from app.index.build import build
from app.index.generations import CURRENT, IndexLocked, current_generation, writer_lock
from app.index.manifest import read_manifest
from app.index.new_generation import MAX_PARTS
from app.index.postings.part import part_stems
from app.index.readers import LiveIndex
from app.service.results import SearchRequest
from app.service.search import search

from ..support import write_corpus


def found(live: LiveIndex, q: str) -> list[str]:
    return [hit.id for hit in search(live, SearchRequest(q=q, per_page=100)).hits]


def doc_ids(index: Path) -> set[str]:
    return {entry["id"] for entry in read_manifest(current_generation(index))["files"].values()}


def test_incremental_update_adds_changes_and_removes(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 6)
    first = build(docs, index)
    assert first.count("added") == 6 and first.full

    (docs / "doc00000.md").write_text("---\ntitle: Changed\n---\nzebrafish petition\n", encoding="utf-8")
    (docs / "doc00001.md").unlink()
    (docs / "new.txt").write_text("A new statement on enforced disappearance.", encoding="utf-8")
    second = build(docs, index)
    assert (second.count("added"), second.count("changed"), second.count("removed"), second.count("unchanged")) == (
        1,
        1,
        1,
        4,
    )
    assert not second.full and second.generation != first.generation
    live = LiveIndex(index)
    assert found(live, "zebrafish") == ["doc00000"]
    assert found(live, "doc00001") == []
    assert found(live, "disappearance") == ["new"]
    assert found(live, "doc00002") == ["doc00002"]
    live.close()


def test_nothing_changed_means_no_new_generation(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 3)
    first = build(docs, index)
    again = build(docs, index)
    assert again.generation == first.generation
    assert again.count("unchanged") == 3
    assert again.up_to_date and not first.up_to_date


def test_skipped_files_alone_mean_nothing_to_do_until_they_change(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 2)
    (docs / "notes.json").write_text('{"a": 1}', encoding="utf-8")
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    first = build(docs, index)
    skipped = {(item.path, item.reason) for item in first.files if item.status == "skipped"}
    assert {path for path, _reason in skipped} == {"notes.json", "binary.txt"}

    again = build(docs, index)
    assert again.up_to_date and again.generation == first.generation
    assert {(item.path, item.reason) for item in again.files if item.status == "skipped"} == skipped
    (docs / "other.json").write_text("[]", encoding="utf-8")  # another file of a type not read
    assert build(docs, index).generation == first.generation

    (docs / "binary.txt").write_text("Now a statement on enforced disappearance.\n", encoding="utf-8")
    fixed = build(docs, index)
    assert not fixed.up_to_date and [item.status for item in fixed.files if item.path == "binary.txt"] == ["added"]
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02 not text again")
    broken = build(docs, index)
    assert [item.status for item in broken.files if item.path == "binary.txt"] == ["skipped"]
    assert doc_ids(index) == {"doc00000", "doc00001"}
    assert build(docs, index).generation == broken.generation


def test_a_file_skipped_as_too_large_is_read_again_under_a_larger_limit(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "short.txt").write_text("A short statement.\n", encoding="utf-8")
    (docs / "long.txt").write_text("A long statement on detention. " * 100, encoding="utf-8")
    first = build(docs, index, writer=WriterSettings(max_file_bytes=1000))
    assert [item.path for item in first.files if item.status == "skipped"] == ["long.txt"]
    assert build(docs, index, writer=WriterSettings(max_file_bytes=1000)).up_to_date
    larger = build(docs, index, writer=WriterSettings(max_file_bytes=10_000))
    assert [item.status for item in larger.files if item.path == "long.txt"] == ["added"]


def test_a_build_reads_and_writes_with_the_writer_settings_given_all_together(tmp_path):
    """The largest file read and the postings' memory are given in one place: both are kept,
    and a limit given apart from them is refused rather than passed over."""
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 60)
    (docs / "long.txt").write_text("A long statement on detention. " * 2_000, encoding="utf-8")
    report = build(docs, index, writer=WriterSettings(max_file_bytes=30_000, memory_mb=0.05))
    assert [item.path for item in report.files if item.status == "skipped"] == ["long.txt"]
    assert report.sorted_runs > 10
    with pytest.raises(TypeError):
        build(docs, index, max_file_bytes=30_000, writer=WriterSettings())


def test_a_document_with_only_a_title_is_found_by_it_and_shows_its_note(tmp_path):
    from app.web import create_app

    from ..support import TITLE_ONLY, image_only_pdf

    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    image_only_pdf(docs / "farewell.pdf", "众新闻告别感谢读者")
    image_only_pdf(docs / "scan.pdf")
    (docs / "statement.txt").write_text("A statement on the freedom of assembly.\n", encoding="utf-8")
    report = build(docs, index)
    assert [(item.path, item.status, item.warnings) for item in report.files if item.path != "statement.txt"] == [
        ("farewell.pdf", "added", [TITLE_ONLY]),
        ("scan.pdf", "skipped", []),
    ]
    live = LiveIndex(index)
    assert found(live, "眾新聞告別") == ["farewell"]  # its title, typed in the other script
    live.close()
    app = create_app({"INDEX": str(index), "DOCUMENTS": str(docs), "TESTING": True})
    try:
        client = app.test_client()
        [hit] = client.get("/api/search", query_string={"q": "感谢读者"}).get_json()["results"]
        assert hit["id"] == "farewell"
        page = client.get("/documents/farewell", query_string={"q": "感谢读者"})
        assert page.status_code == 200 and TITLE_ONLY in page.get_data(as_text=True)
    finally:
        app.extensions["archive_index"].close()


def test_full_rebuild_reindexes_everything(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 3)
    build(docs, index)
    report = build(docs, index, full=True)
    assert report.count("added") == 3 and report.full


def test_a_file_that_turns_bad_is_skipped_and_leaves_the_index(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 3)
    build(docs, index)
    (docs / "doc00001.md").write_bytes(b"\x00\x01binary now")
    report = build(docs, index)
    assert [(item.path, item.status) for item in report.files if item.status == "skipped"] == [
        ("doc00001.md", "skipped")
    ]
    assert report.count("skipped") == 1
    assert doc_ids(index) == {"doc00000", "doc00002"}


def test_a_file_whose_name_is_not_utf8_is_skipped_and_named_while_the_rest_are_indexed(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 2)
    Path(os.fsdecode(bytes(docs) + b"/\xb0\xa1\xc9\xf7.txt")).write_text("Police statement.", encoding="utf-8")
    report = build(docs, index)
    skipped = {item.path: item.reason for item in report.files if item.status == "skipped"}
    assert list(skipped) == ["\\xb0\\xa1\\xc9\\xf7.txt"] and "not valid UTF-8" in skipped["\\xb0\\xa1\\xc9\\xf7.txt"]
    assert doc_ids(index) == {"doc00000", "doc00001"}
    assert "\\xb0\\xa1\\xc9\\xf7.txt: its name is not valid UTF-8" in report.as_text()
    assert build(docs, index).up_to_date, "a second build has nothing to do"


def test_second_writer_waits_then_names_the_lock(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 2)
    with writer_lock(index, timeout=1):
        started = time.monotonic()
        with pytest.raises(IndexLocked, match=r"\.write\.lock.*waited 0\.5 s"):
            build(docs, index, lock_timeout=0.5)
        assert time.monotonic() - started >= 0.5, "it gave up before its time"


def _index_command(docs: Path, index: Path, **env: str) -> subprocess.CompletedProcess:
    """``python -m app index`` on ``docs`` and ``index`` with the settings ``env``, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "app", "index", "--documents", str(docs), "--index", str(index)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )


def test_the_command_exits_3_when_the_lock_is_held(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 2)
    with writer_lock(index, timeout=1):
        done = _index_command(docs, index, ARCHIVE_LOCK_TIMEOUT="0.5")
    assert done.returncode == 3
    assert "holds the index lock" in done.stderr and ".write.lock" in done.stderr


def test_the_command_builds_in_worker_processes(tmp_path):
    # The workers are new interpreters, started from the command's.
    docs, index = tmp_path / "docs", tmp_path / "index"
    ids = write_corpus(docs, 120, paragraphs=2)
    done = _index_command(docs, index, ARCHIVE_INDEX_PROCS="2")
    assert done.returncode == 0, done.stderr
    assert "Indexed 120 files" in done.stdout and done.stdout.count("Indexed") == 1
    assert len(part_stems(current_generation(index))) == 2, "each of the two workers wrote a part"
    assert doc_ids(index) == set(ids)


def test_a_stale_lock_from_a_dead_build_is_cleared(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 2)
    index.mkdir()
    (index / ".write.lock").write_text("pid 999999 since 2026-01-01T00:00:00", encoding="utf-8")
    report = build(docs, index, lock_timeout=1)
    assert report.count("added") == 2
    assert any("stale lock" in note and "999999" in note for note in report.notes)
    assert (index / ".write.lock").read_text(encoding="utf-8") == ""


# A full build that stops, mid-way, where it reports its progress: it says so with a file and
# waits there to be killed, so the kill lands inside the build whatever this machine's speed.
_HELD_BUILD = """
import sys, time
from pathlib import Path
from app.index.build import build

def progress(report, done, total):
    if done >= 40:
        Path(sys.argv[3]).touch()
        time.sleep(600)

build(Path(sys.argv[1]), Path(sys.argv[2]), full=True, procs=1, progress=progress)
"""


@pytest.mark.slow
def test_a_build_killed_mid_way_leaves_the_previous_index_complete(tmp_path):
    docs, index, held = tmp_path / "docs", tmp_path / "index", tmp_path / "held"
    ids = write_corpus(docs, 200, paragraphs=30)
    build(docs, index, procs=2)
    before_generation = current_generation(index)
    before_ids = doc_ids(index)
    assert len(before_ids) == 200

    process = subprocess.Popen(
        [sys.executable, "-c", _HELD_BUILD, str(docs), str(index), str(held)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not held.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert held.exists(), (
        f"the build did not get under way: {process.stderr.read().decode() if process.poll() is not None else ''}"
    )
    new_generation = index / f"gen-{int(before_generation.name[4:]) + 1:06d}"
    assert new_generation.is_dir(), "killed while it writes a generation of its own"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stderr.close()

    assert current_generation(index) == before_generation
    live = LiveIndex(index)
    assert found(live, ids[0]) == [ids[0]]
    assert found(live, ids[-1]) == [ids[-1]]
    with live.use() as generation:
        assert generation.doc_count == 200
    live.close()

    report = build(docs, index, full=True, lock_timeout=5)
    assert report.count("added") == 200
    assert doc_ids(index) == before_ids
    leftovers = [path.name for path in index.iterdir() if path.name.startswith("gen-")]
    assert leftovers == [report.generation]


def test_a_server_keeps_its_generation_until_it_lets_go(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 3)
    build(docs, index)
    live = LiveIndex(index)
    with live.use() as held:
        old = held.path
        (docs / "extra.txt").write_text("Statement on the bounty for activists abroad.", encoding="utf-8")
        report = build(docs, index)
        assert old.exists(), "a generation in use must not be deleted"
        assert held.searcher.doc_count() == 3  # still answering from the old one
    assert found(live, "bounty") == ["extra"]  # the next request follows CURRENT
    assert not old.exists(), "the old generation is collected once no reader holds it"
    assert (index / CURRENT).read_text().strip() == report.generation
    live.close()


def test_progress_is_reported_per_file(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 4)
    seen = []
    build(docs, index, progress=lambda report, done, total: seen.append((report.path, done, total)))
    assert [done for _path, done, _total in seen] == [1, 2, 3, 4]
    assert {total for *_rest, total in seen} == {4}


def test_a_touched_file_with_the_same_content_stays_unchanged(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 3)
    first = build(docs, index)
    path = docs / "doc00001.md"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10_000_000_000))
    again = build(docs, index)
    assert again.count("unchanged") == 3 and again.generation == first.generation


def test_an_edit_that_keeps_size_and_time_is_missed_only_until_a_full_build(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 2)
    build(docs, index)
    path = docs / "doc00000.md"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("doc00000", "docXXXXX"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    build(docs, index, full=True)
    live = LiveIndex(index)
    assert found(live, "docXXXXX") == ["doc00000"]
    live.close()


def test_many_incremental_builds_keep_few_parts_and_find_only_live_text(tmp_path):
    """Each build writes a part of its own; past MAX_PARTS the incremental ones are merged, and
    what removed documents held is never found."""
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 4)
    build(docs, index)
    (docs / "kept.md").write_text("---\ntitle: Kept\n---\n洪荒玄黃的聲明\n", encoding="utf-8")
    words = [
        "甲乙丙",
        "丁戊己",
        "庚辛壬",
        "子丑寅",
        "卯辰巳",
        "午未申",
        "酉戌亥",
        "天地人",
        "宇宙光",
        "日月盈",
        "辰宿列",
    ]
    for number, word in enumerate(words):
        (docs / f"extra{number}.md").write_text(f"---\ntitle: Extra {number}\n---\n{word}的聲明\n", encoding="utf-8")
        if number:
            (docs / f"extra{number - 1}.md").unlink()
        build(docs, index)
        assert len(part_stems(current_generation(index))) <= MAX_PARTS
    live = LiveIndex(index)
    assert found(live, "洪荒玄黃") == ["kept"]  # written by the first incremental build, then merged
    assert found(live, words[-1]) == [f"extra{len(words) - 1}"]
    assert [word for word in words[:-1] if found(live, word)] == []
    assert found(live, "人權") != []
    live.close()


def test_the_full_builds_parts_outlast_the_merges_of_incremental_builds(tmp_path):
    """The manifest names the parts of the full build; merging the incremental builds' parts
    never rewrites them, so an update stays small however large the archive."""
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 4)
    build(docs, index)
    full_parts = read_manifest(current_generation(index))["full_parts"]
    assert full_parts and {stem.name for stem in part_stems(current_generation(index))} == set(full_parts)
    for number in range(MAX_PARTS + 2):
        (docs / f"extra{number}.md").write_text(f"---\ntitle: Extra {number}\n---\nnote {number}\n", encoding="utf-8")
        build(docs, index)
        generation = current_generation(index)
        assert read_manifest(generation)["full_parts"] == full_parts
        stems = {stem.name for stem in part_stems(generation)}
        assert set(full_parts) <= stems and len(stems) <= MAX_PARTS


def test_postings_sorted_on_disk_give_the_same_search(tmp_path):
    """When the postings of a build outgrow the writer's memory they are written in runs and
    merged; searches find the same documents in the same order, with the same snippets."""
    docs = tmp_path / "docs"
    write_corpus(docs, 60)
    assert build(docs, tmp_path / "in-memory").sorted_runs == 1
    small = WriterSettings(memory_mb=0.05)
    assert build(docs, tmp_path / "on-disk", writer=small).sorted_runs > 10
    in_memory, on_disk = LiveIndex(tmp_path / "in-memory"), LiveIndex(tmp_path / "on-disk")
    for q in ("人權", "人权 dignity", "torture", "doc00042", '"freedom of thought"', "宗教 OR religion"):
        expected, got = search(in_memory, SearchRequest(q=q)), search(on_disk, SearchRequest(q=q))
        assert expected.total > 0
        assert (got.total, [(hit.id, hit.snippet) for hit in got.hits]) == (
            expected.total,
            [(hit.id, hit.snippet) for hit in expected.hits],
        )
    in_memory.close()
    on_disk.close()
