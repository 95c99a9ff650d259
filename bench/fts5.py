"""The second peer: the same corpus in SQLite FTS5 with the trigram tokenizer (standard library).

python -m bench.fts5 build CORPUS DATABASE

FTS5's trigram tokenizer indexes every run of three characters, so it finds substrings in any
script, but it cannot answer a term of fewer than three characters (one- and two-character
Chinese words, "HK"), and it does not fold Traditional and Simplified Chinese together.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import time
from pathlib import Path

from bench.plain import read

_TERM = re.compile(r'"[^"]*"|\S+')


def build(corpus: Path, database: Path) -> int:
    """Index every document of ``corpus`` into a new FTS5 table at ``database``."""
    database.unlink(missing_ok=True)
    connection = sqlite3.connect(database)
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, content, lang UNINDEXED, year UNINDEXED,"
        " tokenize='trigram')"
    )
    count = 0
    with connection:
        for path in sorted(corpus.rglob("*.md")):
            fields = read(path)
            connection.execute(
                "INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
                (fields["id"], fields["title"], fields["content"], fields["lang"], fields["year"]),
            )
            count += 1
    connection.close()
    return count


def translate(query: str) -> str | None:
    """The FTS5 query for one of the mix (words all required, "phrases"), or None when FTS5's
    trigram index cannot answer it (a term under three characters)."""
    terms = _TERM.findall(query)
    if any(len(term.strip('"')) < 3 for term in terms):
        return None
    return " AND ".join(term if term.startswith('"') else f'"{term}"' for term in terms)


class FtsSearcher:
    """Query FTS5 the usual way: the total, and the best ten with a snippet each (bm25 rank)."""

    def __init__(self, database: Path) -> None:
        self.connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, check_same_thread=False)

    def search(self, q: str, filters: dict[str, str] | None = None) -> tuple[int, list[str]] | None:
        """(total, snippets) for ``q``, or None when FTS5 cannot answer it."""
        match = translate(q)
        if match is None:
            return None
        where, arguments = "docs MATCH ?", [match]
        for name, value in (filters or {}).items():
            where += f" AND (',' || {name} || ',') LIKE ?"
            arguments.append(f"%,{value},%")
        total = self.connection.execute(f"SELECT count(*) FROM docs WHERE {where}", arguments).fetchone()[0]
        rows = self.connection.execute(
            f"SELECT id, snippet(docs, 2, '<mark>', '</mark>', '…', 24) FROM docs WHERE {where} ORDER BY rank LIMIT 10",
            arguments,
        ).fetchall()
        return total, [snippet for _id, snippet in rows]


if __name__ == "__main__":
    command, corpus, database = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    assert command == "build"
    started = time.perf_counter()
    documents = build(corpus, database)
    print(f"{documents} {time.perf_counter() - started:.3f}")
