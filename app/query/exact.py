"""Exactly as typed (``exact=1``): only the characters the query was typed in.

The index folds Chinese to one script and stems English, so 人权 and 人權, right and rights,
are one term to it. A search exactly as typed takes the documents the folded search finds and
keeps those where an occurrence is written as the query writes it: each Han character the same
character, each other word the same letters, in any case, and not the start of a longer word.
The document's characters are read through its stored token offsets, so a phrase broken across
a line (人⏎权) is still the phrase.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..analysis import ArchiveAnalyzer
from ..analysis.scripts import is_han
from ..index import packing


@dataclass(frozen=True)
class TypedToken:
    """A token of the query as typed: its place from the first, and its characters."""

    offset: int
    written: str


def typed_tokens(typed: str) -> list[TypedToken]:
    """The tokens of ``typed`` (a word or phrase of the query) with their places and characters."""
    tokens = [
        (token.pos, typed[token.startchar : token.endchar]) for token in _ANALYZER(typed, positions=True, chars=True)
    ]
    if not tokens:
        return []
    first = tokens[0][0]
    return [TypedToken(position - first, written) for position, written in tokens]


_ANALYZER = ArchiveAnalyzer()


def as_typed(
    starts: np.ndarray, tokens: list[TypedToken], document: Callable[[int], object], deadline=None
) -> np.ndarray:
    """The keys of the documents where one of the occurrences ``starts`` (``key << 32 |
    position`` of the first token) is written as ``tokens``; ``document(key)`` gives a stored
    document (``index.textstore.StoredDocument``); ``deadline`` is checked as documents are read."""
    if not starts.size or not tokens:
        return np.zeros(0, np.int64)
    kept: list[int] = []
    keys, positions = packing.high(starts), packing.low(starts)
    places = np.asarray([token.offset for token in tokens], dtype=np.int64)
    bounds = np.flatnonzero(np.diff(keys)) + 1
    for number, group in enumerate(np.split(np.arange(starts.size), bounds)):
        if deadline is not None and number % 64 == 0:
            deadline.check()
        key = int(keys[group[0]])
        stored = document(key)
        wanted = (positions[group][:, None] + places[None, :]).ravel()
        order = np.argsort(wanted, kind="stable")
        begins = np.empty(wanted.size, dtype=np.int64)
        begins[order] = stored.offsets.many(wanted[order])  # read in order, all at once
        if any(_written_as(stored, row, tokens) for row in begins.reshape(-1, len(tokens)).tolist()):
            kept.append(key)
    return np.asarray(kept, dtype=np.int64)


def _written_as(stored, begins: list[int], tokens: list[TypedToken]) -> bool:
    """True when the document writes the tokens, starting at the offsets ``begins``, as typed."""
    for begin, token in zip(begins, tokens, strict=True):
        found = stored.content(begin, begin + len(token.written) + 1)
        if len(token.written) == 1 and is_han(token.written):
            if found[:1] != token.written:
                return False
            continue
        if found[: len(token.written)].casefold() != token.written.casefold():
            return False
        if len(found) > len(token.written) and found[len(token.written)].isalnum():
            return False  # the start of a longer word: right in rights
    return True
