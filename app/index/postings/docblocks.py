"""A block's documents as bytes: gaps as varints, or a bitmap of the keys where that is smaller.

The postings of a common term are dense: a word in most documents has gaps of one or two, a
byte each as varints, where a bitmap over the block's keys takes a bit or two. So each block of
a term's ``docs`` stream is written in whichever of two ways is shorter (numbers are varints)::

    Block        --> Head, (Gaps | Bitmap)       Head: (Key * 2 + One) * 2 + Dense
    Gaps         --> (Gap * 2 + One)^(Count - 1)  when Dense is 0
    Bitmap       --> KeyBits, OneBits             when Dense is 1
    KeyBits      --> byte^ceil(Span / 8)          bit Key_i - Key - 1 set for each later posting
    OneBits      --> byte^ceil((Count - 1) / 8)   bit i - 1 set when posting i's One is
    Span         --> the block's last key minus its first

Key is the block's first key, whole; One is 1 when a posting's frequency is 1 (its frequency is
then not in the ``freqs`` stream); bits are counted from each byte's lowest. A block's count and
where it starts are the skip rows' (``encode``), so a bitmap's length is the block's bytes less
its head's and its ``OneBits``.

Both ways are encoded and decoded for many blocks of many terms at once, with array operations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import varint
from ..packing import spans
from ..packing import starts as starts_of


@dataclass(frozen=True)
class DocsBytes:
    """The ``docs`` bytes of consecutive blocks, and how many of them each posting accounts for
    (a block's head counts its bitmap; the later postings of a bitmap's block count none)."""

    data: bytes
    sizes: np.ndarray


_DAMAGED = "a block of postings holds other than its count of documents: the part is damaged"


def _bytes_for(bits: np.ndarray) -> np.ndarray:
    return (bits + 7) // 8


def encode_blocks(keys: np.ndarray, ones: np.ndarray, firsts: np.ndarray) -> DocsBytes:
    """The bytes of consecutive blocks: ``keys`` (increasing within a block) and ``ones`` of
    their postings, ``firsts`` the posting each block begins with (0 first)."""
    total = keys.size
    counts = np.diff(np.r_[firsts, total])
    head = np.zeros(total, dtype=bool)
    head[firsts] = True
    previous = np.r_[0, keys[:-1]]
    values = np.where(head, keys, keys - previous) * 2 + ones
    value_sizes = varint.sizes(values)
    # A block's cost each way: its later postings' varints, or its two bitmaps.
    gap_bytes = np.add.reduceat(np.where(head, 0, value_sizes), firsts) if total else np.zeros(0, np.int64)
    last = firsts + counts - 1
    bitmap = _bytes_for(keys[last] - keys[firsts]) + _bytes_for(counts - 1)
    dense = (counts > 1) & (bitmap < gap_bytes)
    values[firsts] = values[firsts] * 2 + dense
    value_sizes[firsts] = varint.sizes(values[firsts])
    sparse = ~np.repeat(dense, counts) | head
    sizes = np.where(sparse, value_sizes, 0)
    sizes[firsts] += np.where(dense, bitmap, 0)
    out = np.zeros(int(sizes.sum()), dtype=np.uint8)
    offsets = starts_of(sizes)
    coded = np.flatnonzero(sparse)
    out[spans(offsets[coded], value_sizes[coded])] = np.frombuffer(varint.encode(values[coded]), dtype=np.uint8)
    chosen = np.flatnonzero(dense)
    if chosen.size:
        key_bytes = _bytes_for(keys[last[chosen]] - keys[firsts[chosen]])
        one_bytes = _bytes_for(counts[chosen] - 1)
        payload = key_bytes + one_bytes
        bits = np.zeros(8 * int(payload.sum()), dtype=bool)
        bit_base = 8 * starts_of(payload)
        later = spans(firsts[chosen] + 1, counts[chosen] - 1)
        block = np.repeat(np.arange(chosen.size), counts[chosen] - 1)
        heads = firsts[chosen]
        bits[bit_base[block] + keys[later] - keys[heads][block] - 1] = True
        bits[(bit_base + 8 * key_bytes)[block] + later - heads[block] - 1] = ones[later].astype(bool)
        out[spans(offsets[heads] + value_sizes[heads], payload)] = np.packbits(bits, bitorder="little")
    return DocsBytes(out.tobytes(), sizes)


def decode_blocks(
    data: np.ndarray | bytes, byte_starts: np.ndarray | list[int], counts: np.ndarray | list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """(keys, ones) of consecutive blocks from their bytes: ``byte_starts`` where each block
    starts in ``data`` (0 first), ``counts`` its postings."""
    raw = data if isinstance(data, np.ndarray) else np.frombuffer(data, dtype=np.uint8)
    heads, head_sizes = varint.decode_at(raw, byte_starts)
    dense = heads & 1
    heads >>= 1
    if dense.any():
        counts = np.asarray(counts, dtype=np.int64)
        byte_starts = np.asarray(byte_starts, dtype=np.int64)
        return _mixed(raw, byte_starts, counts, starts_of(counts), heads, head_sizes, dense.astype(bool))
    # Gaps only (a rare term's one block is): every number a varint, decoded in one go.
    values = varint.decode(raw).astype(np.int64)
    if len(counts) == 1:  # one block, no starts to work out (they cost a rare term's read a fifth more)
        if values.size != counts[0]:
            raise ValueError(_DAMAGED)
        values[0] = heads[0]
        return np.cumsum(values >> 1), (values & 1).astype(bool)
    counts = np.asarray(counts, dtype=np.int64)
    if values.size != int(counts.sum()):
        raise ValueError(_DAMAGED)
    firsts = starts_of(counts)
    values[firsts] = heads
    keys = np.cumsum(values >> 1)
    keys -= np.repeat(np.r_[0, keys[firsts[1:] - 1]], counts)
    return keys, (values & 1).astype(bool)


def _mixed(
    raw: np.ndarray,
    byte_starts: np.ndarray,
    counts: np.ndarray,
    firsts: np.ndarray,
    heads: np.ndarray,
    head_sizes: np.ndarray,
    dense: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``decode_blocks`` where some blocks are bitmaps (``dense``); ``heads`` without the bit
    that says so."""
    total = int(counts.sum())
    byte_ends = np.r_[byte_starts[1:], raw.size]
    keys = np.empty(total, dtype=np.int64)
    ones = np.empty(total, dtype=bool)
    keys[firsts], ones[firsts] = heads >> 1, (heads & 1).astype(bool)
    sparse = np.flatnonzero(~dense & (counts > 1))
    if sparse.size:
        lows = byte_starts[sparse] + head_sizes[sparse]
        values = varint.decode(raw[spans(lows, byte_ends[sparse] - lows)]).astype(np.int64)
        later = counts[sparse] - 1
        if values.size != int(later.sum()):
            raise ValueError(_DAMAGED)
        gaps = values >> 1
        running = np.cumsum(gaps)
        block_firsts = starts_of(later)
        before = np.repeat(running[block_firsts] - gaps[block_firsts], later)
        postings = spans(firsts[sparse] + 1, later)
        keys[postings] = running - before + np.repeat(keys[firsts[sparse]], later)
        ones[postings] = (values & 1).astype(bool)
    chosen = np.flatnonzero(dense)
    later = counts[chosen] - 1
    one_bytes = _bytes_for(later)
    lows = byte_starts[chosen] + head_sizes[chosen]
    key_bytes = byte_ends[chosen] - lows - one_bytes
    found = np.flatnonzero(np.unpackbits(raw[spans(lows, key_bytes)], bitorder="little"))
    if found.size != int(later.sum()):
        raise ValueError(_DAMAGED)
    block = np.repeat(np.arange(chosen.size), later)
    postings = spans(firsts[chosen] + 1, later)
    keys[postings] = keys[firsts[chosen]][block] + 1 + found - 8 * starts_of(key_bytes)[block]
    one_bits = np.unpackbits(raw[spans(lows + key_bytes, one_bytes)], bitorder="little")
    ones[postings] = one_bits[spans(8 * starts_of(one_bytes), later)].astype(bool)
    return keys, ones
