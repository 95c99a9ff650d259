"""Phrases: documents where the words stand in a row, and how often.

Every Chinese character is a term, so a Chinese word of two characters is a phrase of two terms
whose characters each stand in most Chinese documents. The pair index answers it directly: the
postings of a pair of adjacent characters (or of adjacent words: "human rights") are the
phrase's. A longer phrase takes the documents holding its rarest pairs and confirms them by
positions. Positions skip a place at
a boundary (``analysis.boundaries``: a blank line, a list item, punctuation between Han
characters), so no phrase is found across one; a line break inside a paragraph is none.

The confirmation is done for all candidate documents at once: an occurrence is a number
``key << 32 | position`` (``index.packing``), and a phrase starts where every word's
occurrences, moved back by the word's place in the phrase, meet (``packing.intersect``).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from ..analysis.scripts import is_han
from ..index import packing
from ..index.postings.terms import TermPostings
from .parse import NO_DEADLINE, Deadline

# A long Chinese phrase reads at most this many of its pairs, and stops once candidates are few.
MAX_PAIRS_READ = 6
FEW_CANDIDATES = 32


def is_han_phrase(words) -> bool:
    """True when every word of the phrase is a single Han character."""
    return len(words) > 1 and all(len(word) == 1 and is_han(word) for word in words)


def find(
    postings, words: list[str], offsets: list[int], slop: int = 1, deadline: Deadline = NO_DEADLINE
) -> tuple[np.ndarray, np.ndarray]:
    """(keys, how often the phrase occurs in each) of the documents holding ``words`` at
    ``offsets`` from the first; ``postings(term)`` gives a term's ``TermPostings``. With ``slop``
    over 1, each word may stand up to ``slop`` places after the one before."""
    pairs = pair_terms(words, offsets) if slop == 1 else []
    if len(words) == 2 and pairs:
        found = postings(pairs[0])
        return found.keys, found.freqs
    if pairs:
        candidates = _pair_candidates(postings, pairs)
    else:
        candidates = _intersection([postings(word).keys for word in dict.fromkeys(words)])
    if not candidates.size:
        return candidates, candidates
    deadline.check()
    return count(postings, words, offsets, candidates, slop)


def pair_terms(words: list[str], offsets: list[int]) -> list[str]:
    """The indexed pairs of a phrase: adjacent Han characters (人权), adjacent words ("human
    right"); a pair of a Han character and a word is not indexed."""
    found = []
    for (first, at), (second, bt) in pairwise(zip(words, offsets, strict=True)):
        if bt - at != 1:
            continue
        if is_han_phrase([first, second]):
            found.append(first + second)
        elif not (is_han(first[0]) or is_han(second[0])):
            found.append(f"{first} {second}")
    return list(dict.fromkeys(found))


def _pair_candidates(postings, pairs: list[str]) -> np.ndarray:
    """Documents holding the rarest pairs of a phrase (holding every pair is not enough: 立法
    and 辦法會 hold both pairs of 立法會, so the candidates are confirmed by positions)."""
    rarest = sorted(pairs, key=postings.terms.count)
    candidates = postings(rarest[0]).keys
    for pair in rarest[1:MAX_PAIRS_READ]:
        if candidates.size <= FEW_CANDIDATES:
            break
        candidates = packing.intersect(candidates, postings(pair).keys)
    return candidates


def _intersection(lists: list[np.ndarray]) -> np.ndarray:
    lists = sorted(lists, key=len)
    found = lists[0]
    for other in lists[1:]:
        found = packing.intersect(found, other)
    return found


def occurrences(terms, found: TermPostings, keys: np.ndarray, back: int = 0) -> np.ndarray:
    """A term's occurrences in those of the documents ``keys`` that hold it, as ``key << 32 |
    position - back`` (``back``: the term's place in a phrase; occurrences too early to be in
    the phrase left out), sorted."""
    keys = keys[packing.within(keys, found.keys)]
    owners, positions = terms.positions_from_postings(found, keys)
    if back:
        early = positions >= back
        owners, positions = owners[early], positions[early] - back
    return packing.pack(owners, positions)


def count(
    postings, words: list[str], offsets: list[int], candidates: np.ndarray, slop: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """(keys, occurrences of the phrase) among ``candidates``, from positions."""
    starts = phrase_starts(postings, words, offsets, candidates, slop)
    keys, counts = np.unique(packing.high(starts), return_counts=True)
    return keys, counts


def phrase_starts(postings, words: list[str], offsets: list[int], candidates: np.ndarray, slop: int = 1) -> np.ndarray:
    """Every occurrence (``key << 32 | position`` of its first word) of the phrase in ``candidates``."""
    terms = postings.terms
    if slop == 1:
        # The rarest word first; each next word is read only in the documents still in play.
        order = sorted(range(len(words)), key=lambda place: postings(words[place]).keys.size)
        starts = occurrences(terms, postings(words[order[0]]), candidates, offsets[order[0]])
        for place in order[1:]:
            candidates = packing.unique(packing.high(starts))
            found = occurrences(terms, postings(words[place]), candidates, offsets[place])
            starts = packing.intersect(starts, found)
        return starts
    occurring = {word: occurrences(terms, postings(word), candidates) for word in dict.fromkeys(words)}
    starts = occurring[words[0]]
    current = starts
    for word in words[1:]:
        following = occurring[word]
        index = np.searchsorted(following, current + 1)
        inside = index < following.size
        nearest = following[np.minimum(index, following.size - 1)]
        same_document = packing.high(nearest) == packing.high(current)
        near = inside & same_document & (packing.low(nearest) - packing.low(current) <= slop)
        starts, current = starts[near], nearest[near]
    return starts
