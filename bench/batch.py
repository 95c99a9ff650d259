"""A batch search of 500 names on the benchmark's index: the time of the whole list and per query.

    python -m bench.batch                          # 60,000 documents: bench/work/ours-60000
    python -m bench.batch --size 1000 --work DIR   # another size, its corpus and index under DIR
    python -m bench.batch --index DIR              # an index built already
    python -m bench.batch --queries 200 --no-translations

The names are the glossary's forms (app/glossary/terms.yaml): people, organisations, laws,
institutions, events and places first, in English, Traditional and Simplified Chinese (the
other script made as the search makes it), mixed in a fixed order. The corpus and the index are
those of bench.run (bench/work/corpus-N, bench/work/ours-N), written and built here only when
they are missing or cannot be read. The batch goes through the app's test client as
``POST /api/batch`` would, its time limits raised so that every query runs; then each query is
searched alone (``GET /api/search``, the result cache off) for the spread of one query's time.
Printed: the batch's time, per query on average, and the single searches' median, 95th
percentile and slowest, with the five slowest queries.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from bench.generate import DEFAULT_POOLS
from bench.indexes import ensure_index
from bench.measure import percentiles
from bench.run import WORK

# The glossary's categories that name someone or something, before the others.
NAMED = ("person", "organisation", "law", "institution", "event", "place")
SEED = 20_150_101


def names(count: int) -> list[str]:
    """``count`` glossary forms, names first, each script of a Chinese form once, in a fixed
    shuffled order (repeated when the glossary has fewer)."""
    from app import glossary
    from app.analysis.chinese import script_variants

    concepts = sorted(glossary.load().concepts, key=lambda concept: concept.category not in NAMED)
    forms: list[str] = []
    for concept in concepts:
        for form in concept.forms:
            forms += [form, *(other for other in script_variants(form) if other != form)]
    forms = list(dict.fromkeys(forms))
    chosen = forms[: max(count, 1)]
    random.Random(SEED).shuffle(chosen)
    return (chosen * (count // len(chosen) + 1))[:count]


def main() -> None:
    """Run the batch, then each query alone; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=60_000, help="documents in the corpus [60000]")
    parser.add_argument("--work", type=Path, default=WORK, help="where corpora and indexes live [bench/work]")
    parser.add_argument("--index", type=Path, help="an index built already (then --size is not used)")
    parser.add_argument("--pools", type=Path, default=DEFAULT_POOLS, help="sentence pools for a new corpus")
    parser.add_argument("--queries", type=int, default=500, help="names in the batch [500]")
    parser.add_argument("--no-translations", action="store_true", help="search only the names as typed (expand=0)")
    args = parser.parse_args()
    corpus, index = (args.index, args.index) if args.index else ensure_index(args.size, args.work, args.pools)

    from app.web import create_app

    limits = {"SEARCH_SECONDS": 60.0, "BATCH_SECONDS": 3600, "BATCH_QUERIES": max(args.queries, 1)}
    app = create_app({"INDEX": str(index), "DOCUMENTS": str(corpus), "CACHE_ENTRIES": 0, **limits})
    client = app.test_client()
    expand = "0" if args.no_translations else "1"
    listed = names(args.queries)
    client.get("/api/search", query_string={"q": "warm"})  # the generation's columns and facets, read once
    started = time.perf_counter()
    response = client.post("/api/batch", json={"queries": listed, "expand": expand})
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"batch refused ({response.status_code}): {response.get_data(as_text=True)[:300]}")
    answer = response.get_json()
    alone = []
    for query in listed:
        began = time.perf_counter()
        client.get("/api/search", query_string={"q": query, "expand": expand, "per_page": answer["per_query"]})
        alone.append((time.perf_counter() - began, query))
    app.extensions["archive_index"].close()
    print_figures(index, answer, seconds, alone)


def print_figures(index: Path, answer: dict, seconds: float, alone: list[tuple[float, str]]) -> None:
    """The batch's figures and the single searches' spread."""
    count = answer["queries"]
    found, none, errors = (
        sum(1 for item in answer["answers"] if item["error"] is None and item["total"]),
        len(answer["no_results"]),
        len(answer["errors"]),
    )
    print(f"index: {index}")
    print(f"batch of {count} names: {found} with documents, {none} with none, {errors} not searched")
    print(f"  whole batch: {seconds:.2f} s (the app's own took_ms: {answer['took_ms']:.0f} ms)")
    print(f"  per query: {seconds / count * 1000:.1f} ms on average")
    times = [taken * 1000 for taken, _query in alone]
    spread = percentiles(times)
    print(
        f"  each query alone: median {spread['median']:.1f} ms, 95th percentile {spread['p95']:.1f} ms, "
        f"slowest {max(times):.1f} ms; all {sum(times) / 1000:.2f} s"
    )
    print("  the five slowest alone:")
    for taken, query in sorted(alone, reverse=True)[:5]:
        print(f"    {taken * 1000:7.1f} ms  {json.dumps(query, ensure_ascii=False)}")


if __name__ == "__main__":
    main()
