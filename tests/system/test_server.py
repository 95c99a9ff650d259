"""The real server: `archive-search serve` (gunicorn) answering over HTTP."""

from __future__ import annotations

import json
import socket
import time
import urllib.request
from urllib.parse import quote, urlsplit

import pytest

from app.index.build import build

from ..support import CORPUS_SIZE, running_server

pytestmark = pytest.mark.slow


def raw_get(base: str, target: bytes) -> tuple[int, bytes]:
    """GET with the request target sent byte for byte, as curl sends ?q=人權."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


def test_raw_utf8_query_as_curl_sends_it(server):
    # Every copy its own result: the Traditional declaration is otherwise shown as a copy of the Simplified.
    status, body = raw_get(server, "/api/search?q=人權&dedupe=0".encode())
    assert status == 200, body[:300]
    results = {result["id"]: result for result in json.loads(body)["results"]}
    assert "<mark>人权</mark>" in results["002_5db78a1c256f63c4"]["snippet"]
    assert "<mark>人權</mark>" in results["udhr/udhr_cmn_hant"]["snippet"]


def test_pages_and_health_over_http(server):
    with urllib.request.urlopen(f"{server}/healthz") as response:
        assert json.load(response) == {"ok": True, "documents": CORPUS_SIZE}
    with urllib.request.urlopen(f"{server}/search?q=%E4%BA%BA%E6%AC%8A") as response:
        page = response.read().decode()
        assert response.headers["Server"].startswith("gunicorn")
    assert "<mark>人權</mark>" in page


def test_serve_builds_the_index_when_there_is_none(corpus_dir, tmp_path):
    index = tmp_path / "fresh-index"
    with running_server(index, corpus_dir / "udhr", workers=1) as (base, _process):
        response = urllib.request.urlopen(f"{base}/api/search?q=torture&expand=0")
        assert json.load(response)["total"] == 1
    assert (index / "CURRENT").exists()


def test_a_running_server_serves_a_rebuilt_index_without_restart(tmp_path):
    from ..support import write_corpus

    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 5)
    build(docs, index)
    with running_server(index, docs, workers=2) as (base, _process):

        def total(q: str) -> int:
            with urllib.request.urlopen(f"{base}/api/search?q={q}") as response:
                return json.load(response)["total"]

        assert total("kangaroo") == 0
        (docs / "new.txt").write_text("A kangaroo court convicted the activists.", encoding="utf-8")
        build(docs, index)
        # Each worker opens and warms the new generation in the background, then serves it:
        # within a second or so, every request finds the new document.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and sum(total("kangaroo") for _ in range(10)) < 10:
            time.sleep(0.2)
        time.sleep(0.5)
        assert [total("kangaroo") for _ in range(6)] == [1] * 6


def test_serve_update_serves_the_folder_it_is_given_and_a_restart_reindexes_nothing(corpus_dir, tmp_path):
    # As the container starts: an index of the sample documents, then the user's own folder.
    index, mine = tmp_path / "index", tmp_path / "mine"
    build(corpus_dir / "udhr", index)
    mine.mkdir()
    (mine / "petition.md").write_text("---\ntitle: Petition\n---\nA petition on the zebrafish case.\n")
    (mine / "聲明.txt").write_text("關於國安法的聲明。", encoding="utf-8")
    with running_server(index, mine, workers=1, extra=("--update",)) as (base, _process):
        health = json.load(urllib.request.urlopen(f"{base}/healthz"))
        zebrafish = json.load(urllib.request.urlopen(f"{base}/api/search?q=zebrafish"))
        samples = json.load(urllib.request.urlopen(f"{base}/api/search?q=torture&expand=0"))
        chinese = json.load(urllib.request.urlopen(f"{base}/api/search?q={quote('国安法')}"))
    assert health["documents"] == 2
    assert [hit["id"] for hit in zebrafish["results"]] == ["petition"]
    assert [hit["id"] for hit in chinese["results"]] == ["聲明"]
    assert samples["total"] == 0, "the sample documents are not served"
    served = (index / "CURRENT").read_text()
    with running_server(index, mine, workers=1, extra=("--update",)):
        pass
    assert (index / "CURRENT").read_text() == served, "nothing changed: no new generation"
