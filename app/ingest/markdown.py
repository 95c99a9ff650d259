"""Markdown files with optional YAML front matter (title, date, author, tags, url, language)."""

from __future__ import annotations

import re

from .extracted import Extracted, from_mapping
from .yamlmeta import parse_yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def read_markdown(text: str) -> Extracted:
    """Split off the front matter; return the body and the metadata found in it.

    Front matter that is not valid YAML is still split off (it is not the document's text);
    the keys that read on their own are kept, and a warning names what was wrong.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return Extracted(text)
    body = text[match.end() :]
    parsed = parse_yaml(match.group(1), first_line=2)
    extracted = from_mapping(body, parsed.values)
    if parsed.problem is not None:
        extracted.warnings.append(f"front matter is {parsed.describe()}")
    return extracted
