"""The string the index analyses for a document: its title, its text, then the descriptive
metadata a reader may type (author, tags, description, a message's recipients), each value a part of its own.

Token offsets index this string. A blank line stands between two parts, so no phrase spans two
of them (a blank line is a boundary: ``analysis.boundaries``): not the text and the author, not
two tags. The metadata is read back from the document's stored record, so nothing is stored twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# What stands between two parts (title, text, each metadata value).
SEPARATOR = "\n\n"
# The fields of a record searched as text after it, in this order; a list holds several values.
SEARCHED_METADATA = ("author", "tags", "description", "recipients")


def metadata_values(record: Mapping) -> list[tuple[str, str]]:
    """(field, value) of each searched metadata value of ``record``, in the order indexed."""
    values: list[tuple[str, str]] = []
    for name in SEARCHED_METADATA:
        given = record.get(name)
        values += [(name, value) for value in (given if isinstance(given, list) else [given]) if value]
    return values


def metadata_tail(metadata: Sequence[tuple[str, str]]) -> str:
    """What follows the text in the indexed string: each value after a separator."""
    return "".join(f"{SEPARATOR}{value}" for _name, value in metadata)


def indexed_content(title: str, text: str, metadata: Sequence[tuple[str, str]] = ()) -> str:
    """The string the index analyses: title, text and ``metadata`` values, apart. Token
    offsets refer to it."""
    return f"{title}{SEPARATOR}{text}{metadata_tail(metadata)}"


@dataclass(frozen=True)
class MetadataPart:
    """A value of the searched metadata: its field, which of the field's values it is, the
    value, and where it starts in the indexed string."""

    field: str
    number: int
    value: str
    start: int


def metadata_parts(text_end: int, metadata: Sequence[tuple[str, str]]) -> list[MetadataPart]:
    """Where each metadata value stands in the indexed string, the text ending at ``text_end``."""
    parts: list[MetadataPart] = []
    position = text_end
    numbers: dict[str, int] = {}
    for name, value in metadata:
        position += len(SEPARATOR)
        parts.append(MetadataPart(name, numbers.get(name, 0), value, position))
        numbers[name] = numbers.get(name, 0) + 1
        position += len(value)
    return parts
