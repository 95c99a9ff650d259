"""The package keeps its shape: layers import downward only, the root and the analysis load
little, and every module can be read in one sitting."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from app.version import __version__

from ..support import ROOT, loaded_after

# Modules allowed past the reading length, and why.
LONG_MODULES = {"app/web/openapi.py": "one literal document, the OpenAPI description of the API"}
MAX_LINES = 300


def test_the_layers_contract_holds():
    """pyproject.toml's import-linter contracts: each layer imports only those below it, and
    nothing below the web layer imports Flask, Werkzeug, Jinja or gunicorn."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_importing_the_package_does_nothing():
    loaded = loaded_after("import app")
    assert {name for name in loaded if name.startswith("app.")} == set()
    assert not {"flask", "whoosh"} & loaded


def test_the_analysis_loads_neither_the_index_nor_the_writer_nor_flask():
    loaded = loaded_after("import app.analysis")
    assert not {name for name in loaded if name.startswith(("app.index", "app.query", "app.web"))}
    assert "whoosh.writing" not in loaded and "flask" not in loaded


def test_searching_from_the_command_line_does_not_load_flask(index_dir):
    code = (
        "from app.cli import main\n"
        f"try:\n    main(['search', 'rights', '--index', {str(index_dir)!r}], standalone_mode=False)\n"
        "except SystemExit:\n    pass"
    )
    loaded = loaded_after(code)
    assert "app.service.search" in loaded
    assert "flask" not in loaded and "app.web" not in loaded


def test_the_version_lives_once(client, runner):
    from app.cli import main

    assert version("archive-search") == __version__
    assert runner.invoke(main, ["--version"]).output.strip().endswith(__version__)
    assert client.get("/api/openapi.json").get_json()["info"]["version"] == __version__


@pytest.mark.parametrize("path", sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app").rglob("*.py")))
def test_every_module_reads_in_one_sitting(path):
    lines = len((ROOT / path).read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES or path in LONG_MODULES, f"{path} has {lines} lines"


def test_the_architecture_page_names_every_module_there_is():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = {p.relative_to(ROOT / "app") for p in (ROOT / "app").rglob("*.py") if p.name != "__init__.py"}
    missing = [str(module) for module in modules if module.name not in page and str(module) != "__main__.py"]
    assert missing == []
    for folder in re.findall(r"`(app/[a-z_/]+)`", page):
        assert (ROOT / folder).exists() or (ROOT / folder).with_suffix(".py").exists(), folder


def test_each_package_opens_with_a_table_of_its_modules():
    for package in (ROOT / "app").rglob("__init__.py"):
        folder = package.parent
        if not any(folder.glob("*.py")) or folder.name == "glossary":
            continue
        contents = ast.get_docstring(ast.parse(package.read_text(encoding="utf-8"))) or ""
        named = set(re.findall(r"[a-z_0-9]+", contents))
        modules = {p.stem for p in folder.glob("*.py") if p.stem not in ("__init__", "__main__")} | {
            p.name for p in folder.iterdir() if (p / "__init__.py").exists()
        }
        assert modules <= named, (folder.name, sorted(modules - named))
