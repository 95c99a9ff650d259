"""`archive-search search --server URL`: a search asked of a running server, its options sent as
the API's parameters, its refusals and silences told apart by exit status and message, and
nothing of the search machinery loaded for it. (The answers of a real server are compared with
the command's own in tests/system/test_cli_server.py.)"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from app.cli import main

from ..support import free_port, loaded_after

EMPTY_PAGE = {
    "query": "x",
    "total": 0,
    "documents": 0,
    "page": 1,
    "per_page": 10,
    "took_ms": 1.0,
    "results": [],
    "also_matched": [],
    "suggestion": None,
}


@dataclass
class Canned:
    """What the stand-in server answers, and the request targets it was sent."""

    status: int = 200
    body: bytes = json.dumps(EMPTY_PAGE).encode()
    headers: dict[str, str] = field(default_factory=dict)
    targets: list[str] = field(default_factory=list)


@contextmanager
def stand_in(canned: Canned) -> Iterator[str]:
    """A loopback HTTP server answering every GET with ``canned``; its address."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            canned.targets.append(self.path)
            self.send_response(canned.status)
            for name, value in {"Content-Type": "application/json", **canned.headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(canned.body)))
            self.end_headers()
            self.wfile.write(canned.body)

        def log_message(self, *_args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_options_are_sent_as_the_api_s_parameters_under_the_server_s_path(runner):
    canned = Canned()
    options = ["--lang", "zh", "--lang", "en", "--limit", "2", "--page", "3", "--sort", "-date"]
    switches = ["--no-translations", "--all-copies", "--exact", "--from", "2019", "--concept", "jimmy-lai"]
    with stand_in(canned) as base:
        result = runner.invoke(main, ["search", "人權 police", *options, *switches, "--server", f"{base}/archive/"])
    assert result.exit_code == 1, result.output  # the canned page has no results
    target = urlsplit(canned.targets[0])
    assert target.path == "/archive/api/search"
    assert parse_qs(target.query) == {
        "q": ["人權 police"],
        "lang": ["zh", "en"],
        "per_page": ["2"],
        "page": ["3"],
        "sort": ["-date"],
        "expand": ["0"],
        "dedupe": ["0"],
        "exact": ["1"],
        "from": ["2019"],
        "concept": ["jimmy-lai"],
    }


def test_what_the_server_refuses_as_given_is_a_usage_error_with_its_message(runner):
    message = "per_page must be from 1 to 100; got 500."
    canned = Canned(400, json.dumps({"error": {"status": 400, "message": message}}).encode())
    with stand_in(canned) as base:
        result = runner.invoke(main, ["search", "police", "--limit", "500", "--server", base])
    assert result.exit_code == 2, result.output
    assert f"Error: {message}" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("status", "body", "said"),
    [
        (429, {"error": {"status": 429, "message": "Too many searches at once from this address."}}, "Too many"),
        (503, {"error": {"status": 503, "message": "No index yet."}}, "No index yet."),
        (502, "<html>Bad gateway</html>", "answered 502 Bad Gateway"),
    ],
)
def test_a_server_that_cannot_search_exits_3_with_what_it_said(runner, status, body, said):
    raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    with stand_in(Canned(status, raw)) as base:
        result = runner.invoke(main, ["search", "police", "--server", base])
    assert result.exit_code == 3, result.output
    assert said in result.output and "Traceback" not in result.output


def test_an_answer_that_is_not_a_search_s_json_is_named(runner):
    with stand_in(Canned(200, b"<html>a proxy's login page</html>")) as base:
        result = runner.invoke(main, ["search", "police", "--server", base])
    assert result.exit_code == 3, result.output
    assert "did not answer with the JSON of a search" in result.output


def test_no_server_at_the_address_exits_3_naming_it(runner):
    address = f"http://127.0.0.1:{free_port()}"
    result = runner.invoke(main, ["search", "police", "--server", address])
    assert result.exit_code == 3, result.output
    assert f"no answer from {address}" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("address", ["ftp://127.0.0.1:21", "127.0.0.1:8000", "http://127.0.0.1:port", "http:///x"])
def test_an_address_that_is_not_a_server_s_is_a_usage_error(runner, address):
    result = runner.invoke(main, ["search", "police", "--server", address])
    assert result.exit_code == 2, result.output
    assert "is not the address of a server" in result.output


def test_index_and_server_together_are_refused(runner, index_dir):
    result = runner.invoke(main, ["search", "police", "--server", "http://127.0.0.1:8000", "--index", str(index_dir)])
    assert result.exit_code == 2, result.output
    assert "give --index or --server, not both" in result.output


def test_archive_server_is_asked_unless_an_index_is_given(runner, index_dir, monkeypatch):
    canned = Canned()
    with stand_in(canned) as base:
        monkeypatch.setenv("ARCHIVE_SERVER", base)
        asked = runner.invoke(main, ["search", "rights"])
        itself = runner.invoke(main, ["search", "rights", "--index", str(index_dir)])
    assert asked.exit_code == 1 and len(canned.targets) == 1, asked.output
    assert itself.exit_code == 0 and len(canned.targets) == 1, itself.output
    assert "udhr/" in itself.output


def test_an_export_is_the_server_s_bytes_and_its_count_decides_the_exit_status(runner):
    rows = "id,title\r\nudhr/udhr_eng,Universal Declaration 人權\r\n".encode()
    canned = Canned(200, rows, {"Content-Type": "text/csv", "X-Archive-Total": "1"})
    with stand_in(canned) as base:
        found = runner.invoke(main, ["search", "rights", "--format", "csv", "--limit", "5", "--server", base])
        canned.headers["X-Archive-Total"] = "0"
        nothing = runner.invoke(main, ["search", "zebrafishxyz", "--format", "csv", "--server", base])
    assert found.exit_code == 0 and found.stdout_bytes == rows
    assert nothing.exit_code == 1
    target = urlsplit(canned.targets[0])
    assert target.path == "/api/export"
    assert parse_qs(target.query) == {"q": ["rights"], "per_page": ["5"], "format": ["csv"]}


def test_a_search_asked_of_a_server_loads_none_of_the_search_machinery():
    code = (
        "import sys\n"
        f"sys.argv = ['archive-search', 'search', 'police', '--server', 'http://127.0.0.1:{free_port()}']\n"
        "from app.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 3, exit.code\n"
    )
    loaded = loaded_after(code)
    heavy = {"whoosh", "numpy", "flask", "opencc", "app.render", "app.service", "app.query", "app.index.readers"}
    heavy |= {"app.cli_batch", "app.cli_glossary"}  # the other commands that search
    heavy |= {"http.client", "email", "ssl"}  # a tenth of the command's time, for an http:// address
    assert not heavy & loaded, heavy & loaded
    assert "app.remote" in loaded


def test_an_answer_larger_than_any_page_of_results_is_refused_unread(runner, monkeypatch):
    from app import remote

    monkeypatch.setattr(remote, "MAX_ANSWER_BYTES", 100_000)
    endless = json.dumps({**EMPTY_PAGE, "suggestion": "x" * 300_000}).encode()
    with stand_in(Canned(200, endless)) as base:
        result = runner.invoke(main, ["search", "police", "--server", base])
    assert result.exit_code == 3, result.output
    assert "answered more than 0.0953674 MB: not a page of results" in result.output


@pytest.mark.parametrize("counted", [None, "lots", "-1"])
def test_an_export_whose_count_is_missing_or_not_a_number_is_refused_before_its_rows(runner, counted):
    headers = {"Content-Type": "text/csv"} | ({"X-Archive-Total": counted} if counted else {})
    with stand_in(Canned(200, b"id,title\r\n", headers)) as base:
        result = runner.invoke(main, ["search", "rights", "--format", "csv", "--server", base])
    assert result.exit_code == 3, result.output
    assert "did not say how many documents its export holds" in result.output
    assert "id,title" not in result.output and "Traceback" not in result.output
