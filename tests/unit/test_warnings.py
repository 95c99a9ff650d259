"""A file's warnings stay visible: every build reports them, not only the one that read the file,
and the document's JSON and page show them; a build with nothing to do says so and writes no
generation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.web import create_app

BROKEN = "---\ntitle: Kept: no\ndate: 2019-06-12\nauthor: 'unclosed\n---\nA statement on political prisoners.\n"
UNDATED = "---\ntitle: Undated\ndate: sometime\n---\nA report on torture.\n"
CLEAN = "---\ntitle: Clean\ndate: 2020-01-02\n---\nA petition on press freedom.\n"


@pytest.fixture()
def folders(tmp_path: Path) -> tuple[Path, Path]:
    documents = tmp_path / "docs"
    documents.mkdir()
    for name, text in {"broken.md": BROKEN, "undated.md": UNDATED, "clean.md": CLEAN}.items():
        (documents / name).write_text(text, encoding="utf-8")
    return documents, tmp_path / "index"


def index(runner, folders: tuple[Path, Path], *extra: str):
    documents, index_dir = folders
    return runner.invoke(main, ["index", "--documents", str(documents), "--index", str(index_dir), *extra])


def warnings_by_path(result) -> dict[str, list[str]]:
    return {item["path"]: item["warnings"] for item in json.loads(result.output)["files"]}


def test_every_run_reports_the_warnings_of_each_file(runner, folders):
    first = index(runner, folders, "--json")
    assert first.exit_code == 0, first.output
    warned = warnings_by_path(first)
    assert warned["broken.md"][0].startswith("front matter is not valid YAML")
    assert warned["undated.md"] == ["date 'sometime' is not a date; left out"]
    assert warned["clean.md"] == []

    again = index(runner, folders, "--json")  # nothing read again, the same warnings
    assert [item["status"] for item in json.loads(again.output)["files"]] == ["unchanged"] * 3
    assert warnings_by_path(again) == warned

    (folders[0] / "clean.md").write_text(CLEAN + "\nAnd a new paragraph.\n", encoding="utf-8")
    changed = index(runner, folders)  # another file changed: a new generation, the warnings kept
    assert "1 changed, 0 removed, 2 unchanged" in changed.output
    assert f"  broken.md: {warned['broken.md'][0]}" in changed.output
    assert "  undated.md: date 'sometime' is not a date; left out" in changed.output

    (folders[0] / "undated.md").write_text(UNDATED.replace("sometime", "2018-06"), encoding="utf-8")
    fixed = index(runner, folders, "--json")
    assert warnings_by_path(fixed)["undated.md"] == []
    assert warnings_by_path(index(runner, folders, "--json")) == {**warned, "undated.md": []}


def test_a_run_with_nothing_to_do_says_so_and_writes_no_generation(runner, folders):
    first = index(runner, folders)
    assert first.exit_code == 0, first.output
    index_dir = folders[1]
    before = sorted(path.name for path in index_dir.iterdir())
    current = (index_dir / "CURRENT").read_text()
    stamp = (index_dir / "CURRENT").stat().st_mtime_ns

    again = index(runner, folders)
    assert again.exit_code == 0, again.output
    assert again.output.startswith(f"Nothing to do: the index in {current.strip()} (3 documents) is up to date")
    assert "no new generation written (0 added, 0 changed, 0 removed, 3 unchanged, 0 skipped)" in again.output
    assert "broken.md: front matter is not valid YAML" in again.output
    report = json.loads(index(runner, folders, "--json").output)
    assert report["up_to_date"] is True and report["generation"] == current.strip()
    assert sorted(path.name for path in index_dir.iterdir()) == before
    assert (index_dir / "CURRENT").read_text() == current and (index_dir / "CURRENT").stat().st_mtime_ns == stamp

    (folders[0] / "new.md").write_text("A new statement.\n", encoding="utf-8")
    added = json.loads(index(runner, folders, "--json").output)
    assert added["up_to_date"] is False and added["generation"] != current.strip()


def test_the_document_json_gives_the_warnings_of_its_file(client):
    broken = client.get("/api/documents/fixtures/broken_front_matter").get_json()
    [warning] = broken["warnings"]
    assert warning.startswith("front matter is not valid YAML") and "left out: title, author" in warning
    assert client.get("/api/documents/udhr/udhr_eng").get_json()["warnings"] == []
    schema = client.get("/api/openapi.json").get_json()["components"]["schemas"]["Document"]
    assert "warnings" in schema["required"]
    assert schema["properties"]["warnings"]["items"] == {"type": "string"}


def test_the_document_json_keeps_the_warnings_after_a_build_that_did_not_read_the_file(runner, folders):
    index(runner, folders)
    (folders[0] / "other.md").write_text("Another statement.\n", encoding="utf-8")
    index(runner, folders)  # broken.md is not read again
    app = create_app({"INDEX": str(folders[1]), "DOCUMENTS": str(folders[0]), "TESTING": True})
    try:
        body = app.test_client().get("/api/documents/broken").get_json()
    finally:
        app.extensions["archive_index"].close()
    assert body["warnings"][0].startswith("front matter is not valid YAML")


@pytest.mark.parametrize(
    ("ui", "label"), [("en", "Indexing warnings"), ("zh-Hant", "編入索引的警告"), ("zh-Hans", "编入索引的警告")]
)
def test_the_document_page_shows_the_warnings_in_the_interface_language(client, ui, label):
    page = client.get("/documents/fixtures/broken_front_matter", query_string={"ui": ui}).get_data(as_text=True)
    assert f"<dt>{label}</dt>" in page
    assert '<ul class="warnings" lang="en"><li>front matter is not valid YAML' in page
    clean = client.get("/documents/udhr/udhr_eng", query_string={"ui": ui}).get_data(as_text=True)
    assert label not in clean and 'class="warnings"' not in clean


def test_a_run_with_nothing_to_do_but_skipped_files_writes_no_generation(runner, folders):
    (folders[0] / "notes.json").write_text('{"note": "not a document"}', encoding="utf-8")
    first = index(runner, folders)
    assert first.exit_code == 1 and "  notes.json: unsupported file type (.json)" in first.output
    current = (folders[1] / "CURRENT").read_text().strip()
    again = index(runner, folders)
    assert again.exit_code == 1  # some files skipped, as every run says
    assert again.output.startswith(f"Nothing to do: the index in {current} (3 documents) is up to date")
    assert "  notes.json: unsupported file type (.json)" in again.output
    assert sorted(path.name for path in folders[1].glob("gen-*")) == [current]


def test_an_empty_date_warns_of_nothing(runner, folders):
    (folders[0] / "blank.md").write_text('---\ntitle: Blank\ndate: ""\n---\nA note.\n', encoding="utf-8")
    report = index(runner, folders, "--json")
    assert warnings_by_path(report)["blank.md"] == []
