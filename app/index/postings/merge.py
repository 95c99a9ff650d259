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
from .dictionary import GROUPS, STREAMS, Terms
from .encode import COLUMNS, SKIP_FIELDS, Encoded, decode_docs, encode
from .part import Part
from .writing import PartWriter

# Bytes of postings (of all parts together) a window holds, but for a term larger on its own,
# and dictionary blocks (of 64 terms) it holds. A window's work arrays take some 100 times its
# bytes (every varint decoded to int64, several times over): merging the 20 runs of 30,000
# documents took a peak of 281 MB of allocations with 8 MB windows, 135 MB with 1 MB (and
# 13.7 s instead of 18.5 s). With the blocks' list let go (``_windows``), under tracemalloc:
# 125 MB in 31 s with 1 MB windows, 95 MB in 35 s with 0.75 MB, 90 MB in 43 s with 0.5 MB.
WINDOW_BYTES = 750_000
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
                # The runs' dictionaries (a worker writes 20 runs for every 30,000 documents) are
                # mapped and read through once: every page kept would count to the worker.
                for part in parts:
                    part.release()
        writer.close()
    except BaseException:
        writer.abandon()
        raise
    finally:
        for part in parts:
            part.close()


def _windows(parts: list[Part], group: str, window_bytes: int):
    """Ranges of terms [low, high) (None: unbounded) covering the group, each holding about
    ``window_bytes`` of postings. Every block of every part is listed and sorted here, and let
    go before the merge goes through the windows (at 20 runs, 10 MB of the merge's peak; a
    worker of 120,000 documents merges 80)."""
    blocks = sorted(
        (term, int(size))
        for part in parts
        for term, size in zip(part.dictionary.firsts(group), part.dictionary.block_bytes(group).tolist(), strict=True)
    )
    bounds, held, count = [None], 0, 0
    for term, size in blocks:
        if (held + size > window_bytes or count >= _WINDOW_BLOCKS) and count and term != bounds[-1]:
            bounds.append(term)
            held = count = 0
        held += size
        count += 1
    bounds.append(None)
    return pairwise(bounds)


def _in_window(part: Part, group: str, window) -> Terms:
    """The part's terms in ``window``."""
    low, high = window
    firsts = part.dictionary.firsts(group)
    first = 0 if low is None else max(bisect_left(firsts, low) - 1, 0)
    last = len(firsts) if high is None else bisect_left(firsts, high)
    found = part.dictionary.read(group, range(first, last))
    keep = np.ones(len(found.terms), dtype=bool)
    if low is not None:
        keep &= found.terms >= low
    if high is not None:
        keep &= found.terms < high
    return found.select(keep)


def _merge_window(parts: list[Part], group: str, window) -> Encoded:
    """The window's terms of every part as one: postings joined and blocked afresh (so a term
    found in many parts has no more blocks than if it had been written at once), positions
    copied as they are."""
    dictionaries = [_in_window(part, group, window) for part in parts]
    all_terms = np.concatenate([found.terms for found in dictionaries])
    if not all_terms.size:
        return Encoded(np.zeros(0, np.int64), {name: np.zeros(0, np.int64) for name in COLUMNS}, b"", b"", b"", b"")
    union = packing.unique(all_terms)
    where = [np.searchsorted(union, found.terms) for found in dictionaries]
    # One segment per (term, part), in merged order: by term, then part.
    term_of = np.concatenate(where)
    part_of = np.concatenate([np.full(len(found), number) for number, found in enumerate(where)])
    order = np.lexsort((part_of, term_of))
    term_of, part_of = term_of[order], part_of[order]
    segments = Terms(
        all_terms,
        np.concatenate([found.columns for found in dictionaries]),
        np.concatenate([found.starts for found in dictionaries]),
    ).select(order)
    column = {name: segments.column(name) for name in COLUMNS}
    data = {
        stream: _gather(parts, part_of, segments.starts[:, number], column[stream])
        for number, stream in enumerate(STREAMS)
    }
    counts = column["count"]
    firsts = packing.starts(counts)
    # Blocks of the segments: each segment's first posting, and its skip rows' postings.
    skips = varint.decode(data["skips"]).astype(np.int64).reshape(-1, SKIP_FIELDS)
    row_sizes = varint.sizes(skips.reshape(-1)).reshape(-1, SKIP_FIELDS).sum(axis=1)
    skip_owner = np.searchsorted(np.cumsum(column["skips"]), packing.starts(row_sizes), side="right")
    block_starts = np.sort(np.r_[firsts, firsts[skip_owner] + skips[:, 0]])
    doc_starts = packing.starts(column["docs"])
    byte_starts = np.sort(np.r_[doc_starts, doc_starts[skip_owner] + skips[:, 2]])
    keys, freqs = decode_docs(data["docs"], np.diff(np.r_[block_starts, counts.sum()]), byte_starts, data["freqs"])
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
