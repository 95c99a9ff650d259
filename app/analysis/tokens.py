"""The analyzer in Whoosh's protocol: ``ScriptTokenizer`` sets offsets and positions,
``FoldFilter`` changes only each token's text. Used for queries (and by Whoosh's own indexing of
the same text, in the tests that pin our index to Whoosh's)."""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer

from .chinese import FOLDED, fold, fold_char
from .english import STOP_WORDS, normalise, stem
from .scripts import HAN, breaks, segments

# Positions skipped where punctuation or a line break stands between two tokens, so that no
# phrase spans it (as Lucene leaves a gap between the values of a field).
GAP = 1


def index_form(kind: str, text: str) -> str | None:
    """The term a token of ``kind`` is indexed and searched under; None for a stop word."""
    if kind == HAN:
        return FOLDED.get(text) or fold_char(text)
    word = normalise(text)
    return None if word in STOP_WORDS else stem(word)


class ScriptTokenizer(Tokenizer):
    """Yield each Han character and each word of other scripts, with offsets and positions.

    Positions count tokens, and skip ``GAP`` where the tokens are apart (``scripts.breaks``);
    each token says so in ``token.gap``.
    """

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
        token.gap = False
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
        pos = start_pos
        previous_end, previous_kind = None, None
        for kind, start, end in segments(value):
            token.gap = previous_end is not None and breaks(value[previous_end:start], kind == previous_kind == HAN)
            if previous_end is not None:
                pos += 1 + (GAP if token.gap else 0)
            token.kind = kind
            token.text = value[start:end]
            if keeporiginal:
                token.original = token.text
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            previous_end, previous_kind = end, kind
            yield token


class FoldFilter(Filter):
    """Rewrite each token's text to its ``index_form``.

    Positions are renumbered over the tokens that remain, so a phrase matches across a dropped
    stop word: "freedom of peaceful assembly" is the phrase freedom-peaceful-assembl in the
    query and in the text alike; a gap before a dropped word stays before the next one.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        """The same tokens with their index text; stop words dropped unless ``removestops`` is off."""
        next_pos = None
        pending_gap = emitted = False
        for token in tokens:
            if next_pos is None and token.positions:
                next_pos = token.pos  # the caller's start_pos
            if token.kind is None:  # a whole value (a wildcard pattern): fold it, do not stem it
                token.text = normalise(fold(token.text))
            else:
                pending_gap = pending_gap or getattr(token, "gap", False)
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
                if pending_gap and emitted:
                    next_pos += GAP
                token.pos = next_pos
                next_pos += 1
            pending_gap = False
            emitted = True
            yield token


def ArchiveAnalyzer() -> CompositeAnalyzer:  # noqa: N802 - named like Whoosh's analyzers
    """The analyzer for queries (and anything else that speaks Whoosh's protocol)."""
    return ScriptTokenizer() | FoldFilter()
