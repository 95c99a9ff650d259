"""The analyzer in Whoosh's protocol: ``ScriptTokenizer`` sets offsets and positions,
``FoldFilter`` changes only each token's text. Used for queries (and by Whoosh's own indexing of
the same text, in the tests that pin our index to Whoosh's)."""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer

from .boundaries import hyphenated, joined_word, placed
from .chinese import FOLDED, fold, fold_char
from .english import STOP_WORDS, CapitalLines, in_capitals, normalise, stem
from .scripts import HAN, TOKEN_PATTERN, WORD, is_han, token_length

# Positions skipped at a boundary (``boundaries``: a blank line, a list item, punctuation
# between Han characters), so that no phrase spans it (as Lucene leaves a gap between the values
# of a field).
GAP = 1


def index_form(kind: str, text: str, heading: bool = False) -> str | None:
    """The term a token of ``kind`` is indexed and searched under; None for a stop word.

    An acronym loses its dots (U.S. -> us, D.C. -> dc). A stop word written in capitals, two
    letters or more (IT, U.S.), is a word and not a stop word, unless it stands on a
    ``heading`` line, a line in capitals (``english.CapitalLines``: THE UNIVERSAL DECLARATION OF
    HUMAN RIGHTS drops THE and OF as the same words in lowercase drop them, so a phrase typed
    in lowercase finds it). A query is a line of its own: ``IT`` searches it, and ``THE IT
    DEPARTMENT`` searches department alone, as a heading in capitals would be indexed.
    """
    if kind == HAN:
        return FOLDED.get(text) or fold_char(text)
    if "." in text and not text[0].isdigit():
        text = text.replace(".", "")
    word = normalise(text)
    if word in STOP_WORDS and (heading or not in_capitals(text)):
        return None
    return stem(word)


def heading_stop_words(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a stop word in capitals on a line in capitals (``index_form``): what
    a query read word by word drops, as the analysis of the whole line drops it."""
    lines = CapitalLines(text)
    return [
        (start, end)
        for kind, start, end, _gap, _joined in placed(text)
        if kind == WORD
        and on_heading(lines, text[start:end], start)
        and index_form(kind, text[start:end], True) is None
    ]


def matched_length(window: str, term: str) -> int:
    """The length of the token ``window`` starts with; when that token begins a word
    hyphenated at a line end whose whole form is ``term``, the length of the whole word
    (hu-⏎man, matched by human)."""
    length = token_length(window)
    if not length or is_han(window[0]) or index_form(WORD, window[:length]) == term:
        return length
    following = TOKEN_PATTERN.search(window, length)
    if following is None or following.lastgroup != WORD or not hyphenated(window, length, following.start()):
        return length
    whole = (0, length, following.start(), following.end())
    return following.end() if index_form(WORD, joined_word(window, whole)) == term else length


def on_heading(lines: CapitalLines, written: str, start: int) -> bool:
    """True when the word ``written`` at ``start`` is in capitals on a line in capitals."""
    return in_capitals(written) and lines.at(start)


class ScriptTokenizer(Tokenizer):
    """Yield each Han character and each word of other scripts, with offsets and positions.

    Positions count tokens, and skip ``GAP`` at a boundary (``boundaries``); each token says
    so in ``token.gap``. A word hyphenated at a line end is also yielded whole after each of its
    parts, at the part's position (``token.overlap``), spanning both parts; ``token.heading``
    says whether a word stands in capitals on a line in capitals.
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
        token.gap = token.overlap = token.heading = False
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
        lines = CapitalLines(value)
        pos = start_pos - 1
        for kind, start, end, gap, joined in placed(value):
            token.kind = kind
            token.overlap = False
            for first, last in _tokens_of(kind, start, end):
                pos += 1 + (GAP if gap else 0)
                token.gap, gap = gap, False
                token.text = value[first:last]
                token.heading = kind == WORD and on_heading(lines, token.text, first)
                _place(token, pos, first, last, value, keeporiginal, start_char)
                yield token
            if joined is not None:
                token.overlap, token.gap = True, False
                token.text = joined_word(value, joined)
                token.heading = on_heading(lines, token.text, joined[0])
                _place(token, pos, joined[0], joined[3], value, keeporiginal, start_char)
                yield token


def _tokens_of(kind: str, start: int, end: int):
    """The tokens of a piece: each character of a run of Han characters, a word whole."""
    if kind == HAN:
        return ((offset, offset + 1) for offset in range(start, end))
    return ((start, end),)


def _place(token: Token, pos: int, start: int, end: int, value: str, keeporiginal: bool, start_char: int) -> None:
    if keeporiginal:
        token.original = value[start:end]
    if token.positions:
        token.pos = pos
    if token.chars:
        token.startchar, token.endchar = start_char + start, start_char + end


class FoldFilter(Filter):
    """Rewrite each token's text to its ``index_form``.

    Positions are renumbered over the tokens that remain, so a phrase matches across a dropped
    stop word: "freedom of peaceful assembly" is the phrase freedom-peaceful-assembl in the
    query and in the text alike; a gap before a dropped word stays before the next one. A
    hyphenated word's whole form (``token.overlap``) takes the position of the part before it,
    or that part's place when the part was dropped; it is left out when it is the part's term.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        """The same tokens with their index text; stop words dropped unless ``removestops`` is off."""
        next_pos = None
        pending_gap = emitted = False
        part = None  # the term of the last part yielded (None: dropped), for the whole word after it
        for token in tokens:
            if next_pos is None and token.positions:
                next_pos = token.pos  # the caller's start_pos
            if token.kind is None:  # a whole value (a wildcard pattern): fold it, do not stem it
                token.text = normalise(fold(token.text))
            else:
                overlap = getattr(token, "overlap", False)
                pending_gap = pending_gap or getattr(token, "gap", False)
                term = index_form(token.kind, token.text, getattr(token, "heading", False))
                if overlap and part is not None:
                    if term is not None and term != part:
                        token.text = term
                        if token.positions:
                            token.pos = next_pos - 1
                        yield token
                    continue
                if not overlap:
                    part = term
                if term is None:
                    if overlap or token.removestops:
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
