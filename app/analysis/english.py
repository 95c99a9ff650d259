"""Normalise a word of an alphabetic script: case, width, accents, possessive, stop words, stem."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.lang.porter2 import stem as _porter2

# Lucene's English stop set: short, and without words that carry meaning here ("us", "may").
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
    ]
)

_POSSESSIVES = ("'s", "’s")
# What ends a line (as ``str.splitlines`` has it), for the line a word stands on.
_LINE_ENDS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_END = re.compile(f"[{_LINE_ENDS}]")
# A word of two letters or more, of any script (Han is never in capitals).
_LETTERS = re.compile(r"[^\W\d_]{2,}")

# Latin letters that are not a base letter with marks, folded as Elasticsearch's asciifolding
# folds them (ligatures such as ĳ and ﬁ, and the long s, are already split by NFKC).
_LATIN_SPECIAL = {"ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th", "ı": "i", "ĸ": "q", "ŋ": "n"}
# A Latin letter with an accent, a stroke or a hook, by its Unicode name: é, ø, ł, đ, ħ, ƒ...
_LETTER_WITH = re.compile(r"LATIN (?:SMALL|CAPITAL) LETTER ([A-Z]) WITH .+")


def fold_latin_char(char: str) -> str:
    """The letter ``char`` is searched as: a Latin letter without its accent or stroke (é -> e,
    ø -> o, ß -> ss); a combining mark left by lowercasing (İ -> i̇) dropped; any other character
    (Han, Cyrillic, Greek...) unchanged."""
    if char in _LATIN_SPECIAL:
        return _LATIN_SPECIAL[char]
    if "\u0300" <= char <= "\u036f":
        # Marks are not word characters: a word holds only those NFKC or lower() leave (İ -> i
        # and U+0307). They go, as composed letters lose theirs.
        return ""
    letter = _LETTER_WITH.fullmatch(unicodedata.name(char, ""))
    return letter[1].lower() if letter else char


class _LatinFoldTable(dict):
    """Code point -> folded letter, filled in as characters are met; ``str.translate`` reads
    it at C speed once a character is known."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_latin_char(chr(code))
        return folded


_LATIN_FOLD_TABLE = _LatinFoldTable()


def normalise(word: str) -> str:
    """Fold case, width and accents, and drop an English possessive: "Kong’s" -> "kong",
    "Müller" -> "muller", "Straße" -> "strasse"."""
    if not word.isascii():
        word = unicodedata.normalize("NFKC", word).lower().translate(_LATIN_FOLD_TABLE)
    else:
        word = word.lower()
    if word.endswith(_POSSESSIVES):
        word = word[:-2]
    return word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Reduce a lowercased Latin-script word to its stem (Porter2): "arrested" -> "arrest"."""
    if word[0] > "\u024f" or word[0].isdigit():  # not Latin script, or a number
        return word
    return _porter2(word)


def in_capitals(written: str) -> bool:
    """True when a word is written in capitals, two letters or more (IT, US, U.S.)."""
    return written.isupper() and sum(char.isalpha() for char in written) >= 2


class CapitalLines:
    """Whether the line of ``text`` holding an offset is written in capitals, as a heading is:
    two words or more of two letters or more in capitals, and no lowercase letter (THE
    UNIVERSAL DECLARATION OF HUMAN RIGHTS). The answer for the last line asked about is kept,
    so words in a row read their line once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.start = self.end = -1
        self.capitals = False

    def at(self, offset: int) -> bool:
        """True when the line holding ``offset`` is written in capitals."""
        if not self.start <= offset < self.end:
            text = self.text
            self.start = max(text.rfind(char, 0, offset) for char in _LINE_ENDS) + 1
            found = _LINE_END.search(text, offset)
            self.end = found.start() if found else len(text)
            line = text[self.start : self.end]
            self.capitals = line == line.upper() and sum(1 for word in _LETTERS.findall(line) if word.isupper()) >= 2
        return self.capitals
