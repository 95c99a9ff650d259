"""Nearness: where the parts of ``"detention visits"~5`` stand within five positions of each
other, in any order.

A part is a word, a phrase (a Chinese run: ``"黎智英 保釋"~10``) or the Or of a part's forms,
given by where it occurs (the positions of its first and last terms). The occurrences of all
parts of a document, in order, fall into stretches where from one to the next there are at most
``distance`` positions; a stretch that holds every part is a match. For two parts this is
Whoosh's phrase with ``slop`` in either order. A match counts less the more positions stand
between its parts (Lucene's sloppy frequency: closer matches score higher).
"""

from __future__ import annotations

import numpy as np

from ..index import packing


def stretches(parts: list[tuple[np.ndarray, np.ndarray]], distance: int) -> tuple[np.ndarray, np.ndarray]:
    """(keys, frequencies) of the stretches holding every one of ``parts`` (each the starts and
    ends of its occurrences, ``key << 32 | position``), where from one occurrence to the next
    there are at most ``distance`` positions; a stretch's frequency falls with the positions
    between its parts."""
    labels = np.concatenate([np.full(starts.size, number) for number, (starts, _e) in enumerate(parts)])
    starts = np.concatenate([pair[0] for pair in parts])
    ends = np.concatenate([pair[1] for pair in parts])
    if not starts.size:
        return np.zeros(0, np.int64), np.zeros(0)
    order = np.lexsort((ends, starts))
    starts, ends, labels = starts[order], ends[order], labels[order]
    reach = np.maximum.accumulate(ends)
    same_document = packing.high(starts[1:]) == packing.high(reach[:-1])
    close = (starts[1:] - reach[:-1]) <= distance
    stretch = np.concatenate([[0], np.cumsum(~(same_document & close))])
    count = int(stretch[-1]) + 1
    held = packing.unique(stretch * len(parts) + labels) // len(parts)
    complete = np.bincount(held, minlength=count) == len(parts)
    first = np.full(count, np.iinfo(np.int64).max)
    np.minimum.at(first, stretch, starts)
    # How close the stretch's parts come: the fewest positions between two neighbours that are
    # different parts (for two parts, their distance less one).
    neighbours = (stretch[1:] == stretch[:-1]) & (labels[1:] != labels[:-1])
    between = np.full(count, np.iinfo(np.int64).max)
    gaps = np.maximum(0, packing.low(starts[1:]) - packing.low(ends[:-1]) - 1)
    np.minimum.at(between, stretch[1:][neighbours], gaps[neighbours])
    weights = 1.0 / (1.0 + between[complete])
    keys, owners = np.unique(packing.high(first[complete]), return_inverse=True)
    return keys, np.bincount(owners, weights=weights)
