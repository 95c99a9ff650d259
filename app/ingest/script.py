"""Which Chinese script a text is written in: the share of its script-specific characters that
are Simplified. Used to label documents zh-Hans or zh-Hant (search folds both scripts alike)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache

import opencc

# Han ideographs: the BMP blocks, the compatibility block and the astral extensions.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af]")
# A character that one of these changes is written only in Traditional (or a regional variant).
_TO_SIMPLIFIED = ("hk2s", "tw2s", "t2s")


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@cache
def script_of(char: str) -> str:
    """ "T" for a character written only in Traditional, "S" only in Simplified, "" for either."""
    if not HAN.match(char):
        return ""
    form = unicodedata.normalize("NFKC", char)
    if len(form) != 1:
        form = char
    for config in _TO_SIMPLIFIED:
        converted = _converter(config).convert(form)
        if len(converted) == len(form):
            form = converted
    if form != char:
        return "T"
    return "S" if _converter("s2t").convert(char) != char else ""


def simplified_share(text: str) -> float | None:
    """Share of script-specific characters in ``text`` that are Simplified; None if none are."""
    simplified = traditional = 0
    for char, count in Counter(text).items():
        script = script_of(char)
        if script == "T":
            traditional += count
        elif script == "S":
            simplified += count
    total = simplified + traditional
    return simplified / total if total else None
