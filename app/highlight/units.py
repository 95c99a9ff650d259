"""What a query looks for in a document's text: its terms and phrases, patterns expanded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from whoosh import query as wq

from ..query import patterns
from ..query.evaluate import phrase_offsets
from ..query.nodes import FIELDS, field_of


@dataclass(frozen=True)
class MatchUnit:
    """What the query looks for: one term, or a phrase of terms at ``offsets`` from the first."""

    words: tuple[str, ...]
    offsets: tuple[int, ...] = (0,)
    # Exactly as typed: the characters a match must be written in (None: any script, any form).
    typed: str | None = None


def positive_leaves(query: wq.Query) -> Iterator[wq.Query]:
    """The terms, phrases and patterns of ``query`` that a document must or may match
    (what NOT excludes is left out)."""
    if isinstance(query, wq.Not):
        return
    if isinstance(query, wq.AndNot):
        yield from positive_leaves(query.a)
        return
    if isinstance(query, wq.Phrase | wq.Term) or patterns.is_pattern(query):
        yield query
        return
    for child in query.children():
        yield from positive_leaves(child)


def match_units(query: wq.Query, terms, fieldname: str, limit: int, exact: bool = False) -> list[MatchUnit]:
    """The terms and phrases of ``query`` on ``fieldname``, patterns expanded to their terms;
    ``exact``: each with the characters it was typed as."""
    units: list[MatchUnit] = []
    for node in positive_leaves(query):
        if node.fieldname != fieldname and field_of(node) not in FIELDS:
            continue  # a part's words (title:) are marked where they stand, as the content's
        typed = getattr(node, "typed", None) if exact else None
        if isinstance(node, wq.Phrase):
            _add(units, MatchUnit(tuple(node.words), tuple(phrase_offsets(node)), typed))
        elif isinstance(node, wq.Term):
            _add(units, MatchUnit((node.text,), typed=typed))
        else:
            for word in patterns.expand(node, terms, limit):
                _add(units, MatchUnit((word,)))
    return units


def _add(units: list[MatchUnit], unit: MatchUnit) -> None:
    if unit.words and unit not in units:
        units.append(unit)
