"""Nearness against Whoosh's own phrase with ``slop``: the same documents.

Whoosh's ``Phrase(slop=n)`` finds the words in the order typed, each at most ``n`` positions
after the one before. The archive's ``"a b"~n`` finds them in any order: for two words, exactly
the documents of Whoosh's phrase in either order. For three, every document Whoosh's ordered
phrase finds, and only documents holding all three.
"""

from __future__ import annotations

import itertools
import random

import pytest
from whoosh import query as wq
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from app.analysis import ArchiveAnalyzer, terms
from app.index.content import indexed_content, metadata_values
from app.index.readers import LiveIndex
from app.index.schema import record_of
from app.ingest import discover, load
from app.service.results import SearchRequest
from app.service.search import search

from ..support import built

WORDS = ["alpha", "bravo", "delta", "kilo", "lima", "oscar"]
FILLER = ["papa", "romeo", "sierra", "tango", "victor", "zulu", "yankee", "whisky"]


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nearness")
    documents = folder / "docs"
    documents.mkdir()
    chance = random.Random(20261203)
    for number in range(60):
        words = [chance.choice(WORDS if chance.random() < 0.25 else FILLER) for _ in range(40)]
        (documents / f"doc{number:02d}.txt").write_text(f"Note {number}\n\n" + " ".join(words) + "\n", encoding="utf-8")
    live = LiveIndex(built(documents, folder / "index"))
    schema = Schema(id=ID(stored=True, unique=True), content=TEXT(analyzer=ArchiveAnalyzer(), phrase=True))
    reference = (
        FileStorage(str(folder / "whoosh")).create_index(schema) if (folder / "whoosh").mkdir() is None else None
    )
    writer = reference.writer()
    for candidate in discover(documents):
        document = load(candidate.path, candidate.relative, 1_000_000)
        content = indexed_content(document.title, document.text, metadata_values(record_of(document)))
        writer.add_document(id=document.id, content=content)
    writer.commit()
    searcher = reference.searcher()
    yield live, searcher
    searcher.close()
    live.close()


def ours(live, q: str) -> set[str]:
    result = search(live, SearchRequest(q=q, per_page=100, expand=False))
    return {hit.id for hit in result.hits}


def theirs(searcher, words: list[str], slop: int) -> set[str]:
    phrase = wq.Phrase("content", [terms(word)[0] for word in words], slop=slop)
    return {hit["id"] for hit in searcher.search(phrase, limit=None)}


@pytest.mark.parametrize("distance", [2, 3, 5, 8])
@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(WORDS[:4], 2)))
def test_two_words_near_are_whoosh_phrases_in_either_order(indexes, first, second, distance):
    live, searcher = indexes
    expected = theirs(searcher, [first, second], distance) | theirs(searcher, [second, first], distance)
    found = ours(live, f'"{first} {second}"~{distance}')
    assert found == expected
    assert found, "a comparison of nothing proves nothing"
    assert ours(live, f"{first} NEAR/{distance} {second}") == expected


@pytest.mark.parametrize("distance", [2, 4])
def test_three_words_near_hold_whoosh_ordered_phrase(indexes, distance):
    live, searcher = indexes
    words = WORDS[:3]
    found = ours(live, f'"{" ".join(words)}"~{distance}')
    assert theirs(searcher, words, distance) <= found
    assert found <= ours(live, " ".join(words))
    assert found


def test_a_closer_pair_scores_higher(tmp_path):
    documents = tmp_path / "docs"
    documents.mkdir()
    filler = " ".join(FILLER)
    for name, middle in [
        ("adjacent", ""),
        ("three", "papa romeo sierra"),
        ("six", "papa romeo sierra tango victor zulu"),
    ]:
        (documents / f"{name}.txt").write_text(f"Note\n\n{filler} alpha {middle} bravo {filler}\n", encoding="utf-8")
    live = LiveIndex(built(documents, tmp_path / "index"))
    try:
        result = search(live, SearchRequest(q='"alpha bravo"~8', expand=False, dedupe=False))
    finally:
        live.close()
    assert [hit.id for hit in result.hits] == ["adjacent", "three", "six"]
    assert result.hits[0].score > result.hits[1].score > result.hits[2].score
