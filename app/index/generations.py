"""The index folder's generations: the writer lock, publishing one atomically, and clean-up.

The index folder holds generations, each a complete Whoosh index::

    index/
      CURRENT           the name of the live generation, replaced atomically by rename
      gen-000007/       a complete index, its manifest, CHECKSUMS (every file's size and
                        checksum, ``checksums``), READERS (locked shared by servers) and,
                        once another generation replaced it, RETIRED
      .write.lock       held by the one build that may run at a time

A build writes a new generation beside the live one, checks and lists its files, and only then
points CURRENT at it, so a build killed at any moment leaves CURRENT on a complete generation. Servers follow CURRENT
without a restart, each holding a shared lock on the generation it reads where it can. Servers
on other machines hold no lock this machine can see, so a replaced generation is also kept for
a grace period after it was retired: it is deleted once it is neither live, nor held, nor
retired less than ``grace`` seconds ago.

What a volume shared between machines must provide: an atomic ``rename`` within the folder
(publishing), hard links (an update shares the unchanged files of the generation before it),
and, for the writer lock, ``flock`` or a guarantee that one build runs at a time. Readers need
no lock at all when they are told not to take one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from .checksums import seal

CURRENT = "CURRENT"
# Recognised pages of scans, kept across generations (``ingest.ocr_cache``): never collected.
OCR_CACHE = "ocr-cache"
READERS = "READERS"
RETIRED = "RETIRED"
WRITE_LOCK = ".write.lock"
_GENERATION = re.compile(r"^gen-(\d{6,})$")


class IndexLocked(RuntimeError):
    """Another build holds the writer lock and did not finish in time."""


# -- The writer lock -------------------------------------------------------------------------


@contextlib.contextmanager
def writer_lock(index_dir: Path, timeout: float, notes: list[str] | None = None) -> Iterator[None]:
    """Hold the one writer lock of ``index_dir``, waiting at most ``timeout`` seconds for it.

    The lock is an ``flock``: the kernel releases it when its holder dies, so a lock left by a
    killed build never blocks; its leftover file is recognised and reported as cleared.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / WRITE_LOCK
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole block
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _lock_holder(path)
                    raise IndexLocked(
                        f"another build{holder} holds the index lock {path}; "
                        f"waited {timeout:g} s. Try again when it has finished."
                    ) from None
                time.sleep(0.1)
        handle.seek(0)
        previous = handle.read().strip()
        if previous and notes is not None:
            notes.append(f"cleared a stale lock left by a build that did not finish ({previous})")
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {dt.datetime.now().isoformat(timespec='seconds')}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def _lock_holder(path: Path) -> str:
    try:
        holder = path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    return f" ({holder})" if holder else ""


# -- Generations -----------------------------------------------------------------------------


def current_generation(index_dir: Path) -> Path | None:
    """The live generation's folder, or None when no index has been built."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not _GENERATION.match(name):
        return None
    path = index_dir / name
    return path if path.is_dir() else None


def index_exists(index_dir: Path) -> bool:
    """True when ``index_dir`` holds a live index."""
    return current_generation(index_dir) is not None


def index_writable(index_dir: Path) -> bool:
    """True when a build could write ``index_dir`` here (it is not on a read-only volume)."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        with open(index_dir / WRITE_LOCK, "a", encoding="utf-8"):
            pass
    except OSError:
        return False
    return True


def next_generation(index_dir: Path) -> Path:
    """The folder for a new generation: one number past every generation there is."""
    numbers = [int(m.group(1)) for p in index_dir.iterdir() if (m := _GENERATION.match(p.name))]
    return index_dir / f"gen-{max(numbers, default=0) + 1:06d}"


def publish(index_dir: Path, generation: Path) -> None:
    """Point CURRENT at ``generation`` in one atomic rename, after its files are checked and
    listed with their checksums (``checksums.seal``: a file not as written is a
    ``CorruptFile``, and nothing is published) and reach the disk; mark the generation it
    replaces as retired from now."""
    replaced = current_generation(index_dir)
    seal(generation, replaced, (READERS, RETIRED))
    for path in generation.iterdir():
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(generation)
    temporary = index_dir / f".{CURRENT}.{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(generation.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, index_dir / CURRENT)
    _fsync_dir(index_dir)
    if replaced is not None and replaced != generation:
        (replaced / RETIRED).write_text(dt.datetime.now(dt.UTC).isoformat(timespec="seconds") + "\n", encoding="utf-8")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def collect_garbage(index_dir: Path, grace: float = 0) -> list[str]:
    """Delete generations that are neither live, nor held by a server here, nor retired less
    than ``grace`` seconds ago; return their names.

    Call it only while holding the writer lock: a generation being built is not live yet.
    """
    live = current_generation(index_dir)
    now = time.time()
    removed = []
    for path in sorted(index_dir.iterdir()):
        if path == live or not path.is_dir():
            continue
        if path.name.startswith(".trash-"):
            shutil.rmtree(path, ignore_errors=True)
            continue
        if not _GENERATION.match(path.name):
            continue
        if _unused(path) and now - _retired_at(index_dir, path) >= grace:
            trash = index_dir / f".trash-{path.name}"
            os.rename(path, trash)
            shutil.rmtree(trash, ignore_errors=True)
            removed.append(path.name)
    for path in index_dir.glob(f".{CURRENT}.*"):
        path.unlink(missing_ok=True)
    return removed


def collect_garbage_if_idle(index_dir: Path, grace: float = 0) -> None:
    """Collect unused generations now if no build is running (a server calls this when it lets
    a generation go); otherwise the running build collects them when it publishes."""
    try:
        handle = open(index_dir / WRITE_LOCK, "a+", encoding="utf-8")  # noqa: SIM115
    except OSError:
        return  # a read-only index folder: the next build cleans up
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a build holds it, or the volume takes no locks: a build cleans up
            return
        try:
            collect_garbage(index_dir, grace)
        except OSError:
            pass
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _retired_at(index_dir: Path, generation: Path) -> float:
    """When ``generation`` stopped being live: its RETIRED mark, else (a build that died, or a
    generation retired before marks were kept) the last publication."""
    for marker in (generation / RETIRED, index_dir / CURRENT):
        with contextlib.suppress(FileNotFoundError):
            return marker.stat().st_mtime
    return 0.0


def _unused(generation: Path) -> bool:
    """True when no server holds ``generation``'s READERS lock (or it was never published)."""
    try:
        handle = open(generation / READERS, "rb")  # noqa: SIM115
    except FileNotFoundError:
        return True
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a build holds it, or the volume takes no locks: a build cleans up
            return False
        return True


def lock_shared(handle) -> bool:
    """Hold ``handle``'s lock shared and say True; False where the file system has no locks,
    and the generation is read all the same (the grace period then keeps it for this
    server; ``readers.LiveIndex`` says so once)."""
    try:
        fcntl.flock(handle, fcntl.LOCK_SH)
    except OSError as error:
        if error.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL, errno.EBADF):
            raise
        return False
    return True
