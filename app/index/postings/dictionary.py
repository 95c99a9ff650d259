"""A part's term dictionary, written and read here; and the grammar of a part's two files.

A part holds the postings of the documents with keys in one range, for three groups of terms:
``han`` (single Han characters and pairs of adjacent ones, by code: a character's code point, a
pair's ``first << 21 | second``), ``words`` (every other term, by its text) and ``phrases``
(pairs of adjacent words, "human right", by their text). Its two files::

    <part>.arrays   --> the dictionary: an array file (``arrays``), memory-mapped
    <part>.streams  --> Header, Slice^S, Footer: the postings, read with ``os.pread``

Header and Footer are ``codec``'s (formats ``DICTIONARY_FORMAT``, ``STREAMS_FORMAT``); offsets
in the streams count the header. The streams (``encode`` writes them; every number a varint, a
block of keys written as a bitmap apart)::

    Slice    --> Docs^T, Freqs^T, Pos^T, Skips^T      the T terms of one group written at once
    Docs     --> Block^(Count / BLOCK, rounded up)    a block's keys as gaps or a bitmap (``docblocks``)
    Freqs    --> Freq^(postings whose Freq is not 1)
    Pos      --> (PositionGap^Freq)^Count              words and single characters only
    Skips    --> (Posting, Key, DocsAt, FreqsAt, PosAt)^(Blocks - 1)   per block of ``BLOCK``
                 postings after the first: its first posting and key, where it starts in each run

A term's bytes are one run in each stream, whose length its dictionary row gives. The
dictionary holds, for each group G, its terms in order in blocks of ``DICT_BLOCK``::

    G.rows        uint8           Row^Terms, block after block
    G.block       uint64 [B + 1]  where each block's rows start in G.rows (and the last ends)
    G.base        uint64 [B, 4]   where the block's first term starts in each stream (as STREAMS)
    G.bytes       uint64 [B]      the bytes the block's terms take in the four streams together
    han.first     int64 [B]       the code of each han block's first term
    G.text        uint8           words, phrases: each block's terms in UTF-8, joined by "\\n"
    G.text_block  uint64 [B + 1]  where each block's text starts in G.text (and the last ends)

    Row (han)             --> CodeDelta, Columns   CodeDelta: the code minus the block's first
    Row (words, phrases)  --> Columns
    Columns               --> Count, First, Last, DocsLength, FreqsLength, PosLength, SkipsLength

A term's run in a stream starts at its block's base plus the lengths of the block's terms
before it. The file's meta: ``keys`` (the part's first key and the key past its last) and
``postings`` (how many in each group).
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from pathlib import Path

import numpy as np

from .. import packing, varint
from ..arrays import ArrayFile, write
from ..codec import Format
from .encode import COLUMNS, Encoded, encode

# The files of a part, by their suffix, and their formats.
DICTIONARY = ".arrays"
STREAMS_FILE = ".streams"
DICTIONARY_FORMAT, STREAMS_FORMAT = Format("postings.dictionary", 1), Format("postings.streams", 2)
DICT_BLOCK = 64
GROUPS = ("han", "words", "phrases")
# The streams, in the order a slice writes them and ``G.base`` holds them.
STREAMS = ("docs", "freqs", "pos", "skips")
# Where each of encode's columns is in a row (after the code delta of han's rows); the lengths
# of a term's runs are its last four, in the order of STREAMS (a slice: a view, not a copy).
_COLUMN = {name: number for number, name in enumerate(COLUMNS)}
_LENGTHS = slice(_COLUMN[STREAMS[0]], _COLUMN[STREAMS[-1]] + 1)
_COUNT, _FIRST, _LAST = _COLUMN["count"], _COLUMN["first"], _COLUMN["last"]
# Dictionary blocks a part keeps decoded for searches.
_CACHED_BLOCKS = 256
_NO_TERMS = {group: np.zeros(0, np.int64 if group == "han" else object) for group in GROUPS}


@dataclass(frozen=True)
class Entry:
    """A term's postings in a part: how many, first and last key, (offset, length) per stream."""

    count: int
    first: int
    last: int
    docs: tuple[int, int]
    freqs: tuple[int, int]
    pos: tuple[int, int]
    skips: tuple[int, int]


@dataclass(frozen=True)
class Terms:
    """Terms of a dictionary in order (codes or strings: an array, or a list for a block a
    search reads), their columns (rows in ``COLUMNS`` order) and where each term's run starts
    in each stream (rows in ``STREAMS`` order)."""

    terms: np.ndarray | list
    columns: np.ndarray
    starts: np.ndarray

    @cached_property
    def index(self) -> dict:
        """Each term's index."""
        return {term: index for index, term in enumerate(self.terms)}

    def column(self, name: str) -> np.ndarray:
        """The column ``name`` (one of ``COLUMNS``) of every term."""
        return self.columns[:, _COLUMN[name]]

    def select(self, chosen: np.ndarray) -> Terms:
        """The terms ``chosen`` (a mask or indexes), in the order given."""
        return Terms(np.asarray(self.terms)[chosen], self.columns[chosen], self.starts[chosen])

    def entry(self, index: int) -> Entry:
        """The postings of the term at ``index``."""
        row, starts = self.columns[index].tolist(), self.starts[index].tolist()
        return Entry(row[_COUNT], row[_FIRST], row[_LAST], *zip(starts, row[_LENGTHS], strict=True))


class DictionaryWriter:
    """The dictionary of a part being written: each slice of terms added as it is written to
    the streams (its blocks kept, small), the whole written by ``write``."""

    def __init__(self) -> None:
        self._slices: dict[str, list[dict[str, np.ndarray]]] = {group: [] for group in GROUPS}
        self._postings = dict.fromkeys(GROUPS, 0)

    def add(self, group: str, encoded: Encoded, bases: np.ndarray) -> None:
        """Add the terms of ``encoded``, which come after those added to ``group`` before and
        whose runs in each stream start at ``bases`` (in ``STREAMS`` order)."""
        self._slices[group].append(_slice(group, encoded, bases))
        self._postings[group] += int(encoded.columns["count"].sum())

    def write(self, path: Path, keys: tuple[int, int]) -> None:
        """Write the dictionary of the part holding documents ``keys[0]`` to ``keys[1]``."""
        arrays: dict[str, np.ndarray] = {}
        for group in GROUPS:
            arrays.update(_joined(group, self._slices[group]))
        write(path, arrays, DICTIONARY_FORMAT, {"keys": list(keys), "postings": self._postings})


def _joined(group: str, slices: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The arrays of ``group`` from those of its slices: the block bounds of each slice shifted
    past the slices before it."""
    if not slices:
        none = np.zeros(0, np.int64)
        slices = [_slice(group, encode(_NO_TERMS[group], none, none, None), np.zeros(len(STREAMS), np.int64))]
    joined: dict[str, np.ndarray] = {}
    for name in ["block"] if group == "han" else ["block", "text_block"]:
        offset, parts = 0, []
        for number, found in enumerate(slices):
            bounds = found[f"{group}.{name}"].astype(np.int64) + offset
            parts.append(bounds if number == len(slices) - 1 else bounds[:-1])
            offset = int(bounds[-1])
        joined[f"{group}.{name}"] = np.concatenate(parts).astype(np.uint64)
    for name in ["rows", "base", "bytes", "first" if group == "han" else "text"]:
        joined[f"{group}.{name}"] = np.concatenate([found[f"{group}.{name}"] for found in slices])
    return joined


def _slice(group: str, encoded: Encoded, bases: np.ndarray) -> dict[str, np.ndarray]:
    """The arrays of one slice of ``group``, its runs starting at ``bases``."""
    terms, count = encoded.terms, len(encoded.terms)
    columns = np.column_stack([encoded.columns[name] for name in COLUMNS]).astype(np.int64)
    block_starts = np.arange(0, count, DICT_BLOCK)
    block_bounds = np.r_[block_starts, count]
    rows = columns
    if group == "han":
        codes = np.asarray(terms, dtype=np.int64)
        rows = np.column_stack([codes - np.repeat(codes[block_starts], np.diff(block_bounds)), columns])
    row_offsets = np.r_[0, np.cumsum(varint.sizes(rows.reshape(-1)).reshape(rows.shape).sum(axis=1))]
    stream_offsets = np.zeros((count + 1, len(STREAMS)), dtype=np.int64)
    stream_offsets[1:] = np.cumsum(columns[:, _LENGTHS], axis=0)
    arrays = {
        f"{group}.rows": np.frombuffer(varint.encode(rows.reshape(-1)), dtype=np.uint8),
        f"{group}.block": row_offsets[block_bounds].astype(np.uint64),
        f"{group}.base": (stream_offsets[block_starts] + bases).astype(np.uint64).reshape(-1, len(STREAMS)),
        f"{group}.bytes": np.diff(stream_offsets[block_bounds].sum(axis=1)).astype(np.uint64),
    }
    if group == "han":
        arrays["han.first"] = np.asarray(terms, dtype=np.int64)[block_starts]
    else:
        texts = ["\n".join(terms[start : start + DICT_BLOCK]).encode("utf-8") for start in block_starts]
        arrays[f"{group}.text"] = np.frombuffer(b"".join(texts), dtype=np.uint8)
        arrays[f"{group}.text_block"] = np.r_[0, np.cumsum([len(text) for text in texts])].astype(np.uint64)
    return arrays


class Dictionary:
    """A part's dictionary open for reading, over its memory-mapped arrays. Its decoded blocks
    are shared by the threads of a server."""

    def __init__(self, path: Path) -> None:
        self.arrays = ArrayFile(path, DICTIONARY_FORMAT)
        first, end = self.arrays.meta["keys"]
        self.keys: tuple[int, int] = (int(first), int(end))
        self._text_firsts: dict[str, list[str]] = {}
        self._blocks: OrderedDict[tuple[str, int], Terms] = OrderedDict()
        self._blocks_lock = threading.Lock()

    def close(self) -> None:
        """Let go of the file."""
        self.arrays.close()

    def block_count(self, group: str) -> int:
        """How many blocks ``group`` has."""
        return len(self.arrays[f"{group}.block"]) - 1

    def block_bytes(self, group: str) -> np.ndarray:
        """The bytes of the streams each block of ``group`` takes."""
        return self.arrays[f"{group}.bytes"]

    def firsts(self, group: str) -> list:
        """The first term of each block of ``group``."""
        if group == "han":
            return self.arrays["han.first"].tolist()
        found = self._text_firsts.get(group)
        if found is None:
            # Each block's text up to its first line break: no block's rows are decoded.
            bounds, text = self.arrays[f"{group}.text_block"].tolist(), self.arrays[f"{group}.text"]
            lines = (bytes(text[low:high]).split(b"\n", 1)[0] for low, high in pairwise(bounds))
            found = self._text_firsts[group] = [line.decode("utf-8") for line in lines]
        return found

    def block_of(self, group: str, term) -> int:
        """The block that would hold ``term`` (-1: before the first)."""
        if group == "han":
            return int(np.searchsorted(self.arrays["han.first"], term, side="right")) - 1
        return bisect_right(self.firsts(group), term) - 1

    def entry(self, group: str, term) -> Entry | None:
        """The postings of ``term`` (a code for ``han``, a string otherwise), or None."""
        number = self.block_of(group, term)
        if number < 0:
            return None
        block = self.block(group, number)
        found = block.index.get(term)
        return None if found is None else block.entry(found)

    def block(self, group: str, number: int) -> Terms:
        """Block ``number`` of ``group``, its terms a list (the blocks used last are kept)."""
        key = (group, number)
        with self._blocks_lock:
            found = self._blocks.get(key)
            if found is not None:
                self._blocks.move_to_end(key)
                return found
        arrays = self.arrays
        bounds = arrays[f"{group}.block"]
        values = self._rows(group, int(bounds[number]), int(bounds[number + 1]))
        if group == "han":
            terms, columns = (values[:, 0] + int(arrays["han.first"][number])).tolist(), values[:, 1:]
        else:
            terms, columns = self._texts(group, number, number + 1), values
        lengths = columns[:, _LENGTHS]
        starts = np.cumsum(lengths, axis=0) - lengths + arrays[f"{group}.base"][number].astype(np.int64)
        found = Terms(terms, columns, starts)
        with self._blocks_lock:
            self._blocks[key] = found
            if len(self._blocks) > _CACHED_BLOCKS:
                self._blocks.popitem(last=False)
        return found

    def read(self, group: str, blocks: range | None = None) -> Terms:
        """The terms of ``blocks`` of ``group`` (default: all), decoded in one go."""
        blocks = range(self.block_count(group)) if blocks is None else blocks
        if not len(blocks):
            return Terms(_NO_TERMS[group], np.zeros((0, len(COLUMNS)), np.int64), np.zeros((0, len(STREAMS)), np.int64))
        arrays = self.arrays
        bounds = arrays[f"{group}.block"][blocks.start : blocks.stop + 1].astype(np.int64)
        values = self._rows(group, int(bounds[0]), int(bounds[-1]))
        # Which block each row is in: count the bytes of the rows.
        row_ends = np.cumsum(varint.sizes(values.reshape(-1)).reshape(values.shape).sum(axis=1)) + bounds[0]
        counts = np.bincount(np.searchsorted(bounds[1:], row_ends, side="left"), minlength=len(blocks))
        if group == "han":
            terms = values[:, 0] + np.repeat(arrays["han.first"][blocks.start : blocks.stop], counts)
            columns = values[:, 1:]
        else:
            terms, columns = np.array(self._texts(group, blocks.start, blocks.stop), dtype=object), values
        # A term's run starts at its block's base plus the runs of the block's terms before it.
        lengths = columns[:, _LENGTHS]
        running = np.cumsum(lengths, axis=0) - lengths
        starts = running - np.repeat(running[packing.starts(counts)], counts, axis=0)
        starts += np.repeat(arrays[f"{group}.base"][blocks.start : blocks.stop].astype(np.int64), counts, axis=0)
        return Terms(terms, columns, starts)

    def _rows(self, group: str, start: int, end: int) -> np.ndarray:
        """The rows of ``group`` in the bytes ``start`` to ``end`` of its rows, decoded."""
        width = len(COLUMNS) + (group == "han")
        return varint.decode(self.arrays[f"{group}.rows"][start:end]).astype(np.int64).reshape(-1, width)

    def _texts(self, group: str, first: int, end: int) -> list[str]:
        """The terms of the blocks ``first`` to ``end`` (excluded) of ``words`` or ``phrases``."""
        bounds = self.arrays[f"{group}.text_block"][first : end + 1].tolist()
        base = bounds[0]
        text = bytes(self.arrays[f"{group}.text"][base : bounds[-1]])
        terms: list[str] = []
        for low, high in pairwise(bounds):
            terms += text[low - base : high - base].decode("utf-8").split("\n")
        return terms
