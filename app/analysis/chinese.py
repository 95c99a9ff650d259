"""Fold Chinese to one written form, so that every script and regional variant meets.

Traditional, Hong Kong and Taiwan variants all fold to Simplified (人權 = 人权, 綫 = 線 = 线,
裏 = 裡 = 里). Folding goes character by character: a token is one character, and a
character-level mapping gives the same answer wherever the character stands, in a query or in
a document. OpenCC's phrase tables are used only to show a word in the other script.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import opencc

# Hong Kong and Taiwan variants first (綫, 啓, 裡), then the general Traditional table.
_FOLD_CONFIGS = ("hk2s", "tw2s", "t2s")
_DISPLAY_CONFIGS = ("s2t", "s2hk", "t2s")


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


class _FoldTable(dict):
    """Code point -> folded character, filled in as characters are met; ``str.translate``
    reads it at C speed once a character is known."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


# Every character folded so far, by character (FOLDED) and by code point (FOLD_TABLE).
FOLDED: dict[str, str] = {}
FOLD_TABLE = _FoldTable()


def fold_char(char: str) -> str:
    """Return the one form that ``char`` is searched as (Simplified, unified ideograph)."""
    folded = FOLDED.get(char)
    if folded is None:
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) != 1:  # ㈠ -> (一): a token keeps its one character
            folded = char
        for config in _FOLD_CONFIGS:
            converted = _converter(config).convert(folded)
            # A character-level table maps one character to one; keep the character where
            # a table would change the length.
            if len(converted) == len(folded):
                folded = converted
        FOLDED[char] = folded
    return folded


def fold(text: str) -> str:
    """Fold every character of ``text``; the result has the same length as ``text``."""
    return text.translate(FOLD_TABLE)


def script_variants(text: str) -> list[str]:
    """Return ``text`` as written in Simplified, Traditional and Hong Kong forms, without repeats."""
    forms = [text]
    for config in _DISPLAY_CONFIGS:
        converted = _converter(config).convert(text)
        if converted not in forms:
            forms.append(converted)
    return forms


def simplified(text: str) -> str:
    """``text`` as Simplified Chinese writes it, word by word (OpenCC's phrase table: for showing
    a name, never for searching)."""
    return _converter("t2s").convert(text)
