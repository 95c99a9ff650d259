"""The baseline: the same corpus in plain Whoosh (StandardAnalyzer, stored text, its highlighter).

python -m bench.plain build CORPUS INDEX
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from whoosh import index
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.qparser import QueryParser
from whoosh.query import Term

from app.ingest.markdown import read_markdown


def schema() -> Schema:
    """Plain Whoosh, as its documentation sets it up, with the fields the query mix filters on."""
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(stored=True),
        content=TEXT(analyzer=StandardAnalyzer(), stored=True),
        lang=KEYWORD(commas=True),
        year=KEYWORD(commas=True),
    )


def read(path: Path) -> dict:
    """A benchmark document's fields (its front matter read as the archive reads it)."""
    found = read_markdown(path.read_text(encoding="utf-8"))
    lang = str(found.language or "")
    return {
        "id": str(path),
        "title": str(found.title or ""),
        "content": found.text,
        "lang": ",".join({lang, lang.split("-")[0]}),
        "year": str(found.date or "")[:4],
    }


def build(corpus: Path, folder: Path) -> int:
    """Index every document of ``corpus`` with a single-process writer, as plain Whoosh does."""
    folder.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(folder), schema())
    writer = ix.writer(limitmb=256)
    count = 0
    for path in sorted(corpus.rglob("*.md")):
        writer.add_document(**read(path))
        count += 1
    writer.commit()
    return count


class PlainSearcher:
    """Query plain Whoosh the usual way: parse, search top 10, count, highlight each hit."""

    def __init__(self, folder: Path) -> None:
        self.index = index.open_dir(str(folder))
        self.searcher = self.index.searcher()
        self.parser = QueryParser("content", self.index.schema)

    def search(self, q: str, filters: dict[str, str] | None = None) -> tuple[int, list[str]]:
        """(total, snippets) for ``q``."""
        query = self.parser.parse(q)
        allowed = None
        if filters:
            name, value = next(iter(filters.items()))
            allowed = Term(name, value)
        results = self.searcher.search(query, limit=10, filter=allowed)
        total = len(results)
        return total, [hit.highlights("content") for hit in results]


if __name__ == "__main__":
    command, corpus, folder = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    assert command == "build"
    started = time.perf_counter()
    documents = build(corpus, folder)
    print(f"{documents} {time.perf_counter() - started:.3f}")
