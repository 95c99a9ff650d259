"""Where a query's time goes: the benchmark's query mix under cProfile, on a built index.

    python -m bench.profile [INDEX] [--top 25]      # default bench/work/ours-60000

Prints the share of the time spent in this project's code, in Whoosh and elsewhere, then the
functions that took the most time themselves.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
from pathlib import Path

from app.index.readers import LiveIndex
from app.service.search import search
from bench.run import QUERIES, REPEATS, WORK, mix_request


def profile_queries(index: Path) -> pstats.Stats:
    """The query mix, REPEATS times each after a warm-up, profiled."""
    live = LiveIndex(index)
    requests = [mix_request(q, filters) for _kind, q, filters in QUERIES]
    for request in requests:
        search(live, request)
    profiler = cProfile.Profile()
    profiler.enable()
    for request in requests:
        for _ in range(REPEATS):
            search(live, request)
    profiler.disable()
    live.close()
    return pstats.Stats(profiler)


def shares(stats: pstats.Stats) -> dict[str, float]:
    """Seconds spent in each part's own code: the project, Whoosh, everything else."""
    parts = {"app": 0.0, "whoosh": 0.0, "other": 0.0}
    for (filename, _line, _name), (_calls, _primitive, own, _total, _callers) in stats.stats.items():
        part = "app" if "/app/" in filename else "whoosh" if "/whoosh/" in filename else "other"
        parts[part] += own
    return parts


def main() -> None:
    """Profile the query mix and print where the time went."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index", nargs="?", type=Path, default=WORK / "ours-60000")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    stats = profile_queries(args.index)
    parts = shares(stats)
    total = sum(parts.values())
    print(f"{len(QUERIES) * REPEATS} searches in {total:.2f} s of profiled time")
    for part, seconds in parts.items():
        print(f"  {part:7} {seconds:6.2f} s  {100 * seconds / total:5.1f}%")
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
