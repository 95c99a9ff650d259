"""Unsigned integers as variable-length bytes (LEB128: seven bits a byte, the high bit set on
every byte but a number's last), encoded and decoded for whole arrays at once with numpy.

Postings are mostly small gaps, a byte each; decoding a term's list is a handful of array
operations however long it is, never a Python loop per number.
"""

from __future__ import annotations

import numpy as np


def sizes(values: np.ndarray) -> np.ndarray:
    """How many bytes each of ``values`` takes."""
    values = np.asarray(values, dtype=np.uint64)
    found = np.ones(values.size, dtype=np.int64)
    for k in range(1, 10):
        longer = values >= np.uint64(1 << (7 * k))
        if not longer.any():
            break
        found += longer
    return found


def encode(values: np.ndarray) -> bytes:
    """The bytes of ``values`` (unsigned, below 2**63), one number after another."""
    values = np.asarray(values, dtype=np.uint64)
    if values.size == 0:
        return b""
    lengths = sizes(values)
    if int(lengths.max()) == 1:
        return values.astype(np.uint8).tobytes()
    ends = np.cumsum(lengths)
    starts = ends - lengths
    out = np.empty(int(ends[-1]), dtype=np.uint8)
    index = np.arange(values.size)
    k = 0
    while index.size:
        chunk = ((values[index] >> np.uint64(7 * k)) & np.uint64(0x7F)).astype(np.uint8)
        more = lengths[index] > k + 1
        chunk[more] |= 0x80
        out[starts[index] + k] = chunk
        index = index[more]
        k += 1
    return out.tobytes()


def decode(data: bytes | memoryview | np.ndarray) -> np.ndarray:
    """The numbers ``encode`` wrote: uint32 when every one fits in four bytes (28 bits, as
    postings do; half the memory to move), else uint64."""
    raw = data if isinstance(data, np.ndarray) else np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(raw < 0x80)
    if ends.size == raw.size:
        return raw.astype(np.uint32)
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    sizes = ends - starts + 1
    wide = np.uint32 if int(sizes.max()) <= 4 else np.uint64
    values = raw[starts].astype(wide) & wide(0x7F)
    more = np.flatnonzero(sizes > 1)
    k = 1
    while more.size:
        values[more] |= (raw[starts[more] + k].astype(wide) & wide(0x7F)) << wide(7 * k)
        k += 1
        more = more[sizes[more] > k]
    return values


def count(data: bytes | memoryview) -> int:
    """How many numbers ``data`` holds."""
    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) < 0x80))


# Numbers ``decode_at`` reads one by one: for a few, array operations cost more than a loop.
_FEW = 8


def decode_at(raw: np.ndarray, starts: np.ndarray | list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The numbers whose bytes begin at ``starts`` in ``raw``, and how many bytes each takes."""
    if len(starts) <= _FEW:
        found = [_one_at(raw, int(start)) for start in starts]
        return np.array([value for value, _ in found], dtype=np.int64), np.array([size for _, size in found], np.int64)
    starts = np.asarray(starts, dtype=np.int64)
    values = np.zeros(starts.size, dtype=np.int64)
    sizes = np.ones(starts.size, dtype=np.int64)
    index = np.arange(starts.size)
    k = 0
    while index.size:
        byte = raw[starts[index] + k].astype(np.int64)
        values[index] |= (byte & 0x7F) << (7 * k)
        index = index[byte >= 0x80]
        sizes[index] += 1
        k += 1
    return values, sizes


def _one_at(raw: np.ndarray, start: int) -> tuple[int, int]:
    """The number whose bytes begin at ``start`` in ``raw``, and how many bytes it takes."""
    value, at = 0, start
    while True:
        byte = int(raw[at])
        value |= (byte & 0x7F) << (7 * (at - start))
        at += 1
        if byte < 0x80:
            return value, at - start
