"""An export of (nearly) every document of the benchmark's corpus: its time and the memory it takes.

    python -m bench.export                         # 60,000 documents: bench/work/ours-60000
    python -m bench.export --size 1000 --work DIR  # another size, its corpus and index under DIR
    python -m bench.export --index DIR             # an index built already
    python -m bench.export --format ris --query 人權 --sort=-date

The corpus and the index are those of bench.run (bench/work/corpus-N, bench/work/ours-N), written
and built here only when they are missing or cannot be read (an index of an older format). The
export goes through the app's test client, as a browser's download would, with EXPORT_MAX raised
to the corpus's size; the answer is read a chunk at a time and dropped. Printed: the matches,
the bytes, the time to the first byte and to the last, and the memory of this process (resident,
before the export and at its peak, sampled at each chunk read; ru_maxrss), then the peak of
Python's allocations during a second export, traced by tracemalloc.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
import tracemalloc
from pathlib import Path

from bench.generate import DEFAULT_POOLS
from bench.indexes import ensure_index
from bench.measure import rss_kb
from bench.run import WORK

# What the export asks for: a query every document matches, in the order of relevance.
QUERY = "*"


def export_once(client, params: dict) -> dict:
    """One export through ``client``: its status, rows, bytes, times and the resident memory
    of this process at its peak (sampled as each chunk is read)."""
    before = rss_kb(os.getpid())
    peak = before
    started = time.perf_counter()
    response = client.get("/api/export", query_string=params)
    if response.status_code != 200:
        raise SystemExit(f"export refused ({response.status_code}): {response.get_data(as_text=True)[:300]}")
    first_byte = None
    size = lines = 0
    for piece in response.response:
        data = piece if isinstance(piece, bytes) else piece.encode("utf-8")
        first_byte = first_byte or time.perf_counter() - started
        size += len(data)
        lines += data.count(b"\n")
        peak = max(peak, rss_kb(os.getpid()))
    response.close()
    return {
        "total": int(response.headers["X-Archive-Total"]),
        "mb": size / 1e6,
        "lines": lines,
        "first_byte_s": first_byte or 0.0,
        "seconds": time.perf_counter() - started,
        "rss_before_mb": before / 1024,
        "rss_peak_mb": peak / 1024,
    }


def main() -> None:
    """Export, then print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=60_000, help="documents in the corpus [60000]")
    parser.add_argument("--work", type=Path, default=WORK, help="where corpora and indexes live [bench/work]")
    parser.add_argument("--index", type=Path, help="an index built already (then --size is not used)")
    parser.add_argument("--pools", type=Path, default=DEFAULT_POOLS, help="sentence pools for a new corpus")
    parser.add_argument("--query", default=QUERY, help=f"the query [{QUERY}]")
    parser.add_argument("--sort", default="relevance", help="relevance, -date or date [relevance]")
    parser.add_argument("--format", default="csv", help="csv, jsonl or ris [csv]")
    args = parser.parse_args()
    corpus, index = (args.index, args.index) if args.index else ensure_index(args.size, args.work, args.pools)

    from app.web import create_app

    app = create_app({"INDEX": str(index), "DOCUMENTS": str(corpus), "EXPORT_MAX": 10_000_000, "SEARCH_SECONDS": 60.0})
    client = app.test_client()
    params = {"q": args.query, "sort": args.sort, "format": args.format}
    client.get("/api/search", query_string={"q": args.query})  # the generation's columns and facets, read once
    found = export_once(client, params)
    tracemalloc.start()
    export_once(client, params)
    _current, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    app.extensions["archive_index"].close()
    print(f"index: {index}")
    print(
        f"export of {args.query!r} ({args.sort}, {args.format}): {found['total']:,} matches, {found['lines']:,} lines"
    )
    print(f"  {found['mb']:.1f} MB in {found['seconds']:.2f} s ({found['total'] / found['seconds']:,.0f} rows/s)")
    print(f"  first byte after {found['first_byte_s'] * 1000:.0f} ms")
    print(f"  resident memory: {found['rss_before_mb']:.0f} MB before, {found['rss_peak_mb']:.0f} MB at the peak")
    print(f"  ru_maxrss of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"  peak of Python's allocations during an export (tracemalloc): {traced / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
