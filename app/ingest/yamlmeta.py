"""Metadata written as YAML (Markdown front matter, sidecar files), read as much as it can be.

A block that is not valid YAML is read again one top-level key at a time, so that one bad value
(``title: [unclosed``) costs that key and not the title, date and tags beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

# libyaml's loader when PyYAML was built with it: the same safe subset, many times faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _MetadataLoader(_SafeLoader):
    """The safe loader, with dates kept as written: ``dates.iso_date`` reads them at their own
    precision, and names an impossible one (2018-02-30) instead of failing the whole block."""


_MetadataLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
# A line that starts a top-level entry: "key:" at the left margin, then a space or the line's end.
_TOP_LEVEL_KEY = re.compile(r"(?P<key>[^\s#\-][^:]*?):(?:\s|$)")


@dataclass
class ParsedYaml:
    """What a block of YAML metadata gave: its keys and values, and what went wrong.

    ``problem`` says why the block as a whole could not be read (None when it could);
    ``left_out`` names the keys that could not be read even one at a time.
    """

    values: dict = field(default_factory=dict)
    problem: str | None = None
    left_out: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """The problem and what reading key by key saved, for a warning."""
        if self.problem is None:
            return ""
        if not self.left_out:
            return self.problem
        return f"{self.problem}; left out: {', '.join(self.left_out)}"


def parse_yaml(text: str, first_line: int = 1) -> ParsedYaml:
    """Read ``text`` as a mapping of keys to values; when it is not valid YAML, keep the keys
    that read on their own. ``first_line`` is the line of the file ``text`` starts on."""
    try:
        values = yaml.load(text, Loader=_MetadataLoader)
    except (yaml.YAMLError, ValueError) as error:
        where = getattr(error, "problem_mark", None)
        line = f" at line {where.line + first_line}" if where is not None else ""
        problem = f"not valid YAML ({getattr(error, 'problem', None) or 'unreadable'}{line})"
        return _key_by_key(text, problem)
    if values is None:
        return ParsedYaml()
    if not isinstance(values, dict):
        return ParsedYaml(problem="not a mapping of keys to values")
    return ParsedYaml({str(key): value for key, value in values.items()})


def _key_by_key(text: str, problem: str) -> ParsedYaml:
    """Each top-level entry (its key line and the indented lines under it) read on its own."""
    entries: list[list[str]] = []
    for line in text.splitlines():
        if _TOP_LEVEL_KEY.match(line):
            entries.append([line])
        elif entries and (not line.strip() or line[0].isspace() or line.startswith("-")):
            entries[-1].append(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            entries.append([line])  # a stray line: read on its own, it fails and is named
    found = ParsedYaml(problem=problem)
    for entry in entries:
        try:
            value = yaml.load("\n".join(entry), Loader=_MetadataLoader)
        except (yaml.YAMLError, ValueError):
            value = None
        if isinstance(value, dict) and len(value) == 1:
            found.values.update((str(key), item) for key, item in value.items())
        else:
            match = _TOP_LEVEL_KEY.match(entry[0])
            found.left_out.append(match["key"].strip() if match else repr(entry[0].strip()[:30]))
    return found
