"""Spelling suggestions: English words no document holds, replaced by the closest that one does."""

from __future__ import annotations

from whoosh import query as wq
from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton

from ..analysis.english import normalise, stem
from ..analysis.scripts import MAX_WORD_LENGTH, token_length
from ..highlight.units import positive_leaves
from ..index.schema import CONTENT
from ..query.evaluate import PostingsReader

_LAST = "\U0010ffff"


def suggestion(generation, postings: PostingsReader, text: str, query: wq.Query) -> str | None:
    """The query with each English word the index does not hold replaced by the closest word
    it does hold (spelled as a document spells it), or None."""
    replacements = []
    for start, end, word in _unknown_words(postings, text, query):
        better = _closest_word(generation, postings, normalise(word))
        if better and better != normalise(word):
            replacements.append((start, end, better))
    if not replacements:
        return None
    suggested = text
    for start, end, better in sorted(replacements, reverse=True):
        suggested = suggested[:start] + better + suggested[end:]
    return suggested


def _unknown_words(postings: PostingsReader, text: str, query: wq.Query) -> list[tuple[int, int, str]]:
    """(start, end, word) of each English word the query looks for that no document holds."""
    unknown = []
    for node in positive_leaves(query):
        if not isinstance(node, wq.Term) or node.fieldname != CONTENT or getattr(node, "startchar", None) is None:
            continue
        word = text[node.startchar : node.endchar]
        if word.isascii() and word.isalpha() and len(word) > 2 and not postings(node.text).keys.size:
            unknown.append((node.startchar, node.endchar, word))
    return unknown


def _closest_word(generation, postings: PostingsReader, word: str) -> str | None:
    target = stem(word)
    terms = generation.terms

    def first_from(start: str) -> str | None:
        found = terms.words(start, _LAST, 1)
        return found[0] if found else None

    best = None
    for distance in (1, 2):
        automaton = levenshtein_automaton(target, distance, prefix=1).to_dfa()
        candidates = [term for term in find_all_matches(automaton, first_from) if term.isalpha()]
        candidates = [term for term in candidates if postings(term).keys.size]
        if candidates:
            best = max(candidates, key=lambda term: (postings(term).keys.size, term))
            break
    if best is None:
        return None
    return _surface_form(generation, postings, best)


def _surface_form(generation, postings: PostingsReader, term: str) -> str | None:
    """How the first document holding ``term`` writes it ("extradit" -> "extradition")."""
    found = postings(term)
    if not found.keys.size:
        return None
    key = found.keys[:1]
    _owners, positions = generation.terms.positions_from_postings(found, key)
    document = generation.document(int(key[0]))
    start = document.offsets[int(positions[0])]
    window = document.content(start, start + MAX_WORD_LENGTH + 1)
    written = window[: token_length(window)].lower()  # accents kept: café, not cafe
    return written[:-2] if written.endswith(("'s", "’s")) else written
