"""Spelling suggestions: English words no document holds, replaced by the closest that one does."""

from __future__ import annotations

from whoosh import query as wq

from ..analysis.english import normalise, stem
from ..analysis.scripts import MAX_WORD_LENGTH, token_length
from ..highlight.units import positive_leaves
from ..index.schema import CONTENT


def suggestion(generation, text: str, query: wq.Query) -> str | None:
    """The query with each English word the index does not hold replaced by the closest word
    it does hold (spelled as a document spells it), or None."""
    replacements = []
    for start, end, word in _unknown_words(generation, text, query):
        better = _closest_word(generation, normalise(word))
        if better and better != normalise(word):
            replacements.append((start, end, better))
    if not replacements:
        return None
    suggested = text
    for start, end, better in sorted(replacements, reverse=True):
        suggested = suggested[:start] + better + suggested[end:]
    return suggested


def _unknown_words(generation, text: str, query: wq.Query) -> list[tuple[int, int, str]]:
    """(start, end, word) of each English word the query looks for that no document holds."""
    reader = generation.searcher.reader()
    unknown = []
    for node in positive_leaves(query):
        if not isinstance(node, wq.Term) or node.fieldname != CONTENT or getattr(node, "startchar", None) is None:
            continue
        word = text[node.startchar : node.endchar]
        if word.isascii() and word.isalpha() and len(word) > 2 and reader.doc_frequency(CONTENT, node.text) == 0:
            unknown.append((node.startchar, node.endchar, word))
    return unknown


def _closest_word(generation, word: str) -> str | None:
    reader = generation.searcher.reader()
    target = stem(word)
    best = None
    for distance in (1, 2):
        candidates = [term for term in reader.terms_within(CONTENT, target, distance, prefix=1) if term.isalpha()]
        if candidates:
            best = max(candidates, key=lambda term: (reader.doc_frequency(CONTENT, term), term))
            break
    if best is None:
        return None
    return _surface_form(generation, best)


def _surface_form(generation, term: str) -> str | None:
    """How the first document holding ``term`` writes it ("extradit" -> "extradition")."""
    reader = generation.searcher.reader()
    matcher = reader.postings(CONTENT, term)
    if not matcher.is_active():
        return None
    document = generation.document(matcher.id())
    start = document.offsets[matcher.value_as("positions")[0]]
    window = document.content(start, start + MAX_WORD_LENGTH + 1)
    return normalise(window[: token_length(window)])
