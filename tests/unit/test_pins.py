"""The libraries whose private parts the archive uses are the releases it was written against.

``app/web/worker.py`` overrides gunicorn's threaded worker and ``app/index/whoosh_internals.py``
uses Whoosh's writer internals; ``pyproject.toml`` pins both to one release line with the reason
beside it. An environment with another release installed fails here, by name, before anything
subtler breaks.
"""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version

import pytest
from packaging.requirements import Requirement

from ..support import ROOT

DEPENDENCIES = [
    Requirement(line) for line in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
]
PINNED = [requirement for requirement in DEPENDENCIES if any(spec.operator == "==" for spec in requirement.specifier)]


def test_the_libraries_used_through_their_internals_are_pinned():
    assert {requirement.name for requirement in PINNED} >= {"gunicorn", "whoosh-reloaded"}


@pytest.mark.parametrize("requirement", PINNED, ids=lambda requirement: requirement.name)
def test_the_installed_release_is_the_pinned_one(requirement):
    try:
        installed = version(requirement.name)
    except PackageNotFoundError:
        pytest.fail(f"{requirement.name} is not installed: `make test` installs {requirement}")
    assert requirement.specifier.contains(installed, prereleases=True), (
        f"{requirement.name} {installed} is installed, but the archive relies on the internals of "
        f"{requirement} (see pyproject.toml): reinstall with `make test`, or port the code that uses them"
    )
