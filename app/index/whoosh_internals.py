"""Every use of Whoosh's private API, in one place.

Whoosh (the ``whoosh-reloaded`` 2.7 line, pinned in pyproject.toml) has no public way to read a
term's postings a block at a time, to list the terms a pattern expands to, to sort a writer's
postings in larger runs, or to commit segments written by other processes. The functions and
subclasses here do those things through its internals; nothing else in the project touches a
Whoosh name that starts with an underscore, so an upgrade of Whoosh is checked here.
"""

from __future__ import annotations

import pickle
from bisect import bisect_left
from collections.abc import Iterator
from itertools import islice

from whoosh.matching.wrappers import FilterMatcher
from whoosh.writing import PostingPool, SegmentWriter

# Postings per pickle in the writer's sorted runs.
RUN_CHUNK = 4096


# -- Reading ----------------------------------------------------------------------------------


def pattern_terms(query, reader) -> Iterator[bytes]:
    """The terms (as bytes) a prefix or wildcard query expands to in ``reader``, in order."""
    return query._btexts(reader)


def unfiltered(matcher):
    """A term's matcher without the wrapper that hides deleted documents (the caller skips them)."""
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def blocks(matcher) -> Iterator[tuple[list[int], list[float]]]:
    """(ids, weights) of each block of a term's postings in one segment, deleted documents included.

    Reads Whoosh's own block structure (the W3 codec's leaf matcher) so that a block is decoded
    once and its documents scored together, without a call per document.
    """
    matcher = unfiltered(matcher)
    if not hasattr(matcher, "_read_ids"):  # a few postings kept with the term: no blocks
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        yield ids, weights
        return
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        yield matcher._ids, matcher._weights
        matcher._next_block()


def seek(matcher, target: int) -> bool:
    """Move ``matcher`` forward to document ``target``; True when the term is in it.

    Whole blocks are skipped, then the document is found inside its block by bisection, where
    Whoosh's own ``skip_to`` steps posting by posting.
    """
    if not matcher.is_active():
        return False
    if matcher.id() >= target:
        return matcher.id() == target
    if not hasattr(matcher, "_read_ids"):  # postings kept with the term, not in blocks
        matcher.skip_to(target)
        return matcher.is_active() and matcher.id() == target
    if target > matcher.block_max_id():
        matcher._skip_to_block(lambda: target > matcher.block_max_id())
        if not matcher.is_active():
            return False
    if matcher._ids is None:
        matcher._read_ids()
    matcher._i = bisect_left(matcher._ids, target, matcher._i)
    return matcher._ids[matcher._i] == target


# -- Writing ----------------------------------------------------------------------------------


class _CachedLengths:
    """A segment's per-document reader whose field lengths are read once and kept.

    Whoosh's postings writer asks for the document's length once per posting (for the block
    statistics that let queries skip blocks) and reads it from the file each time.
    """

    def __init__(self, reader) -> None:
        self._reader = reader
        self._lengths: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        """The length of ``fieldname`` in document ``docnum``, as the index stores it."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            count = self._reader.doc_count_all()
            lengths = self._lengths[fieldname] = [read(docnum, fieldname) for docnum in range(count)]
        return lengths[docnum] if docnum < len(lengths) else default

    def __getattr__(self, name: str):
        return getattr(self._reader, name)


class _ChunkedPostingPool(PostingPool):
    """Whoosh's pool of postings, writing each sorted run to disk as pickled lists of postings
    rather than one pickle per posting: the same runs in the same order, with a thousandth of
    the calls (one per posting was a quarter of a full build)."""

    def __init__(self, *args, run_chunk: int = RUN_CHUNK, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.run_chunk = run_chunk
        self.runs_written = 0

    def _write_run(self, f, items) -> None:
        self.runs_written += 1
        items = iter(items)
        while chunk := list(islice(items, self.run_chunk)):
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                yield from pickle.load(f)
        except EOFError:
            return
        finally:
            f.close()
            self._remove_run(path)


class SegmentBuilder(SegmentWriter):
    """Whoosh's segment writer, reading each document's lengths once when it writes postings,
    and sorting them in a pool that writes its runs in chunks of ``run_chunk`` postings.

    ``locked=False`` makes a writer for a worker process, whose segment the build (which holds
    the index's lock) commits with the others through ``commit_segments``.
    """

    def __init__(self, ix, limitmb: float, *, run_chunk: int = RUN_CHUNK, locked: bool = True, **kwargs) -> None:
        if not locked:
            kwargs["_lk"] = False
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = _ChunkedPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb, run_chunk=run_chunk)

    def per_document_reader(self):
        """The per-document reader of the segment being written, with lengths kept."""
        return _CachedLengths(super().per_document_reader())

    @property
    def runs_written(self) -> int:
        """Sorted runs of postings written to disk so far (0: all sorted in memory)."""
        return self.pool.runs_written

    def finish_segment(self):
        """Write the segment out without committing it; the segment, or None if it is empty."""
        if not self._added:
            self._close_segment()
            return None
        return self._finalize_segment()


def commit_segments(ix, segments: list) -> None:
    """Make ``segments`` (written by worker processes) the index's segments, in one commit."""
    writer = ix.writer()
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()
