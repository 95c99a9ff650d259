"""A generation's manifest: what the build was, every indexed file's id, key, hash, size, time,
languages, the warnings its reading gave and the keys of the documents it holds, and every file
its reading skipped, with why.

An incremental build compares the documents folder with the live manifest, then writes the new
generation's manifest as a copy of the live one with only what changed rewritten: SQLite, so
that changing one file of sixty thousand does not mean writing sixty thousand entries again.
Each file's entry is written as the build finishes the file (``ManifestWriter``), so a build of
any size holds none of them. A skipped file is kept with its size, time and reason, so that
the next build does not read it again (and write a generation for nothing) until it changes.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from array import array
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

MANIFEST = "manifest.sqlite"
_NONE: Mapping = {}
_COLUMNS = ("id", "key", "hash", "size", "mtime_ns", "languages", "warnings", "children")
# A file's warnings are kept with it so that every build reports them, not only the one that
# read the file: a JSON list, "[]" for none. ``children``: the keys of the documents the file
# holds besides its own (a mailbox's messages), space-separated. ``hash``: a SHA-256 as its 32
# bytes, not 64 hex digits (a fifth of the manifest); a value of another form as it was given.
_CREATE = (
    "CREATE TABLE info (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE files (path TEXT PRIMARY KEY, id TEXT NOT NULL, key INTEGER NOT NULL, hash BLOB NOT NULL,"
    " size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, languages TEXT NOT NULL, warnings TEXT NOT NULL,"
    " children TEXT NOT NULL)"
    " WITHOUT ROWID;"
)
# Added later: a manifest without it (an older build's) has no skipped files on record.
_CREATE_SKIPPED = (
    "CREATE TABLE IF NOT EXISTS skipped (path TEXT PRIMARY KEY, size INTEGER NOT NULL,"
    " mtime_ns INTEGER NOT NULL, reason TEXT NOT NULL) WITHOUT ROWID"
)
_NO_WARNINGS = "[]"
# Entries written to the database at a time.
_ROWS_AT_ONCE = 2_000
# The manifest this process wrote last, with its file's identity: the next update in a process
# that stays (``watch``) takes it from here, not from the database (0.26 s at 60,000 files).
_WRITTEN: dict[str, tuple[tuple, dict]] = {}


def _identity(path: Path) -> tuple:
    found = path.stat()
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


def read_manifest(generation: Path) -> dict:
    """The manifest of ``generation`` as a dict: its build facts, ``files`` by path and the
    ``skipped`` files by path (size, mtime_ns, reason); {} when there is none. Its entries are
    not to be changed: those of a manifest this process wrote are the ones it wrote."""
    path = generation / MANIFEST
    if not path.is_file():
        return {}
    kept = _WRITTEN.get(str(path))
    if kept is not None and kept[0] == _identity(path):
        return dict(kept[1])
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            manifest = _info(connection)
            rows = connection.execute(f"SELECT path, {', '.join(_COLUMNS)} FROM files")
            manifest["files"] = {
                path: {
                    "id": doc_id,
                    "key": key,
                    "hash": digest.hex() if isinstance(digest, bytes) else digest,
                    "size": size,
                    "mtime_ns": mtime_ns,
                    "languages": languages.split(),
                    "warnings": [] if warnings == _NO_WARNINGS else json.loads(warnings),
                    "children": [int(child) for child in children.split()],
                }
                for path, doc_id, key, digest, size, mtime_ns, languages, warnings, children in rows
            }
            manifest["skipped"] = _skipped(connection)
    except (sqlite3.Error, ValueError):
        return {}
    return manifest


def _stored_hash(digest: str) -> bytes | str:
    """A SHA-256 in hex as its bytes; another value as it is."""
    if len(digest) == 64:
        with contextlib.suppress(ValueError):
            return bytes.fromhex(digest)
    return digest


def _skipped(connection: sqlite3.Connection) -> dict[str, dict]:
    """The skipped files on record, by path ({} in a manifest from before they were kept)."""
    try:
        rows = connection.execute("SELECT path, size, mtime_ns, reason FROM skipped").fetchall()
    except sqlite3.OperationalError:
        return {}
    return {path: {"size": size, "mtime_ns": mtime_ns, "reason": reason} for path, size, mtime_ns, reason in rows}


def write_manifest(
    generation: Path,
    info: Mapping,
    files: Mapping[str, dict],
    base: Path | None = None,
    previous: Mapping = _NONE,
    skipped: Mapping[str, dict] = _NONE,
) -> None:
    """Write the manifest of ``generation``: ``info``, ``files`` and the ``skipped`` files
    (size, mtime_ns, reason by path). Given the ``base`` generation whose manifest held
    ``previous``, copy it and rewrite only the entries that differ (an unchanged entry is the
    very dict ``previous`` holds)."""
    writer = ManifestWriter(generation, base)
    try:
        writer.remove(path for path in previous if path not in files)
        for path, entry in files.items():
            if previous.get(path) is not entry:
                writer.put(path, entry)
        writer.finish(info, skipped, files)
    finally:
        writer.close()


class ManifestWriter:
    """Writes the manifest of a new generation as its build goes: a copy of the ``base``
    generation's (None: a new one), the entries of files added as each is done, so that no
    build holds every file's entry in memory. Nothing of it counts until ``finish``."""

    def __init__(self, generation: Path, base: Path | None = None) -> None:
        self.target = generation / MANIFEST
        if base is not None:
            shutil.copyfile(base / MANIFEST, self.target)
        self._connection = sqlite3.connect(self.target)
        if base is None:
            self._connection.executescript(_CREATE)
        self._pending: list[tuple] = []

    def put(self, path: str, entry: Mapping) -> None:
        """Write (or rewrite) the entry of the file at ``path``."""
        self._pending.append(
            (
                path,
                entry["id"],
                entry["key"],
                _stored_hash(entry["hash"]),
                entry["size"],
                entry["mtime_ns"],
                " ".join(entry["languages"]),
                json.dumps(entry.get("warnings", []), ensure_ascii=False),
                " ".join(map(str, entry.get("children", ()))),
            )
        )
        if len(self._pending) >= _ROWS_AT_ONCE:
            self._flush()

    def remove(self, paths: Iterable[str]) -> None:
        """Take the files at ``paths`` out of the manifest."""
        self._flush()
        self._connection.executemany("DELETE FROM files WHERE path = ?", ((path,) for path in paths))

    def live_keys(self) -> np.ndarray:
        """The key of every document the manifest names so far: each file's and those it holds."""
        self._flush()
        keys = array("q")
        for key, children in self._connection.execute("SELECT key, children FROM files"):
            keys.append(key)
            if children:
                keys.extend(int(child) for child in children.split())
        return np.frombuffer(keys, dtype=np.int64) if keys else np.zeros(0, dtype=np.int64)

    def finish(self, info: Mapping, skipped: Mapping[str, dict], files: Mapping[str, dict] | None = None) -> None:
        """Write the build facts ``info`` and the ``skipped`` files (few: written whole), and
        commit. ``files``, when given, are the entries the manifest now holds, kept for the next
        ``read_manifest`` in this process."""
        self._flush()
        connection = self._connection
        connection.execute("DELETE FROM info")
        connection.executemany(
            "INSERT INTO info VALUES (?, ?)", [(name, json.dumps(value)) for name, value in info.items()]
        )
        connection.execute(_CREATE_SKIPPED)
        connection.execute("DELETE FROM skipped")
        connection.executemany(
            "INSERT INTO skipped VALUES (?, ?, ?, ?)",
            ((path, item["size"], item["mtime_ns"], item["reason"]) for path, item in skipped.items()),
        )
        connection.commit()
        connection.close()
        _WRITTEN.clear()
        if files is not None:
            kept = {**info, "files": dict(files), "skipped": dict(skipped)}
            _WRITTEN[str(self.target)] = (_identity(self.target), kept)

    def close(self) -> None:
        """Let the database go (what ``finish`` did not commit is lost)."""
        self._connection.close()

    def _flush(self) -> None:
        self._connection.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", self._pending)
        self._pending.clear()


def build_facts(generation: Path) -> dict:
    """The build facts of ``generation``'s manifest (schema, documents, documents_dir...),
    without its files; {} when there is no manifest to read."""
    path = generation / MANIFEST
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            return _info(connection)
    except (sqlite3.Error, ValueError):
        return {}


def _info(connection: sqlite3.Connection) -> dict:
    """The build facts, by name."""
    return {name: json.loads(value) for name, value in connection.execute("SELECT name, value FROM info")}


def warned_files(generation: Path) -> dict[str, list[str]]:
    """The warnings of each file of ``generation`` that has any, by path ({} when there is no
    manifest to read)."""
    path = generation / MANIFEST
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            rows = connection.execute("SELECT path, warnings FROM files WHERE warnings != ?", (_NO_WARNINGS,))
            return {path: json.loads(warnings) for path, warnings in rows}
    except (sqlite3.Error, ValueError):
        return {}
