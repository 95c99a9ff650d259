"""Watching the documents folder: each change indexed as it happens, by a process that stays.

An `archive-search index` run pays for a new Python, the walk and stat of every file and the
plan over all of them (2 s of its 2.4 s at 60,000 files for one changed document). ``watch``
updates once (whatever changed while nothing watched), then waits for the operating system to
say which files changed below the documents folder (inotify on Linux, through ``watchdog``),
gathers the changes until the folder has been quiet for ``quiet`` seconds, and updates the index
for the folders they are in alone (``plan.Scope``). Every ``rescan`` seconds, and when the
folder cannot be watched (a system out of watches, a network mount that sends no events), it
updates with a walk of the whole folder, as `archive-search index` does, so that no change
goes unseen for longer.
"""

from __future__ import annotations

import logging
import os
import posixpath
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .plan import Scope, collector_paused

log = logging.getLogger(__name__)

# What watchdog says of a file that was only read (the build reads every changed file) is
# not a change.
_CHANGES = frozenset({"created", "deleted", "modified", "moved", "closed"})


class Changes:
    """The folders where files changed since the last update, gathered from any thread."""

    def __init__(self, root: Path, ignored: Path | None = None) -> None:
        self.root = str(root.resolve())
        self.ignored = str(ignored.resolve()) if ignored is not None else None
        self._folders: set[str] = set()
        self._trees: set[str] = set()
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._last = 0.0
        # A link's document changes with the file it leads to, of which alone the system tells.
        self._links: dict[str, str] = {}  # link -> the file it leads to, both absolute

    def find_links(self) -> None:
        """Note every symbolic link to a file under the folder (before watching it)."""
        for folder, subfolders, names in os.walk(self.root):
            for name in names:
                self._note_link(os.path.join(folder, name))
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]

    def _note_link(self, path: str) -> None:
        if os.path.islink(path):
            self._links[path] = os.path.realpath(path)
        else:
            self._links.pop(path, None)

    def add(self, path: str, is_directory: bool) -> None:
        """Note that ``path`` (absolute) changed; a folder's whole tree is looked at again, and
        so are the links to what changed."""
        if self.ignored is not None and (path == self.ignored or path.startswith(self.ignored + os.sep)):
            return
        if not is_directory:
            self._note_link(path)
        inside = path + os.sep
        for link, target in list(self._links.items()):
            if target == path or target.startswith(inside):
                self._add(link, False)
        self._add(path, is_directory)

    def _add(self, path: str, is_directory: bool) -> None:
        if path == self.root:
            relative = ""
        elif path.startswith(self.root + os.sep):
            relative = path[len(self.root) + 1 :].replace(os.sep, "/")
        else:
            return  # moved out of the folder: its source is noted too
        with self._lock:
            if is_directory:
                self._trees.add(relative)
            if relative:
                self._folders.add(posixpath.dirname(relative))
            self._last = time.monotonic()
            self._arrived.notify_all()

    def wait(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for a change; True when there is one."""
        with self._lock:
            return self._arrived.wait_for(lambda: self._folders or self._trees, timeout)

    def settled(self, quiet: float, stop: threading.Event) -> None:
        """Return once no change has come for ``quiet`` seconds (or ``stop`` is set)."""
        while not stop.is_set():
            with self._lock:
                left = self._last + quiet - time.monotonic()
            if left <= 0:
                return
            stop.wait(left)

    def take(self) -> Scope:
        """The scope of the changes so far, forgotten here."""
        with self._lock:
            scope = Scope(frozenset(self._folders), frozenset(self._trees))
            self._folders, self._trees = set(), set()
        return scope


def start_watching(changes: Changes):
    """Watch ``changes.root`` for changes, noted in ``changes``: the running observer (to
    ``stop`` and ``join``), or None when the folder cannot be watched."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class Noting(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            if event.event_type not in _CHANGES or (event.is_directory and event.event_type == "modified"):
                return  # a folder's own time changes with what it holds: those files say what
            changes.add(os.fsdecode(event.src_path), event.is_directory)
            if getattr(event, "dest_path", ""):
                changes.add(os.fsdecode(event.dest_path), event.is_directory)

    observer = Observer()
    try:
        observer.schedule(Noting(), changes.root, recursive=True)
        observer.start()
    except OSError as error:
        log.warning("cannot watch %s (%s): looking for changes by a walk of it only", changes.root, error)
        return None
    return observer


def watch(
    changes: Changes,
    update: Callable[[Scope | None], None],
    stop: threading.Event,
    quiet: float,
    rescan: float,
) -> None:
    """Update the index (``update``: None for a walk of the whole folder, else a scope) once,
    then after each settled batch of changes and every ``rescan`` seconds, until ``stop``. An
    update that fails is logged and the watch goes on (the next one looks again)."""
    update = _logged(update)
    changes.find_links()
    observer = start_watching(changes)
    try:
        update(None)
        walk_at = time.monotonic() + rescan
        while not stop.is_set():
            left = walk_at - time.monotonic() if observer is not None else 0
            if left > 0 and changes.wait(min(left, 1.0)):
                changes.settled(quiet, stop)
                if not stop.is_set():
                    update(changes.take())
            elif left <= 0:
                changes.take()  # the walk sees these too
                update(None)
                walk_at = time.monotonic() + rescan
                if observer is None:
                    stop.wait(rescan)
    finally:
        if observer is not None:
            observer.stop()
            observer.join()


def _logged(update: Callable[[Scope | None], None]) -> Callable[[Scope | None], None]:
    """``update``, its failures logged instead of raised: a watcher that died would leave the
    index behind the folder, unseen, while the server went on serving it."""

    def logged(scope: Scope | None) -> None:
        try:
            with collector_paused():  # the whole update: its table and manifest too
                update(scope)
        except Exception:
            log.exception("the update failed; the next change or walk tries again")

    return logged
