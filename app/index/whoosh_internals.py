"""Every use of Whoosh's private API, in one place.

Whoosh (``whoosh-reloaded`` 2.7.5, pinned exactly in pyproject.toml) has no public way to let
worker processes write segments that one commit then publishes together, nor to read a numeric
column but a value at a time (60,000 documents' keys: 0.2-0.35 s of every update). The functions
here do that through its internals; nothing else in the project touches a Whoosh name that
starts with an underscore, so an upgrade of Whoosh is checked here.
"""

from __future__ import annotations

import numpy as np
from whoosh.columns import NumericColumn
from whoosh.writing import SegmentWriter

# Whoosh's pool of postings a worker's writer holds before it writes a run, in MB by Whoosh's
# own estimate (about 190 bytes for each of a document's two postings: its id and its file).
# Whoosh's default of 128 MB is reached only past some 350,000 documents a worker, so the pool
# grew with the archive to the end of the build.
POOL_MB = 16


def worker_writer(ix) -> SegmentWriter:
    """A writer for a worker process: it takes no lock (the build holds the index's lock) and
    writes a plain segment that ``finish_segment`` returns for the build to commit."""
    return SegmentWriter(ix, _lk=False, compound=False, limitmb=POOL_MB)


def finish_segment(writer: SegmentWriter):
    """Write the worker's segment out without committing it; the segment, or None if empty."""
    if not writer._added:
        writer._close_segment()
        return None
    return writer._finalize_segment()


def commit_segments(ix, segments: list) -> None:
    """Make ``segments`` (written by worker processes) the index's segments, in one commit."""
    writer = ix.writer()
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()


def numeric_column(reader, fieldname: str) -> np.ndarray:
    """Every document's value of the numeric column ``fieldname`` (deleted documents' too), in
    the order of their numbers: what iterating ``reader.column_reader(fieldname)`` gives, each
    segment's read as one array."""
    parts = []
    for leaf, _offset in reader.leaf_readers():
        column = leaf.column_reader(fieldname, translate=False)
        total = leaf.doc_count_all()
        if not isinstance(column, NumericColumn.Reader):
            parts.append(np.fromiter(column, dtype=np.int64, count=total))
            continue
        # Big-endian values of the documents up to the last one written; those after, the default.
        stored = min(column._count, total)
        raw = column._dbfile.get(column._basepos, stored * column._fixedlen)
        values = np.full(total, column._default, dtype=np.int64)
        values[:stored] = np.frombuffer(raw, dtype=">" + column._typecode)
        parts.append(values)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
