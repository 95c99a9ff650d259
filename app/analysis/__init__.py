"""The bilingual analyzer: text in any mix of English and Chinese scripts -> index terms.

``ScriptTokenizer`` cuts the text (each Han character alone, other scripts into words) and sets
offsets into the original string; ``FoldFilter`` rewrites only each token's text: Chinese folded
to one script, other words case-folded, stop words dropped, English stemmed. The classes live at
module level because Whoosh pickles the analyzer with the schema.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer

from .chinese import fold, fold_char
from .english import STOP_WORDS, normalise, stem
from .scripts import TOKEN_PATTERN

# Longer "words" are base64 blobs, hashes or runs of punctuation-free junk: not worth indexing.
MAX_WORD_LENGTH = 64


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
        if not tokenize:
            # Whoosh asks for the value as one token (wildcards, prefixes): keep it whole.
            token.whole = True
            token.han = False
            token.original = token.text = value
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        token.whole = False
        pos = start_pos
        for match in TOKEN_PATTERN.finditer(value):
            start, end = match.span()
            if end - start > MAX_WORD_LENGTH:
                continue
            token.text = match.group()
            token.han = match.lastgroup == "han"
            token.stopped = False
            if keeporiginal:
                token.original = token.text
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


class FoldFilter(Filter):
    """Rewrite each token's text to the form it is indexed and searched under.

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
            if token.han:
                token.text = fold_char(token.text)
            elif token.whole:
                token.text = normalise(fold(token.text))
            else:
                word = normalise(token.text)
                if word in STOP_WORDS:
                    if token.removestops:
                        continue
                    token.stopped = True
                    token.text = word
                    yield token
                    continue
                token.text = stem(word)
            if token.positions:
                token.pos = next_pos
                next_pos += 1
            yield token


def ArchiveAnalyzer() -> CompositeAnalyzer:  # noqa: N802 - named like Whoosh's analyzers
    """The analyzer for indexed text and queries alike."""
    return ScriptTokenizer() | FoldFilter()


def terms(text: str) -> list[str]:
    """The index terms of ``text``, in order: a convenience for tests and the glossary."""
    return [token.text for token in ArchiveAnalyzer()(text)]
