"""Joining postings: groups of terms side by side, and parts of consecutive key ranges into one.

Parts hold disjoint, increasing ranges of document keys, so a term's postings in the merged part
are its postings in each part one after the other: the bytes are copied as they are (a block
begins with a whole key, so no gap needs writing again), and each part's first block becomes a
skip row. Everything is done with array operations over all terms at once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import varint
from .encode import COLUMNS, SKIP_FIELDS, Encoded
from .part import GROUPS, STREAMS, Part, read_dictionary, write_part

# Bytes gathered at a time when copying a stream.
_CHUNK = 1 << 24


def concatenate(groups: list[Encoded]) -> Encoded:
    """Encoded groups whose terms follow each other (all of one group's before the next's) as one."""
    present = [group for group in groups if len(group.terms)]
    if not present:
        return groups[0]
    return Encoded(
        np.concatenate([group.terms for group in present]),
        {name: np.concatenate([group.columns[name] for group in present]) for name in COLUMNS},
        *(b"".join(getattr(group, stream) for group in present) for stream in STREAMS),
    )


def merge(stems: list[Path], target: Path) -> None:
    """Write the parts ``stems`` (in key order) as the one part ``target``."""
    parts = [Part(stem) for stem in stems]
    try:
        groups = {group: _merge_group(parts, group) for group in GROUPS}
        write_part(target, groups, (parts[0].first_key, parts[-1].end_key))
    finally:
        for part in parts:
            part.close()


def _merge_group(parts: list[Part], group: str) -> Encoded:
    dictionaries = [read_dictionary(part, group) for part in parts]
    all_terms = [term for terms, _rows, _starts in dictionaries for term in terms]
    if not all_terms:
        empty = {name: np.zeros(0, np.int64) for name in COLUMNS}
        return Encoded(np.zeros(0, np.int64), empty, b"", b"", b"", b"")
    if group == "han":
        union = np.unique(np.asarray(all_terms, dtype=np.int64))
        where = [np.searchsorted(union, np.asarray(terms, dtype=np.int64)) for terms, _r, _s in dictionaries]
    else:
        union = np.array(sorted(set(all_terms)), dtype=object)
        index = {term: number for number, term in enumerate(union)}
        where = [np.array([index[term] for term in terms], dtype=np.int64) for terms, _r, _s in dictionaries]
    # One segment per (term, part), in merged order: by term, then part.
    term_of = np.concatenate(where) if where else np.zeros(0, np.int64)
    part_of = np.concatenate([np.full(len(found), number) for number, found in enumerate(where)])
    local = np.concatenate([np.arange(len(found)) for found in where])
    rows = np.concatenate([rows for _t, rows, _s in dictionaries])
    starts = np.concatenate([starts for _t, _r, starts in dictionaries])
    order = np.lexsort((part_of, term_of))
    term_of, part_of, rows, starts = term_of[order], part_of[order], rows[order], starts[order]
    first_segment = np.r_[True, term_of[1:] != term_of[:-1]]
    heads = np.flatnonzero(first_segment)
    sizes = np.diff(np.r_[heads, term_of.size])
    column = {name: rows[:, number] for number, name in enumerate(COLUMNS)}

    def before(values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` over the earlier segments of the same term."""
        running = np.cumsum(values) - values
        return running - np.repeat(running[heads], sizes)

    postings_before = before(column["count"])
    bytes_before = {stream: before(column[stream]) for stream in ("docs", "freqs", "pos")}
    # Skip rows: every later segment's first block, and each segment's own skip rows, moved.
    own = _skip_rows(parts, part_of, local[order], rows, starts)
    own_segment = own[:, 0]
    shift = np.column_stack(
        [postings_before, np.zeros_like(postings_before), *(bytes_before[s] for s in ("docs", "freqs", "pos"))]
    )
    moved = own[:, 1:] + shift[own_segment]
    later = np.flatnonzero(~first_segment)
    heads_rows = np.column_stack(
        [postings_before[later], column["first"][later], *(bytes_before[s][later] for s in ("docs", "freqs", "pos"))]
    )
    skip_rows = np.concatenate([moved, heads_rows]) if moved.size or heads_rows.size else moved
    skip_segments = np.r_[own_segment, later]
    skip_terms = term_of[skip_segments] if skip_segments.size else skip_segments
    skip_order = np.lexsort((skip_rows[:, 0], skip_terms)) if skip_rows.size else np.zeros(0, np.int64)
    skip_rows, skip_terms = skip_rows[skip_order], skip_terms[skip_order]
    skip_values = skip_rows.reshape(-1)
    skip_bytes = varint.encode(skip_values)
    row_sizes = varint.sizes(skip_values).reshape(-1, SKIP_FIELDS).sum(axis=1)
    merged_terms = union[term_of[heads]]
    positions_of = np.searchsorted(term_of[heads], skip_terms)
    columns = {
        "count": np.add.reduceat(column["count"], heads),
        "first": column["first"][heads],
        "last": column["last"][heads + sizes - 1],
        "docs": np.add.reduceat(column["docs"], heads),
        "freqs": np.add.reduceat(column["freqs"], heads),
        "pos": np.add.reduceat(column["pos"], heads),
        "skips": np.bincount(positions_of, weights=row_sizes, minlength=heads.size).astype(np.int64),
    }
    streams = {
        stream: _gather(parts, part_of, starts[:, number], column[stream])
        for number, stream in enumerate(STREAMS[:3])
    }
    return Encoded(merged_terms, columns, streams["docs"], streams["freqs"], streams["pos"], skip_bytes)


def _skip_rows(parts: list[Part], part_of, local, rows, starts) -> np.ndarray:
    """Each segment's own skip rows: (segment, first posting, first key, docs, freqs, pos)."""
    skip_column = COLUMNS.index("skips")
    found = []
    for number, part in enumerate(parts):
        segments = np.flatnonzero((part_of == number) & (rows[:, skip_column] > 0))
        if not segments.size:
            continue
        data = _read_spans(part, starts[segments, 3], rows[segments, skip_column])
        values = varint.decode(data).astype(np.int64).reshape(-1, SKIP_FIELDS)
        value_sizes = varint.sizes(values.reshape(-1)).reshape(-1, SKIP_FIELDS).sum(axis=1)
        row_starts = np.cumsum(value_sizes) - value_sizes
        span_starts = np.cumsum(rows[segments, skip_column]) - rows[segments, skip_column]
        owner = segments[np.searchsorted(span_starts, row_starts, side="right") - 1]
        found.append(np.column_stack([owner, values]))
    return np.concatenate(found) if found else np.zeros((0, SKIP_FIELDS + 1), np.int64)


def _chunks(offsets: np.ndarray, lengths: np.ndarray):
    """Slices of the spans (in increasing order) holding about ``_CHUNK`` bytes each."""
    ends = np.cumsum(lengths)
    first = 0
    while first < offsets.size:
        last = max(int(np.searchsorted(ends, ends[first] - lengths[first] + _CHUNK, side="right")), first + 1)
        yield slice(first, last)
        first = last


def _spans(part: Part, offsets: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The bytes of the spans (in increasing order) of a part's streams, one after another."""
    low, high = int(offsets[0]), int(offsets[-1] + lengths[-1])
    region = np.frombuffer(part.read((low, high - low)), dtype=np.uint8)
    within = np.repeat(offsets - low - (np.cumsum(lengths) - lengths), lengths) + np.arange(int(lengths.sum()))
    return region[within]


def _read_spans(part: Part, offsets: np.ndarray, lengths: np.ndarray) -> bytes:
    """The bytes of the spans (in increasing order) of a part's streams, one after another."""
    if not offsets.size:
        return b""
    return b"".join(_spans(part, offsets[piece], lengths[piece]).tobytes() for piece in _chunks(offsets, lengths))


def _gather(parts: list[Part], part_of: np.ndarray, offsets: np.ndarray, lengths: np.ndarray) -> bytes:
    """A stream of the merged part: every segment's bytes, in merged order."""
    out = np.empty(int(lengths.sum()), dtype=np.uint8)
    destinations = np.cumsum(lengths) - lengths
    for number, part in enumerate(parts):
        segments = np.flatnonzero((part_of == number) & (lengths > 0))
        for piece in _chunks(offsets[segments], lengths[segments]):
            chosen = segments[piece]
            sizes = lengths[chosen]
            data = _spans(part, offsets[chosen], sizes)
            out[np.repeat(destinations[chosen] - (np.cumsum(sizes) - sizes), sizes) + np.arange(data.size)] = data
    return out.tobytes()
