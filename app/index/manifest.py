"""A generation's manifest: what the build was, and every indexed file's id, key, hash, size,
time, languages and the warnings its reading gave.

An incremental build compares the documents folder with the live manifest, then writes the new
generation's manifest as a copy of the live one with only what changed rewritten: SQLite, so
that changing one file of sixty thousand does not mean writing sixty thousand entries again.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from collections.abc import Mapping
from pathlib import Path

MANIFEST = "manifest.sqlite"
_NONE: Mapping = {}
_COLUMNS = ("id", "key", "hash", "size", "mtime_ns", "languages", "warnings")
# A file's warnings are kept with it so that every build reports them, not only the one that
# read the file: a JSON list, "[]" for none.
_CREATE = (
    "CREATE TABLE info (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE files (path TEXT PRIMARY KEY, id TEXT NOT NULL, key INTEGER NOT NULL, hash TEXT NOT NULL,"
    " size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, languages TEXT NOT NULL, warnings TEXT NOT NULL)"
    " WITHOUT ROWID;"
)
_NO_WARNINGS = "[]"


def read_manifest(generation: Path) -> dict:
    """The manifest of ``generation`` as a dict: its build facts and ``files`` by path ({} if none)."""
    path = generation / MANIFEST
    if not path.is_file():
        return {}
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            manifest = {name: json.loads(value) for name, value in connection.execute("SELECT name, value FROM info")}
            rows = connection.execute(f"SELECT path, {', '.join(_COLUMNS)} FROM files")
            manifest["files"] = {
                path: {
                    "id": doc_id,
                    "key": key,
                    "hash": digest,
                    "size": size,
                    "mtime_ns": mtime_ns,
                    "languages": languages.split(),
                    "warnings": [] if warnings == _NO_WARNINGS else json.loads(warnings),
                }
                for path, doc_id, key, digest, size, mtime_ns, languages, warnings in rows
            }
    except (sqlite3.Error, ValueError):
        return {}
    return manifest


def write_manifest(
    generation: Path, info: Mapping, files: Mapping[str, dict], base: Path | None = None, previous: Mapping = _NONE
) -> None:
    """Write the manifest of ``generation``: ``info`` and ``files``. Given the ``base``
    generation whose manifest held ``previous``, copy it and rewrite only the entries that
    differ (an unchanged entry is the very dict ``previous`` holds)."""
    target = generation / MANIFEST
    if base is not None:
        shutil.copyfile(base / MANIFEST, target)
        changed = [(path, entry) for path, entry in files.items() if previous.get(path) is not entry]
        removed = [(path,) for path in previous if path not in files]
    else:
        changed, removed = list(files.items()), []
    with contextlib.closing(sqlite3.connect(target)) as connection, connection:
        if base is None:
            connection.executescript(_CREATE)
        connection.execute("DELETE FROM info")
        connection.executemany(
            "INSERT INTO info VALUES (?, ?)", [(name, json.dumps(value)) for name, value in info.items()]
        )
        connection.executemany("DELETE FROM files WHERE path = ?", removed)
        rows = (
            (
                path,
                *(entry[column] for column in _COLUMNS[:-2]),
                " ".join(entry["languages"]),
                json.dumps(entry.get("warnings", []), ensure_ascii=False),
            )
            for path, entry in changed
        )
        connection.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


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
