"""The archive-search command through click's runner."""

from __future__ import annotations

import json
import shutil
import socket

from app.cli import main

from ..support import CORPUS_SIZE, free_port


def test_index_prints_a_summary_and_exits_0(runner, corpus_dir, tmp_path):
    result = runner.invoke(main, ["index", "--documents", str(corpus_dir), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert f"Indexed {CORPUS_SIZE} files" in result.output
    assert f"{CORPUS_SIZE} added" in result.output


def test_index_names_skipped_files_and_exits_1(runner, tmp_path):
    documents = tmp_path / "docs"
    documents.mkdir()
    (documents / "good.txt").write_text("A petition for the release of political prisoners.", encoding="utf-8")
    (documents / "voice.mp3").write_bytes(b"ID3\x04 not text")
    (documents / "empty.txt").write_bytes(b"")
    result = runner.invoke(main, ["index", "--documents", str(documents), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1, result.output
    assert "Indexed 1 files" in result.output
    assert "voice.mp3: unsupported file type (.mp3)" in result.output
    assert "empty.txt: empty file" in result.output


def test_index_without_documents_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["index", "--documents", str(tmp_path / "missing"), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 2
    assert "documents directory not found" in result.output


def test_environment_variables_name_the_folders(runner, corpus_dir, tmp_path):
    env = {"ARCHIVE_DOCUMENTS": str(corpus_dir), "ARCHIVE_INDEX": str(tmp_path / "env-index")}
    result = runner.invoke(main, ["index", "--json"], env=env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["counts"]["added"] == CORPUS_SIZE
    assert {"path", "status", "reason", "languages"} <= report["files"][0].keys()
    assert (tmp_path / "env-index" / "CURRENT").exists()


def test_search_prints_title_id_and_snippet(runner, index_dir):
    # Every copy its own result: by default the Traditional declaration is listed as a copy of the Simplified.
    result = runner.invoke(main, ["search", "人權", "--all-copies", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "udhr/udhr_cmn_hant" in result.output
    assert "世界人權宣言" in result.output
    assert "[人權]" in result.output  # the match, marked for a terminal without colour


def test_search_json_is_the_api_shape(runner, index_dir):
    result = runner.invoke(main, ["search", "torture", "--index", str(index_dir), "--json"])
    body = json.loads(result.output)
    assert body["total"] >= 2
    assert body["results"][0]["url"].startswith("/documents/")


def test_search_reports_a_bad_query(runner, index_dir):
    result = runner.invoke(main, ["search", "*x", "--index", str(index_dir)])
    assert result.exit_code == 2
    assert "cannot start with" in result.output


def test_search_without_an_index_says_how_to_build_one(runner, tmp_path):
    result = runner.invoke(main, ["search", "rights", "--index", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "archive-search index" in result.output


def test_python_dash_m_app_is_the_same_command(corpus_dir, tmp_path):
    import subprocess
    import sys

    documents = tmp_path / "docs"
    shutil.copytree(corpus_dir / "udhr", documents)
    done = subprocess.run(
        [sys.executable, "-m", "app", "index", "--documents", str(documents), "--index", str(tmp_path / "ix")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Indexed 4 files" in done.stdout


def test_serve_says_the_address_it_serves(runner, index_dir, corpus_dir, monkeypatch):
    served = []
    monkeypatch.setattr("app.web.server.serve", served.append)  # stands in for gunicorn's loop
    port = free_port()
    args = ["serve", "--index", str(index_dir), "--documents", str(corpus_dir), "--port", str(port)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"Serving the archive at http://127.0.0.1:{port}/" in result.output
    assert served and served[0]["PORT"] == port


def test_serve_on_a_port_in_use_says_so_in_one_line_naming_port(runner, index_dir, corpus_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = ["serve", "--index", str(index_dir), "--documents", str(corpus_dir), "--port", str(port)]
        result = runner.invoke(main, args)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    expected = f"Error: port {port} is already in use on 127.0.0.1: choose another with --port (or ARCHIVE_PORT)"
    assert lines[-1] == expected
    assert "Traceback" not in result.output and "gunicorn" not in result.output.lower()


def test_serve_without_documents_serves_the_originals_of_the_folder_indexed(runner, tmp_path, monkeypatch):
    from app.web import create_app

    monkeypatch.delenv("ARCHIVE_DOCUMENTS", raising=False)
    documents, index = tmp_path / "archive", tmp_path / "index"
    documents.mkdir()
    (documents / "notes.txt").write_text("Notes on the freedom of assembly.\n", encoding="utf-8")
    assert runner.invoke(main, ["index", "--documents", str(documents), "--index", str(index)]).exit_code == 0
    monkeypatch.chdir(tmp_path)  # no ./documents here
    served = []
    monkeypatch.setattr("app.web.server.serve", served.append)  # stands in for gunicorn's loop
    result = runner.invoke(main, ["serve", "--index", str(index), "--port", str(free_port())])
    assert result.exit_code == 0, result.output
    app = create_app(served[0])
    try:
        answer = app.test_client().get("/originals/notes")
    finally:
        app.extensions["archive_index"].close()
    assert answer.status_code == 200 and answer.data == (documents / "notes.txt").read_bytes()
