"""The container image serves the folder mounted on it, keeps its index on a named volume, and
a restart with unchanged documents indexes nothing again.

Runs when ARCHIVE_CONTAINER_IMAGE names an image built from the Dockerfile and podman can run
it (.ci/run builds one with the container smoke test, then runs this file); skipped otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from ..support import DATA, free_port, scan_image

IMAGE = os.environ.get("ARCHIVE_CONTAINER_IMAGE")
PODMAN = ["podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not IMAGE or not shutil.which("podman"), reason="no image to run (ARCHIVE_CONTAINER_IMAGE)"),
]


def podman(*arguments: str, check: bool = True) -> str:
    done = subprocess.run([*PODMAN, *arguments], capture_output=True, text=True, timeout=300)
    if check:
        assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def get_json(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response)
    except (OSError, urllib.error.HTTPError, ValueError):
        return None


def start(port: int, documents: Path, volume: str) -> str:
    """The image's own command, with ``documents`` and the index volume mounted as the README says."""
    return podman(
        "run",
        "-d",
        # limits this machine lets a container have (as the smoke test sets them)
        "--ulimit",
        "nofile=1024:1024",
        "--ulimit",
        "nproc=4096:4096",
        "-p",
        f"127.0.0.1:{port}:8000",
        "-v",
        f"{documents}:/srv/archive/documents:ro",
        "-v",
        f"{volume}:/srv/archive/index",
        IMAGE,
    ).strip()


def wait_until_served(port: int, container: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        health = get_json(f"http://127.0.0.1:{port}/healthz")
        if health:
            return health
        time.sleep(1)
    pytest.fail(f"the container did not serve: {podman('logs', container, check=False)[-2000:]}")


def test_the_container_serves_the_mounted_folder_and_keeps_its_index_on_the_volume(tmp_path):
    documents = tmp_path / "mine"
    shutil.copytree(DATA / "corpus" / "news", documents)
    # A photographed notice, read by the image's Tesseract.
    scan_image(["本會謹定於六月四日舉行悼念集會"]).save(documents / "vigil-notice.png")
    documents.chmod(0o755)
    expected = len([path for path in documents.rglob("*") if path.is_file() and not path.name.endswith(".yaml")])
    volume = f"archive-index-{uuid.uuid4().hex[:8]}"
    port = free_port()
    container = start(port, documents, volume)
    try:
        health = wait_until_served(port, container)
        base = f"http://127.0.0.1:{port}"
        mine = get_json(f"{base}/api/search?q={quote('民主派初選')}")
        scanned = get_json(f"{base}/api/search?q={quote('悼念集会')}")
        sample = get_json(f"{base}/api/search?q=torture&expand=0")  # only in the image's samples
        podman("restart", container)
        restarted = wait_until_served(port, container)
        logs = podman("logs", container)
    finally:
        podman("rm", "-f", container, check=False)
        podman("volume", "rm", "-f", volume, check=False)
    print(f"\nmounted folder served: {health}; after a restart: {restarted}")
    assert health["documents"] == expected
    assert [hit["id"] for hit in mine["results"]] == ["primaries_2024"]
    assert [hit["id"] for hit in scanned["results"]] == ["vigil-notice"]
    assert sample["total"] == 0, "the sample documents built into the image are not served"
    assert restarted == health
    assert "up to date" in logs.rsplit("Indexed", 1)[-1] or "nothing to do" in logs, logs[-1500:]
