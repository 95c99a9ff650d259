"""A part open for reading: its dictionary (``dictionary``, which also gives the grammar of
both its files) and reads from its streams with ``os.pread``: a term's postings cost one read
each, and the process holds no more of the file than the query asked for.

A single Han character's code is its code point; a pair's is ``first << 21 | second``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .. import varint
from ..codec import LONGEST_HEADER, expect, read_header
from ..packing import spans, unique, within
from ..packing import starts as starts_of
from .dictionary import DICTIONARY, STREAMS_FILE, STREAMS_FORMAT, Dictionary, Entry
from .encode import SKIP_FIELDS, decode_docs, decode_positions

# The blocks of positions a read needs are read in one go, gaps included, when they span at most
# this many bytes or four times the bytes needed (a page's documents in a common term's positions).
_LARGEST_READ = 1_048_576
PAIR_SHIFT = 21


def pair_code(first: str, second: str) -> int:
    """The code of a pair of Han characters."""
    return ord(first) << PAIR_SHIFT | ord(second)


def part_stems(folder: Path) -> list[Path]:
    """The parts in ``folder``, oldest build first."""
    return sorted(Path(str(path)[: -len(DICTIONARY)]) for path in folder.glob(f"part-*{DICTIONARY}"))


def files(stem: Path) -> tuple[Path, Path]:
    """The two files of the part ``stem``: its dictionary and its streams."""
    return Path(f"{stem}{DICTIONARY}"), Path(f"{stem}{STREAMS_FILE}")


class Part:
    """A part open for reading."""

    def __init__(self, stem: Path) -> None:
        self.stem = stem
        dictionary_file, streams_file = files(stem)
        self.dictionary = Dictionary(dictionary_file)
        self.first_key, self.end_key = self.dictionary.keys
        self._fd = -1
        try:
            self._fd = os.open(streams_file, os.O_RDONLY)
            expect(streams_file, read_header(streams_file, os.pread(self._fd, LONGEST_HEADER, 0))[0], STREAMS_FORMAT)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the files."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        self.dictionary.close()

    def release(self) -> None:
        """Drop the pages of the dictionary read so far from this process's memory."""
        self.dictionary.arrays.release()

    def read(self, span: tuple[int, int]) -> bytes:
        """The bytes at ``span`` (offset, length) of the streams."""
        offset, length = span
        return os.pread(self._fd, length, offset) if length else b""

    def entry(self, group: str, term) -> Entry | None:
        """The postings of ``term`` (a code for ``han``, a string otherwise), or None."""
        return self.dictionary.entry(group, term)

    def terms_from(self, group: str, start, stop, limit: int) -> list:
        """The first ``limit`` terms of ``group`` from ``start`` (included) to ``stop``
        (excluded), in order."""
        dictionary = self.dictionary
        number = max(dictionary.block_of(group, start), 0)
        found: list = []
        while number < dictionary.block_count(group) and len(found) < limit:
            for term in dictionary.block(group, number).terms:
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
        if not skips.size:  # one block, as most terms are
            return decode_docs(self.read(entry.docs), [entry.count], [0], self.read(entry.freqs))
        counts = np.diff(skips[:, 0], prepend=0, append=entry.count)
        return decode_docs(self.read(entry.docs), counts, np.r_[0, skips[:, 2]], self.read(entry.freqs))

    def lookup(self, entry: Entry, skips: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Which of ``keys`` (increasing) hold the term, decoding only the blocks they would be in:
        (their posting indexes, their keys, the term's frequencies, known for those blocks)."""
        block_keys = np.concatenate(([entry.first], skips[:, 1]))
        starts = np.concatenate(([0], skips[:, 0]))
        ends = np.concatenate((skips[:, 0], [entry.count]))
        blocks = unique(np.searchsorted(block_keys, keys, side="right") - 1)
        blocks = blocks[blocks >= 0]
        freqs = np.zeros(entry.count, dtype=np.int64)
        if not blocks.size:
            return blocks, blocks, freqs
        docs = self._blocks_bytes(entry.docs, skips[:, 2], blocks)
        freq_bytes = self._blocks_bytes(entry.freqs, skips[:, 3], blocks)
        sizes = ends[blocks] - starts[blocks]
        doc_starts = starts_of(np.diff(skips[:, 2], prepend=0, append=entry.docs[1])[blocks])
        found_keys, found_freqs = decode_docs(docs, sizes, doc_starts, freq_bytes)
        postings = spans(starts[blocks], sizes)
        freqs[postings] = found_freqs
        hit = within(found_keys, keys)
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
        blocks = unique(np.searchsorted(block_starts, wanted, side="right") - 1)
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
            # By a mask of the region's bytes, block by block: an index of every byte kept took
            # half of this function's time on long phrases.
            first, last = int(blocks[0]), int(blocks[-1])
            needed = np.zeros(last - first + 1, dtype=bool)
            needed[blocks - first] = True
            region = region[np.repeat(needed, byte_ends[first : last + 1] - block_offsets[first : last + 1])]
            runs = [(block, block) for block in blocks.tolist()]
        lows = np.array([block_starts[first] for first, _last in runs])
        sizes = np.array([block_ends[last] for _first, last in runs]) - lows
        postings = spans(lows, sizes)  # every wanted posting among them: the runs cover its block
        counts = freqs[postings]
        value_ends = np.cumsum(counts)
        chosen = np.searchsorted(postings, wanted)
        picked = freqs[wanted]
        if 2 * wanted.size >= postings.size:
            values = decode_positions(region, counts)
            return np.repeat(wanted, picked), values[spans(value_ends[chosen] - picked, picked)]
        # Few are wanted: find each wanted posting's bytes by counting the varints' last bytes.
        last_bytes = np.flatnonzero(region < 0x80)
        ends = value_ends[chosen]
        byte_end = last_bytes[ends - 1] + 1
        first_value = ends - picked
        byte_start = np.where(first_value > 0, last_bytes[np.maximum(first_value - 1, 0)] + 1, 0)
        data = region[spans(byte_start, byte_end - byte_start)]
        return np.repeat(wanted, picked), decode_positions(data, picked)
