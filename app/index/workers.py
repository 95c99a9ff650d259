"""A full build in parallel: each worker process reads, analyses and writes a segment and a part
of its own, and sends each file's report and manifest entry to the build as it is done (a worker
keeps nothing per file but its documents' table rows, as columns).

Both cores do all the work and no document crosses a process boundary; the build then commits
the workers' segments together. A worker dies with the build, so a killed build leaves no writer
behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import queue
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

from ..ingest import CONTAINER_READERS, Candidate, file_format
from .adding import Batch, BatchResult, FileDone, WriterSettings, add_batch, part_name
from .postings.buffer import PostingsBuffer
from .whoosh_internals import commit_segments, finish_segment, worker_writer

# The garbage collector's thresholds in a build worker: Whoosh's writer and the postings'
# vocabulary hold many small objects, and each full collection walks them all.
FEW_COLLECTIONS = (100_000, 50, 100)

# Set in each worker process: where it reports each file as it finishes it.
_worker_events = None


def _start_worker(events) -> None:
    """In a build worker: die with the build (a killed build leaves no writer behind)."""
    global _worker_events
    _worker_events = events
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the build died before the line above ran
        os._exit(1)
    gc.set_threshold(*FEW_COLLECTIONS)


def _index_batch(
    folder: str, number: str, worker: int, batch: Batch, settings: WriterSettings
) -> tuple[object, BatchResult]:
    """In a worker: index ``batch`` into a segment and a part of its own; (the segment, what
    the batch gave)."""
    ix = FileStorage(folder).open_index()
    # The build holds the index's lock; the segment is committed by the parent with the others.
    writer = worker_writer(ix)
    postings = PostingsBuffer(Path(folder), part_name(number, worker), settings.memory_mb)

    def send(file: FileDone) -> None:
        # Each file's report and manifest entry go to the build as the file is done, not kept here.
        _worker_events.put(file)

    result = add_batch(writer, postings, batch, settings, send)
    return finish_segment(writer), result


def index_in_parallel(
    folder: str, number: str, batches: list[Batch], settings: WriterSettings, done: Callable[[FileDone], None]
) -> list[BatchResult]:
    """Index the batches with a worker process each, then commit their segments together;
    ``done`` is given each file's report and manifest entry, here, as a worker finishes the file."""
    total = sum(len(batch.items) for batch in batches)
    # A worker starts as a new interpreter, given only its batch: a fork would copy the build's
    # plan of every file into each worker (at 240,000 files, some 130 MB a worker).
    context = multiprocessing.get_context("spawn")
    events = context.Queue()
    with ProcessPoolExecutor(len(batches), mp_context=context, initializer=_start_worker, initargs=(events,)) as pool:
        futures = [
            pool.submit(_index_batch, folder, number, worker, batch, settings) for worker, batch in enumerate(batches)
        ]
        heard = 0
        # Every file is heard of (a worker sends each before it returns), unless a worker failed.
        while heard < total and not any(future.done() and future.exception() for future in futures):
            try:
                file = events.get(timeout=0.5)
            except queue.Empty:
                continue
            heard += 1
            done(file)
        done_batches = [future.result() for future in futures]
    segments = [segment for segment, _result in done_batches if segment is not None]
    commit_segments(FileStorage(folder).open_index(), segments)
    return [result for _segment, result in done_batches]


def deal(items: list[tuple[Candidate, str]], workers: int) -> list[list[tuple[Candidate, str]]]:
    """Split the files (each with "added" or "changed") among the workers so each gets about
    the same number of bytes. Containers (a mailbox, a zip) all go to the last worker, after
    its other files: how many documents one holds is known only once it is read, and only the
    last batch's keys are open-ended."""
    batches: list[list[tuple[Candidate, str]]] = [[] for _ in range(workers)]
    loads = [0] * workers
    sized, containers = [], []
    for item in items:
        candidate, _status = item
        try:
            size = os.stat(candidate.path).st_size
        except OSError:
            size = 0
        if file_format(candidate.relative) in CONTAINER_READERS:
            containers.append(item)
            loads[-1] += size + 2_000
        else:
            sized.append((size, item))
    for size, item in sorted(sized, key=lambda pair: pair[0], reverse=True):
        lightest = loads.index(min(loads))
        batches[lightest].append(item)
        loads[lightest] += size + 2_000  # a file costs something whatever its size
    batches[-1] += containers
    return batches
