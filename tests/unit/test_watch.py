"""Watching the documents folder (``app/index/watch.py``) and updating only where files changed
(``plan.Scope``): the same plan as a walk of the whole folder, and each change searchable
without a new process."""

from __future__ import annotations

import gc
import os
import random
import shutil
import threading
from pathlib import Path

import pytest

from app.index.build import build
from app.index.generations import current_generation
from app.index.manifest import read_manifest
from app.index.plan import Scope, collector_paused, plan
from app.index.readers import LiveIndex
from app.index.watch import Changes, watch
from app.service.results import SearchRequest
from app.service.search import search

from ..support import wait_for

WAIT = 30.0  # seconds a change may take to be searchable before the test gives up
MAX_BYTES = 10_000_000


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _archive(root: Path) -> None:
    """A small archive of nested folders, a hidden folder, sidecars, a link and a file of a
    type the archive does not read."""
    for number in range(4):
        _write(root / f"top-{number}.md", f"# Top {number}\n\nNotice number {number}.")
        _write(root / "2019" / f"report-{number}.txt", f"Report {number} on the protests.")
        _write(root / "2019" / "june" / f"note-{number}.md", f"Note {number} of June.")
        _write(root / "2020" / "letters" / f"letter-{number}.txt", f"Letter {number}.")
    _write(root / "2019" / "report-0.txt.meta.yaml", "title: The first report\n")
    _write(root / ".drafts" / "hidden.md", "Never indexed.")
    _write(root / "2020" / "tool.exe", "not a document")
    os.symlink(root / "top-0.md", root / "2020" / "link.md")


def _change(root: Path, rng: random.Random, changes: Changes) -> None:
    """One random change under ``root``, told to ``changes`` as the system would tell it."""
    files = sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())
    folders = sorted(path for path in root.rglob("*") if path.is_dir())
    kind = rng.choice(["add", "edit", "delete", "sidecar", "new folder", "remove folder", "rename folder", "hidden"])
    if kind == "add":
        target = rng.choice([root, *folders]) / f"new-{rng.randrange(10**6)}.md"
        _write(target, f"New {target.name}.")
        changes.add(str(target), False)
    elif kind == "edit" and files:
        target = rng.choice(files)
        target.write_text(target.read_text(encoding="utf-8") + " More.", encoding="utf-8")
        changes.add(str(target), False)
    elif kind == "delete" and files:
        target = rng.choice(files)
        target.unlink()
        changes.add(str(target), False)
    elif kind == "sidecar":
        target = rng.choice([path for path in files if path.suffix in (".md", ".txt")] or [root / "x.md"])
        sidecar = target.with_name(target.name + ".meta.yaml")
        _write(sidecar, f"title: Retitled {rng.randrange(1000)}\n")
        changes.add(str(sidecar), False)
    elif kind == "new folder":
        folder = rng.choice([root, *folders]) / f"folder-{rng.randrange(10**6)}"
        _write(folder / "inner" / "deep.md", "Deep inside.")
        changes.add(str(folder), True)
    elif kind == "remove folder" and folders:
        folder = rng.choice(folders)
        shutil.rmtree(folder)
        changes.add(str(folder), True)
    elif kind == "rename folder" and folders:
        folder = rng.choice(folders)
        renamed = folder.with_name(folder.name + "-renamed")
        if not renamed.exists():
            folder.rename(renamed)
            changes.add(str(folder), True)
            changes.add(str(renamed), True)
    elif kind == "hidden":
        target = root / ".drafts" / f"hidden-{rng.randrange(1000)}.md"
        _write(target, "Still never indexed.")
        changes.add(str(target), False)


def _decided(work) -> dict:
    return {
        "to_index": sorted((candidate.relative, status) for candidate, status in work.to_index),
        "removed": sorted(work.removed),
        "manifest": work.manifest,
        "skipped": work.skipped,
    }


@pytest.mark.parametrize("seed", range(40))
def test_a_plan_over_the_changed_folders_decides_as_a_walk_of_the_whole_folder(tmp_path, seed):
    root = tmp_path / "documents"
    _archive(root)
    index = tmp_path / "index"
    build(root, index)
    live = read_manifest(current_generation(index))
    rng = random.Random(seed)
    changes = Changes(root)
    changes.find_links()
    for _ in range(rng.randint(1, 6)):
        _change(root, rng, changes)
    scope = changes.take()
    walked = plan(root, live["files"], MAX_BYTES, live.get("skipped", {}))
    scoped = plan(root, live["files"], MAX_BYTES, live.get("skipped", {}), scope)
    assert _decided(scoped) == _decided(walked)


def test_the_cycle_collector_is_paused_for_a_plan_and_back_as_it_was_after(tmp_path):
    _archive(tmp_path)
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "an inner pause does not end the outer one"
    assert gc.isenabled()
    plan(tmp_path, None, MAX_BYTES)
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collector_paused():
        raise ZeroDivisionError
    assert gc.isenabled(), "a failed build leaves the collector running"


def test_a_scope_covers_its_folders_own_files_and_its_trees_at_any_depth():
    scope = Scope(frozenset({"a"}), frozenset({"b/c"}))
    assert scope.covers("a/x.md") and not scope.covers("a/d/x.md")
    assert scope.covers("b/c/x.md") and scope.covers("b/c/d/e/x.md") and not scope.covers("b/x.md")
    assert Scope(trees=frozenset({""})).covers("any/where/x.md")
    assert not Scope().covers("x.md")


def _found(live: LiveIndex, query: str) -> list[str]:
    return [hit.id for hit in search(live, SearchRequest(q=query)).hits]


@pytest.fixture()
def watched(tmp_path):
    """A folder watched by ``watch`` in a thread, updating its index; its LiveIndex following."""
    root = tmp_path / "documents"
    _archive(root)
    index = tmp_path / "index"
    build(root, index)
    updates: list[Scope | None] = []

    def update(scope: Scope | None) -> None:
        build(root, index, scope=scope)
        updates.append(scope)

    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(Changes(root, ignored=index), update, stop, 0.05, 3600))
    thread.start()
    assert wait_for(lambda: updates, WAIT), "the first update"
    live = LiveIndex(index)
    yield root, live, updates
    stop.set()
    thread.join(WAIT)
    live.close()
    assert not thread.is_alive()


def test_a_file_added_edited_and_deleted_is_searchable_as_it_changes(watched):
    root, live, updates = watched
    added = root / "2019" / "june" / "quokka.md"
    _write(added, "# Sighting\n\nA quokka was seen near the harbour.")
    assert wait_for(lambda: _found(live, "quokka") == ["2019/june/quokka"], WAIT), "the added file"
    added.write_text("# Sighting\n\nA wallaby, not a quokka, was seen.", encoding="utf-8")
    assert wait_for(lambda: _found(live, "wallaby") == ["2019/june/quokka"], WAIT), "the edited file"
    added.unlink()
    assert wait_for(lambda: _found(live, "wallaby") == [], WAIT), "the deleted file"
    # Each of those updates looked at the folder of the change, not the whole archive.
    assert all(scope is not None and "2019/june" in scope.folders for scope in updates[1:])


def test_a_folder_moved_in_is_indexed_whole_and_a_hidden_one_never(watched):
    root, live, _updates = watched
    outside = root.parent / "incoming"
    _write(outside / "batch" / "deep" / "numbat.md", "A numbat.")
    outside.rename(root / "2020" / "incoming")
    _write(root / ".drafts" / "numbat-draft.md", "A numbat draft.")
    assert wait_for(lambda: _found(live, "numbat") == ["2020/incoming/batch/deep/numbat"], WAIT), "the moved folder"


def test_without_the_systems_word_the_folder_is_walked_every_rescan(tmp_path, monkeypatch):
    import app.index.watch as watching

    monkeypatch.setattr(watching, "start_watching", lambda changes: None)  # as on a mount that sends no events
    root = tmp_path / "documents"
    _archive(root)
    index = tmp_path / "index"
    walks: list[Scope | None] = []

    def update(scope: Scope | None) -> None:
        build(root, index, scope=scope)
        walks.append(scope)

    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(Changes(root), update, stop, 0.05, 0.2))
    thread.start()
    try:
        assert wait_for(lambda: walks, WAIT), "the first update"
        _write(root / "bilby.md", "A bilby.")
        live = LiveIndex(index)
        assert wait_for(lambda: _found(live, "bilby") == ["bilby"], WAIT), "the walk"
        live.close()
        assert set(walks) == {None}
    finally:
        stop.set()
        thread.join(WAIT)


def test_the_manifest_an_update_kept_is_the_one_its_database_holds(tmp_path, monkeypatch):
    import app.index.manifest as manifests

    root = tmp_path / "documents"
    _archive(root)
    index = tmp_path / "index"
    rng = random.Random(7)
    build(root, index)
    changes = Changes(root)
    changes.find_links()
    for _ in range(6):
        for _ in range(3):
            _change(root, rng, changes)
        _write(root / "2020" / f"broken-{rng.randrange(1000)}.pdf", "not a PDF")  # skipped, kept with its reason
        build(root, index, scope=changes.take())
        generation = current_generation(index)
        kept = read_manifest(generation)
        assert manifests._WRITTEN, "the update kept what it wrote"
        monkeypatch.setattr(manifests, "_WRITTEN", {})
        assert kept == read_manifest(generation)
        assert kept["skipped"]


def test_an_update_that_fails_is_logged_and_the_watch_goes_on(tmp_path, caplog):
    root = tmp_path / "documents"
    _archive(root)
    index = tmp_path / "index"
    calls: list[Scope | None] = []

    def update(scope: Scope | None) -> None:
        calls.append(scope)
        if len(calls) == 2:
            raise OSError("the disk went away")
        build(root, index, scope=scope)

    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(Changes(root, ignored=index), update, stop, 0.05, 3600))
    thread.start()
    try:
        assert wait_for(lambda: len(calls) == 1 and current_generation(index) is not None, WAIT), "the first update"
        _write(root / "first.md", "A dingo.")
        assert wait_for(lambda: len(calls) >= 2, WAIT), "the failing update"
        _write(root / "second.md", "A dugong.")
        live = LiveIndex(index)
        assert wait_for(lambda: _found(live, "dugong") == ["second"], WAIT), "the update after the failure"
        live.close()
        assert thread.is_alive()
        assert "the disk went away" in caplog.text
    finally:
        stop.set()
        thread.join(WAIT)
