"""Joining parts of consecutive key ranges into one.

Parts hold disjoint, increasing ranges of document keys, so a term's postings in the merged part
are its postings in each part one after the other: documents and frequencies are decoded and
written again in regular blocks, positions copied as they are. The merge goes through the terms
a window at a time (a few thousand dictionary blocks, a few megabytes of postings), with array
operations over the window's terms, so its memory does not grow with the parts.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import pairwise
from pathlib import Path

import numpy as np

from .. import packing, varint
from .encode import COLUMNS, SKIP_FIELDS, Encoded, decode_many, encode
from .part import GROUPS, STREAMS, Part
from .writing import PartWriter

# Bytes of postings (of all parts together) a window holds, but for a term larger on its own,
# and dictionary blocks (of 64 terms) it holds.
WINDOW_BYTES = 8_000_000
_WINDOW_BLOCKS = 1024
# Bytes copied at a time within a window.
_SCATTER = 2_000_000


def merge(stems: list[Path], target: Path, window_bytes: int = WINDOW_BYTES) -> None:
    """Write the parts ``stems`` (in key order) as the one part ``target``, reading about
    ``window_bytes`` of postings at a time."""
    parts = [Part(stem) for stem in stems]
    writer = PartWriter(target, (parts[0].first_key, parts[-1].end_key))
    try:
        for group in GROUPS:
            for window in _windows(parts, group, window_bytes):
                writer.add(group, _merge_window(parts, group, window))
        writer.close()
    except BaseException:
        writer.abandon()
        raise
    finally:
        for part in parts:
            part.close()


def _windows(parts: list[Part], group: str, window_bytes: int):
    """Ranges of terms [low, high) (None: unbounded) covering the group, each holding about
    ``window_bytes`` of postings, a window at a time."""
    blocks = sorted(
        (term, int(size))
        for part in parts
        for term, size in zip(part.firsts(group), part.arrays[f"{group}.bytes"].tolist(), strict=True)
    )
    bounds, held, count = [None], 0, 0
    for term, size in blocks:
        if (held + size > window_bytes or count >= _WINDOW_BLOCKS) and count and term != bounds[-1]:
            bounds.append(term)
            held = count = 0
        held += size
        count += 1
    bounds.append(None)
    yield from pairwise(bounds)


def _in_window(part: Part, group: str, window) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The part's dictionary entries with terms in ``window``."""
    low, high = window
    firsts = part.firsts(group)
    first = 0 if low is None else max(bisect_left(firsts, low) - 1, 0)
    last = len(firsts) if high is None else bisect_left(firsts, high)
    terms, rows, starts = read_dictionary(part, group, range(first, last))
    keep = np.ones(len(terms), dtype=bool)
    if low is not None:
        keep &= terms >= low
    if high is not None:
        keep &= terms < high
    return terms[keep], rows[keep], starts[keep]


def _merge_window(parts: list[Part], group: str, window) -> Encoded:
    """The window's terms of every part as one: postings joined and blocked afresh (so a term
    found in many parts has no more blocks than if it had been written at once), positions
    copied as they are."""
    dictionaries = [_in_window(part, group, window) for part in parts]
    all_terms = np.concatenate([terms for terms, _rows, _starts in dictionaries])
    if not all_terms.size:
        return Encoded(np.zeros(0, np.int64), {name: np.zeros(0, np.int64) for name in COLUMNS}, b"", b"", b"", b"")
    union = np.unique(all_terms)
    where = [np.searchsorted(union, terms) for terms, _r, _s in dictionaries]
    # One segment per (term, part), in merged order: by term, then part.
    term_of = np.concatenate(where)
    part_of = np.concatenate([np.full(len(found), number) for number, found in enumerate(where)])
    rows = np.concatenate([rows for _t, rows, _s in dictionaries])
    starts = np.concatenate([starts for _t, _r, starts in dictionaries])
    order = np.lexsort((part_of, term_of))
    term_of, part_of, rows, starts = term_of[order], part_of[order], rows[order], starts[order]
    column = {name: rows[:, number] for number, name in enumerate(COLUMNS)}
    data = {stream: _gather(parts, part_of, starts[:, number], column[stream]) for number, stream in enumerate(STREAMS)}
    counts = column["count"]
    firsts = packing.starts(counts)
    # Blocks of the segments: each segment's first posting, and its skip rows' postings.
    skips = varint.decode(data["skips"]).astype(np.int64).reshape(-1, SKIP_FIELDS)
    row_sizes = varint.sizes(skips.reshape(-1)).reshape(-1, SKIP_FIELDS).sum(axis=1)
    skip_owner = np.searchsorted(np.cumsum(column["skips"]), np.cumsum(row_sizes) - row_sizes, side="right")
    block_starts = np.sort(np.r_[firsts, firsts[skip_owner] + skips[:, 0]])
    values = varint.decode(data["docs"]).astype(np.int64)
    keys = decode_many(values, counts, block_starts)
    freqs = np.ones(values.size, dtype=np.int64)
    ones = (values & 1).astype(bool)
    freqs[~ones] = varint.decode(data["freqs"]).astype(np.int64)
    # Bytes of each posting's positions: where its last position's varint ends.
    positioned = np.repeat(column["pos"] > 0, counts)
    ends = np.flatnonzero(np.frombuffer(data["pos"], dtype=np.uint8) < 0x80)
    last_value = np.cumsum(np.where(positioned, freqs, 0)) - 1
    byte_ends = np.where(positioned, ends[np.maximum(last_value, 0)] + 1, 0) if ends.size else np.zeros(keys.size, int)
    byte_ends = np.maximum.accumulate(byte_ends)
    pos_sizes = np.diff(np.r_[0, byte_ends])
    merged = encode(np.repeat(term_of, counts), keys, freqs, None, (data["pos"], pos_sizes))
    merged.terms = union[merged.terms]
    return merged


def _gather(parts: list[Part], part_of: np.ndarray, offsets: np.ndarray, lengths: np.ndarray) -> bytes:
    """A stream of the merged window: every segment's bytes, in merged order. Each part's bytes
    are read in one go and scattered a few megabytes at a time."""
    out = np.empty(int(lengths.sum()), dtype=np.uint8)
    destinations = packing.starts(lengths)
    for number, part in enumerate(parts):
        segments = np.flatnonzero((part_of == number) & (lengths > 0))
        if not segments.size:
            continue
        low = int(offsets[segments[0]])
        region = np.frombuffer(part.read((low, int(offsets[segments[-1]] + lengths[segments[-1]]) - low)), np.uint8)
        ends = np.cumsum(lengths[segments])
        first = 0
        while first < segments.size:
            last = max(
                int(np.searchsorted(ends, ends[first] - lengths[segments[first]] + _SCATTER, "right")), first + 1
            )
            chosen = segments[first:last]
            sizes = lengths[chosen]
            out[packing.spans(destinations[chosen], sizes)] = region[packing.spans(offsets[chosen] - low, sizes)]
            first = last
    return out.tobytes()


def read_dictionary(part: Part, group: str, blocks: range | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The terms of ``group`` in ``part`` (of the dictionary ``blocks``, default all), read in one
    go: (terms, columns as rows in ``COLUMNS`` order, stream starts as rows in ``STREAMS`` order)."""
    blocks = blocks if blocks is not None else range(part._block_count(group))
    width = len(COLUMNS) + (group == "han")
    if not len(blocks):
        empty = np.zeros(0, np.int64) if group == "han" else np.zeros(0, object)
        return empty, np.zeros((0, len(COLUMNS)), np.int64), np.zeros((0, len(STREAMS)), np.int64)
    bounds = part.arrays[f"{group}.block"][blocks.start : blocks.stop + 1].astype(np.int64)
    raw = part.arrays[f"{group}.rows"][bounds[0] : bounds[-1]]
    values = varint.decode(raw).astype(np.int64).reshape(-1, width)
    # Which block each row belongs to: count the rows each block's bytes hold.
    row_sizes = varint.sizes(values.reshape(-1)).reshape(-1, width).sum(axis=1)
    row_ends = np.cumsum(row_sizes) + bounds[0]
    owner = np.searchsorted(bounds[1:], row_ends, side="left")
    counts = np.bincount(owner, minlength=len(blocks))
    if group == "han":
        terms = values[:, 0] + np.repeat(part.arrays["han.first"][blocks.start : blocks.stop], counts)
        rows = values[:, 1:]
    else:
        text_bounds = part.arrays[f"{group}.text_block"][blocks.start : blocks.stop + 1].astype(np.int64)
        text = bytes(part.arrays[f"{group}.text"][text_bounds[0] : text_bounds[-1]])
        terms_list: list[str] = []
        for low, high in zip(text_bounds[:-1] - text_bounds[0], text_bounds[1:] - text_bounds[0], strict=True):
            terms_list += text[low:high].decode("utf-8").split("\n")
        terms = np.array(terms_list, dtype=object)
        rows = values
    lengths = rows[:, 3:]
    first_rows = np.cumsum(counts) - counts
    running = np.cumsum(lengths, axis=0) - lengths
    starts = running - np.repeat(running[first_rows], counts, axis=0)
    starts += np.repeat(part.arrays[f"{group}.base"][blocks.start : blocks.stop].astype(np.int64), counts, axis=0)
    return terms, rows, starts
