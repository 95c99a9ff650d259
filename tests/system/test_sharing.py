"""The workers of one server share new connections by who is free (``app/web/sharing.py``).

The server here is the archive's own gunicorn application and worker, serving a tiny app in
place of the search: ``/hold`` computes until the test lets it go, anything else answers the
worker's pid at once. The app writes down when each request starts and ends, so what the tests
assert is the order of events and which worker answered, never how long anything took.
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ..support import ROOT, free_port, stop_group, wait_for

pytestmark = pytest.mark.slow

SERVER = """
import os, sys, time
from pathlib import Path

from app import config
from app.web.server import ArchiveServer

flags, port, workers, running = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])


def note(event):
    with open(flags / "events", "a", encoding="utf-8") as log:
        log.write(event + "\\n")


def application(environ, start_response):
    path, pid = environ["PATH_INFO"], str(os.getpid())
    note(f"start {path}")
    if path == "/hold":
        (flags / "held").write_text(pid)
        while not (flags / "release").exists():
            time.sleep(0.01)
    note(f"end {path}")
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [pid.encode()]


class Held(ArchiveServer):
    def load(self):
        return application


settings = {"PORT": port, "WORKERS": workers, "RUNNING_PER_WORKER": running, "THREADS": 8, "LOG_LEVEL": "warning"}
Held(config.load(settings)).run()
"""
WAIT = 30.0  # seconds any one step may take before the test gives up on it


class Served:
    """The test server, its flag folder, and requests to it."""

    def __init__(self, flags: Path, port: int) -> None:
        self.flags, self.port = flags, port

    def get(self, path: str, connection: http.client.HTTPConnection | None = None) -> str:
        """The body of a GET (the answering worker's pid), on a new connection unless given one."""
        own = connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        own.request("GET", path)
        answer = own.getresponse()
        body = answer.read().decode()
        assert answer.status == 200, body
        if connection is None:
            own.close()
        return body

    def hold(self) -> tuple[threading.Thread, list[str]]:
        """Send ``/hold`` and return once a worker is computing it; its answer lands in the list."""
        answers: list[str] = []
        thread = threading.Thread(target=lambda: answers.append(self.get("/hold")))
        thread.start()
        assert wait_for(lambda: (self.flags / "held").exists(), WAIT), "the held request did not start"
        return thread, answers

    def release(self) -> None:
        (self.flags / "release").touch()

    def events(self) -> list[str]:
        return (self.flags / "events").read_text(encoding="utf-8").splitlines()


def serve(tmp_path: Path, workers: int, running: int):
    script = tmp_path / "server.py"
    script.write_text(SERVER, encoding="utf-8")
    flags = tmp_path / "flags"
    flags.mkdir()
    port = free_port()
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, str(script), str(flags), str(port), str(workers), str(running)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    served = Served(flags, port)

    def answers() -> bool:
        assert process.poll() is None, (tmp_path / "server.log").read_text(errors="replace")
        try:
            served.get("/ready")
        except OSError:
            return False
        return True

    assert wait_for(answers, WAIT), "the server did not start"
    return served, process, log


@pytest.fixture()
def server(request, tmp_path):
    workers, running = request.param
    served, process, log = serve(tmp_path, workers, running)
    yield served
    served.release()
    stop_group(process, timeout=20)
    log.close()


@pytest.mark.parametrize("server", [(2, 1)], indirect=True)
def test_a_new_connection_goes_to_the_worker_that_is_free_not_the_busy_one(server):
    thread, held = server.hold()
    busy = (server.flags / "held").read_text()
    # The busy worker has seven idle threads, but it is computing its one request: every new
    # connection meanwhile is the other worker's (which may still be starting).
    answered_by = {server.get(f"/while-held-{number}") for number in range(8)}
    assert busy not in answered_by and len(answered_by) == 1
    server.release()
    thread.join(WAIT)
    assert held == [busy]


@pytest.mark.parametrize("server", [(1, 1)], indirect=True)
def test_a_lone_busy_worker_takes_the_next_connection_only_once_its_answer_is_made(server):
    thread, _held = server.hold()
    waiting = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    waiting.request("GET", "/next")  # sent: it waits in the kernel's queue, not in a thread
    server.release()
    answer = waiting.getresponse()
    assert answer.status == 200
    thread.join(WAIT)
    events = server.events()
    assert events.index("end /hold") < events.index("start /next")


@pytest.mark.parametrize("server", [(1, 1)], indirect=True)
def test_a_busy_worker_still_serves_a_connection_it_keeps_alive(server):
    kept = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    server.get("/first", connection=kept)
    thread, _held = server.hold()
    server.get("/again", connection=kept)  # answered while the other request computes
    assert "end /hold" not in server.events()
    server.release()
    thread.join(WAIT)
    kept.close()
