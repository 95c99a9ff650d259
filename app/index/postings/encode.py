"""Postings as bytes: documents and frequencies in one stream, positions in another.

A term's postings are its documents' keys in increasing order, how often it occurs in each, and
(for words and single Han characters) where. They are written in blocks of up to ``BLOCK``
postings, each of which can be decoded alone:

- ``docs``: per block its first key whole, then the others as gaps (varints) or as a bitmap,
  whichever is shorter (``docblocks``), with a bit a posting saying "frequency 1" (Lucene's
  trick: most frequencies are 1);
- ``freqs``: the frequencies that are not 1;
- ``pos``: per posting its positions, as gaps from the previous one (the first whole);
- ``skips``: for each block after a term's first, five numbers: the block's first posting, its
  first key, and where its documents, frequencies and positions start, from the term's start.

Numbers but the bitmaps are varints (``varint``). ``encode`` turns the postings of many terms at
once into these streams and per-term columns (count, first and last key, byte lengths in each
stream), with numpy over all postings together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import packing, varint
from .docblocks import decode_blocks, encode_blocks

BLOCK = 128
# The per-term columns; a dictionary row holds them in this order, the streams' lengths last
# in the order of ``dictionary.STREAMS`` (``dictionary`` reads them by name).
COLUMNS = ("count", "first", "last", "docs", "freqs", "pos", "skips")
SKIP_FIELDS = 5


@dataclass
class Encoded:
    """The postings of a group of terms: sorted unique terms, their columns, and the streams."""

    terms: np.ndarray
    columns: dict[str, np.ndarray]
    docs: bytes
    freqs: bytes
    pos: bytes
    skips: bytes


def _term_sums(per_posting: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sum of ``per_posting`` over each term's postings (``starts``: each term's first posting)."""
    if per_posting.size == 0:
        return np.zeros(starts.size, dtype=np.int64)
    return np.add.reduceat(per_posting.astype(np.int64), starts) if starts.size else np.zeros(0, np.int64)


def encode(
    terms: np.ndarray,
    keys: np.ndarray,
    freqs: np.ndarray,
    positions: np.ndarray | None,
    encoded_positions: tuple[bytes, np.ndarray] | None = None,
) -> Encoded:
    """Encode postings sorted by term, then key; ``positions`` holds each posting's positions in
    turn (increasing within a posting), or is None for terms without positions. Positions
    already encoded are given instead as ``encoded_positions``: their bytes, and how many bytes
    each posting's take."""
    total = keys.size
    keys = keys.astype(np.int64)
    freqs = freqs.astype(np.int64)
    if total == 0:
        empty = {name: np.zeros(0, np.int64) for name in COLUMNS}
        return Encoded(terms[:0], empty, b"", b"", b"", b"")
    starts = np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]])
    counts = np.diff(np.r_[starts, total])
    within = np.arange(total) - np.repeat(starts, counts)
    block_first = within % BLOCK == 0
    documents = encode_blocks(keys, freqs == 1, np.flatnonzero(block_first))
    doc_sizes = documents.sizes
    freq_sizes = np.where(freqs != 1, varint.sizes(freqs), 0)
    docs = documents.data
    freq_bytes = varint.encode(freqs[freqs != 1])
    if positions is not None:
        positions = positions.astype(np.int64)
        posting_ends = np.cumsum(freqs)
        posting_starts = posting_ends - freqs
        pos_gaps = positions - np.r_[0, positions[:-1]]
        pos_gaps[posting_starts] = positions[posting_starts]
        pos_value_sizes = varint.sizes(pos_gaps)
        pos_sizes = np.add.reduceat(pos_value_sizes, posting_starts)
        pos_bytes = varint.encode(pos_gaps)
    elif encoded_positions is not None:
        pos_bytes, pos_sizes = encoded_positions
    else:
        pos_sizes = np.zeros(total, dtype=np.int64)
        pos_bytes = b""

    # Byte offsets of each posting from its term's start, in each stream.
    def from_term_start(sizes: np.ndarray) -> np.ndarray:
        offsets = packing.starts(sizes)
        return offsets - np.repeat(offsets[starts], counts)

    skip_rows = np.flatnonzero(block_first & (within > 0))
    skip_values = np.column_stack(
        [
            within[skip_rows],
            keys[skip_rows],
            from_term_start(doc_sizes)[skip_rows],
            from_term_start(freq_sizes)[skip_rows],
            from_term_start(pos_sizes)[skip_rows],
        ]
    ).reshape(-1)
    skip_bytes = varint.encode(skip_values)
    row_sizes = varint.sizes(skip_values).reshape(-1, SKIP_FIELDS).sum(axis=1)
    skip_owner = np.searchsorted(starts, skip_rows, side="right") - 1
    skip_lengths = np.bincount(skip_owner, weights=row_sizes, minlength=starts.size).astype(np.int64)
    columns = {
        "count": counts,
        "first": keys[starts],
        "last": keys[starts + counts - 1],
        "docs": _term_sums(doc_sizes, starts),
        "freqs": _term_sums(freq_sizes, starts),
        "pos": _term_sums(pos_sizes, starts),
        "skips": skip_lengths,
    }
    return Encoded(terms[starts], columns, docs, freq_bytes, pos_bytes, skip_bytes)


def decode_docs(
    data: bytes | np.ndarray, counts: np.ndarray | list[int], byte_starts: np.ndarray | list[int], freq_data: bytes
) -> tuple[np.ndarray, np.ndarray]:
    """(keys, frequencies) of consecutive blocks of postings from their ``docs`` and ``freqs``
    bytes: ``counts`` the postings of each block and ``byte_starts`` where each begins in
    ``data``."""
    keys, ones = decode_blocks(data, byte_starts, counts)
    freqs = np.ones(keys.size, dtype=np.int64)
    if not ones.all():
        freqs[~ones] = varint.decode(freq_data)[: int(keys.size - ones.sum())]
    return keys, freqs


def decode_positions(data: bytes, freqs: np.ndarray) -> np.ndarray:
    """The positions of consecutive postings with ``freqs`` positions each, from their bytes."""
    gaps = varint.decode(data)[: int(freqs.sum())].astype(np.int64)
    positions = np.cumsum(gaps)
    if freqs.size > 1:
        before = np.r_[0, positions[np.cumsum(freqs)[:-1] - 1]]
        positions -= np.repeat(before, freqs)
    return positions
