"""`archive-search serve --watch`: the server keeps its index up to date as files change."""

from __future__ import annotations

import json
import shutil
import urllib.request

import pytest

from ..support import ROOT, running_server, wait_for

pytestmark = pytest.mark.slow

WAIT = 60.0  # seconds a change may take to be found before the test gives up


def _total(base: str, query: str) -> int:
    with urllib.request.urlopen(f"{base}/api/search?q={query}", timeout=10) as answer:
        return json.loads(answer.read())["total"]


def test_a_file_added_while_serving_is_found_and_a_deleted_one_is_not(tmp_path):
    documents = tmp_path / "documents"
    shutil.copytree(ROOT / "documents", documents)
    index = tmp_path / "index"
    # One worker: a worker never goes back to an older generation, so once it finds the file it
    # always will (two workers move each on its own, and for a moment answer differently).
    with running_server(index, documents, workers=1, extra=("--watch",)) as (base, _process):
        assert _total(base, "platypus") == 0
        added = documents / "news" / "platypus.md"
        added.parent.mkdir(exist_ok=True)
        added.write_text("# A platypus\n\nA platypus was seen in Victoria Harbour.", encoding="utf-8")
        assert wait_for(lambda: _total(base, "platypus") == 1, WAIT), "the added file to be found"
        added.unlink()
        assert wait_for(lambda: _total(base, "platypus") == 0, WAIT), "the deleted file to be gone"


def test_watch_refuses_a_documents_folder_that_is_not_there(tmp_path):
    import subprocess
    import sys

    answer = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "watch",
            "--documents",
            str(tmp_path / "nowhere"),
            "--index",
            str(tmp_path / "i"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert answer.returncode == 2
    assert "documents directory not found" in answer.stderr
