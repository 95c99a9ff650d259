"""Phrases: documents where the words stand in a row, and how often.

Every Chinese character is a term, so a Chinese word of two characters is a phrase of two terms
whose characters each stand in most Chinese documents. The pair index answers it directly: the
postings of a pair of adjacent characters are the phrase's. A longer Chinese phrase takes the
documents holding its rarest pairs and confirms them by positions; a phrase of words takes the
documents holding every word and confirms them by positions. Positions skip a place at
punctuation and line breaks (``analysis.GAP``), so no phrase is found across them.

The confirmation is done for all candidate documents at once: an occurrence is a number
``key << 32 | position``, and a phrase starts where every word's occurrences, moved back by the
word's place in the phrase, meet (``numpy.intersect1d``).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from ..analysis.scripts import is_han
from ..index.postings.terms import TermPostings

# A long Chinese phrase reads at most this many of its pairs, and stops once candidates are few.
MAX_PAIRS_READ = 6
FEW_CANDIDATES = 32
_SHIFT = 32
_LOW = (1 << _SHIFT) - 1


def is_han_phrase(words) -> bool:
    """True when every word of the phrase is a single Han character."""
    return len(words) > 1 and all(len(word) == 1 and is_han(word) for word in words)


def find(postings, words: list[str], offsets: list[int], slop: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(keys, how often the phrase occurs in each) of the documents holding ``words`` at
    ``offsets`` from the first; ``postings(term)`` gives a term's ``TermPostings``. With ``slop``
    over 1, each word may stand up to ``slop`` places after the one before."""
    if is_han_phrase(words) and slop == 1:
        adjacent = [(a, b) for (a, at), (b, bt) in pairwise(zip(words, offsets, strict=True)) if bt - at == 1]
        pairs = list(dict.fromkeys(first + second for first, second in adjacent))
        if len(words) == 2 and pairs:
            found = postings(pairs[0])
            return found.keys, found.freqs
        if pairs:
            candidates = _pair_candidates(postings, pairs)
        else:
            candidates = _intersection([postings(word).keys for word in dict.fromkeys(words)])
    else:
        candidates = _intersection([postings(word).keys for word in dict.fromkeys(words)])
    if not candidates.size:
        return candidates, candidates
    return count(postings, words, offsets, candidates, slop)


def _pair_candidates(postings, pairs: list[str]) -> np.ndarray:
    """Documents holding the rarest pairs of a phrase (holding every pair is not enough: 立法
    and 辦法會 hold both pairs of 立法會, so the candidates are confirmed by positions)."""
    found = sorted((postings(pair) for pair in pairs), key=lambda item: item.keys.size)
    candidates = found[0].keys
    for other in found[1:MAX_PAIRS_READ]:
        if candidates.size <= FEW_CANDIDATES:
            break
        candidates = np.intersect1d(candidates, other.keys, assume_unique=True)
    return candidates


def _intersection(lists: list[np.ndarray]) -> np.ndarray:
    lists = sorted(lists, key=len)
    found = lists[0]
    for other in lists[1:]:
        found = np.intersect1d(found, other, assume_unique=True)
    return found


def occurrences(terms, found: TermPostings, keys: np.ndarray) -> np.ndarray:
    """A term's occurrences in the documents ``keys`` as ``key << 32 | position``, sorted."""
    owners, positions = terms.positions(found, keys)
    return (owners << _SHIFT) | positions


def count(
    postings, words: list[str], offsets: list[int], candidates: np.ndarray, slop: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """(keys, occurrences of the phrase) among ``candidates``, from positions."""
    starts = phrase_starts(postings, words, offsets, candidates, slop)
    keys, counts = np.unique(starts >> _SHIFT, return_counts=True)
    return keys, counts


def phrase_starts(postings, words: list[str], offsets: list[int], candidates: np.ndarray, slop: int = 1) -> np.ndarray:
    """Every occurrence (``key << 32 | position`` of its first word) of the phrase in ``candidates``."""
    terms = postings.terms
    occurring = {word: occurrences(terms, postings(word), candidates) for word in dict.fromkeys(words)}
    if slop == 1:
        order = sorted(range(len(words)), key=lambda place: occurring[words[place]].size)
        starts = occurring[words[order[0]]] - offsets[order[0]]
        for place in order[1:]:
            starts = np.intersect1d(starts, occurring[words[place]] - offsets[place], assume_unique=True)
        return starts
    starts = occurring[words[0]]
    current = starts
    for word in words[1:]:
        following = occurring[word]
        index = np.searchsorted(following, current + 1)
        inside = index < following.size
        nearest = following[np.minimum(index, following.size - 1)]
        near = inside & ((nearest >> _SHIFT) == (current >> _SHIFT)) & ((nearest & _LOW) - (current & _LOW) <= slop)
        starts, current = starts[near], nearest[near]
    return starts
