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
TOKEN_PATTERN = re.compile(
    rf"(?P<han>[{_HAN_RANGES}])"
    rf"|(?P<word>\d+(?:[.,]\d+)+|{_WORD_CHAR}+(?:['’]{_WORD_CHAR}+)*)"
)
_HAN_CHAR = re.compile(rf"[{_HAN_RANGES}]")


class Segment(NamedTuple):
    """One token found in a text: its kind (``HAN`` or ``WORD``) and where it lies."""

    kind: str
    start: int
    end: int


class Run(NamedTuple):
    """A stretch of text in one script: ``HAN``, ``WORD`` (any other script) or ``SPACE``."""

    kind: str
    start: int
    end: int


def is_han(char: str) -> bool:
    """True when the character is a Han ideograph (or kana), written without spaces."""
    return _HAN_CHAR.match(char) is not None


def segments(text: str) -> Iterator[Segment]:
    """Yield the tokens of ``text``: each Han character alone, every other word whole."""
    for match in TOKEN_PATTERN.finditer(text):
        yield Segment(HAN if match.lastgroup == "han" else WORD, match.start(), match.end())


def runs(text: str) -> Iterator[Run]:
    """Cut ``text`` into consecutive runs of one script; joined, they give back ``text``."""
    position = 0
    current_kind = None
    run_start = 0
    for segment in segments(text):
        if segment.start > position:
            if current_kind is not None:
                yield Run(current_kind, run_start, position)
            yield Run(SPACE, position, segment.start)
            current_kind, run_start = segment.kind, segment.start
        elif segment.kind != current_kind:
            if current_kind is not None:
                yield Run(current_kind, run_start, position)
            current_kind, run_start = segment.kind, segment.start
        position = segment.end
    if current_kind is not None:
        yield Run(current_kind, run_start, position)
    if position < len(text):
        yield Run(SPACE, position, len(text))
