"""Under load and faults: a rebuild while serving, a full disk, a killed or stuck worker."""

from __future__ import annotations

import contextlib
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app.index.build import build
from app.index.generations import current_generation
from app.index.readers import LiveIndex
from app.service.results import SearchRequest
from app.service.search import search

from ..support import running_server, write_corpus

pytestmark = pytest.mark.slow


def get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, {}
    except OSError:
        return 0, {}


def workers_of(master: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                    found.add(int(entry))
    return found


@pytest.mark.parametrize("reader_locks", ["1", "0"], ids=["locked-readers", "readers-without-locks"])
def test_searches_keep_answering_while_the_index_is_rebuilt(tmp_path, reader_locks):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 300)
    build(docs, index)
    with running_server(index, docs, workers=3, env={"ARCHIVE_READER_LOCKS": reader_locks}) as (base, _process):
        probe = f"{base}/api/search?q=quokka&expand=0"
        outcomes: list[tuple[int, int | None, int | None]] = []
        stop = threading.Event()

        def client() -> None:
            while not stop.is_set():
                status, body = get_json(probe)
                health_status, health = get_json(f"{base}/healthz")
                outcomes.append(
                    (status if status != 200 else health_status, body.get("total"), health.get("documents"))
                )

        threads = [threading.Thread(target=client) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1)
        for number in range(20):  # an incremental update: 20 documents with a new word
            (docs / f"new{number:02d}.txt").write_text(f"The quokka statement number {number}.", encoding="utf-8")
        subprocess.run(
            [sys.executable, "-m", "app", "index", "--documents", str(docs), "--index", str(index)], check=True
        )
        time.sleep(1)
        subprocess.run(
            [sys.executable, "-m", "app", "index", "--full", "--documents", str(docs), "--index", str(index)],
            check=True,
        )
        # Each worker moves to the new generation by itself: wait until the answers say so.
        deadline = time.monotonic() + 30
        while outcomes[-12:] != [(200, 20, 320)] * 12 and time.monotonic() < deadline:
            time.sleep(0.1)
        stop.set()
        for thread in threads:
            thread.join()
        generations = [path for path in index.iterdir() if path.name.startswith("gen-")]
    assert len(outcomes) > 50
    assert [outcome for outcome in outcomes if outcome[0] != 200] == []
    # each answer comes from one complete index: the old one or the new one, never a mixture
    assert {total for _status, total, _documents in outcomes} <= {0, 20}
    assert {documents for _status, _total, documents in outcomes} <= {300, 320}
    assert outcomes[-12:] == [(200, 20, 320)] * 12, "every worker serves the new generation"
    assert len(generations) == 3, "both generations replaced are kept for the grace period"
    print(f"\nrequests during the rebuilds (reader locks {reader_locks}): {2 * len(outcomes)}, failed: 0")


def _small_disk(path: Path) -> bool:
    """Mount a 12 MB tmpfs at ``path`` when the machine lets us (root); False otherwise."""
    path.mkdir()
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(path)], capture_output=True)
    return done.returncode == 0


def _limit_file_size() -> None:
    """In the build process: no file may grow past 4 MB (a full disk, as the writer meets it)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4_000_000, 4_000_000))


def test_a_rebuild_that_runs_out_of_space_leaves_the_index_served(tmp_path):
    docs, disk = tmp_path / "docs", tmp_path / "disk"
    mounted = _small_disk(disk)
    index = disk / "index"
    try:
        write_corpus(docs, 20)
        build(docs, index)
        before = current_generation(index)
        noise = random.Random(7)  # text that neither compresses nor repeats: a large index
        huge = "".join(chr(0x4E00 + noise.randrange(20_000)) for _ in range(2_000_000))
        (docs / "huge.txt").write_text(f"Noise\n\n{huge}", encoding="utf-8")
        command = [sys.executable, "-m", "app", "index", "--full", "--documents", str(docs), "--index", str(index)]
        done = subprocess.run(
            command, capture_output=True, text=True, preexec_fn=None if mounted else _limit_file_size, timeout=300
        )
        assert done.returncode == 3, done.stdout + done.stderr
        assert "previous index is unchanged" in done.stderr
        assert current_generation(index) == before
        assert [path.name for path in index.iterdir() if path.name.startswith("gen-")] == [before.name]
        live = LiveIndex(index)
        assert search(live, SearchRequest(q="doc00019")).total == 1
        live.close()
        (docs / "huge.txt").unlink()
        (docs / "small.txt").write_text("A small statement on rights.", encoding="utf-8")
        report = build(docs, index)
        assert report.count("added") == 1 and current_generation(index) != before
    finally:
        if mounted:
            subprocess.run(["umount", str(disk)], check=False)


def _partial_request(base: str) -> socket.socket:
    """A connection whose request never ends (the worker holding it is killed all the same)."""
    address = urlsplit(base)
    connection = socket.create_connection((address.hostname, address.port), timeout=30)
    connection.sendall(b"GET /api/search?q=rights HTTP/1.1\r\nHost: localhost\r\n")
    return connection


def test_a_worker_killed_mid_request_is_replaced(tmp_path, corpus_dir, index_dir):
    with running_server(index_dir, corpus_dir, workers=2) as (base, process):
        before = workers_of(process.pid)
        assert len(before) == 2
        hanging = _partial_request(base)
        time.sleep(0.5)
        victim = sorted(before)[0]
        os.kill(victim, signal.SIGKILL)
        statuses = [get_json(f"{base}/api/search?q=rights")[0] for _ in range(20)]
        deadline = time.monotonic() + 20
        while (len(workers_of(process.pid)) < 2 or victim in workers_of(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        after = workers_of(process.pid)
        hanging.close()
    assert statuses == [200] * 20
    assert len(after) == 2 and victim not in after


def test_a_hung_worker_is_replaced_and_the_service_answers_again(tmp_path, corpus_dir, index_dir):
    # A worker whose event loop stops (SIGSTOP stands for a hang) gives no sign of life: gunicorn
    # replaces it after TIMEOUT seconds. A slow client cannot cause this (test_attacks.py).
    with running_server(index_dir, corpus_dir, workers=1, env={"ARCHIVE_TIMEOUT": "2"}) as (base, process):
        (hung,) = workers_of(process.pid)
        try:
            os.kill(hung, signal.SIGSTOP)
            stopped = time.monotonic()
            deadline = stopped + 30
            while hung in workers_of(process.pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            replaced = hung not in workers_of(process.pid)
            status = 0
            for _ in range(100):
                status, _body = get_json(f"{base}/healthz")
                if status == 200:
                    break
                time.sleep(0.2)
            answered_after = time.monotonic() - stopped
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(hung, signal.SIGKILL)
    print(f"\nhung worker replaced; the service answered again {answered_after:.1f} s after the hang")
    assert replaced, "the hung worker was not replaced"
    assert status == 200
