"""The settings table: the README documents every row, and values come from the right place."""

from __future__ import annotations

import re

import pytest

from app import config

from ..support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_rows() -> dict[str, tuple[str, str, str]]:
    rows = {}
    for line in README.splitlines():
        match = re.match(r"^\| ([A-Z_]+) \| `([A-Z_]+)` \| `([^`]*)` \| (.+) \|$", line)
        if match:
            # A table cell writes | as \| (in code too), as GitHub's Markdown reads it.
            env, default, help_text = (match.group(n).replace("\\|", "|") for n in (2, 3, 4))
            rows[match.group(1)] = (env, default, help_text)
    return rows


@pytest.mark.parametrize("setting", config.SETTINGS, ids=lambda setting: setting.name)
def test_readme_documents_every_setting(setting):
    rows = readme_rows()
    assert setting.name in rows, f"README's configuration table lacks {setting.name}"
    env, default, help_text = rows[setting.name]
    assert env == setting.env
    shown = ("0", "1")[setting.default] if isinstance(setting.default, bool) else str(setting.default)
    assert default == shown
    assert help_text == setting.help


def test_readme_documents_no_setting_that_does_not_exist():
    assert set(readme_rows()) == {setting.name for setting in config.SETTINGS}


def test_environment_then_overrides():
    values = config.load({"PORT": 9000}, environ={"ARCHIVE_INDEX": "/tmp/x", "ARCHIVE_PORT": "8001"})
    assert values["INDEX"] == "/tmp/x"
    assert values["PORT"] == 9000
    assert config.load(environ={})["PORT"] == 8000


def test_yes_no_settings_read_the_usual_words():
    assert config.load(environ={"ARCHIVE_READER_LOCKS": "0"})["READER_LOCKS"] is False
    assert config.load(environ={"ARCHIVE_READER_LOCKS": "Yes"})["READER_LOCKS"] is True
    with pytest.raises(ValueError, match="ARCHIVE_READER_LOCKS"):
        config.load(environ={"ARCHIVE_READER_LOCKS": "maybe"})


def test_a_bad_environment_value_names_the_variable():
    with pytest.raises(ValueError, match="ARCHIVE_PORT"):
        config.load(environ={"ARCHIVE_PORT": "eighty"})


def test_readme_starts_with_what_it_is_then_make_run_and_make_test():
    assert README.startswith("# archive-search\n")
    quick_start = README.index("## Quick start")
    assert README.index("make run") > quick_start
    assert README.index("make test") > README.index("make run")
    assert README.index("make test") < README.index("## Searching")
    # how to serve make run on another port, with the setting that does it
    assert "ARCHIVE_PORT=8080 make run" in README[quick_start : README.index("## Searching")]
    assert config.load(environ={"ARCHIVE_PORT": "8080"})["PORT"] == 8080
