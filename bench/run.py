"""The benchmark: build, query and serve corpora of 1,000 / 10,000 / 60,000 documents, ours beside
plain Whoosh and SQLite FTS5 (trigram), and 240,000 documents of ours alone; print the tables of
docs/performance.md.

    python -m bench.run                           # every size (make bench)
    python -m bench.run --sizes 1000              # one size with the peers
    python -m bench.run --sizes --alone 240000    # ours alone at one size
    python -m bench.run --pools DIR               # other sentence pools (en.txt, zh-Hans.txt, zh-Hant.txt)

Corpora and indexes go under bench/work/ (git-ignored); figures go to bench/results/N.json.
Latency is measured with the result cache off (each query of the mix is run again and again);
the cache's own effect is measured apart, on browsing sessions (next page, a facet, a sort).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from bench import charts
from bench.fts5 import FtsSearcher
from bench.generate import DEFAULT_POOLS, load_pools, write_corpus
from bench.measure import Server, folder_mb, get, http_load, percentiles, rss_kb, run_measured
from bench.plain import PlainSearcher
from bench.report import markdown

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"

# The fixed query mix: (kind, query, filters).
QUERIES = [
    ("one character", "權", {}),
    ("one character", "港", {}),
    ("one character", "法", {}),
    ("Chinese, Traditional", "人權", {}),
    ("Chinese, Simplified", "人权", {}),
    ("Chinese, Traditional", "立法會", {}),
    ("Chinese, Simplified", "立法会", {}),
    ("Chinese, Traditional", "國家安全", {}),
    ("Chinese, Simplified", "国家安全", {}),
    ("Chinese, Traditional", "警察", {}),
    ("Chinese, Simplified", "政府", {}),
    ("Chinese, Traditional", "民主派", {}),
    ("English word", "police", {}),
    ("English word", "government", {}),
    ("English word", "freedom", {}),
    ("English word", "elections", {}),
    ("English word", "journalists", {}),
    ("English phrase", '"human rights"', {}),
    ("English phrase", '"the government"', {}),
    ("English phrase", '"united states"', {}),
    ("mixed", "Hong Kong 香港", {}),
    ("mixed", "police 警察", {}),
    ("filtered", "人權", {"lang": "zh-Hant"}),
    ("filtered", "police", {"year": "2019"}),
    ("filtered", "政府", {"lang": "zh-Hans"}),
]
REPEATS = 5
# One document is changed this many times, an incremental build after each.
CHANGES = 5
HTTP_REQUESTS = {1: 150, 8: 600, 32: 1200}
# The server without its result cache, so that repeated queries are evaluated each time.
NO_CACHE = {"ARCHIVE_CACHE_ENTRIES": "0"}
# `archive-search search` from start to exit: these queries (a page of one, of ten), each this
# many times, opening the index itself and asking a running `serve`.
COMMAND_LINE = (("police", "--limit", "1"), ("立法會",), ('"human rights"',))
COMMAND_RUNS = 5


def ensure_corpus(count: int, pools: Path) -> tuple[Path, dict]:
    """The corpus of ``count`` documents, generated once."""
    folder = WORK / f"corpus-{count}"
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_corpus(count, folder, pools)
        marker.write_text(str(count))
    files = list(folder.rglob("*.md"))
    chars = sum(len(path.read_text(encoding="utf-8")) for path in files)
    return folder, {"documents": len(files), "mb": folder_mb(folder), "million_chars": round(chars / 1e6, 1)}


def index_command(corpus: Path, index: Path, full: bool = False) -> list[str]:
    """The `archive-search index` command that builds ``index`` from ``corpus`` (in full, or
    only what changed)."""
    return [
        sys.executable,
        "-m",
        "app",
        "index",
        *(["--full"] if full else []),
        "--documents",
        str(corpus),
        "--index",
        str(index),
    ]


def build_ours(corpus: Path, index: Path) -> dict:
    """A full build of our index of ``corpus`` in ``index``, on both cores: its time, the peak
    memory of the build and the size of the index."""
    shutil.rmtree(index, ignore_errors=True)
    ours = run_measured(index_command(corpus, index, full=True), env={"ARCHIVE_INDEX_PROCS": "2"})
    ours["index_mb"] = folder_mb(index)
    return ours


def mix_request(q: str, filters: dict[str, str], **options):
    """The ``SearchRequest`` of a query of the mix with its filters (``options``: expand, page...).
    Every copy is a result (dedupe=0), as the peers count them: the generated corpus draws its
    documents from small pools of sentences, so most of them are near copies of another."""
    from app.service.results import SearchRequest

    options.setdefault("dedupe", False)
    return SearchRequest(q=q, **{name: (value,) for name, value in filters.items()}, **options)


def build_all(count: int, corpus: Path, peers: bool) -> dict:
    """Full builds of our index and (with ``peers``) plain Whoosh's and FTS5's."""
    result = {"ours": build_ours(corpus, WORK / f"ours-{count}")}
    if peers:
        plain_dir, fts_file = WORK / f"plain-{count}", WORK / f"fts5-{count}.sqlite"
        shutil.rmtree(plain_dir, ignore_errors=True)
        plain = run_measured([sys.executable, "-m", "bench.plain", "build", str(corpus), str(plain_dir)], ok=(0,))
        plain["index_mb"] = folder_mb(plain_dir)
        fts5 = run_measured([sys.executable, "-m", "bench.fts5", "build", str(corpus), str(fts_file)], ok=(0,))
        fts5["index_mb"] = round(fts_file.stat().st_size / 1e6, 1)
        result.update(plain=plain, fts5=fts5)
    return result


def _timed(function, *args) -> float:
    """Milliseconds one call takes."""
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def query_in_process(count: int, peers: bool) -> dict:
    """Every query of the mix, REPEATS times after one warm-up: ours (with the glossary, as the
    service searches, and with expand=0, words as typed), plain Whoosh's and FTS5's."""
    from app.index.readers import LiveIndex
    from app.service.search import search, warm

    live = LiveIndex(WORK / f"ours-{count}", warm=warm)
    plain = PlainSearcher(WORK / f"plain-{count}") if peers else None
    fts5 = FtsSearcher(WORK / f"fts5-{count}.sqlite") if peers else None
    started = time.perf_counter()
    with live.use():
        pass
    open_ms = (time.perf_counter() - started) * 1000
    samples: dict[str, list[float]] = {"ours": [], "ours_as_typed": [], "plain": [], "fts5": []}
    per_query = []
    for kind, q, filters in QUERIES:
        row = {"kind": kind, "q": q, "filters": filters}
        for label, expand in (("ours", True), ("ours_as_typed", False)):
            request = mix_request(q, filters, expand=expand)
            row[f"{label}_total"] = search(live, request).total  # warm-up
            timings = [_timed(search, live, request) for _ in range(REPEATS)]
            samples[label] += timings
            row[f"{label}_ms"] = round(statistics.median(timings), 2)
        for label, peer in (("plain", plain), ("fts5", fts5)):
            if peer is None:
                continue
            answer = peer.search(q, filters)
            if answer is None:
                row[f"{label}_total"] = None  # the peer cannot answer this query
                continue
            row[f"{label}_total"] = answer[0]
            timings = [_timed(peer.search, q, filters) for _ in range(REPEATS)]
            if answer[0] or label != "plain":  # plain Whoosh finds nothing for most Chinese: not an answer
                samples[label] += timings
            row[f"{label}_ms"] = round(statistics.median(timings), 2)
        per_query.append(row)
    live.close()
    return {label: percentiles(found) for label, found in samples.items() if found} | {
        "queries": per_query,
        "open_and_warm_ms": round(open_ms, 1),
    }


def query_over_http(count: int, corpus: Path) -> dict:
    """The query mix against `archive-search serve` (its defaults: 2 workers) with 1, 8 and 32
    clients, the result cache off; a worker's first search after start and after a new
    generation; the cache's effect on browsing."""
    port = 18000 + count % 1000
    urls = ["/api/search?" + urllib.parse.urlencode([("q", q), *filters.items()]) for _kind, q, filters in QUERIES]
    out: dict = {}
    with Server(WORK / f"ours-{count}", corpus, port, env=NO_CACHE) as server:
        out["first_search_ms"] = [_first_search(server, url) for url in urls[:2]]
        for url in urls:  # every worker has now served each query once
            for _ in range(2):
                get(server.base + url)
        peak_worker_kb = 0
        for clients, requests in HTTP_REQUESTS.items():
            out[f"{clients}_clients"] = http_load([server.base + url for url in urls], clients, requests)
            peak_worker_kb = max([peak_worker_kb, *(rss_kb(pid) for pid in server.workers())])
        out["worker_rss_mb"] = round(peak_worker_kb / 1024, 1)
        out["new_generation_ms"] = _search_after_new_generation(server, count, corpus)
    with Server(WORK / f"ours-{count}", corpus, port + 1) as server:
        out["cache"] = _browsing(server)
    return out


def command_line(count: int, corpus: Path) -> dict:
    """`archive-search search` from start to exit, in seconds: opening the index itself, and
    asking a running `serve` (``--server``); the median and the slowest of COMMAND_RUNS runs of
    each query of COMMAND_LINE."""
    index = WORK / f"ours-{count}"
    command = [sys.executable, "-m", "app", "search"]

    def seconds(extra: list[str]) -> list[float]:
        taken = []
        for query in COMMAND_LINE:
            for _ in range(COMMAND_RUNS):
                started = time.perf_counter()
                subprocess.run([*command, *query, *extra], stdout=subprocess.DEVNULL, check=True)
                taken.append(time.perf_counter() - started)
        return taken

    alone = seconds(["--index", str(index)])
    with Server(index, corpus, 17000 + count % 1000, env=NO_CACHE) as server:
        seconds(["--server", server.base])  # each worker has served each query
        asking = seconds(["--server", server.base])
    return {
        "runs": len(alone),
        "queries": len(COMMAND_LINE),
        "alone_median_seconds": round(statistics.median(alone), 3),
        "alone_max_seconds": round(max(alone), 3),
        "server_median_seconds": round(statistics.median(asking), 3),
        "server_max_seconds": round(max(asking), 3),
    }


def _first_search(server: Server, url: str) -> float:
    """Milliseconds the server itself took for a search (``took_ms``), as the first it serves."""
    status, body = get(server.base + url)
    assert status == 200, body[:200]
    return json.loads(body)["took_ms"]


def _search_after_new_generation(server: Server, count: int, corpus: Path) -> float:
    """Publish a new generation (one document changed) and time searches until both workers
    serve it: the slowest of them, in milliseconds, as the server took them."""
    victim = sorted(corpus.rglob("*.md"))[count // 3]
    original = victim.read_text(encoding="utf-8")
    marker = f"quokka{int(time.time())}"
    try:
        victim.write_text(original + f"\n{marker}\n", encoding="utf-8")
        run_measured(index_command(corpus, WORK / f"ours-{count}"))
        slowest, seen = 0.0, 0
        deadline = time.monotonic() + 30
        while seen < 8 and time.monotonic() < deadline:
            status, body = get(f"{server.base}/api/search?q={marker}")
            answer = json.loads(body)
            slowest = max(slowest, answer["took_ms"]) if status == 200 else slowest
            seen += answer.get("total", 0) == 1
        return round(slowest, 1)
    finally:
        victim.write_text(original, encoding="utf-8")


def _browsing(server: Server) -> dict:
    """Sessions with the result cache on: each query of the mix, then its second page, a facet,
    and the newest first. The share of requests answered from the cache, and their times."""
    first, later, hits = [], [], 0
    for _kind, q, _filters in QUERIES:
        base = f"{server.base}/api/search?" + urllib.parse.urlencode({"q": q})
        _status, body = get(base)
        first.append(json.loads(body)["took_ms"])
        facets = json.loads(body)["facets"]
        year = facets["year"][0]["value"] if facets.get("year") else "2019"
        for extra in ("&page=2", f"&year={year}", "&sort=-date"):
            headers: dict = {}
            _status, body = get(base + extra, headers=headers)
            later.append(json.loads(body)["took_ms"])
            hits += headers.get("X-Archive-Cache") == "hit"
    return {
        "requests_after_the_first": len(later),
        "hit_rate": round(hits / len(later), 3),
        "first_median_ms": round(statistics.median(first), 2),
        "from_cache_median_ms": round(statistics.median(later), 2),
    }


def incremental_and_big_document(count: int, corpus: Path, pools: Path) -> dict:
    """One document changed and re-indexed, CHANGES times; a 5 MB document added, then a snippet
    from it. The corpus is left as it was."""
    from app.index.readers import LiveIndex
    from app.service.results import SearchRequest
    from app.service.search import search

    index = WORK / f"ours-{count}"
    victim = sorted(corpus.rglob("*.md"))[count // 2]
    original = victim.read_text(encoding="utf-8")
    big_folder = corpus / "big"
    command = index_command(corpus, index)
    try:
        run_measured(command)  # an index kept from an earlier run holds that run's edits
        changes = []
        for edit in range(CHANGES):
            victim.write_text(original + f"\nSentence {edit} added for the incremental benchmark.\n", encoding="utf-8")
            changes.append(run_measured(command))
        big_folder.mkdir(exist_ok=True)
        (big_folder / "five-megabytes.md").write_text(big_document(pools), encoding="utf-8")
        add_big = run_measured(command)
        live = LiveIndex(index)
        timings = []
        for q in ("zebracorn", "zebracorn 人權"):
            search(live, SearchRequest(q=q))
            for _ in range(REPEATS):
                started = time.perf_counter()
                result = search(live, SearchRequest(q=q))
                timings.append((time.perf_counter() - started) * 1000)
            assert result.hits and result.hits[0].id == "big/five-megabytes"
            assert "zebracorn" in result.hits[0].snippet.marked()
        live.close()
        return {
            "change_one_seconds": statistics.median(change["seconds"] for change in changes),
            "change_one_max_seconds": max(change["seconds"] for change in changes),
            "add_5mb_seconds": add_big["seconds"],
            "snippet_5mb_ms": round(statistics.median(timings), 2),
        }
    finally:
        victim.write_text(original, encoding="utf-8")
        shutil.rmtree(big_folder, ignore_errors=True)
        run_measured(command)


def found_after_change(count: int, corpus: Path) -> dict:
    """`archive-search serve --watch`: seconds from a document's change on disk to a search over
    HTTP finding it, CHANGES times (after one change not counted: the watcher's first update)."""
    index = WORK / f"ours-{count}"
    victim = sorted(corpus.rglob("*.md"))[count // 3]
    original = victim.read_text(encoding="utf-8")
    seconds = []
    try:
        with Server(index, corpus, 19000 + count % 1000, env=NO_CACHE, extra=("--watch",)) as server:
            for edit in range(CHANGES + 1):
                marker = f"watched{edit}x{int(time.time())}"
                victim.write_text(original + f"\n{marker}\n", encoding="utf-8")
                started = time.monotonic()
                while json.loads(get(f"{server.base}/api/search?q={marker}")[1]).get("total", 0) < 1:
                    if time.monotonic() - started > 120:
                        raise RuntimeError(f"serve --watch did not find {marker} in two minutes")
                    time.sleep(0.05)
                seconds.append(time.monotonic() - started)
                time.sleep(1)
    finally:
        victim.write_text(original, encoding="utf-8")
        run_measured(index_command(corpus, index))
    return {
        "found_median_seconds": round(statistics.median(seconds[1:]), 2),
        "found_max_seconds": round(max(seconds[1:]), 2),
    }


def big_document(pools: Path) -> str:
    """A 5 MB Markdown document (Traditional and English), with one rare word near its end."""
    sentences = load_pools(pools)
    parts, size, index = [], 0, 0
    while size < 5_000_000:
        pool = sentences["zh-Hant" if index % 3 else "en"]
        paragraph = "".join(pool[(index * 37 + step) % len(pool)] for step in range(8))
        parts.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
        index += 1
    parts.insert(len(parts) * 9 // 10, "The zebracorn appears once, near the end, beside 人權.")
    return "---\ntitle: A five-megabyte report\ndate: 2024-01-01\n---\n" + "\n\n".join(parts) + "\n"


def main() -> None:
    """Command line: run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 60000], help="sizes run with the peers")
    parser.add_argument("--alone", type=int, nargs="*", default=[240000], help="sizes run for ours alone")
    parser.add_argument("--pools", type=Path, default=DEFAULT_POOLS)
    args = parser.parse_args()
    if not args.pools.is_dir():
        sys.exit(f"sentence pools not found at {args.pools}: pass --pools DIR (en.txt, zh-Hans.txt, zh-Hant.txt)")
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"# machine: {machine}\n")
    for count, peers in [*((size, True) for size in args.sizes), *((size, False) for size in args.alone)]:
        corpus, corpus_figures = ensure_corpus(count, args.pools)
        figures = {"machine": machine, "corpus": corpus_figures, "peers": peers}
        figures["build"] = build_all(count, corpus, peers)
        figures["in_process"] = query_in_process(count, peers)
        if peers:
            figures["http"] = query_over_http(count, corpus)
            figures["incremental"] = incremental_and_big_document(count, corpus, args.pools)
            figures["incremental"].update(found_after_change(count, corpus))
            figures["command_line"] = command_line(count, corpus)
        (RESULTS / f"{count}.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
        print(markdown(count, figures), flush=True)
    for chart in charts.draw(charts.load()):
        print(f"chart: {chart}")


if __name__ == "__main__":
    main()
