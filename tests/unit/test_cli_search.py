"""`archive-search search` does what the JSON API does: the same filters, sorts and rules, exit
statuses a script can use, help that is whole, and a missing index named by its full path."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from app.cli import main

from ..support import ROOT, free_port, loaded_after

# The same search as options of the command line and as the API's query string.
SAME_SEARCH = [
    (["人權", "--year", "1948", "--sort", "-date"], {"q": "人權", "year": "1948", "sort": "-date"}),
    (["人權", "--lang", "zh", "--lang", "en", "--sort", "date"], {"q": "人權", "lang": ["zh", "en"], "sort": "date"}),
    (
        ["rights", "--author", "United Nations General Assembly", "--tag", "udhr"],
        {"q": "rights", "author": "United Nations General Assembly", "tag": "udhr"},
    ),
    (["national security law", "--no-translations"], {"q": "national security law", "expand": "0"}),
    (["國安法", "--limit", "2", "--page", "2"], {"q": "國安法", "per_page": "2", "page": "2"}),
]


def comparable(body: dict) -> dict:
    """What the command line and the API must agree on: everything but the time taken."""
    return {key: value for key, value in body.items() if key != "took_ms"}


@pytest.mark.parametrize(("options", "params"), SAME_SEARCH, ids=[" ".join(case[0]) for case in SAME_SEARCH])
def test_the_command_line_finds_what_the_api_finds(runner, index_dir, client, options, params):
    result = runner.invoke(main, ["search", *options, "--json", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    answer = client.get("/api/search", query_string=params).get_json()
    assert answer["total"] > 0
    assert comparable(json.loads(result.output)) == comparable(answer)


def test_a_filtered_search_prints_only_what_the_filter_keeps(runner, index_dir):
    result = runner.invoke(main, ["search", "人權", "--lang", "zh-Hant", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    details = [line.strip() for line in result.output.splitlines() if " · " in line and "Also" not in line]
    assert details and all(" · zh-Hant" in line for line in details), details
    assert "udhr/udhr_cmn_hant" in result.output and "udhr_cmn_hans" not in result.output


def test_nothing_found_exits_1_and_results_exit_0(runner, index_dir):
    nothing = runner.invoke(main, ["search", "zebrafishxyz", "--index", str(index_dir)])
    assert nothing.exit_code == 1, nothing.output
    assert nothing.output.startswith("0 results for 'zebrafishxyz'")
    filtered_out = runner.invoke(main, ["search", "人權", "--year", "1850", "--json", "--index", str(index_dir)])
    assert filtered_out.exit_code == 1 and json.loads(filtered_out.output)["total"] == 0
    found = runner.invoke(main, ["search", "torture", "--index", str(index_dir)])
    assert found.exit_code == 0, found.output


def test_the_exit_statuses_are_documented_in_the_help_and_the_readme(runner):
    help_text = " ".join(runner.invoke(main, ["search", "--help"]).output.split())
    assert "Exit status: 0 results found, 1 no document matches, 2 usage error" in help_text
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "`search` exits with 0 when it finds results, 1 when no document matches" in readme


# An option's bad value, the parameter of the API it is, and the option's name.
REFUSED = [
    (["--year", "21"], {"year": "21"}, "year", "--year"),
    (["--sort", "popular"], {"sort": "popular"}, "sort", "--sort"),
    (["--lang", "<b>"], {"lang": "<b>"}, "lang", "--lang"),
    (["--lang", "fr"], {"lang": "fr"}, "lang", "--lang"),
    (["--limit", "500"], {"per_page": "500"}, "per_page", "--limit"),
    (["--limit", "ten"], {"per_page": "ten"}, "per_page", "--limit"),
    (["--page", "0"], {"page": "0"}, "page", "--page"),
    (["--author", "x" * 201], {"author": "x" * 201}, "author", "--author"),
    ([arg for n in range(21) for arg in ("--tag", f"t{n}")], {"tag": [f"t{n}" for n in range(21)]}, "tag", "--tag"),
]


@pytest.mark.parametrize(("options", "params", "name", "option"), REFUSED, ids=[case[3] for case in REFUSED])
def test_a_bad_option_is_refused_by_the_rule_the_api_applies(runner, index_dir, client, options, params, name, option):
    result = runner.invoke(main, ["search", "rights", *options, "--index", str(index_dir)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    api = client.get("/api/search", query_string={"q": "rights", **params}).get_json()["error"]["message"]
    said = re.sub(rf"\b{name}\b", option, api, count=1)
    assert f"Error: {said}" in " ".join(result.output.split())


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("*x", "a word cannot start with * or ?"),
        ("the of", "common words such as 'the' and 'of' are not indexed on their own"),
        ("-torture", "The query only excludes words"),
        ("   ", "The query is empty"),
        ("x" * 501, "The query is 501 characters long; the limit is 500"),
    ],
)
def test_a_bad_query_says_why_without_a_traceback(runner, index_dir, query, why):
    result = runner.invoke(main, ["search", "--index", str(index_dir), "--", query])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert why in result.output and "Traceback" not in result.output


# Terminal widths the help is read at: where a line breaks moves with the width.
WIDTHS = range(50, 101, 10)


# The commands whose modules are read only when one of them is run or listed.
SEARCHING_COMMANDS = {"search": "app.cli_search", "batch": "app.cli_batch", "glossary": "app.cli_glossary"}


def test_the_commands_that_search_are_read_only_when_one_is_run():
    running = "from app.cli import main\ntry:\n    main({})\nexcept SystemExit:\n    pass"
    assert not set(SEARCHING_COMMANDS.values()) & loaded_after(running.format("['index', '--help']"))
    assert set(SEARCHING_COMMANDS.values()) & loaded_after(running.format("['search', '--help']")) == {"app.cli_search"}
    listed = loaded_after(running.format("['--help']"))
    assert set(SEARCHING_COMMANDS.values()) <= listed


def test_a_new_process_lists_the_commands_it_has_not_read():
    help_text = subprocess.run([sys.executable, "-m", "app", "--help"], capture_output=True, text=True, cwd=ROOT)
    commands = help_text.stdout[help_text.stdout.index("Commands:") :].splitlines()[1:]
    listed = {line.split()[0] for line in commands if line.startswith("  ") and not line.startswith("   ")}
    assert listed == {"index", "serve", "watch", "check", *SEARCHING_COMMANDS}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_list_of_commands_shows_each_first_line_whole(runner, width):
    output = runner.invoke(main, ["--help"], terminal_width=width).output
    commands = output[output.index("Commands:") :]
    assert "..." not in commands  # how click marks a line it cut
    flat = " ".join(commands.split())
    for name, command in main.commands.items():
        first_line = " ".join(command.help.strip().split("\n\n")[0].split())
        assert f"{name} {first_line}" in flat


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", ["index", "serve", "search"])
def test_the_help_of_every_option_is_whole(runner, command, width):
    output = runner.invoke(main, [command, "--help"], terminal_width=width).output
    flat = " ".join(output.split())
    for option in main.commands[command].params:
        if getattr(option, "help", None):
            assert " ".join(option.help.split()) in flat, option.name
    for line in output.splitlines():  # no word cut at its hyphen: zh-Hant, --no-translations
        assert not re.search(r"\w-$", line), line


def test_a_missing_index_is_named_by_its_full_path(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["search", "rights", "--index", "nowhere/index"])
    looked_at = tmp_path.resolve() / "nowhere" / "index"
    assert result.exit_code == 2, result.output
    assert f"no index in {looked_at}" in result.output
    assert "archive-search index" in result.output


def test_serve_names_the_missing_index_it_builds_by_its_full_path(runner, tmp_path, monkeypatch):
    import app.web.server

    served = []
    monkeypatch.setattr(app.web.server, "serve", served.append)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "note.txt").write_text("A statement on political prisoners.", encoding="utf-8")
    result = runner.invoke(main, ["serve", "--index", "ix", "--documents", "docs", "--port", str(free_port())])
    here = tmp_path.resolve()
    assert result.exit_code == 0, result.output
    assert f"No index in {here / 'ix'}: building it from {here / 'docs'} first." in result.output
    assert len(served) == 1


def test_a_missing_documents_folder_is_named_by_its_full_path(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["index", "--documents", "missing", "--index", "ix"])
    looked_at = tmp_path.resolve() / "missing"
    assert result.exit_code == 2
    assert f"documents directory not found: {looked_at}" in result.output


def test_a_default_page_size_of_none_is_refused_by_name(runner, index_dir):
    result = runner.invoke(main, ["search", "rights", "--index", str(index_dir)], env={"ARCHIVE_PER_PAGE": "0"})
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "ARCHIVE_PER_PAGE=0 is out of range" in result.output
