"""Reading a query: Whoosh's query language, trimmed to what a reader of an archive needs.

Words (all must match), "quoted phrases", OR, NOT or a leading minus, parentheses, and a
trailing * for prefixes. Chinese needs no spaces: a run of Chinese characters is searched as that
exact sequence. Every refusal is a ``QueryError`` whose message says what to change.
"""

from __future__ import annotations

from whoosh import qparser
from whoosh import query as wq

from ..index.schema import CONTENT
from . import patterns
from .phrase import ExactPhrase


class QueryError(ValueError):
    """The request cannot be searched as given; the message says what to change."""

    status = 400


def parser(schema) -> qparser.QueryParser:
    """The query parser over ``schema``'s text field."""
    plugins = [
        qparser.WildcardPlugin(),
        qparser.PhrasePlugin(),
        qparser.GroupPlugin(),
        qparser.OperatorsPlugin(),
        qparser.PlusMinusPlugin(),
    ]
    return qparser.QueryParser(CONTENT, schema, plugins=plugins, phraseclass=ExactPhrase)


def clean_query(text: str, max_chars: int) -> str:
    """The query with control characters removed; ``QueryError`` when empty or too long."""
    cleaned = "".join(char if char >= " " or char in "\t\n" else " " for char in text)
    cleaned = cleaned.replace("\ufffd", " ").strip()
    if len(cleaned) > max_chars:
        raise QueryError(f"The query is {len(cleaned)} characters long; the limit is {max_chars}. Shorten it.")
    if not cleaned:
        raise QueryError("The query is empty: type a word or a phrase to search for.")
    return cleaned


def parse(reader, text: str, max_terms: int) -> wq.Query:
    """The Whoosh query for ``text`` over the index ``reader`` reads; ``QueryError`` when
    nothing in it can be searched or a pattern expands too far."""
    try:
        query = parser(reader.schema).parse(text)
    except Exception as error:  # Whoosh's parser raises bare exceptions on odd syntax
        raise QueryError(f"The query could not be read ({error}). Check its quotes and brackets.") from None
    query = query.normalize()
    if query is wq.NullQuery or isinstance(query, wq.NullQuery.__class__):
        raise QueryError(
            "Nothing in the query can be searched: common words such as 'the' and 'of' are not "
            "indexed on their own. Add a more specific word."
        )
    if _only_negative(query):
        raise QueryError("The query only excludes words: add at least one word to search for.")
    for node in query.leaves():
        if patterns.is_pattern(node):
            try:
                patterns.check(node, reader, max_terms)
            except patterns.PatternError as error:
                raise QueryError(str(error)) from None
    return query


def _only_negative(query: wq.Query) -> bool:
    if isinstance(query, wq.Not):
        return True
    if isinstance(query, wq.And | wq.Or):
        return all(_only_negative(child) for child in query.children())
    return False
