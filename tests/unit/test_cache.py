"""The result cache and warm generations: the next page or a facet does not evaluate the query
again, and no search waits for a generation to open."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from app.index.build import build
from app.index.readers import LiveIndex
from app.service.cache import CacheLimits, ResultCache
from app.service.results import SearchRequest
from app.service.search import search, warm

from ..support import write_corpus

ON = CacheLimits(entries=16, megabytes=8)


def test_the_cache_drops_the_least_recently_used_entry_first():
    cache = ResultCache(CacheLimits(entries=2, megabytes=1))
    cache.put("a", 1, 10)
    cache.put("b", 2, 10)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3, 10)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3
    assert (cache.hits, cache.misses) == (3, 1)


def test_the_cache_is_bounded_in_bytes():
    cache = ResultCache(CacheLimits(entries=100, megabytes=0.001))  # 1,000 bytes
    cache.put("big", object(), 2_000)
    assert cache.get("big") is None  # larger than the whole cache: not kept
    for number in range(10):
        cache.put(number, number, 300)
    assert len(cache) == 3 and cache.get(9) == 9 and cache.get(0) is None


def test_the_next_page_and_a_facet_come_from_the_cache_and_match_a_fresh_search(live):
    first = search(live, SearchRequest(q="rights", per_page=2), cache=ON)
    assert not first.from_cache
    for request in (
        SearchRequest(q="rights", per_page=2, page=2),
        SearchRequest(q="rights", per_page=2, lang=("en",)),
        SearchRequest(q="rights", per_page=2, sort="-date"),
    ):
        cached = search(live, request, cache=ON)
        fresh = search(live, request)
        assert cached.from_cache and not fresh.from_cache
        assert cached.total == fresh.total
        assert [(hit.id, hit.score, hit.snippet) for hit in cached.hits] == [
            (hit.id, hit.score, hit.snippet) for hit in fresh.hits
        ]
        assert cached.facets == fresh.facets
    assert not search(live, SearchRequest(q="rights", expand=False), cache=ON).from_cache  # another query


def test_a_new_generation_starts_with_an_empty_cache(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 4)
    build(docs, index)
    live = LiveIndex(index)
    before = search(live, SearchRequest(q="dignity"), cache=ON).total
    assert search(live, SearchRequest(q="dignity"), cache=ON).from_cache
    (docs / "new.md").write_text("A new statement on dignity.", encoding="utf-8")
    build(docs, index)
    after = search(live, SearchRequest(q="dignity"), cache=ON)
    assert not after.from_cache and after.total == before + 1
    live.close()


def test_a_followed_index_moves_to_a_new_generation_opened_and_warmed_in_the_background(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 4)
    build(docs, index)
    warmed = []

    def warm_and_note(generation):
        warm(generation)
        warmed.append(generation.path.name)

    live = LiveIndex(index, warm=warm_and_note)
    live.follow(interval=0.05)
    assert warmed == ["gen-000001"]  # open and warm before the first search
    (docs / "new.md").write_text("A wombat petition.", encoding="utf-8")
    build(docs, index)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and search(live, SearchRequest(q="wombat")).total == 0:
        time.sleep(0.02)
    assert warmed == ["gen-000001", "gen-000002"]  # warmed before any search used it
    assert search(live, SearchRequest(q="wombat")).total == 1
    live.close()


def test_warming_reads_what_a_first_search_needs(live):
    with live.use() as generation:
        warm(generation)
        assert {"parser", "facets", "weighting"} <= generation.memoized
        assert isinstance(generation.table.live, np.ndarray)


@pytest.fixture
def fresh(tmp_path):
    """A generation no search has used yet."""
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 2)
    build(docs, index)
    live = LiveIndex(index)
    with live.use() as generation:
        yield generation
    live.close()


def test_what_a_generation_keeps_is_made_once_and_kept(fresh):
    made = []
    first = fresh.memo("facets", lambda: made.append(1) or object())
    assert fresh.memo("facets", lambda: made.append(2) or object()) is first
    assert made == [1] and "facets" in fresh.memoized


def test_two_threads_asking_for_a_memo_at_once_make_it_once(fresh):
    making, other_done = threading.Event(), threading.Event()
    made, got = [], {}

    def slow():
        made.append("first")
        making.set()
        # The other thread asks while this one is still making it: it must wait, not make it.
        other_done.wait(0.5)
        return "made once"

    def other():
        making.wait()
        got["other"] = fresh.memo("weighting", lambda: made.append("second") or "made twice")
        other_done.set()

    thread = threading.Thread(target=other)
    thread.start()
    got["first"] = fresh.memo("weighting", slow)
    thread.join()
    assert made == ["first"]
    assert got == {"first": "made once", "other": "made once"}


def test_a_memo_not_declared_is_refused(fresh):
    with pytest.raises(KeyError, match="not one of"):
        fresh.memo("typo", object)
