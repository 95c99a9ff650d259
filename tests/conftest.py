"""Fixtures: a temporary index built from the archive's documents plus the test corpus.

Like Flask's tutorial: the app is made by ``create_app`` with a test configuration, and tests
get a ``client`` for the pages and API and a ``runner`` for the command line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.index.build import build
from app.index.readers import LiveIndex
from app.web import create_app

from .support import DATA, ROOT, running_server


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


@pytest.fixture(scope="session")
def server(index_dir: Path, corpus_dir: Path):
    """One real server over the shared test index, for tests that only read."""
    with running_server(index_dir, corpus_dir) as (base, _process):
        yield base
