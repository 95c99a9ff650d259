"""The worst queries the limits allow, timed on a built index (the benchmark's, by default).

    python -m bench.bounds [INDEX]          # default bench/work/ours-60000

Each must answer, or be refused with a message, within a second (once the generation is open:
the first search of a generation reads its lengths, keys and facets, which the report gives).
"""

from __future__ import annotations

import statistics
import string
import sys
import time
from pathlib import Path

from app import config
from app.index.readers import LiveIndex
from app.query.parse import QueryError
from app.service.results import SearchRequest
from app.service.search import search

ROOT = Path(__file__).resolve().parent.parent
LIMIT_SECONDS = 1.0


def worst_requests(counts: dict[str, int]) -> list[tuple[str, SearchRequest]]:
    """The requests at and past each limit, given how many words each two-letter prefix has."""
    prefix = _busiest_prefix(counts)
    busiest = _busiest_prefix(counts, under_limit=False)
    return [
        ("query of 500 characters, all Chinese", SearchRequest(q="香港人權民主自由法治" * 50)),
        ("query of 500 characters, English words", SearchRequest(q=" ".join(["government police"] * 29)[:500])),
        ("query of 501 characters (refused)", SearchRequest(q="權" * 501)),
        ("a one-letter pattern (refused)", SearchRequest(q="a*")),
        (f"a pattern over the term limit: {busiest}* (refused)", SearchRequest(q=f"{busiest}*")),
        (f"a pattern near the limit: {prefix}*", SearchRequest(q=f"{prefix}*")),
        ("100 results per page", SearchRequest(q="港", per_page=100)),
        ("page 100000, past the end", SearchRequest(q="港", page=100_000)),
        ("every document", SearchRequest(q="*")),
        ("every document, newest first", SearchRequest(q="*", sort="-date")),
        (
            "twenty OR'd words",
            SearchRequest(q=" OR ".join(["police", "government", "court", "freedom", "election"] * 4)),
        ),
    ]


def prefix_counts(terms) -> dict[str, int]:
    """How many indexed words start with each two ASCII letters (up to 100,000 each)."""
    letters = string.ascii_lowercase
    return {a + b: len(terms.words(a + b, a + b + "\uffff", 100_000)) for a in letters for b in letters}


def _busiest_prefix(counts: dict[str, int], under_limit: bool = True) -> str:
    """The two-letter prefix with the most words (under the term limit, or over all)."""
    limit = config.setting("MAX_TERMS").default if under_limit else float("inf")
    allowed = [(count, prefix) for prefix, count in counts.items() if count <= limit]
    return max(allowed)[1]


def main() -> None:
    """Run each worst request three times; print the slowest time and the outcome."""
    index = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "work" / "ours-60000"
    live = LiveIndex(index)
    with live.use() as generation:
        counts = prefix_counts(generation.terms)
        documents = generation.doc_count
    # A server reads the lengths, keys and facets of a new generation on its first search.
    started = time.perf_counter()
    search(live, SearchRequest(q="warm"))
    print(f"{documents} documents in {index}; first search of the generation: {time.perf_counter() - started:.2f} s\n")
    print("| request | slowest of 3, ms | outcome |")
    print("|---|---:|---|")
    worst = 0.0
    for label, request in worst_requests(counts):
        timings, outcome = [], ""
        for _ in range(3):
            started = time.perf_counter()
            try:
                result = search(live, request)
                outcome = f"{result.total} results"
            except QueryError as error:
                outcome = f"400: {error}"
            timings.append(time.perf_counter() - started)
        worst = max(worst, max(timings))
        slowest, median = max(timings) * 1000, statistics.median(timings) * 1000
        print(f"| {label} | {slowest:.0f} (median {median:.0f}) | {outcome[:90]} |")
    live.close()
    verdict = "held" if worst <= LIMIT_SECONDS else "MISSED"
    print(f"\nslowest: {worst * 1000:.0f} ms; limit {LIMIT_SECONDS * 1000:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
