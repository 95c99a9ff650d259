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
- Grouping (``group_copies``): the same hash or signature is one text; candidates share one of
  42 bands of 3 rows (each band's 48 bits a key, sorted, runs of equal keys), confirmed at 40% of
  the rows equal. In key order a document joins the earlier group whose first member it is
  nearest, or starts one: a chain A ~ B ~ C with A far from C is never one group.

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
from .packing import unique

HAN_SHINGLE = 3  # Han (and kana) characters a shingle
WORD_SHINGLE = 2  # words (of any other script) a shingle
PERMUTATIONS = 128
MIN_CHARS = 50
BANDS, ROWS, THRESHOLD = 42, 3, 0.4
# A run sharing a band (a template filled in 10,000 times) pairs each with its first RUN_PAIRS.
RUN_PAIRS = 256
_CHUNK, _MERGE_AT = 1 << 16, 1 << 22
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


def signatures(fingerprints: list[Fingerprint]) -> tuple[np.ndarray, np.ndarray]:
    """(signatures, has_signature) of ``fingerprints`` stacked for ``group_copies`` (zeros: none)."""
    none = np.zeros(PERMUTATIONS, dtype=np.uint16)
    rows = [none if p.signature is None else p.signature for p in fingerprints]
    has = np.array([p.signature is not None for p in fingerprints], dtype=bool)
    return np.array(rows, dtype=np.uint16).reshape(-1, PERMUTATIONS), has


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The estimated Jaccard similarity of signatures ``a`` and ``b`` (rows of equal shape)."""
    return np.count_nonzero(np.asarray(a) == np.asarray(b), axis=-1) / PERMUTATIONS


@dataclass(frozen=True)
class CopyGroups:
    """Each document's group, by input row: ``group`` is the key of the group's first member (its
    lowest key; a document alone is its own group), ``similarity`` the estimated Jaccard similarity
    to it (1.0 for the first member and exact copies), ``exact``: it has the first's content hash."""

    keys: np.ndarray
    group: np.ndarray
    similarity: np.ndarray
    exact: np.ndarray

    def members(self, key: int) -> np.ndarray:
        """The keys of the group of the document ``key``, in order (empty for an unknown key)."""
        found = self.group[self.keys == key]
        return np.sort(self.keys[self.group == found[0]]) if len(found) else found

    @property
    def sizes(self) -> np.ndarray:
        """The size of each row's group (1: no copy)."""
        _, inverse, counts = np.unique(self.group, return_inverse=True, return_counts=True)
        return counts[inverse]


def _firsts(labels: np.ndarray) -> np.ndarray:
    """For each position, the first position with its label (positions in key order)."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    return first[inverse.reshape(-1)]


def _candidates(matrix: np.ndarray, bands: int, rows: int, merge_at: int = _MERGE_AT) -> np.ndarray:
    """Pairs of rows (earlier << 32 | later) of ``matrix`` that share a band, sorted, without
    repeats. The bands' pairs are merged as they come once more than ``merge_at`` (or than those
    merged) wait: memory follows the distinct pairs, not every band's (16M at 60,000 documents)."""
    found, count, seen = [], len(matrix), np.zeros(0, dtype=np.int64)
    for band in range(bands):
        if sum(waiting.size for waiting in found) > max(merge_at, seen.size):
            seen, found = unique(np.concatenate([seen, *found])), []
        key = np.zeros(count, dtype=np.uint64)
        for column in range(band * rows, (band + 1) * rows):
            key = (key << np.uint64(16)) | matrix[:, column]  # exact up to 4 rows; candidates are confirmed
        order = np.argsort(key, kind="stable")  # stable: a run's members in key order
        ordered = key[order]
        starts_run = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        run_start = np.repeat(starts_run, np.diff(np.r_[starts_run, count]))
        pairs = np.minimum(np.arange(count) - run_start, RUN_PAIRS)
        later = np.repeat(order, pairs)
        within = np.arange(int(pairs.sum())) - np.repeat(np.cumsum(pairs) - pairs, pairs)
        earlier = order[np.repeat(run_start, pairs) + within]
        found.append((earlier.astype(np.int64) << 32) | later.astype(np.int64))
    return unique(np.concatenate([seen, *found]))


def _leaders(matrix: np.ndarray, threshold: float, bands: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """(leader, equal rows) of each row of ``matrix`` (rows in key order): the earlier leader it is
    most similar to at ``threshold`` or over, else itself."""
    count = len(matrix)
    leader, agree = np.arange(count), np.full(count, PERMUTATIONS)
    pairs = _candidates(matrix, bands, rows)
    earlier, later = pairs >> 32, pairs & 0xFFFFFFFF
    equal = np.zeros(len(pairs), dtype=np.int64)
    for start in range(0, len(pairs), _CHUNK):  # a chunk's rows compared at once, in bounded memory
        part = slice(start, start + _CHUNK)
        equal[part] = np.count_nonzero(matrix[earlier[part]] == matrix[later[part]], axis=1)
    near = equal >= int(np.ceil(threshold * PERMUTATIONS - 1e-9))
    earlier, later, equal = earlier[near], later[near], equal[near]
    # By the later row, the most similar first, the lowest leader on a tie.
    order = np.lexsort((earlier, -equal, later))
    is_leader = np.ones(count, dtype=bool)
    for first, second, same in zip(earlier[order].tolist(), later[order].tolist(), equal[order].tolist(), strict=True):
        # Every earlier row is decided when a later one is: rows go in key order.
        if is_leader[second] and is_leader[first]:
            leader[second], agree[second] = first, same
            is_leader[second] = False
    return leader, agree


def group_copies(
    keys: np.ndarray,
    hashes: list[str] | list[int],
    signatures: np.ndarray,
    has_signature: np.ndarray,
    threshold: float = THRESHOLD,
    bands: int = BANDS,
    rows: int = ROWS,
) -> CopyGroups:
    """Group documents (``keys``, unique) by their content ``hashes`` (equal: the same bytes) and MinHash
    ``signatures`` (uint16 rows; only where ``has_signature``): exact copies together, and each
    document with the earlier group's first member it is nearest at ``threshold`` or over."""
    keys = np.asarray(keys, dtype=np.int64)
    count = len(keys)
    order = np.argsort(keys, kind="stable")  # positions below are in key order
    codes: dict[str | int, int] = {}
    code = np.fromiter((codes.setdefault(h, len(codes)) for h in hashes), dtype=np.int64, count=count)[order]
    has = np.asarray(has_signature, dtype=bool)[order]
    matrix = np.ascontiguousarray(np.asarray(signatures, dtype=np.uint16)[order])
    # The first document with the same hash, or with the same signature: the same folded text.
    first = _firsts(code)
    signed = np.flatnonzero(has)
    first[signed] = signed[_firsts(matrix[signed].view(np.dtype((np.void, 2 * PERMUTATIONS))).ravel())]
    is_first = has & (first == np.arange(count))
    firsts, slot = np.flatnonzero(is_first), np.cumsum(is_first) - 1  # slot: a first's place among them
    lead, equal = _leaders(matrix[firsts], threshold, bands, rows)
    leader, agreed = first.copy(), np.full(count, PERMUTATIONS)
    leader[signed] = firsts[lead[slot[first[signed]]]]
    agreed[signed] = equal[slot[first[signed]]]
    group, similar, exact = np.empty(count, dtype=np.int64), np.empty(count, dtype=np.float32), np.empty(count, bool)
    group[order], similar[order], exact[order] = keys[order][leader], agreed / PERMUTATIONS, code[leader] == code
    return CopyGroups(keys, group, similar, exact)
