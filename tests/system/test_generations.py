"""Generations on a volume shared between machines: readers that take no lock, a grace period
before an old generation is deleted, replicas that move to a new generation by themselves, and
a server started before the first build."""

from __future__ import annotations

import errno
import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from app import cli
from app.index.build import build
from app.index.generations import RETIRED, current_generation
from app.index.readers import LiveIndex
from app.service.results import SearchRequest
from app.service.search import search
from app.web import create_app

from ..support import read_only_view, running_server, wait_for, write_corpus


def generations(index: Path) -> list[str]:
    return sorted(path.name for path in index.iterdir() if path.name.startswith("gen-"))


def test_a_reader_that_takes_no_lock_keeps_its_generation_for_the_grace_period(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 3)
    build(docs, index)
    remote = LiveIndex(index, lock_readers=False)  # as a replica on another machine sees it
    with remote.use() as held:
        old = held.path
        (docs / "extra.txt").write_text("Statement on the bounty for activists abroad.", encoding="utf-8")
        build(docs, index, grace=60)
        assert old.exists(), "retired a moment ago: kept for the grace period"
        assert (old / RETIRED).exists()
        assert "doc00000" in held.document(0).content(0, 100)  # still reads its text
        assert held.doc_count == 3
    remote.close()

    os.utime(old / RETIRED, (time.time() - 61, time.time() - 61))  # the grace period has passed
    build(docs, index, grace=60)  # nothing to do, but it cleans up
    assert not old.exists()
    assert generations(index) == [current_generation(index).name]


def test_without_a_grace_period_an_unlocked_reader_is_not_protected(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 3)
    build(docs, index)
    remote = LiveIndex(index, lock_readers=False)
    with remote.use() as held:
        (docs / "extra.txt").write_text("Statement on the bounty.", encoding="utf-8")
        build(docs, index, grace=0)
        assert not held.path.exists(), "no lock and no grace: nothing keeps it"
    remote.close()


def test_a_locked_reader_keeps_its_generation_past_the_grace_period(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 3)
    build(docs, index)
    local = LiveIndex(index)
    with local.use() as held:
        (docs / "extra.txt").write_text("Statement on the bounty.", encoding="utf-8")
        build(docs, index, grace=0)
        assert held.path.exists()
    local.close()


def test_a_replica_moves_to_each_new_generation_by_itself(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 3)
    build(docs, index)
    replica = LiveIndex(index, lock_readers=False, grace=60)
    replica.follow(interval=0.05)
    try:
        for number in range(3):
            (docs / f"extra{number}.txt").write_text(f"Statement number {number} on the quokka.", encoding="utf-8")
            report = build(docs, index, grace=60)

            def serving(name: str = report.generation) -> bool:
                with replica.use() as generation:
                    return generation.path.name == name

            assert wait_for(serving), f"still on the old generation after {report.generation}"
            assert search(replica, SearchRequest(q="quokka", expand=False)).total == number + 1
        assert len(generations(index)) == 4, "every generation retired within the grace period is kept"
    finally:
        replica.close()


def test_a_server_started_before_the_first_build_answers_503_then_serves_it(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 2)
    app = create_app({"INDEX": str(index), "DOCUMENTS": str(docs), "TESTING": True, "READER_LOCKS": False})
    client = app.test_client()
    try:
        waiting = client.get("/healthz")
        assert waiting.status_code == 503
        assert "archive-search index" in waiting.get_json()["error"]["message"]
        build(docs, index)
        assert wait_for(lambda: client.get("/healthz").status_code == 200)
        assert client.get("/healthz").get_json()["documents"] == 2
    finally:
        app.extensions["archive_index"].close()


def test_serve_on_a_read_only_index_waits_for_a_build_instead_of_building(tmp_path, monkeypatch):
    from app.index import generations as index_folder
    from app.web import server

    served = []
    monkeypatch.setattr(index_folder, "index_writable", lambda index_dir: False)
    monkeypatch.setattr(server, "check_port", lambda host, port: None)
    monkeypatch.setattr(server, "serve", served.append)
    (tmp_path / "docs").mkdir()
    arguments = ["serve", "--index", str(tmp_path / "index"), "--documents", str(tmp_path / "docs")]

    result = CliRunner().invoke(cli.main, arguments)
    assert result.exit_code == 0, result.output
    assert "read-only here: answering 503 until a build publishes one" in result.output
    assert len(served) == 1
    assert not (tmp_path / "index").exists(), "nothing built"

    result = CliRunner().invoke(cli.main, [*arguments, "--update"])
    assert result.exit_code == 2
    assert "cannot update the index" in result.output and "read-only" in result.output


def test_a_volume_without_locks_is_read_all_the_same_and_said_once(tmp_path, monkeypatch, caplog):
    from app.index import generations as generation_files  # where readers take their shared lock

    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 2)
    build(docs, index)

    def no_locks(handle, operation):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(generation_files.fcntl, "flock", no_locks)  # the volume, as NFS without its lock daemon is
    live = LiveIndex(index)
    assert search(live, SearchRequest(q="doc00001")).total == 1
    (docs / "new.txt").write_text("A wombat statement.", encoding="utf-8")
    monkeypatch.undo()  # the build's own writer lock is not a reader's
    build(docs, index)
    monkeypatch.setattr(generation_files.fcntl, "flock", no_locks)
    assert search(live, SearchRequest(q="wombat")).total == 1, "the next generation is read too"
    live.close()
    said = [record.getMessage() for record in caplog.records if "cannot lock" in record.getMessage()]
    assert len(said) == 1 and "ARCHIVE_READER_LOCKS=0" in said[0]


@pytest.mark.slow
def test_a_replica_on_a_read_only_index_serves_503_until_the_first_build_then_the_index(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 3)
    index.mkdir()
    with read_only_view(index, tmp_path / "read-only") as (view, read_only):
        if not read_only:
            pytest.skip("a read-only mount needs root here (the monkeypatched test above covers the command)")
        env = {"ARCHIVE_READER_LOCKS": "0"}
        with running_server(view, docs, workers=1, ready=False, env=env) as (base, _process):
            waiting = get_json(f"{base}/healthz")
            build(docs, index)  # the index job, writing where the replica cannot
            deadline = time.monotonic() + 15
            while get_json(f"{base}/healthz")[0] != 200 and time.monotonic() < deadline:
                time.sleep(0.1)
            status, body = get_json(f"{base}/api/search?q=doc00002")
    assert waiting[0] == 503 and "not ready" in waiting[1]["error"]["message"]
    assert status == 200 and [hit["id"] for hit in body["results"]] == ["doc00002"]
    assert generations(index) == ["gen-000001"]


def get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)
