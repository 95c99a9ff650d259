"""Every command the README shows works as written on a fresh clone.

The commands are those of its ``sh`` blocks and those quoted inline that start with a program
(``make``, ``.venv/bin/…``, ``curl``, ``docker``, ``kubectl``, ``python -m``, ``source``). Each
is run where this machine can run it: the archive's own command in a folder holding a copy of
``documents/``, the API's URLs against the app, ``make`` as a dry run (``make run`` would serve
for ever), ``kubectl apply -k`` as the rendering it applies; a benchmark (minutes of work over
corpora of its own) is found runnable. A command that needs an engine this
machine lacks (Docker, a cluster) is checked against the files it names: the image's paths and
port, compose's services, the rendered objects. A command no rule covers fails the test, so a
new one cannot be shown untried.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml

from app import config

from ..support import ROOT, kubectl, running_server

README = (ROOT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent  # the .venv/bin/ of `make test`
_PROGRAM = re.compile(r"(?:[A-Z_]+=\S+ )*(?:make|\.venv/bin/\S+|curl|docker|kubectl|python|python3|source) ")
_SETTING_ENVS = {setting.env for setting in config.SETTINGS}


def shown_commands() -> list[str]:
    """Every command of the README's sh blocks (continued lines joined, comments cut) and every
    inline one that starts with a program, white space folded."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command:
                commands.append(command)
    for span in re.findall(r"(?<!`)`([^`\n][^`]*?)`(?!`)", README):
        command = " ".join(span.split())
        if _PROGRAM.match(command + " "):
            commands.append(command)
    return list(dict.fromkeys(" ".join(command.split()) for command in commands))


COMMANDS = shown_commands()


def words(command: str) -> tuple[dict[str, str], list[str]]:
    """The environment assignments a command starts with, and its words."""
    parts = shlex.split(command)
    assigned = {}
    while parts and re.fullmatch(r"[A-Z_]+=\S*", parts[0]):
        name, value = parts.pop(0).split("=", 1)
        assigned[name] = value
    return assigned, parts


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A folder laid out as a fresh clone's, for the archive's command: a copy of documents/."""
    folder = tmp_path_factory.mktemp("clone")
    shutil.copytree(ROOT / "documents", folder / "documents")
    return folder


def run_archive(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "archive-search"), *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={key: value for key, value in os.environ.items() if not key.startswith("ARCHIVE_")},
    )


def test_the_readme_shows_the_commands_a_user_needs():
    assert "make run" in COMMANDS and "make test" in COMMANDS
    assert any(command.startswith(".venv/bin/archive-search index") for command in COMMANDS)
    assert not [command for command in COMMANDS if command.startswith("archive-search ")], (
        "a fresh clone has no archive-search on PATH: show .venv/bin/archive-search"
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_the_readme_shows_works_as_written(command, clone, archive_app):
    assigned, parts = words(command)
    assert set(assigned) <= _SETTING_ENVS, f"{command}: {set(assigned) - _SETTING_ENVS} are not settings"
    program = parts[0]
    if program == "make":
        check_make(parts[1:], assigned)
    elif program == ".venv/bin/archive-search":
        check_archive_search(parts[1:], clone)
    elif parts[:3] == [".venv/bin/python", "-m", "app"]:
        done = subprocess.run([sys.executable, *parts[1:]], capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert "Usage: " in done.stdout + done.stderr and "index" in done.stdout + done.stderr
    elif program == ".venv/bin/python":
        check_python_module(parts[1:])
    elif program == "source":
        assert parts[1] == ".venv/bin/activate" and (BIN / "activate").is_file()
    elif program == "curl":
        check_curl(parts[1:], archive_app)
    elif program == "docker":
        check_docker(parts[1:])
    elif program == "kubectl":
        check_kubectl(parts[1:])
    else:
        pytest.fail(f"the README shows a command no rule of this test runs: {command}")


def check_make(arguments: list[str], assigned: dict[str, str]) -> None:
    (target,) = arguments
    done = subprocess.run(
        ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60, env={**os.environ, **assigned}
    )
    assert done.returncode == 0, f"make {target}: {done.stderr}"


def check_archive_search(arguments: list[str], clone: Path) -> None:
    if arguments[:1] == ["index"] or not (clone / "index" / "CURRENT").exists():
        built = run_archive(["index"], clone)
        assert built.returncode == 0, built.stdout + built.stderr
        assert "Indexed" in built.stdout + built.stderr or "Nothing to do" in built.stdout + built.stderr
    if arguments[:1] == ["index"]:
        again = run_archive(arguments, clone)
        assert again.returncode == 0 and "Nothing to do" in again.stdout + again.stderr, again.stderr
        return
    if "--server" in arguments:
        # The address `make run` serves, asked of a server of the clone's index on a free port.
        at = arguments.index("--server") + 1
        assert arguments[at] == "http://127.0.0.1:8000", "the address `make run` serves"
        with running_server(clone / "index", clone / "documents") as (base, _process):
            done = run_archive([*arguments[:at], base, *arguments[at + 1 :]], clone)
    else:
        done = run_archive(arguments, clone)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip(), "it printed nothing"


def check_python_module(arguments: list[str]) -> None:
    # The benchmarks run for minutes over corpora built on purpose: that they are there to run
    # is what is checked here (their figures are docs/performance.md's).
    # A package (pytest) runs its __main__; a path it is given (tests/engine) is the project's.
    assert arguments[0] == "-m", arguments
    spec = importlib.util.find_spec(arguments[1])
    assert spec is not None and spec.origin, f"no module {arguments[1]}"
    if spec.submodule_search_locations is not None:
        assert importlib.util.find_spec(f"{arguments[1]}.__main__"), f"{arguments[1]} runs nothing"
    else:
        source = Path(spec.origin).read_text(encoding="utf-8")
        assert 'if __name__ == "__main__":' in source, f"{arguments[1]} runs nothing"
    for argument in arguments[2:]:
        if "/" in argument and not argument.startswith("-"):
            assert (ROOT / argument).exists(), f"{argument}: no such path in the project"


def check_curl(arguments: list[str], archive_app) -> None:
    (url,) = arguments
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("http", "127.0.0.1:8000"), "the address `make run` serves"
    answer = archive_app.test_client().get(parts.path, query_string=parse_qsl(parts.query))
    assert answer.status_code in (200, 400) and answer.is_json, (url, answer.status_code)


def check_docker(arguments: list[str]) -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    if arguments[0] == "build":
        assert arguments[-1] == "." and "-t" in arguments
    elif arguments[0] == "volume":
        assert arguments[1] == "create" and f"{arguments[2]}:" in " ".join(COMMANDS)
    elif arguments[0] == "run":
        for flag, value in itertools.pairwise(arguments):
            if flag == "-v":
                assert value.split(":")[1] in dockerfile, f"{value}: the image does not use that path"
            if flag == "-p":
                assert f"EXPOSE {value.split(':')[-1]}" in dockerfile
        assert any(f"docker build -t {arguments[-1]} ." == command for command in COMMANDS), "the image built above"
    elif arguments[0] == "compose":
        assert arguments[1] == "-f"
        compose = yaml.safe_load((ROOT / arguments[2]).read_text(encoding="utf-8"))
        subcommand, rest = arguments[3], [word for word in arguments[4:] if not word.startswith("-")]
        assert subcommand in ("up", "run", "restart"), subcommand
        assert set(rest) <= set(compose["services"]), f"no such service: {set(rest) - set(compose['services'])}"
    else:
        pytest.fail(f"docker {arguments[0]}: no rule checks it")


def check_kubectl(arguments: list[str]) -> None:
    rendered = subprocess.run(
        [kubectl(), "kustomize", str(ROOT / "deploy" / "k8s")], capture_output=True, text=True, timeout=120
    )
    assert rendered.returncode == 0, rendered.stderr
    objects = {(item["kind"], item["metadata"]["name"]) for item in yaml.safe_load_all(rendered.stdout)}
    if arguments[:2] == ["apply", "-k"]:
        assert arguments[2] == "deploy/k8s"
    elif arguments[:2] == ["create", "job"]:
        source = next(word for word in arguments if word.startswith("--from="))
        kind, name = source.removeprefix("--from=").split("/")
        assert kind == "cronjob" and ("CronJob", name) in objects
    else:
        pytest.fail(f"kubectl {arguments[0]}: no rule checks it")


def test_the_readme_gives_the_time_of_an_update_that_docs_performance_measured():
    said = re.search(r"one changed document among ([\d,]+) takes about (\d+(?:\.\d+)?) s", " ".join(README.split()))
    assert said, "the README says what an update of one changed document takes"
    performance = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    sentence = r"command for one changed document takes (\d+\.\d+) s at 60,000"
    measured = re.search(sentence, " ".join(performance.split()))
    assert measured, "docs/performance.md gives the time of the index command for one changed document"
    assert said.group(1) == "60,000"
    assert round(float(measured.group(1)), 1) == float(said.group(2)), (said.group(0), measured.group(0))
