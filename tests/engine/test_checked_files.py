"""Every file of a generation is checked: a damaged or truncated file is refused by name when a
reader opens the generation, ``archive-search check`` finds a byte flipped anywhere, a build
publishes nothing it cannot read back, and a server keeps serving the generation before."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from app import cli
from app.index.arrays import ArrayFile
from app.index.build import build
from app.index.checksums import CHECKSUMS, read_list
from app.index.codec import CorruptFile
from app.index.generations import CURRENT, current_generation, publish
from app.index.manifest import MANIFEST
from app.index.postings.dictionary import DICTIONARY_FORMAT
from app.index.readers import IndexMissing, LiveIndex
from app.index.schema import SCHEMA_VERSION
from app.index.table import TABLE, TABLE_FORMAT
from app.web import create_app

from ..support import wait_for, write_corpus

# Every kind of file a generation holds, by a pattern that finds one of each.
KINDS = {
    "part dictionary": "part-*.arrays",
    "part streams": "part-*.streams",
    "table": TABLE,
    "list of checksums": CHECKSUMS,
    "manifest": "manifest.sqlite",
    "Whoosh's table of contents": "_MAIN_*.toc",
    "Whoosh's segment": "MAIN_*.seg",
}
# The kinds the archive writes with its own header and footer.
OWN = ("part dictionary", "part streams", "table")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """An index of a few documents, built once; tests damage copies of it."""
    folder = tmp_path_factory.mktemp("checked")
    write_corpus(folder / "docs", 6)
    build(folder / "docs", folder / "index")
    return folder / "index"


@pytest.fixture()
def index(built: Path, tmp_path: Path) -> Path:
    """A copy of the built index, its own files (no link to the one built)."""
    copy = tmp_path / "index"
    shutil.copytree(built, copy)
    return copy


def file_of(index: Path, kind: str) -> Path:
    found = sorted(current_generation(index).glob(KINDS[kind]))
    assert found, f"no {kind} in the generation"
    return found[0]


def flip(path: Path, offset: int) -> None:
    """Flip every bit of the byte at ``offset`` (from the end when negative)."""
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size - 1)


def refused_opening(index: Path) -> str:
    live = LiveIndex(index)
    try:
        with pytest.raises(IndexMissing) as refused, live.use():
            pass
    finally:
        live.close()
    return str(refused.value)


def run_check(index: Path):
    return CliRunner().invoke(cli.main, ["check", "--index", str(index)])


@pytest.mark.parametrize("kind", OWN)
@pytest.mark.parametrize("where", ["header", "footer"])
def test_a_reader_refuses_a_file_damaged_in_its_header_or_footer_naming_it(index, kind, where):
    damaged = file_of(index, kind)
    flip(damaged, 6 if where == "header" else -12)
    message = refused_opening(index)
    assert damaged.name in message and "damaged" in message


@pytest.mark.parametrize("kind", ["part streams", "manifest", "Whoosh's table of contents", "Whoosh's segment"])
def test_a_reader_refuses_a_truncated_file_naming_it(index, kind):
    damaged = file_of(index, kind)
    truncate(damaged)
    message = refused_opening(index)
    assert damaged.name in message and "truncated" in message


def test_a_reader_refuses_a_damaged_list_of_checksums(index):
    damaged = file_of(index, "list of checksums")
    flip(damaged, damaged.stat().st_size // 2)
    assert CHECKSUMS in refused_opening(index)


def test_a_generation_without_checksums_was_written_by_another_version(index):
    (current_generation(index) / CHECKSUMS).unlink()
    message = refused_opening(index)
    assert "another version" in message and "written by an older version" in message
    result = run_check(index)
    assert result.exit_code == 1 and f"{CHECKSUMS}: there is no {CHECKSUMS}" in result.stderr


def test_a_generation_of_another_schema_is_refused_before_a_search_reads_it(index):
    # Whoosh reads a field's column only when a search asks for it: a generation whose fields
    # differ is refused when it is opened, not with an error at its first result.
    with contextlib.closing(sqlite3.connect(current_generation(index) / MANIFEST)) as connection, connection:
        connection.execute("UPDATE info SET value = ? WHERE name = 'schema'", (json.dumps(SCHEMA_VERSION - 1),))
    message = refused_opening(index)
    assert "another version" in message and f"schema {SCHEMA_VERSION - 1}, not {SCHEMA_VERSION}" in message
    assert "archive-search index --full" in message


def test_check_lists_every_file_of_a_sound_generation_and_exits_0(index):
    result = run_check(index)
    assert result.exit_code == 0, result.output
    generation = current_generation(index)
    content = [path.name for path in generation.iterdir() if path.name != "READERS" and not path.name.endswith("LOCK")]
    lines = result.output.splitlines()
    for name in content:
        assert any(line.startswith(name + " ") and line.endswith(" ok") for line in lines), name
    assert lines[-1].endswith("all as written")


@pytest.mark.parametrize("kind", KINDS)
def test_check_names_a_byte_flipped_in_the_middle_of_any_file(index, kind):
    damaged = file_of(index, kind)
    flip(damaged, damaged.stat().st_size // 2)
    result = run_check(index)
    assert result.exit_code == 1
    assert str(damaged) in result.stderr
    if kind != "list of checksums":
        assert [line for line in result.stdout.splitlines() if "DAMAGED" in line] == [
            line for line in result.stdout.splitlines() if line.startswith(damaged.name + " ")
        ]


def test_check_names_a_truncated_file(index):
    damaged = file_of(index, "part streams")
    truncate(damaged)
    result = run_check(index)
    assert result.exit_code == 1 and str(damaged) in result.stderr and "truncated" in result.stderr


def test_check_without_an_index_is_a_usage_error(tmp_path):
    result = run_check(tmp_path / "nothing")
    assert result.exit_code == 2 and "no index" in result.output


def test_a_generation_damaged_before_it_is_published_is_not_published(index):
    live = current_generation(index)
    new = index / "gen-000002"
    shutil.copytree(live, new)  # files of its own, as a build writes them
    (new / CHECKSUMS).unlink()
    damaged = sorted(new.glob("part-*.streams"))[0]
    flip(damaged, damaged.stat().st_size // 2)
    with pytest.raises(CorruptFile) as refused:
        publish(index, new)
    assert refused.value.path == damaged
    assert current_generation(index) == live


def test_an_update_keeps_the_checksums_of_the_files_it_shares(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 3)
    first = build(docs, index)
    (docs / "extra.txt").write_text("Statement on the quokka.", encoding="utf-8")
    second = build(docs, index, grace=60)
    before, after = read_list(index / first.generation), read_list(index / second.generation)
    shared = [
        name
        for name in after
        if name in before and os.path.samefile(index / first.generation / name, index / second.generation / name)
    ]
    assert any(name.startswith("part-") for name in shared), "the first build's part is linked"
    assert all(after[name] == before[name] for name in shared)
    assert run_check(index).exit_code == 0


def test_arrays_stay_memory_mapped_and_aligned(built):
    generation = current_generation(built)
    files = [ArrayFile(generation / TABLE, TABLE_FORMAT)]
    files += [ArrayFile(path, DICTIONARY_FORMAT) for path in generation.glob("part-*.arrays")]
    for arrays in files:
        for name, array in arrays.items():
            if array.size:
                assert not array.flags.owndata and not array.flags.writeable, name
                assert array.ctypes.data % 64 == 0, name
        arrays.close()


def stage_damaged_generation(index: Path, docs: Path, staging: Path) -> tuple[str, Path]:
    """A new generation built beside ``index`` (as on another machine), then damaged on its
    way in: a byte of its new part's footer flipped. It is moved into ``index`` and CURRENT
    names it. Returns its name and the damaged file."""
    shutil.copytree(index, staging)
    report = build(docs, staging)
    new = staging / report.generation
    damaged = sorted(new.glob(f"part-{report.generation.removeprefix('gen-')}-*.streams"))[0]
    flip(damaged, -12)
    os.rename(new, index / report.generation)
    temporary = index / ".CURRENT.staged"
    temporary.write_text(report.generation + "\n", encoding="utf-8")
    os.replace(temporary, index / CURRENT)
    return report.generation, index / report.generation / damaged.name


def test_a_server_keeps_the_previous_generation_when_the_new_one_is_damaged(tmp_path, caplog):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 3)
    first = build(docs, index)
    app = create_app({"INDEX": str(index), "DOCUMENTS": str(docs), "TESTING": True, "READER_LOCKS": False})
    client = app.test_client()
    try:
        assert client.get("/api/search?q=doc00001").get_json()["total"] == 1
        (docs / "quokka.txt").write_text("Statement on the quokka.", encoding="utf-8")
        caplog.set_level(logging.ERROR, logger="app.index.readers")
        name, damaged = stage_damaged_generation(index, docs, tmp_path / "staging")
        assert wait_for(lambda: any(damaged.name in record.getMessage() for record in caplog.records))
        assert client.get("/api/search?q=quokka").get_json()["total"] == 0, "the damaged generation is not served"
        assert client.get("/api/search?q=doc00001").get_json()["total"] == 1
        assert client.get("/healthz").status_code == 200
        said = [record.getMessage() for record in caplog.records if damaged.name in record.getMessage()]
        assert len(said) == 1 and first.generation in said[0], "said once, with the generation still served"

        (index / name).rename(tmp_path / "set-aside")  # a good build replaces it
        (index / CURRENT).write_text(first.generation + "\n", encoding="utf-8")
        build(docs, index, grace=60)
        assert wait_for(lambda: client.get("/api/search?q=quokka").get_json()["total"] == 1)
    finally:
        app.extensions["archive_index"].close()
