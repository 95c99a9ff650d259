"""Prefix and wildcard patterns (``extradit*``, ``hum?n``), expanded to the terms they match.

One rule for every use: a pattern needs at least two letters (or one Han character) before its
first ``*`` or ``?``, and expands to at most ``limit`` terms (the ``MAX_TERMS`` setting). Parsing
refuses a pattern past the limit; evaluation and highlighting read the same terms.
"""

from __future__ import annotations

import fnmatch
import re

from whoosh import query as wq

from ..analysis.scripts import is_han
from ..messages import english


class PatternError(ValueError):
    """A pattern that cannot be searched as typed; the message says what to change, ``key``
    names it and ``params`` holds its values (as ``QueryError`` does)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(english(key, params))
        self.key = key
        self.params = params


def is_pattern(node: wq.Query) -> bool:
    """True for a prefix or wildcard query."""
    return isinstance(node, wq.MultiTerm)


def typed(node: wq.MultiTerm) -> str:
    """The pattern as the user typed it: ``extradit*``."""
    return node.text + ("*" if isinstance(node, wq.Prefix) else "")


def _prefix(pattern: str) -> str:
    return pattern.split("*")[0].split("?")[0]


def check(node: wq.MultiTerm, terms, limit: int) -> None:
    """Raise ``PatternError`` for a pattern that starts too short or expands to over ``limit`` terms."""
    pattern = typed(node)
    if pattern[:1] in ("*", "?"):
        raise PatternError("pattern_starts_with_wildcard", pattern=pattern)
    prefix = _prefix(pattern)
    if len(prefix) < 2 and not (prefix and is_han(prefix[0])):
        raise PatternError("pattern_prefix_too_short", pattern=pattern)
    if len(_matching(pattern, terms, limit + 1)) > limit:
        raise PatternError("pattern_too_many_words", pattern=pattern, limit=limit)


def expand(node: wq.MultiTerm, terms, limit: int) -> list[str]:
    """The terms ``node`` matches, in order, at most ``limit`` of them."""
    return _matching(typed(node), terms, limit)


def _matching(pattern: str, terms, limit: int) -> list[str]:
    """The first ``limit`` indexed terms ``pattern`` matches."""
    prefix = _prefix(pattern)
    if prefix and is_han(prefix[0]):
        # Han characters are terms one by one: a pattern can only name the character itself.
        return [prefix[0]] if terms.postings(prefix[0]).keys.size else []
    stop = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    if pattern == prefix + "*":
        return terms.words(prefix, stop, limit)
    matcher = re.compile(fnmatch.translate(pattern)).match
    found, start = [], prefix
    while len(found) < limit:
        batch = terms.words(start, stop, 1024)
        found += [term for term in batch if matcher(term)]
        if len(batch) < 1024:
            break
        start = batch[-1] + "\0"
    return found[:limit]
