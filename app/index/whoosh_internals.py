"""Every use of Whoosh's private API, in one place.

Whoosh (``whoosh-reloaded`` 2.7.5, pinned exactly in pyproject.toml) has no public way to let
worker processes write segments that one commit then publishes together. The two functions here
do that through its writer's internals; nothing else in the project touches a Whoosh name that
starts with an underscore, so an upgrade of Whoosh is checked here.
"""

from __future__ import annotations

from whoosh.writing import SegmentWriter


def worker_writer(ix) -> SegmentWriter:
    """A writer for a worker process: it takes no lock (the build holds the index's lock) and
    writes a plain segment that ``finish_segment`` returns for the build to commit."""
    return SegmentWriter(ix, _lk=False, compound=False)


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
