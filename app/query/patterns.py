"""Prefix and wildcard patterns (``extradit*``), expanded to the index terms they match.

One rule for every use: a pattern needs at least two letters (or one Han character) before its
first ``*`` or ``?``, and expands to at most ``limit`` terms (the ``MAX_TERMS`` setting). Parsing
refuses a pattern past the limit; evaluation and highlighting read the same terms.
"""

from __future__ import annotations

from itertools import islice

from whoosh import query as wq

from ..analysis.scripts import is_han
from ..index.whoosh_internals import pattern_terms


class PatternError(ValueError):
    """A pattern that cannot be searched as typed; the message says what to change."""


def is_pattern(node: wq.Query) -> bool:
    """True for a prefix or wildcard query."""
    return isinstance(node, wq.MultiTerm)


def typed(node: wq.MultiTerm) -> str:
    """The pattern as the user typed it: ``extradit*``."""
    return node.text + ("*" if isinstance(node, wq.Prefix) else "")


def check(node: wq.MultiTerm, reader, limit: int) -> None:
    """Raise ``PatternError`` for a pattern that starts too short or expands to over ``limit`` terms."""
    pattern = typed(node)
    if pattern[:1] in ("*", "?"):
        raise PatternError(f"'{pattern}': a word cannot start with * or ?. Put at least two letters first.")
    prefix = pattern.split("*")[0].split("?")[0]
    if len(prefix) < 2 and not (prefix and is_han(prefix[0])):
        raise PatternError(f"'{pattern}': put at least two letters before * or ?.")
    if len(list(islice(pattern_terms(node, reader), limit + 1))) > limit:
        raise PatternError(f"'{pattern}' matches more than {limit} different words. Make it longer or more specific.")


def expand(node: wq.MultiTerm, reader, limit: int) -> list[str]:
    """The terms ``node`` matches in ``reader``, in order, at most ``limit`` of them."""
    field = reader.schema[node.fieldname]
    return [field.from_bytes(btext) for btext in islice(pattern_terms(node, reader), limit)]
