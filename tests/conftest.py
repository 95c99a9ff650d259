"""Fixtures: a temporary index built from the archive's documents plus the test corpus.

Like Flask's tutorial: the app is made by ``create_app`` with a test configuration, and tests
get a ``client`` for the pages and API and a ``runner`` for the command line.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.index.build import build
from app.index.readers import LiveIndex
from app.web import create_app

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
# Every file of documents/ and tests/data/corpus/ but sidecars (metadata of the file beside
# them) is indexed: this many documents.
CORPUS_SIZE = sum(
    1
    for folder in (ROOT / "documents", DATA / "corpus")
    for path in folder.rglob("*.*")
    if path.is_file() and not path.name.endswith(".meta.yaml")
)


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive's documents/ with the test corpus beside them, in a folder of its own."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copytree(ROOT / "documents", folder, dirs_exist_ok=True)
    shutil.copytree(DATA / "corpus", folder / "fixtures")
    return folder


@pytest.fixture(scope="session")
def index_dir(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index built once from ``corpus_dir`` for every test that only reads it."""
    folder = tmp_path_factory.mktemp("index")
    report = build(corpus_dir, folder)
    assert report.count("skipped") == 0, report.as_dict()
    return folder


@pytest.fixture(scope="session")
def archive_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the project's own documents/ alone, as ``make run`` builds it: the archive the
    README's examples and the glossary speak of."""
    folder = tmp_path_factory.mktemp("archive-index")
    report = build(ROOT / "documents", folder)
    assert report.count("skipped") == 0, report.as_dict()
    return folder


@pytest.fixture(scope="session")
def archive_app(archive_index: Path):
    """The Flask app over the index of documents/ alone."""
    application = create_app({"INDEX": str(archive_index), "DOCUMENTS": str(ROOT / "documents"), "TESTING": True})
    yield application
    application.extensions["archive_index"].close()


@pytest.fixture(scope="session")
def live(index_dir: Path) -> LiveIndex:
    """The live index the search functions read."""
    live_index = LiveIndex(index_dir)
    yield live_index
    live_index.close()


@pytest.fixture(scope="session")
def app(index_dir: Path, corpus_dir: Path):
    """The Flask app over the shared test index."""
    application = create_app({"INDEX": str(index_dir), "DOCUMENTS": str(corpus_dir), "TESTING": True})
    yield application
    application.extensions["archive_index"].close()


@pytest.fixture()
def made_app(index_dir: Path, corpus_dir: Path):
    """Apps over the shared test index with settings of the test's choosing, closed at the end."""
    apps = []

    def make(**settings):
        application = create_app({"INDEX": str(index_dir), "DOCUMENTS": str(corpus_dir), "TESTING": True, **settings})
        apps.append(application)
        return application

    yield make
    for application in apps:
        application.extensions["archive_index"].close()


@pytest.fixture()
def client(app):
    """A test client for pages and the API."""
    return app.test_client()


@pytest.fixture()
def runner() -> CliRunner:
    """A runner for the ``archive-search`` command."""
    return CliRunner()


def free_port() -> int:
    """A TCP port nothing listens on now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(
    index: Path,
    documents: Path,
    workers: int = 2,
    timeout: float = 90,
    extra: tuple = (),
    env: dict | None = None,
    ready: bool = True,
    log_to: Path | None = None,
):
    """Run ``archive-search serve`` (gunicorn) on a free port until the block ends; ``env`` adds
    to the environment. Waits until /healthz answers 200 (any answer, unless ``ready``). The
    server's output goes to ``log_to``, kept, or to a temporary file deleted at the end."""
    port = free_port()
    if log_to is None:
        log = tempfile.NamedTemporaryFile(prefix="serve-", suffix=".log", delete=False)  # noqa: SIM115
    else:
        log = open(log_to, "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "serve",
            "--index",
            str(index),
            "--documents",
            str(documents),
            "--port",
            str(port),
            "--workers",
            str(workers),
            *extra,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except urllib.error.HTTPError:
                if not ready:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {Path(log.name).read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield base, process
    finally:
        stop_group(process, timeout=20)
        log.close()
        if log_to is None:
            os.unlink(log.name)


def stop_group(process: subprocess.Popen, timeout: float) -> None:
    """Stop a process started in a session of its own, and its children: TERM, then KILL after
    ``timeout`` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def read_only_view(folder: Path, view: Path):
    """``folder`` mounted read-only at ``view`` (as the replicas mount the index) when this
    machine allows it (root); otherwise ``folder`` itself. Yields the path to read and whether
    it is read-only."""
    view.mkdir()
    mounted = False
    if os.geteuid() == 0:
        done = subprocess.run(["mount", "--bind", str(folder), str(view)], capture_output=True)
        if done.returncode == 0:
            mounted = True
            done = subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], capture_output=True)
    try:
        if mounted and done.returncode == 0:
            yield view, True
        else:
            yield folder, False
    finally:
        if mounted:
            subprocess.run(["umount", str(view)], check=False)


@pytest.fixture(scope="session")
def server(index_dir: Path, corpus_dir: Path):
    """One real server over the shared test index, for tests that only read."""
    with running_server(index_dir, corpus_dir) as (base, _process):
        yield base


def write_corpus(folder: Path, count: int, paragraphs: int = 12) -> list[str]:
    """Write ``count`` Markdown documents built from the UDHR's paragraphs in all four versions.

    Each document has a unique word (``docNNNNN``) so tests can find it; the ids are returned.
    """
    pool: list[str] = []
    for path in sorted((ROOT / "documents" / "udhr").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        pool += [line for line in body.splitlines() if len(line) > 40]
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for number in range(count):
        chosen = [pool[(number * 7 + step * 13) % len(pool)] for step in range(paragraphs)]
        text = "\n\n".join(chosen)
        year = 2014 + number % 11
        (folder / f"doc{number:05d}.md").write_text(
            f"---\ntitle: Document {number}\ndate: {year}-01-{1 + number % 28:02d}\nauthor: Desk {number % 5}\n"
            f"tags: [batch]\n---\ndoc{number:05d}\n\n{text}\n",
            encoding="utf-8",
        )
        ids.append(f"doc{number:05d}")
    return ids
