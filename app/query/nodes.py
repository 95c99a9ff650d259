"""The nodes a parsed query is made of, beyond Whoosh's own: phrases whose words stand at given
distances, nearness between parts, the fields a query may name; and how a word typed becomes a
term or a phrase, in every script.
"""

from __future__ import annotations

from whoosh import query as wq

from ..analysis import positioned_terms
from ..analysis.chinese import script_variants
from ..analysis.scripts import is_han
from ..index.schema import CONTENT


class ExactPhrase(wq.Phrase):
    """A phrase whose words stand at fixed distances from the first: ``offsets`` (consecutive,
    but for a place skipped where the phrase as typed holds a boundary, as the text does:
    punctuation between Han characters, a blank line; and the whole of a hyphenated word at
    its part's place)."""

    def __init__(self, fieldname, words, slop=1, boost=1.0, char_ranges=None, offsets=None) -> None:
        super().__init__(fieldname, words, slop=slop, boost=boost, char_ranges=char_ranges)
        self.offsets = list(offsets) if offsets is not None else list(range(len(words)))

    def normalize(self):
        """The phrase, or the term when it has one word; its offsets kept."""
        found = super().normalize()
        if isinstance(found, wq.Phrase):
            found = ExactPhrase(self.fieldname, self.words, self.slop, self.boost, self.char_ranges, self.offsets)
        return typed_as(found, getattr(self, "typed", None))


class Near(wq.compound.CompoundQuery):
    """Parts of a query (each a word, a phrase, or the Or of a part's forms) that stand within
    ``distance`` positions of each other, in any order: ``"detention visits"~5``,
    ``"黎智英 保釋"~10`` (each Chinese run a phrase), ``detention NEAR/5 visits``."""

    JOINT = " NEAR "

    def __init__(self, subqueries, distance: int = 1, boost: float = 1.0, fieldname: str = CONTENT) -> None:
        super().__init__(subqueries, boost=boost)
        self.distance = distance
        self.fieldname = fieldname

    def __repr__(self) -> str:
        return f"Near({self.subqueries!r}, distance={self.distance}, fieldname={self.fieldname!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Near) and (self.subqueries, self.distance, self.fieldname) == (
            other.subqueries,
            other.distance,
            other.fieldname,
        )

    def __hash__(self) -> int:
        return hash((tuple(self.subqueries), self.distance, self.fieldname))

    def normalize(self):
        """Itself: its parts are already what the search reads."""
        return self

    def apply(self, fn):
        """A ``Near`` of ``fn`` applied to each part, at the same distance."""
        return Near([fn(query) for query in self.subqueries], self.distance, self.boost, self.fieldname)


def typed_as(query, typed: str | None):
    """``query``, noting the characters it was ``typed`` as (what ``exact=1`` compares the text
    with; a query the search adds, such as another script's form, has none)."""
    if typed is not None and isinstance(query, wq.Term | wq.Phrase):
        query.typed = typed
    return query


def analysed_query(fieldname: str, text: str, boost: float = 1.0) -> wq.Query | None:
    """The query for ``text`` analysed: a term, or the phrase of its terms (None if none)."""
    found = positioned_terms(text)
    if not found:
        return None
    if len(found) == 1:
        return wq.Term(fieldname, found[0][1], boost=boost)
    first = found[0][0]
    return ExactPhrase(fieldname, [term for _p, term in found], boost=boost, offsets=[p - first for p, _t in found])


def in_every_script(found: wq.Query | None, text: str, fieldname: str, boost: float = 1.0) -> wq.Query | None:
    """``found``, the query for ``text``; or, where ``text`` holds Chinese that another script
    writes with other characters than folding gives, the Or of it and the queries of those forms.

    Folding goes character by character (``analysis.chinese``), and a few characters fold apart
    though one word in one script is another word in the other: Traditional 藉口 is Simplified
    借口, but 藉 is also a Simplified character (狼藉) and stays itself. OpenCC's phrase tables
    know the word, so the forms they give that fold otherwise are searched too.
    """
    if found is None or not any(is_han(char) for char in text):
        return found
    words = _words(found)
    others = []
    for form in script_variants(text)[1:]:
        other = analysed_query(fieldname, form, boost)
        if other is not None and _words(other) != words and all(_words(o) != _words(other) for o in others):
            others.append(other)
    return wq.Or([found, *others]) if others else found


def _words(query: wq.Query) -> tuple[str, ...]:
    return tuple(query.words) if isinstance(query, wq.Phrase) else (query.text,)


# The parts of a document a query may search alone (``title:人權``): its title, its text alone,
# its authors, its tags (``tags:`` is ``tag:``). Any other name before a colon is a word.
FIELDS = ("title", "text", "author", "tag")
FIELD_ALIASES = {"tags": "tag"}
# Every field a query's words may be searched in: the whole content, or one part of it.
TEXT_FIELDS = frozenset({CONTENT, *FIELDS, *FIELD_ALIASES})


def field_of(query: wq.Query) -> str:
    """The field a term or phrase searches, its alias resolved (``tags`` is ``tag``)."""
    return FIELD_ALIASES.get(query.fieldname, query.fieldname)
