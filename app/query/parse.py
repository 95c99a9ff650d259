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
from whoosh.fields import TEXT, Schema

from ..analysis import heading_stop_words, positioned_terms
from ..index.schema import CONTENT
from ..messages import english
from . import patterns
from .nodes import FIELD_ALIASES, FIELDS, TEXT_FIELDS, ExactPhrase, Near, analysed_query, in_every_script, typed_as


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


class _Parser(qparser.QueryParser):
    """Whoosh's parser, making a word that analyses into several terms (人權, Hong-Kong, 人，有權)
    the phrase of those terms at the distances the analysis puts them."""

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True):
        """A term; a phrase with offsets where ``text`` analyses into several terms."""
        if tokenize and fieldname in TEXT_FIELDS and termclass is wq.Term:
            found = analysed_query(fieldname, text, boost)
            if isinstance(found, ExactPhrase):
                return in_every_script(typed_as(found, text), text, fieldname, boost)
        return typed_as(super().term_query(fieldname, text, termclass, boost, tokenize, removestops), text)


def parser(schema) -> qparser.QueryParser:
    """The query parser over ``schema``'s text field."""
    plugins = [
        qparser.FieldsPlugin(),
        qparser.WildcardPlugin(),
        qparser.PhrasePlugin(),
        qparser.GroupPlugin(),
        qparser.OperatorsPlugin(),
        # + and - are operators only at the start of a word: pro-democracy is one word, 35+ another.
        qparser.PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-"),
    ]
    return _Parser(CONTENT, _with_fields(schema), plugins=plugins, phraseclass=ExactPhrase)


def _with_fields(schema) -> Schema:
    """``schema`` and the fields a query may name: the parser analyses their words as it does
    the content's; the index holds no postings of them (a part is found by its positions)."""
    fields = dict(schema.items())
    analyzer = fields[CONTENT].analyzer
    for name in (*FIELDS, *FIELD_ALIASES):
        fields.setdefault(name, TEXT(analyzer=analyzer, phrase=True, multitoken_query="phrase"))
    return Schema(**fields)


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
    text = _heading_stops_lowered(near_operators(text))
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
    人權" skips a place at its comma, as the text it should find does), and in every script; a
    phrase with a distance (``"a b"~5``) as the ``Near`` of its parts."""
    if isinstance(query, ExactPhrase):
        ranges = query.char_ranges or []
        if len(ranges) == len(query.words) > 1 and all(start is not None for start, _end in ranges):
            typed = text[min(start for start, _e in ranges) : max(end for _s, end in ranges)]
            if query.slop > 1:
                return _near(typed, query.slop, query.fieldname, query.boost)
            typed_as(query, typed)
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


def _near(typed: str, distance: int, fieldname: str, boost: float) -> wq.Query:
    """The parts of ``typed`` apart by spaces (a word, a Chinese run, a hyphenated word), each
    as exact as a phrase and in every script, within ``distance`` of each other; a single part
    is its phrase."""
    parts = []
    for part in typed.split():
        found = in_every_script(typed_as(analysed_query(fieldname, part), part), part, fieldname)
        if found is not None:
            parts.append(found)
    if len(parts) == 1:
        return parts[0]
    return Near(parts, distance, boost, fieldname) if parts else wq.NullQuery


# ``a NEAR/5 b`` and ``"a b" NEAR/5 c``: nearness between two words or quoted phrases, written as
# the quoted phrase with a distance that the parser reads.
_NEAR = re.compile(r'("[^"]*"|[^\s()"]+)\s+NEAR/(\d{1,3})\s+("[^"]*"|[^\s()"]+)')


def near_operators(text: str) -> str:
    """``text`` with each ``a NEAR/n b`` written as ``"a b"~n``."""

    def quoted(match: re.Match) -> str:
        first, second = (match.group(number).strip('"') for number in (1, 3))
        return f'"{first} {second}"~{max(1, int(match.group(2)))}'

    return _NEAR.sub(quoted, text)


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
