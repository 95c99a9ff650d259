"""Split text into runs and tokens by writing system, without changing a character.

Chinese (and Japanese kana) is written without spaces, so every Han character is a token of its
own and longer words are found as phrases; every other script is cut into words. The offsets
always index the original string, so ``text[start:end]`` is exactly what the document says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

HAN = "han"
WORD = "word"
SPACE = "space"
# Longer "words" are hashes, base64 blobs or runs of junk: not worth indexing.
MAX_WORD_LENGTH = 64

# CJK ideographs of every block (BMP, Extension A, compatibility, and the astral extensions B-H),
# plus kana, which is written without spaces like Han.
_HAN_RANGES = (
    "\u3005\u3007\u3021-\u3029\u3038-\u303b"
    "\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002ebef\U0002f800-\U0002fa1f\U00030000-\U000323af"
)
# A word character that is not Han and not "_": letters, digits and marks of every other script.
_WORD_CHAR = rf"[^\W_{_HAN_RANGES}]"
# A run of Han characters is matched whole (fewer matches to walk); each character of it is a token.
# An acronym written with dots (U.S., D.C., e.g.) is one word, its final dot included, unless
# more letters follow (a.b.com is not one): its term is written without the dots.
TOKEN_PATTERN = re.compile(
    rf"(?P<han>[{_HAN_RANGES}]+)"
    rf"|(?P<word>(?<!{_WORD_CHAR}\.)[A-Za-z](?:\.[A-Za-z])+\.?(?!\.?{_WORD_CHAR})"
    rf"|\d+(?:[.,]\d+)+|{_WORD_CHAR}+(?:['’]{_WORD_CHAR}+)*)"
)
_HAN_CHAR = re.compile(rf"[{_HAN_RANGES}]")


class Run(NamedTuple):
    """A stretch of text in one script: ``HAN``, ``WORD`` (any other script) or ``SPACE``."""

    kind: str
    start: int
    end: int


def token_length(text: str) -> int:
    """Length of the token ``text`` starts with (0 if it starts with no token)."""
    if not text:
        return 0
    if is_han(text[0]):
        return 1
    match = TOKEN_PATTERN.match(text)
    return match.end() if match else 0


def is_han(char: str) -> bool:
    """True when the character is a Han ideograph (or kana), written without spaces."""
    return _HAN_CHAR.match(char) is not None


def pieces(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield ``(kind, start, end)`` for each run of Han characters (every character of it a
    token) and each word of ``text``. Words longer than ``MAX_WORD_LENGTH`` (hashes, base64)
    are not tokens."""
    for match in TOKEN_PATTERN.finditer(text):
        start, end = match.span()
        if match.lastgroup == "han":
            yield HAN, start, end
        elif end - start <= MAX_WORD_LENGTH:
            yield WORD, start, end


def segments(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield ``(kind, start, end)`` for each token of ``text``: each Han character alone,
    every other word whole."""
    for kind, start, end in pieces(text):
        if kind == HAN:
            for offset in range(start, end):
                yield HAN, offset, offset + 1
        else:
            yield kind, start, end


def runs(text: str) -> Iterator[Run]:
    """Cut ``text`` into consecutive runs of one script; joined, they give back ``text``."""
    position = 0
    current_kind = None
    run_start = 0
    for kind, start, end in segments(text):
        if start > position:
            if current_kind is not None:
                yield Run(current_kind, run_start, position)
            yield Run(SPACE, position, start)
            current_kind, run_start = kind, start
        elif kind != current_kind:
            if current_kind is not None:
                yield Run(current_kind, run_start, position)
            current_kind, run_start = kind, start
        position = end
    if current_kind is not None:
        yield Run(current_kind, run_start, position)
    if position < len(text):
        yield Run(SPACE, position, len(text))
