"""A part: the postings of the documents with keys in one range, in two files.

``<name>.arrays`` (``arrays``) holds the term dictionary of each group of terms (``han``: single
Han characters and pairs of them, by code point; ``words``: every other term, by its text;
``phrases``: pairs of adjacent words, by their text) in blocks of ``DICT_BLOCK`` terms, and
where each dictionary block's postings start in the streams.
``<name>.streams`` holds the streams of ``encode``, read with ``os.pread``: a term's postings
cost one read each, and the process holds no more of the file than the query asked for.

A single Han character's code is its code point; a pair's is ``first << 21 | second``.
"""

from __future__ import annotations

import os
import threading
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import varint
from ..arrays import ArrayFile
from ..packing import spans
from .encode import COLUMNS, SKIP_FIELDS, decode_docs, decode_positions

DICT_BLOCK = 64
# The blocks of positions a read needs are read in one go, gaps included, when they span at most
# this many bytes or four times the bytes needed (a page's documents in a common term's positions).
_LARGEST_READ = 1_048_576
# han: single Han characters and pairs of them, by code; words: every other term, by its text;
# phrases: pairs of adjacent words ("human right"), by their text.
GROUPS = ("han", "words", "phrases")
STREAMS = ("docs", "freqs", "pos", "skips")
PAIR_SHIFT = 21


def pair_code(first: str, second: str) -> int:
    """The code of a pair of Han characters."""
    return ord(first) << PAIR_SHIFT | ord(second)


@dataclass(frozen=True)
class Entry:
    """A term's postings in a part: how many, its first and last key, and where its bytes are."""

    count: int
    first: int
    last: int
    docs: tuple[int, int]
    freqs: tuple[int, int]
    pos: tuple[int, int]
    skips: tuple[int, int]


def part_stems(folder: Path) -> list[Path]:
    """The parts in ``folder``, oldest build first."""
    return sorted(Path(str(path)[: -len(".arrays")]) for path in folder.glob("part-*.arrays"))


def files(stem: Path) -> tuple[Path, Path]:
    """The two files of the part ``stem``: its arrays and its streams."""
    return Path(f"{stem}.arrays"), Path(f"{stem}.streams")


class Part:
    """A part open for reading."""

    def __init__(self, stem: Path) -> None:
        self.stem = stem
        arrays_file, streams_file = files(stem)
        self.arrays = ArrayFile(arrays_file)
        self.first_key, self.end_key = self.arrays.meta["keys"]
        self._fd = os.open(streams_file, os.O_RDONLY)
        self._text_firsts: dict[str, list[str]] = {}
        self._blocks: OrderedDict = OrderedDict()
        self._blocks_lock = threading.Lock()  # the decoded dictionary blocks, shared by threads

    def close(self) -> None:
        """Close the files."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        self.arrays.close()

    def read(self, span: tuple[int, int]) -> bytes:
        """The bytes at ``span`` (offset, length) of the streams."""
        offset, length = span
        return os.pread(self._fd, length, offset) if length else b""

    # -- The dictionary ---------------------------------------------------------------------

    def _block(self, group: str, number: int):
        """(terms, rows, stream starts) of dictionary block ``number`` of ``group``."""
        key = (group, number)
        with self._blocks_lock:
            found = self._blocks.get(key)
            if found is not None:
                self._blocks.move_to_end(key)
                return found
        bounds = self.arrays[f"{group}.block"]
        raw = self.arrays[f"{group}.rows"][int(bounds[number]) : int(bounds[number + 1])]
        width = len(COLUMNS) + (group == "han")
        rows = varint.decode(raw).astype(np.int64).reshape(-1, width)
        if group == "han":
            terms = (rows[:, 0] + int(self.arrays["han.first"][number])).tolist()
            rows = rows[:, 1:]
        else:
            text_bounds = self.arrays[f"{group}.text_block"]
            text = self.arrays[f"{group}.text"][int(text_bounds[number]) : int(text_bounds[number + 1])]
            terms = bytes(text).decode("utf-8").split("\n")
        lengths = rows[:, 3:]  # docs, freqs, pos, skips
        starts = np.cumsum(lengths, axis=0) - lengths + self.arrays[f"{group}.base"][number].astype(np.int64)
        found = ({term: index for index, term in enumerate(terms)}, terms, rows, starts)
        with self._blocks_lock:
            self._blocks[key] = found
            if len(self._blocks) > 256:
                self._blocks.popitem(last=False)
        return found

    def _block_count(self, group: str) -> int:
        return len(self.arrays[f"{group}.block"]) - 1

    def _block_of(self, group: str, term) -> int:
        if group == "han":
            return int(np.searchsorted(self.arrays["han.first"], term, side="right")) - 1
        return bisect_right(self.firsts(group), term) - 1

    def firsts(self, group: str) -> list:
        """The first term of each dictionary block of ``group``."""
        if group == "han":
            return self.arrays["han.first"].tolist()
        found = self._text_firsts.get(group)
        if found is None:
            found = self._text_firsts[group] = [
                self._block(group, number)[1][0] for number in range(self._block_count(group))
            ]
        return found

    def entry(self, group: str, term) -> Entry | None:
        """The postings of ``term`` (a code for ``han``, a string for ``words``), or None."""
        number = self._block_of(group, term)
        if number < 0:
            return None
        index, _terms, rows, starts = self._block(group, number)
        found = index.get(term)
        return None if found is None else _entry(rows[found], starts[found])

    def terms_from(self, group: str, start, stop, limit: int) -> list:
        """The first ``limit`` terms of ``group`` from ``start`` (included) to ``stop``
        (excluded), in order."""
        number = max(self._block_of(group, start), 0)
        found = []
        while number < self._block_count(group) and len(found) < limit:
            for term in self._block(group, number)[1]:
                if term >= stop or len(found) >= limit:
                    return found
                if term >= start:
                    found.append(term)
            number += 1
        return found

    # -- Postings ---------------------------------------------------------------------------

    def skips(self, entry: Entry) -> np.ndarray:
        """The skip rows of a term (block first posting, first key, docs, freqs, pos offsets)."""
        if not entry.skips[1]:
            return np.zeros((0, SKIP_FIELDS), dtype=np.int64)
        return varint.decode(self.read(entry.skips)).astype(np.int64).reshape(-1, SKIP_FIELDS)

    def postings(self, entry: Entry, skips: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(keys, frequencies) of every posting of ``entry`` (``skips``: its skip rows, if read)."""
        skips = self.skips(entry) if skips is None else skips
        block_starts = np.concatenate(([0], skips[:, 0])).astype(np.int64)
        return decode_docs(self.read(entry.docs), entry.count, block_starts, self.read(entry.freqs))

    def lookup(self, entry: Entry, skips: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Which of ``keys`` (increasing) hold the term, decoding only the blocks they would be in:
        (their posting indexes, their keys, the term's frequencies, known for those blocks)."""
        block_keys = np.concatenate(([entry.first], skips[:, 1]))
        starts = np.concatenate(([0], skips[:, 0]))
        ends = np.concatenate((skips[:, 0], [entry.count]))
        blocks = np.unique(np.searchsorted(block_keys, keys, side="right") - 1)
        blocks = blocks[blocks >= 0]
        freqs = np.zeros(entry.count, dtype=np.int64)
        if not blocks.size:
            return blocks, blocks, freqs
        docs = self._blocks_bytes(entry.docs, skips[:, 2], blocks)
        freq_bytes = self._blocks_bytes(entry.freqs, skips[:, 3], blocks)
        sizes = ends[blocks] - starts[blocks]
        firsts = np.cumsum(sizes) - sizes
        found_keys, found_freqs = decode_docs(docs, int(sizes.sum()), firsts, freq_bytes)
        postings = spans(starts[blocks], sizes)
        freqs[postings] = found_freqs
        hit = np.isin(found_keys, keys, assume_unique=True)
        return postings[hit], found_keys[hit], freqs

    def _blocks_bytes(self, span: tuple[int, int], offsets: np.ndarray, blocks: np.ndarray) -> np.ndarray:
        """The bytes of ``blocks`` of one of a term's streams (``offsets``: where each block
        after the first starts), one after another, read in one go."""
        starts = np.concatenate(([0], offsets))
        ends = np.concatenate((offsets, [span[1]]))
        low, high = int(starts[blocks[0]]), int(ends[blocks[-1]])
        region = np.frombuffer(self.read((span[0] + low, high - low)), dtype=np.uint8)
        lengths = ends[blocks] - starts[blocks]
        return region if lengths.sum() == region.size else region[spans(starts[blocks] - low, lengths)]

    def positions(
        self, entry: Entry, freqs: np.ndarray, wanted: np.ndarray, skips: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the postings ``wanted`` (indexes, increasing) of ``entry``, whose
        frequencies are ``freqs``: (the index of the posting each belongs to, the positions).
        Only the blocks holding wanted postings are decoded; they are read in one go, or (when
        they lie far apart in a long list) a run of blocks at a time."""
        skips = self.skips(entry) if skips is None else skips
        block_starts = np.r_[0, skips[:, 0]].astype(np.int64)
        block_offsets = np.r_[0, skips[:, 4]].astype(np.int64)
        block_ends = np.r_[block_starts[1:], entry.count]
        byte_ends = np.r_[block_offsets[1:], entry.pos[1]]
        blocks = np.unique(np.searchsorted(block_starts, wanted, side="right") - 1)
        needed = int((byte_ends[blocks] - block_offsets[blocks]).sum())
        span = int(byte_ends[blocks[-1]] - block_offsets[blocks[0]])
        if span <= max(4 * needed, _LARGEST_READ):
            runs = [blocks[[0, -1]]]
        else:
            cuts = np.flatnonzero(np.diff(blocks) != 1) + 1
            runs = [run[[0, -1]] for run in np.split(blocks, cuts)]
        # The needed blocks' bytes one after another, and the postings they hold.
        region = np.frombuffer(
            b"".join(
                self.read((entry.pos[0] + int(block_offsets[first]), int(byte_ends[last] - block_offsets[first])))
                for first, last in runs
            ),
            dtype=np.uint8,
        )
        if len(runs) == 1 and blocks.size != blocks[-1] - blocks[0] + 1:  # read in one go: keep the needed
            lengths = byte_ends[blocks] - block_offsets[blocks]
            region = region[spans(block_offsets[blocks] - block_offsets[blocks[0]], lengths)]
            runs = [(block, block) for block in blocks.tolist()]
        lows = np.array([block_starts[first] for first, _last in runs])
        sizes = np.array([block_ends[last] for _first, last in runs]) - lows
        postings = spans(lows, sizes)
        inside = wanted[np.isin(wanted, postings, assume_unique=True)]
        counts = freqs[postings]
        value_ends = np.cumsum(counts)
        chosen = np.searchsorted(postings, inside)
        picked = freqs[inside]
        if 2 * inside.size >= postings.size:
            values = decode_positions(region, counts)
            return np.repeat(inside, picked), values[spans(value_ends[chosen] - picked, picked)]
        # Few are wanted: find each wanted posting's bytes by counting the varints' last bytes.
        last_bytes = np.flatnonzero(region < 0x80)
        ends = value_ends[chosen]
        byte_end = last_bytes[ends - 1] + 1
        first_value = ends - picked
        byte_start = np.where(first_value > 0, last_bytes[np.maximum(first_value - 1, 0)] + 1, 0)
        data = region[spans(byte_start, byte_end - byte_start)]
        return np.repeat(inside, picked), decode_positions(data, picked)


def _entry(row: np.ndarray, starts: np.ndarray) -> Entry:
    count, first, last, docs, freqs, pos, skips = (int(value) for value in row)
    return Entry(
        count,
        first,
        last,
        (int(starts[0]), docs),
        (int(starts[1]), freqs),
        (int(starts[2]), pos),
        (int(starts[3]), skips),
    )
