"""The bilingual analyzer: text in any mix of English and Chinese scripts -> index terms.

Segmentation (``scripts``) finds the tokens and their offsets in the original string without
changing a character; ``tokens.index_form`` rewrites only a token's text: Chinese folded to one
script (``chinese``), other words case-folded and Latin letters stripped of accents (café ->
cafe, Müller -> muller), acronyms without their dots (U.S. -> us), stop words dropped unless
written in capitals off a heading, English stemmed (``english``). Positions count tokens and
skip a place at a boundary (``boundaries``: a blank line, a list item, punctuation between Han
characters), so no phrase spans it; a line break inside a paragraph is no boundary. Two
compositions of these same pieces:

- ``ArchiveAnalyzer()`` (``tokens``), Whoosh's analyzer (``ScriptTokenizer`` sets offsets and
  positions, ``FoldFilter`` changes text), used for queries; its classes live at module level
  because Whoosh pickles the analyzer with the schema;
- ``analyse(text)`` (``index_pass``), one pass over a document for the index: each term's
  positions and where each run of tokens starts, Han characters as arrays.
"""

from __future__ import annotations

from .index_pass import Analysed, analyse, positioned_terms, terms
from .scripts import MAX_WORD_LENGTH
from .tokens import GAP, ArchiveAnalyzer, FoldFilter, ScriptTokenizer, heading_stop_words, index_form

__all__ = [
    "GAP",
    "MAX_WORD_LENGTH",
    "Analysed",
    "ArchiveAnalyzer",
    "FoldFilter",
    "ScriptTokenizer",
    "analyse",
    "heading_stop_words",
    "index_form",
    "positioned_terms",
    "terms",
]
