"""The bilingual analyzer: text in any mix of English and Chinese scripts -> index terms.

Segmentation (``scripts.segments``) finds the tokens and their offsets in the original string;
``index_form`` rewrites only a token's text: Chinese folded to one script, other words
case-folded, stop words dropped, English stemmed. Two compositions of these same pieces:

- ``ArchiveAnalyzer()``, Whoosh's analyzer (``ScriptTokenizer`` sets offsets, ``FoldFilter``
  changes text), used for queries; its classes live at module level because Whoosh pickles
  the analyzer with the schema;
- ``analyse(text)``, one pass over a document for the index: each term's positions and each
  token's start offset, without Whoosh's token objects.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from operator import add

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer

from .chinese import FOLDED, fold, fold_char
from .english import STOP_WORDS, normalise, stem
from .scripts import HAN, MAX_WORD_LENGTH, pieces, segments

__all__ = [
    "MAX_WORD_LENGTH",
    "Analysed",
    "ArchiveAnalyzer",
    "FoldFilter",
    "ScriptTokenizer",
    "analyse",
    "index_form",
    "terms",
]


def index_form(kind: str, text: str) -> str | None:
    """The term a token of ``kind`` is indexed and searched under; None for a stop word."""
    if kind == HAN:
        return FOLDED.get(text) or fold_char(text)
    word = normalise(text)
    return None if word in STOP_WORDS else stem(word)


class ScriptTokenizer(Tokenizer):
    """Yield each Han character and each word of other scripts, with offsets and positions."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        """Tokens of ``value``; the arguments are Whoosh's tokenizer protocol."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        if not tokenize:
            # Whoosh asks for the value as one token (wildcards, prefixes): keep it whole.
            token.kind = None
            token.original = token.text = value
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for pos, (kind, start, end) in enumerate(segments(value), start_pos):
            token.kind = kind
            token.text = value[start:end]
            if keeporiginal:
                token.original = token.text
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


class FoldFilter(Filter):
    """Rewrite each token's text to its ``index_form``.

    Positions are renumbered over the tokens that remain, so a phrase matches across a dropped
    stop word: "freedom of peaceful assembly" is the phrase freedom-peaceful-assembl in the
    query and in the text alike.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        """The same tokens with their index text; stop words dropped unless ``removestops`` is off."""
        next_pos = None
        for token in tokens:
            if next_pos is None and token.positions:
                next_pos = token.pos  # the caller's start_pos
            if token.kind is None:  # a whole value (a wildcard pattern): fold it, do not stem it
                token.text = normalise(fold(token.text))
            else:
                term = index_form(token.kind, token.text)
                if term is None:
                    if token.removestops:
                        continue
                    token.stopped = True
                    token.text = normalise(token.text)
                    yield token
                    token.stopped = False
                    continue
                token.text = term
            if token.positions:
                token.pos = next_pos
                next_pos += 1
            yield token


def ArchiveAnalyzer() -> CompositeAnalyzer:  # noqa: N802 - named like Whoosh's analyzers
    """The analyzer for queries (and anything else that speaks Whoosh's protocol)."""
    return ScriptTokenizer() | FoldFilter()


@dataclass
class Analysed:
    """A text analysed once for the index: the positions of each term, the character offset
    where the token at each position starts (``starts[pos]``), and how often each pair of
    adjacent Han characters (as folded) occurs."""

    positions: dict[str, list[int]]
    starts: list[int]
    pairs: Counter[str]


def analyse(text: str) -> Analysed:
    """Analyse ``text`` in one pass, for the index and for highlighting without analysing again.

    Each run of Han characters is folded whole (``fold``, a C-speed translation): the same
    ``index_form`` as the query analyzer's, character by character.
    """
    positions: dict[str, list[int]] = {}
    starts: list[int] = []
    pairs: Counter[str] = Counter()
    get = positions.get
    for kind, start, end in pieces(text):
        if kind == HAN:
            folded = fold(text[start:end])
            if len(folded) > 1:
                pairs.update(map(add, folded, folded[1:]))
            tokens = zip(folded, range(start, end), strict=True)
        else:
            term = index_form(kind, text[start:end])
            if term is None:
                continue
            tokens = ((term, start),)
        for term, offset in tokens:
            found = get(term)
            if found is None:
                positions[term] = [len(starts)]
            else:
                found.append(len(starts))
            starts.append(offset)
    return Analysed(positions, starts, pairs)


def terms(text: str) -> list[str]:
    """The index terms of ``text``, in order."""
    analysed = analyse(text)
    ordered = [""] * len(analysed.starts)
    for term, found in analysed.positions.items():
        for pos in found:
            ordered[pos] = term
    return ordered
