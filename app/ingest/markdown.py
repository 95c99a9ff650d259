"""Markdown files with optional YAML front matter (title, date, author, tags, url, language)."""

from __future__ import annotations

import re

import yaml

from .extracted import Extracted, from_mapping

# libyaml's loader when PyYAML was built with it: the same safe subset, many times faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def read_markdown(text: str) -> Extracted:
    """Split off the front matter; return the body and the metadata found in it.

    Front matter that is not valid YAML stays in the text, so nothing in it is lost, and a
    warning says why it was not used.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return Extracted(text)
    body = text[match.end() :]
    try:
        meta = yaml.load(match.group(1), Loader=_SafeLoader)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" at line {where.line + 2}" if where is not None else ""
        problem = getattr(error, "problem", None) or "unreadable"
        warning = f"front matter is not valid YAML ({problem}{line}); title taken from the text"
        return Extracted(text, warnings=[warning], title_source=body)
    if meta is None:
        return Extracted(body)
    if not isinstance(meta, dict):
        warning = "front matter is not a mapping of keys to values; title taken from the text"
        return Extracted(text, warnings=[warning], title_source=body)
    return from_mapping(body, meta)
