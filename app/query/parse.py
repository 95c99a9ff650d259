"""Reading a query: Whoosh's query language, trimmed to what a reader of an archive needs.

Words (all must match), "quoted phrases", OR, NOT or a leading minus, parentheses, and a
trailing * for prefixes. Chinese needs no spaces: a run of Chinese characters is searched as that
exact sequence. Every refusal is a ``QueryError`` whose message says what to change.
"""

from __future__ import annotations

import re
import threading
import time

from whoosh import qparser
from whoosh import query as wq

from ..analysis import heading_stop_words, positioned_terms
from ..analysis.chinese import script_variants
from ..analysis.scripts import is_han
from ..index.schema import CONTENT
from ..messages import english
from . import patterns


class QueryError(ValueError):
    """The request cannot be searched as given; the message says what to change.

    ``key`` names the message of ``app/messages.py`` and ``params`` holds its values, so an
    interface can say the same in another language; ``str(error)`` is its English, in which the
    parameter ``name`` is called ``shown`` when given (a command-line option, ``--lang``).
    """

    status = 400

    def __init__(self, key: str, *, shown: str | None = None, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(english(key, {**params, "name": shown} if shown else params))


class SearchTimeout(QueryError):
    """The search would take longer than it may; it was cut."""

    status = 503


class Deadline:
    """When a search must be over: ``check`` raises ``SearchTimeout`` once it is past."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.at = None if seconds is None else time.monotonic() + seconds

    def check(self) -> None:
        """Raise ``SearchTimeout`` when the search has taken all its time."""
        if self.at is not None and time.monotonic() > self.at:
            raise SearchTimeout(
                "search_timeout",
                seconds=f"{self.seconds:g}",
            )


NO_DEADLINE = Deadline(None)


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
        return found


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


class _Parser(qparser.QueryParser):
    """Whoosh's parser, making a word that analyses into several terms (人權, Hong-Kong, 人，有權)
    the phrase of those terms at the distances the analysis puts them."""

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True):
        """A term; a phrase with offsets where ``text`` analyses into several terms."""
        if tokenize and fieldname == CONTENT and termclass is wq.Term:
            found = analysed_query(fieldname, text, boost)
            if isinstance(found, ExactPhrase):
                return in_every_script(found, text, fieldname, boost)
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


def parser(schema) -> qparser.QueryParser:
    """The query parser over ``schema``'s text field."""
    plugins = [
        qparser.WildcardPlugin(),
        qparser.PhrasePlugin(),
        qparser.GroupPlugin(),
        qparser.OperatorsPlugin(),
        # + and - are operators only at the start of a word: pro-democracy is one word, 35+ another.
        qparser.PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-"),
    ]
    return _Parser(CONTENT, schema, plugins=plugins, phraseclass=ExactPhrase)


def clean_query(text: str, max_chars: int) -> str:
    """The query with control characters removed; ``QueryError`` when empty or too long."""
    cleaned = "".join(char if char >= " " or char in "\t\n" else " " for char in text)
    cleaned = cleaned.replace("\ufffd", " ").strip()
    if len(cleaned) > max_chars:
        raise QueryError("query_too_long", length=len(cleaned), limit=max_chars)
    if not cleaned:
        raise QueryError("query_empty")
    return cleaned


def parse(generation, text: str, max_terms: int) -> wq.Query:
    """The Whoosh query for ``text`` over ``generation``; ``QueryError`` when nothing in it can
    be searched or a pattern expands too far."""
    text = _heading_stops_lowered(text)
    try:
        with _PARSING:
            query = _parser(generation).parse(text)
    except Exception:  # Whoosh's parser raises bare exceptions on odd syntax, whose words mean nothing to a reader
        raise QueryError("query_unreadable") from None
    query = _with_offsets(query.normalize(), text)
    if _only_negative(query) or (_is_null(query) and _excludes_something(generation, text)):
        raise QueryError("query_only_excludes")
    if _is_null(query) and not any(char.isalnum() for char in text):
        raise QueryError("query_no_words")
    if _is_null(query):
        raise QueryError("query_only_common_words")
    for node in query.leaves():
        if patterns.is_pattern(node):
            try:
                patterns.check(node, generation.terms, max_terms)
            except patterns.PatternError as error:
                raise QueryError(error.key, **error.params) from None
    return query


# Whoosh's operators: in a query written in capitals they are still operators.
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})


def _heading_stops_lowered(text: str) -> str:
    """``text`` with the stop words it writes in capitals lowered where the query is written in
    capitals (THE RIGHT OF ASSEMBLY), as a heading in capitals is analysed: the parser analyses
    each word alone, and alone IT is a word."""
    for start, end in heading_stop_words(text):
        if text[start:end] not in _OPERATORS:
            text = text[:start] + text[start:end].lower() + text[end:]
    return text


# Whoosh's parser is one object per generation; threads take turns (parsing takes a millisecond).
_PARSING = threading.Lock()


def _parser(generation) -> qparser.QueryParser:
    return generation.memo("parser", lambda: parser(generation.index.schema))


def _with_offsets(query: wq.Query, text: str) -> wq.Query:
    """Quoted phrases with the distances between their words as the analysis puts them ("香港，
    人權" skips a place at its comma, as the text it should find does), and in every script."""
    if isinstance(query, ExactPhrase):
        ranges = query.char_ranges or []
        if len(ranges) == len(query.words) > 1 and all(start is not None for start, _end in ranges):
            typed = text[min(start for start, _e in ranges) : max(end for _s, end in ranges)]
            found = positioned_terms(typed)
            # The same terms, in the order of their positions (a hyphenated word's whole form
            # shares its part's position).
            if sorted(term for _p, term in found) == sorted(query.words):
                query.words = [term for _p, term in found]
                query.offsets = [p - found[0][0] for p, _t in found]
            return in_every_script(query, typed, query.fieldname, query.boost)
        return query
    if query.is_leaf():
        return query
    return query.apply(lambda child: _with_offsets(child, text))


def _is_null(query: wq.Query) -> bool:
    return query is wq.NullQuery or isinstance(query, wq.NullQuery.__class__)


_EXCLUSION = re.compile(r"(?:(?<=\s)|^)-(?=\S)|\bNOT\b")


def _excludes_something(generation, text: str) -> bool:
    """True when ``text`` searches nothing only because what it holds is excluded: ``-torture``
    (which the parser drops whole) is a query that only excludes, like ``NOT torture``."""
    if not _EXCLUSION.search(text):
        return False
    try:
        with _PARSING:
            kept = _parser(generation).parse(_EXCLUSION.sub(" ", text)).normalize()
    except Exception:  # an odd query the plain parse reports anyway
        return False
    return not _is_null(kept)


def _only_negative(query: wq.Query) -> bool:
    if isinstance(query, wq.Not):
        return True
    if isinstance(query, wq.And | wq.Or):
        return all(_only_negative(child) for child in query.children())
    return False
