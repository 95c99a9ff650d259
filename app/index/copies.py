"""Exact and near copies among the archive's documents, found at indexing.

Exact copies share the content hash; near copies are the same text up to script, punctuation,
line breaks, boilerplate and small edits, found by MinHash:

- Folding (``fold_text``): Chinese to one script character by character (``fold_char``: 人權 =
  人权), case folded, NFKD with marks dropped (café = cafe), a word hyphenated at a line end
  joined; what is neither a letter nor a digit only parts words. A table by code point, learnt
  as characters are met, folds a whole text at once in numpy.
- Shingles: every 3 consecutive Han characters (HAN_SHINGLE) and every 2 consecutive words of
  other scripts (WORD_SHINGLE), hashed to 64 bits from their code points in numpy with constants
  from SHAKE-128 of a fixed string (never Python's ``hash``): the same signature in any process.
- Signature: 128 maps ``a·h + b mod 2**32`` in one broadcast, each keeping the low 16 bits of
  its minimum (b-bit MinHash: 256 bytes a document). Under MIN_CHARS folded letters and digits,
  no signature: exact copies only.
- Grouping: ``grouping.py``.

``python -m bench.copies`` (5,735 documents from the sentence pools: 2,400 articles, 1,970
copies converted, 1-10% edited, rewrapped, half with boilerplate, and 1,365 hard negatives on the
same event), pairs of one article found (recall) and right (precision), 42 × 3 bands:

    Han 3 + words 2, at 0.40 (chosen): precision 0.9972, recall 0.9708, hard negatives merged 9
    at 0.35: 0.9884, 0.9854, 38; Han 2: 0.9951, 0.9891, 16; Han 4: 0.9980, 0.8930, 6
    single words: 0.9678, 0.9678, 71; 4 characters of any script: 0.9956, 0.9006, 13

Han bigrams find more of these short copies, but unrelated Chinese shares more of them as it grows
(Jaccard 0.100 at 3,700 characters; 0.025 for trigrams); uint32 rows estimate no better (mean error
0.0284 both). Fingerprint of 5,000 characters: 0.40-0.57 ms (Chinese), 0.26 ms (English).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from ..analysis.chinese import fold_char
from ..analysis.scripts import is_han

HAN_SHINGLE = 3  # Han (and kana) characters a shingle
WORD_SHINGLE = 2  # words (of any other script) a shingle
PERMUTATIONS = 128
MIN_CHARS = 50
# A word hyphenated at a line end is joined (checked for first: most texts hold none).
_HYPHENATED = re.compile(r"(?<=\w)-(?:\r\n|[\n\r])\s*(?=\w)")
# By code point, learnt as met: a separator (0: neither letter nor digit, and past the planes of
# Han), dropped (a mark, after NFKD), a Han character folded with _HAN set, or the letter itself.
_PLANES = 0x40000
_UNKNOWN, _SEPARATOR, _DROPPED = -1, 0, -2
_HAN = 1 << 24
_TABLE = np.full(_PLANES, _UNKNOWN, dtype=np.int32)
_LONGEST = 64  # a longer word is hashed from its first _LONGEST characters and its length
# The constants of the hashes, fixed: the same text has the same signature in every process.
_DRAWN = np.frombuffer(hashlib.shake_128(b"archive-search copies").digest(8 * (2 * PERMUTATIONS + 2)), "<u8")
_A = (_DRAWN[:PERMUTATIONS] >> np.uint64(32)).astype(np.uint32) | np.uint32(1)
_B = (_DRAWN[PERMUTATIONS : 2 * PERMUTATIONS] >> np.uint64(32)).astype(np.uint32)
_POLY, _WORD_SALT = _DRAWN[-2] | np.uint64(1), _DRAWN[-1]
_POWERS = np.cumprod(np.r_[np.uint64(1), np.full(_LONGEST - 1, _POLY)], dtype=np.uint64)


@dataclass(frozen=True)
class Fingerprint:
    """What finds a document's near copies: its MinHash ``signature`` (uint16 × PERMUTATIONS),
    None for a text of fewer than MIN_CHARS folded letters and digits, and their ``length``."""

    signature: np.ndarray | None
    length: int


def _learn(points: np.ndarray) -> None:
    """Fill in the table for ``points``."""
    for point in np.unique(points).tolist():
        char = chr(point)
        marked = unicodedata.category(char).startswith("M")
        value = _DROPPED if marked else _SEPARATOR if not char.isalnum() else point
        _TABLE[point] = ord(fold_char(char)) | _HAN if value > 0 and is_han(char) else value


def _folded(text: str) -> np.ndarray:
    """The folded code points of ``text`` (int32; 0 between words, _HAN on Han characters)."""
    if "-\n" in text or "-\r" in text:
        text = _HYPHENATED.sub("", text)
    text = unicodedata.normalize("NFKD", text.casefold())
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    points = np.where(points < _PLANES, points, 0)  # U+0000 is a separator
    if (_TABLE[points] == _UNKNOWN).any():
        _learn(points[_TABLE[points] == _UNKNOWN])
    values = _TABLE[points]
    return values[values != _DROPPED]


def fold_text(text: str) -> str:
    """``text`` as its copies are compared: one Chinese script, case and accents folded, its
    letters and digits only, one space between words."""
    values = _folded(text)
    points = np.where(values == _SEPARATOR, 32, values & (_HAN - 1)).astype(np.uint32)
    return " ".join(points.tobytes().decode("utf-32-le").split())


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser over uint64 ``h``, in place."""
    for shift, factor in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB)):
        h ^= h >> np.uint64(shift)
        h *= np.uint64(factor)
    h ^= h >> np.uint64(31)
    return h


def _windows(units: np.ndarray, size: int) -> np.ndarray:
    """The hash of every run of ``size`` consecutive ``units`` (uint64), in order."""
    count = len(units) - size + 1
    h = units[: max(count, 0)].copy()
    for offset in range(1, size):
        h *= _POLY
        h += units[offset : offset + count]
    return _mix(h)


def _units(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(hash, is Han) of every unit of folded ``values``: a Han character, or a word."""
    kept = np.flatnonzero(values)  # the letters and digits
    if not len(kept):
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=bool)
    han = values >= _HAN
    begins = (han | np.r_[True, (values[:-1] == _SEPARATOR) | han[:-1]])[kept]
    first = np.flatnonzero(begins)  # where each unit starts, among the kept
    offset = np.arange(len(kept)) - np.repeat(first, np.diff(np.r_[first, len(kept)]))
    weights = np.where(offset < _LONGEST, _POWERS[np.minimum(offset, _LONGEST - 1)], np.uint64(0))
    hashes = np.add.reduceat(values[kept].astype(np.uint64) * weights, first)
    lengths = np.diff(np.r_[first, len(kept)]).astype(np.uint64)
    return _mix(hashes ^ (lengths << np.uint64(40))), han[kept[first]]


def _shingles(values: np.ndarray, han: int, words: int) -> np.ndarray:
    units, is_han = _units(values)
    if len(units) < max(han, words):
        return units
    all_han = np.r_[0, np.cumsum(is_han)]
    count = len(units) - han + 1
    of_han = _windows(units, han)[all_han[han:] - all_han[:count] == han]
    count = len(units) - words + 1
    of_words = _windows(units, words)[all_han[words:] - all_han[:count] < words] ^ _WORD_SALT
    return np.concatenate([of_han, of_words])


def shingles(text: str, han: int = HAN_SHINGLE, words: int = WORD_SHINGLE) -> np.ndarray:
    """The 64-bit hash of each shingle of ``text`` folded: every ``han`` consecutive Han
    characters, and every ``words`` consecutive units (words or Han characters) not all Han."""
    return _shingles(_folded(text), han, words)


def minhash(hashes: np.ndarray) -> np.ndarray:
    """The signature (uint16 × PERMUTATIONS) of a set of shingle hashes (not empty)."""
    h = (hashes >> np.uint64(32)).astype(np.uint32)
    values = np.multiply(_A[:, None], h[None, :])
    values += _B[:, None]
    return (values.min(axis=1) & np.uint32(0xFFFF)).astype(np.uint16)


def fingerprint(text: str, han: int = HAN_SHINGLE, words: int = WORD_SHINGLE) -> Fingerprint:
    """The fingerprint of a document's ``text``, from shingles of ``han`` Han characters and ``words`` words."""
    values = _folded(text)
    length = int(np.count_nonzero(values))
    if length < MIN_CHARS:
        return Fingerprint(None, length)
    return Fingerprint(minhash(_shingles(values, han, words)), length)
