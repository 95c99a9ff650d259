"""Query expansion across languages with the glossary.

Where a word, a run of words or a quoted phrase of the query is a form of a glossary concept,
that part becomes (the part as typed OR each other form of the concept):

    political prisoners Hong Kong  ->  (political prisoners OR "政治犯" OR "political detainee")
                                       AND (Hong Kong OR "香港" OR hk OR "香江")

Everything else of the query stays as it was. The number of forms added is bounded, so a query
never grows without limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import query as wq

from ..analysis import ArchiveAnalyzer, terms
from ..glossary import Concept, Glossary
from .nodes import analysed_query

# Forms added for one concept, and for a whole query.
MAX_FORMS_PER_CONCEPT = 12
MAX_FORMS = 48


@dataclass(frozen=True)
class Expansion:
    """A part of the query as typed, and the other forms of its concept that were searched, each
    with its query (None: a form with nothing to search)."""

    typed: str
    concept: Concept
    forms: tuple[str, ...]
    queries: tuple[wq.Query | None, ...] = ()


def expand(query: wq.Query, text: str, glossary: Glossary, fieldname: str) -> tuple[wq.Query, list[Expansion]]:
    """``query`` with its glossary forms widened to their concepts, and what was added."""
    # What the query excludes is never searched as a translation of what it includes.
    excluded = frozenset(_terms_of(node) for node in _excluded(query))
    expander = _Expander(text, glossary, fieldname, excluded)
    return expander.walk(query), expander.expansions


class _Expander:
    """One query's expansion: the forms added so far, and how many more it may add."""

    def __init__(self, text: str, glossary: Glossary, fieldname: str, excluded: frozenset[tuple[str, ...]]) -> None:
        self.text = text
        self.glossary = glossary
        self.fieldname = fieldname
        self.excluded = excluded
        self.budget = MAX_FORMS
        self.expansions: list[Expansion] = []

    def walk(self, node: wq.Query) -> wq.Query:
        """``node`` with every run of words in it expanded."""
        if isinstance(node, wq.Not):
            return node  # what the query excludes is not translated
        if isinstance(node, wq.AndNot):
            return wq.AndNot(self.walk(node.a), node.b)
        if isinstance(node, wq.And):
            return wq.And(self._children(list(node.subqueries)), boost=node.boost)
        if _is_word(node, self.fieldname):
            return self._children([node])[0]
        if node.is_leaf():
            return node
        return node.apply(self.walk)

    def _children(self, children: list[wq.Query]) -> list[wq.Query]:
        """An AND's children: each run of words expanded together (a form may span words),
        the other children walked."""
        out: list[wq.Query] = []
        run: list[wq.Query] = []
        for child in children:
            if _is_word(child, self.fieldname):
                run.append(child)
                continue
            out += self._words(run)
            run = []
            out.append(self.walk(child))
        return out + self._words(run)

    def _words(self, words: list[wq.Query]) -> list[wq.Query]:
        """A run of words, each glossary form in it ORed with the other forms of its concepts."""
        if not words:
            return []
        tokens: list[str] = []
        owner: list[int] = []  # the word each token comes from
        boundaries = {0}
        for index, word in enumerate(words):
            found = list(word.words) if isinstance(word, wq.Phrase) else [word.text]
            tokens += found
            owner += [index] * len(found)
            boundaries.add(len(tokens))
        out: list[wq.Query] = []
        taken = 0
        for match in _group(self.glossary.find(tokens, frozenset(boundaries))):
            first, last = owner[match[0].start], owner[match[0].end - 1]
            out += words[taken:first]
            typed_words = words[first : last + 1]
            typed_query = typed_words[0] if len(typed_words) == 1 else wq.And(typed_words)
            matched_terms = tuple(tokens[match[0].start : match[0].end])
            alternatives: list[wq.Query | None] = []
            for item in match:
                alternatives += self._alternatives(item.concept, matched_terms, typed_words)
            searched = [alternative for alternative in alternatives if alternative is not None]
            out.append(wq.Or([typed_query, *searched]) if alternatives else typed_query)
            taken = last + 1
        return out + words[taken:]

    def _alternatives(
        self, concept: Concept, matched: tuple[str, ...], typed_words: list[wq.Query]
    ) -> list[wq.Query | None]:
        """The queries of the forms of ``concept`` other than the one ``matched`` (and those the
        query excludes), within what is left of the budget; the forms added are noted."""
        forms = [form for form in concept.forms if self._searchable(tuple(terms(form)), matched)]
        forms = forms[: min(MAX_FORMS_PER_CONCEPT, self.budget)]
        self.budget -= len(forms)
        queries = tuple(_form_query(form, self.fieldname) for form in forms)
        if forms:
            self.expansions.append(Expansion(_typed_text(typed_words, self.text), concept, tuple(forms), queries))
        return list(queries)

    def _searchable(self, form_terms: tuple[str, ...], matched: tuple[str, ...]) -> bool:
        """Whether a form (by its terms) is another name to search: not the one typed, nor one
        the query excludes."""
        return form_terms != matched and form_terms not in self.excluded


def _excluded(query: wq.Query):
    """The parts of ``query`` it excludes (NOT, a leading minus)."""
    if isinstance(query, wq.Not):
        yield query.query
    elif isinstance(query, wq.AndNot):
        yield query.b
        yield from _excluded(query.a)
    elif not query.is_leaf():
        for child in query.children():
            yield from _excluded(child)


def _terms_of(node: wq.Query) -> tuple[str, ...]:
    """The index terms a word or phrase of the query stands for."""
    if isinstance(node, wq.Phrase):
        return tuple(node.words)
    if isinstance(node, wq.Term):
        return (node.text,)
    return ()


def _group(matches):
    """Matches of the same run (one form of several concepts) together, in order."""
    groups: list[list] = []
    for match in matches:
        if groups and (groups[-1][0].start, groups[-1][0].end) == (match.start, match.end):
            groups[-1].append(match)
        else:
            groups.append([match])
    return groups


def _is_word(node: wq.Query, fieldname: str) -> bool:
    """A term or an exact phrase of the text field: what a glossary form can be made of."""
    if isinstance(node, wq.Phrase):
        return node.fieldname == fieldname and node.slop == 1
    return type(node) is wq.Term and node.fieldname == fieldname


def _form_query(form: str, fieldname: str) -> wq.Query | None:
    """The query for one form: a term, or the phrase of its terms."""
    return analysed_query(fieldname, form)


def _typed_text(words: list[wq.Query], text: str) -> str:
    """The part of the query the user typed for ``words``."""
    ranges = []
    for word in words:
        if isinstance(word, wq.Phrase) and word.char_ranges:
            ranges += [span for span in word.char_ranges if span[0] is not None]
        elif getattr(word, "startchar", None) is not None:
            ranges.append((word.startchar, word.endchar))
        else:  # a word the parser cut into several terms (人權) keeps no place: find it
            ranges += _locate(list(word.words) if isinstance(word, wq.Phrase) else [word.text], text)
    if not ranges:
        return " ".join(" ".join(word.words) if isinstance(word, wq.Phrase) else word.text for word in words)
    return text[min(start for start, _end in ranges) : max(end for _start, end in ranges)]


def _locate(wanted: list[str], text: str) -> list[tuple[int, int]]:
    """Where the terms ``wanted`` stand in a row in ``text``: the first and last token's span."""
    tokens = [(token.text, token.startchar, token.endchar) for token in ArchiveAnalyzer()(text, chars=True)]
    for index in range(len(tokens) - len(wanted) + 1):
        if [term for term, _start, _end in tokens[index : index + len(wanted)]] == wanted:
            return [(tokens[index][1], tokens[index + len(wanted) - 1][2])]
    return []
