"""Normalise a word of an alphabetic script: case, width, possessive, stop words, stem."""

from __future__ import annotations

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


def normalise(word: str) -> str:
    """Fold case and width, and drop an English possessive: "Kong’s" -> "kong"."""
    if not word.isascii():
        word = unicodedata.normalize("NFKC", word)
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
