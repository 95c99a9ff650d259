"""The README's examples are the archive's real answers: every request it shows with an answer
(a ``curl`` of the API, an ``archive-search search``) is run against the index of the project's
own documents/, and must answer what the README shows.

An example is a one-line ``sh`` block followed at once by a ``json`` or ``text`` block, its
answer. A JSON answer agrees when every field shown has the value the service gives: a field the
README leaves out is not checked, and a list must hold as many items as shown, each agreeing.
What changes from one run to the next is shown but not compared: ``took_ms`` (it must be a
number), and the milliseconds in the first line the command line prints, "(3.1 ms)".
"""

from __future__ import annotations

import json
import re
import shlex
from urllib.parse import parse_qsl, urlsplit

import pytest

from app.cli import main

from ..support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
# How the README calls the command: as `make run` installs it, runnable from a fresh clone.
COMMAND = ".venv/bin/archive-search"
VOLATILE = {"took_ms"}
_MILLISECONDS = re.compile(r"\(\d+(?:\.\d+)? ms\)")
_EXAMPLE = re.compile(r"```sh\n([^\n]+)\n```\s*```(json|text)\n(.*?)```", re.S)


def examples() -> list[tuple[str, str, str]]:
    """(command, kind of answer, answer) for every request the README shows with its answer."""
    found = [(command.strip(), kind, answer) for command, kind, answer in _EXAMPLE.findall(README)]
    return [item for item in found if item[0].startswith(("curl ", f"{COMMAND} search "))]


EXAMPLES = examples()


def agrees(shown, given, where: str = "answer") -> None:
    """Assert that every field ``shown`` has the value ``given`` holds."""
    if isinstance(shown, dict):
        assert isinstance(given, dict), f"{where}: {given!r} is not an object"
        for key, value in shown.items():
            assert key in given, f"{where}: the service gives no {key!r}"
            if key in VOLATILE:
                assert isinstance(given[key], int | float), f"{where}.{key}: {given[key]!r} is not a number"
            else:
                agrees(value, given[key], f"{where}.{key}")
    elif isinstance(shown, list):
        assert isinstance(given, list) and len(given) == len(shown), f"{where}: the service gives {given!r}"
        for number, (item, actual) in enumerate(zip(shown, given, strict=True)):
            agrees(item, actual, f"{where}[{number}]")
    else:
        assert shown == given, f"{where}: the README shows {shown!r}, the service gives {given!r}"


def test_the_readme_shows_an_answer_of_the_api_and_of_the_command_line():
    commands = [command for command, _kind, _answer in EXAMPLES]
    assert any(command.startswith("curl ") and "/api/search" in command for command in commands)
    assert any(command.startswith(f"{COMMAND} search ") for command in commands)


@pytest.mark.parametrize(
    ("command", "answer"),
    [(command, answer) for command, kind, answer in EXAMPLES if kind == "json"],
    ids=[command for command, kind, _answer in EXAMPLES if kind == "json"],
)
def test_an_api_example_is_the_real_answer(archive_app, command, answer):
    [_curl, url] = shlex.split(command)
    parts = urlsplit(url)
    response = archive_app.test_client().get(parts.path, query_string=parse_qsl(parts.query))
    body = response.get_json()
    shown = json.loads(answer)
    agrees(shown, body)
    if "error" in shown:
        assert response.status_code == shown["error"]["status"]


@pytest.mark.parametrize(
    ("command", "answer"),
    [(command, answer) for command, kind, answer in EXAMPLES if kind == "text"],
    ids=[command for command, kind, _answer in EXAMPLES if kind == "text"],
)
def test_a_command_line_example_is_the_real_answer(runner, archive_index, command, answer):
    arguments = shlex.split(command)[1:]
    result = runner.invoke(main, [*arguments, "--index", str(archive_index)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output

    def lines(text: str) -> list[str]:
        return [line.rstrip() for line in _MILLISECONDS.sub("(… ms)", text).strip().splitlines()]

    assert lines(result.output) == lines(answer)
