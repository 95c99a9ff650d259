"""The glossary kept with each generation (``app/index/compiled_glossary.py``): a search process
takes it instead of reading and analysing terms.yaml, and gets the same glossary."""

from __future__ import annotations

import json
import subprocess
import sys

from app import glossary
from app.index.checksums import check, read_list
from app.index.compiled_glossary import GLOSSARY
from app.index.generations import current_generation

from ..support import ROOT

# A fresh process: searches the index with the glossary file unreadable, and says which
# glossary it used and which of the archive's packages it loaded.
_SEARCH_WITHOUT_THE_FILE = """
import json, sys
from pathlib import Path
from click.testing import CliRunner
import app.glossary

def refuse(text):
    raise AssertionError("terms.yaml was parsed")

app.glossary.parse = refuse
from app.cli import main
answer = CliRunner().invoke(main, ["search", "--index", sys.argv[1], "--format", "json", sys.argv[2]])
print(json.dumps({
    "exit": answer.exit_code,
    "output": answer.output,
    "compiled": sorted(app.glossary._COMPILED),
    "ingest": "app.ingest" in sys.modules,
}))
"""


def _search_in_a_new_process(index_dir, query: str) -> dict:
    found = subprocess.run(
        [sys.executable, "-c", _SEARCH_WITHOUT_THE_FILE, str(index_dir), query],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(found.stdout.splitlines()[-1])


def _same(one: glossary.Glossary, other: glossary.Glossary) -> None:
    assert one.concepts == other.concepts
    assert one.forms_by_terms() == other.forms_by_terms()
    for concept in one.concepts:
        for form in concept.forms:
            assert one.placed(form) == other.placed(form), form


def test_every_generation_keeps_the_glossary_listed_and_checked(index_dir):
    generation = current_generation(index_dir)
    assert (generation / GLOSSARY).is_file()
    assert GLOSSARY in read_list(generation)
    assert not check(generation).damaged


def test_the_compiled_glossary_is_the_glossary_read_from_its_file():
    from_file = glossary.Glossary(glossary.parse(glossary.TERMS_FILE.read_text(encoding="utf-8")))
    _same(glossary.Compiled.of(from_file).glossary(), from_file)


def test_a_search_in_a_new_process_uses_the_kept_glossary_and_finds_through_it(index_dir):
    # 國家安全法 is one of the National Security Law's forms: the glossary finds the English ones.
    answer = _search_in_a_new_process(index_dir, "國家安全法")
    assert answer["exit"] == 0, answer["output"]
    assert answer["compiled"] == [glossary.fingerprint()]
    assert json.loads(answer["output"])["total"] > 0
    # A search loads neither the file's parser nor the readers of documents.
    assert answer["ingest"] is False


def test_the_kept_glossary_read_back_is_the_same_as_the_file(index_dir, monkeypatch):
    from app.index.compiled_glossary import use_compiled

    monkeypatch.setattr(glossary, "_COMPILED", {})
    assert use_compiled(current_generation(index_dir))
    kept = glossary._COMPILED[glossary.fingerprint()].glossary()
    _same(kept, glossary.Glossary(glossary.parse(glossary.TERMS_FILE.read_text(encoding="utf-8"))))


def test_a_glossary_file_other_than_the_one_built_with_is_read_from_the_file(index_dir, monkeypatch):
    from app.index.compiled_glossary import use_compiled

    monkeypatch.setattr(glossary, "_COMPILED", {})
    monkeypatch.setattr(glossary, "fingerprint", lambda path=glossary.TERMS_FILE: "0" * 64)
    assert not use_compiled(current_generation(index_dir))
    assert glossary._COMPILED == {}
