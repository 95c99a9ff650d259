"""`archive-search search --server URL` asking the real server prints what the command prints
when it opens the same index itself: the same lines, the same JSON, the same export rows, the
same refusals."""

from __future__ import annotations

import json
import re

import pytest

from app.cli import main

pytestmark = pytest.mark.slow

# Searches whose pages hold what the text shows: translations, other scripts, matched metadata
# (an author, tags), copies, a later page, filters, and nothing found.
SEARCHES = [
    ["人權"],
    ["人权", "--all-copies"],
    ["national security law"],
    ["國安法", "--limit", "2", "--page", "2"],
    ["United Nations General Assembly"],
    ["udhr", "--no-translations"],
    ["rights", "--lang", "en", "--sort", "-date"],
    ["torture", "--exact"],
    ["zebrafishxyz"],
]
_TOOK = re.compile(r"\(\d+(\.\d+)? ms\)")


def _same(output: str) -> str:
    """The output but the time each search took."""
    return _TOOK.sub("(… ms)", output, count=1)


@pytest.mark.parametrize("options", SEARCHES, ids=[" ".join(options) for options in SEARCHES])
def test_the_server_s_answer_prints_as_the_command_s_own(runner, server, index_dir, options):
    itself = runner.invoke(main, ["search", *options, "--index", str(index_dir)])
    asked = runner.invoke(main, ["search", *options, "--server", server])
    assert asked.exit_code == itself.exit_code, asked.output
    assert _same(asked.output) == _same(itself.output)
    itself_json = runner.invoke(main, ["search", *options, "--json", "--index", str(index_dir)])
    asked_json = runner.invoke(main, ["search", *options, "--json", "--server", server])
    mine, theirs = json.loads(itself_json.output), json.loads(asked_json.output)
    assert mine.pop("took_ms") >= 0 and theirs.pop("took_ms") >= 0
    assert theirs == mine


def test_the_same_search_is_refused_with_the_same_words(runner, server, index_dir):
    long_query = "rights " * 80
    itself = runner.invoke(main, ["search", long_query, "--index", str(index_dir)])
    asked = runner.invoke(main, ["search", long_query, "--server", server])
    assert itself.exit_code == asked.exit_code == 2
    said = [line for line in asked.output.splitlines() if line.startswith("Error:")]
    assert said and said == [line for line in itself.output.splitlines() if line.startswith("Error:")]


def test_an_export_asked_of_the_server_holds_the_rows_of_the_command_s_own(runner, server, index_dir):
    itself = runner.invoke(main, ["search", "人權", "--format", "jsonl", "--index", str(index_dir)])
    asked = runner.invoke(main, ["search", "人權", "--format", "jsonl", "--server", server])
    assert itself.exit_code == asked.exit_code == 0, asked.output
    mine = [json.loads(line) for line in itself.output.splitlines()]
    theirs = [json.loads(line) for line in asked.output.splitlines()]
    assert len(mine) > 1
    # The server links each row to its page by the whole address; the command by its path.
    for row, their_row in zip(mine, theirs, strict=True):
        assert their_row.pop("url").endswith(row.pop("url"))
        assert their_row == row
