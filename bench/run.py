"""The benchmark: build, query and serve corpora of 1,000 / 10,000 / 60,000 documents, ours and
plain Whoosh's side by side, and print our figures as ratios to plain Whoosh.

    python -m bench.run                       # all three sizes (make bench)
    python -m bench.run --sizes 1000          # one size
    python -m bench.run --pools DIR           # other sentence pools (en.txt, zh-Hans.txt, zh-Hant.txt)

Corpora and indexes go under bench/work/ (git-ignored); figures go to bench/results/N.json and
are printed as the Markdown tables of docs/performance.md.
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
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.generate import DEFAULT_POOLS, load_pools, write_corpus
from bench.plain import PlainSearcher

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
HTTP_REQUESTS = {1: 150, 8: 600}


# -- Measuring ---------------------------------------------------------------------------------


def tree_rss_kb(root: int) -> int:
    """Resident memory of process ``root`` and all its descendants, in kB."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    members = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in members and pid not in members:
                members.add(pid)
                grew = True
    return sum(rss_kb(pid) for pid in members)


def rss_kb(pid: int) -> int:
    """Resident memory of one process, in kB (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(command: list[str], env: dict | None = None, ok: tuple[int, ...] = (0, 1)) -> dict:
    """Run ``command``; its wall time and the peak memory of its process tree. An exit status
    outside ``ok`` is a failure (``archive-search index`` exits 1 when it skipped files)."""
    peak = 0
    finished = threading.Event()

    def sample(pid: int) -> None:
        nonlocal peak
        while not finished.wait(0.1):
            peak = max(peak, tree_rss_kb(pid))

    started = time.perf_counter()
    process = subprocess.Popen(
        command, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    # The memory is sampled beside the process, so the time ends when the process does.
    sampler = threading.Thread(target=sample, args=(process.pid,), daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    finished.set()
    sampler.join()
    if process.returncode not in ok:
        raise RuntimeError(f"{command} failed: {stderr.decode()[-2000:]}")
    return {"seconds": round(seconds, 2), "peak_mb": round(peak / 1024, 1), "stdout": stdout.decode()[-500:]}


def folder_mb(folder: Path) -> float:
    """Size of the files under ``folder`` in MB."""
    return round(sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6, 1)


def percentiles(samples: list[float]) -> dict:
    """Median, p95 and p99 of ``samples`` (milliseconds)."""
    ordered = sorted(samples)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else ordered * 99
    return {"median": round(statistics.median(ordered), 2), "p95": round(cuts[94], 2), "p99": round(cuts[98], 2)}


# -- The steps -----------------------------------------------------------------------------


def ensure_corpus(count: int, pools: Path) -> tuple[Path, dict]:
    """The corpus of ``count`` documents, generated once."""
    folder = WORK / f"corpus-{count}"
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_corpus(count, folder, pools)
        marker.write_text(str(count))
    files = [path for path in folder.rglob("*.md")]
    chars = sum(len(path.read_text(encoding="utf-8")) for path in files)
    return folder, {"documents": len(files), "mb": folder_mb(folder), "million_chars": round(chars / 1e6, 1)}


def build_both(count: int, corpus: Path, skip_plain: bool, keep_ours: bool) -> dict:
    """Full builds of our index and plain Whoosh's (``keep_ours``: the figures of the last run's
    build of ours, whose index is still there)."""
    ours_dir, plain_dir = WORK / f"ours-{count}", WORK / f"plain-{count}"
    previous = RESULTS / f"{count}.json"
    if keep_ours and previous.exists() and ours_dir.exists():
        ours = json.loads(previous.read_text(encoding="utf-8"))["build"]["ours"]
    else:
        shutil.rmtree(ours_dir, ignore_errors=True)
        ours = run_measured(
            [sys.executable, "-m", "app", "index", "--full", "--documents", str(corpus), "--index", str(ours_dir)],
            env={"ARCHIVE_INDEX_PROCS": "2"},
        )
        ours["index_mb"] = folder_mb(ours_dir)
    result = {"ours": ours}
    if not skip_plain:
        shutil.rmtree(plain_dir, ignore_errors=True)
        plain = run_measured([sys.executable, "-m", "bench.plain", "build", str(corpus), str(plain_dir)], ok=(0,))
        plain["index_mb"] = folder_mb(plain_dir)
        result["plain"] = plain
    return result


def query_in_process(count: int, skip_plain: bool) -> dict:
    """Every query of the mix, REPEATS times after one warm-up: ours (with the glossary, as the
    service searches, and with expand=0, words as typed), and plain Whoosh's."""
    from app.index.readers import LiveIndex
    from app.service.results import SearchRequest
    from app.service.search import search

    live = LiveIndex(WORK / f"ours-{count}")
    plain = None if skip_plain else PlainSearcher(WORK / f"plain-{count}")
    samples: dict[str, list[float]] = {"ours": [], "ours_as_typed": [], "plain": []}
    per_query = []
    for kind, q, filters in QUERIES:
        options = {name: (value,) for name, value in filters.items()}
        row = {"kind": kind, "q": q, "filters": filters}
        for label, expand in (("ours", True), ("ours_as_typed", False)):
            request = SearchRequest(q=q, expand=expand, **options)
            row[f"{label}_total"] = search(live, request).total  # warm-up
            timings = [_timed(search, live, request) for _ in range(REPEATS)]
            samples[label] += timings
            row[f"{label}_ms"] = round(statistics.median(timings), 2)
        if plain:
            row["plain_total"], _snippets = plain.search(q, filters)
            timings = [_timed(plain.search, q, filters) for _ in range(REPEATS)]
            samples["plain"] += timings
            row["plain_ms"] = round(statistics.median(timings), 2)
        per_query.append(row)
    live.close()
    return {label: percentiles(found) for label, found in samples.items() if found} | {"queries": per_query}


def _timed(function, *args) -> float:
    """Milliseconds one call takes."""
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def query_over_http(count: int, corpus: Path) -> dict:
    """The query mix against `archive-search serve` (2 workers) with 1 and 8 clients."""
    port = 18000 + count % 1000
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "serve",
            "--index",
            str(WORK / f"ours-{count}"),
            "--documents",
            str(corpus),
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        urls = [
            f"{base}/api/search?" + urllib.parse.urlencode([("q", q), *filters.items()])
            for _kind, q, filters in QUERIES
        ]
        for url in urls:  # warm-up: every worker opens the index and reads its facets
            for _ in range(3):
                urllib.request.urlopen(url, timeout=60).read()
        out = {}
        peak_worker_kb = 0
        for clients, requests in HTTP_REQUESTS.items():
            out[f"{clients}_clients"] = http_load(urls, clients, requests)
            workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
            peak_worker_kb = max([peak_worker_kb, *(rss_kb(int(pid)) for pid in workers)])
        out["worker_rss_mb"] = round(peak_worker_kb / 1024, 1)
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


def http_load(urls: list[str], clients: int, requests: int) -> dict:
    """``requests`` GETs over ``urls`` from ``clients`` threads: latency percentiles, errors."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def one(number: int) -> None:
        nonlocal errors
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(urls[number % len(urls)], timeout=30) as response:
                response.read()
                ok = response.status == 200
        except OSError:
            ok = False
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(elapsed)
            errors += not ok

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(requests)))
    seconds = time.perf_counter() - started
    return {
        **percentiles(latencies),
        "requests": requests,
        "errors": errors,
        "per_second": round(requests / seconds, 1),
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
    try:
        # An index kept from an earlier run holds that run's edits: bring it in line first.
        run_measured([sys.executable, "-m", "app", "index", "--documents", str(corpus), "--index", str(index)])
        changes = []
        for edit in range(CHANGES):
            victim.write_text(original + f"\nSentence {edit} added for the incremental benchmark.\n", encoding="utf-8")
            changes.append(
                run_measured([sys.executable, "-m", "app", "index", "--documents", str(corpus), "--index", str(index)])
            )
        big_folder.mkdir(exist_ok=True)
        big = big_folder / "five-megabytes.md"
        big.write_text(big_document(pools), encoding="utf-8")
        add_big = run_measured(
            [sys.executable, "-m", "app", "index", "--documents", str(corpus), "--index", str(index)]
        )
        live = LiveIndex(index)
        timings = []
        for q in ("zebracorn", "zebracorn 人權"):
            search(live, SearchRequest(q=q))
            for _ in range(REPEATS):
                started = time.perf_counter()
                result = search(live, SearchRequest(q=q))
                timings.append((time.perf_counter() - started) * 1000)
            assert (
                result.hits
                and result.hits[0].id == "big/five-megabytes"
                and "<mark>zebracorn</mark>" in result.hits[0].snippet
            )
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


# -- Reporting ---------------------------------------------------------------------------------


def ratio(ours: float, plain: float | None) -> str:
    """ours / plain, as the tables show it."""
    return f"{ours / plain:.2f}" if plain else "—"


def markdown(count: int, figures: dict) -> str:
    """The tables of one size, as docs/performance.md shows them."""
    corpus, build, queries, http, inc = (
        figures[key] for key in ("corpus", "build", "in_process", "http", "incremental")
    )
    ours, plain = build["ours"], build.get("plain", {})
    ours_q, typed_q, plain_q = queries["ours"], queries["ours_as_typed"], queries.get("plain", {})
    docs = corpus["documents"]

    def row(label: str, mine, theirs, compare: bool = False) -> str:
        shown = "—" if theirs is None else theirs
        return f"| {label} | {mine} | {shown} | {ratio(mine, theirs) if compare else ''} |"

    def per_second(amount: float, seconds: float | None) -> str | None:
        return None if not seconds else f"{amount / seconds:.2f}"

    lines = [
        f"### {count:,} documents ({corpus['million_chars']} M characters, {corpus['mb']} MB of Markdown)",
        "",
        "| | ours | plain Whoosh | ours / plain |",
        "|---|---:|---:|---:|",
        row("full build, seconds", ours["seconds"], plain.get("seconds"), compare=True),
        row("documents / second", per_second(docs, ours["seconds"]), per_second(docs, plain.get("seconds"))),
        row("MB / second", per_second(corpus["mb"], ours["seconds"]), per_second(corpus["mb"], plain.get("seconds"))),
        row("peak memory of the build, MB", ours["peak_mb"], plain.get("peak_mb")),
        row("index size, MB", ours["index_mb"], plain.get("index_mb"), compare=True),
        row("query with snippets in process: median ms", ours_q["median"], plain_q.get("median"), compare=True),
        row("p95 ms", ours_q["p95"], plain_q.get("p95"), compare=True),
        row("p99 ms", ours_q["p99"], plain_q.get("p99"), compare=True),
        row("the same, words as typed (expand=0): median ms", typed_q["median"], plain_q.get("median"), compare=True),
        row("p95 ms", typed_q["p95"], plain_q.get("p95"), compare=True),
        "",
        "| over HTTP (`archive-search serve`, 2 workers) | median ms | p95 ms | p99 ms | requests/s | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for clients in (1, 8):
        load = http[f"{clients}_clients"]
        lines.append(
            f"| {clients} client{'s' if clients > 1 else ''} | {load['median']} | {load['p95']} | {load['p99']} "
            f"| {load['per_second']} | {load['errors']}/{load['requests']} |"
        )
    both = [row for row in queries["queries"] if row.get("plain_total")]
    if both:
        mine = statistics.median(row["ours_as_typed_ms"] for row in both)
        theirs = statistics.median(row["plain_ms"] for row in both)
        lines += [
            "",
            f"On the {len(both)} queries of the mix where plain Whoosh finds anything (it finds nothing for most "
            f"Chinese queries, in a fraction of a millisecond), the median of the per-query medians is "
            f"{mine:.2f} ms for ours (expand=0) against {theirs:.2f} ms for plain Whoosh ({ratio(mine, theirs)}).",
        ]
    lines += [
        "",
        f"Server memory: {http['worker_rss_mb']} MB resident per worker (the larger of the two). "
        f"One changed document re-indexed in {inc['change_one_seconds']} s (the whole command, median of "
        f"{CHANGES}; at most {inc.get('change_one_max_seconds', inc['change_one_seconds'])} s); "
        f"a 5 MB document added in {inc['add_5mb_seconds']} s; a search whose snippet comes from that "
        f"document: {inc['snippet_5mb_ms']} ms (median).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    """Command line: run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 60000])
    parser.add_argument("--pools", type=Path, default=DEFAULT_POOLS)
    parser.add_argument("--skip-plain", action="store_true", help="do not build or query plain Whoosh")
    parser.add_argument(
        "--keep-ours", action="store_true", help="reuse our index and its build figures from the last run of a size"
    )
    parser.add_argument(
        "--only-incremental",
        action="store_true",
        help="time only the incremental step, on the index of the last run, and keep that run's other figures",
    )
    args = parser.parse_args()
    if not args.pools.is_dir():
        sys.exit(f"sentence pools not found at {args.pools}: pass --pools DIR (en.txt, zh-Hans.txt, zh-Hant.txt)")
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"# machine: {machine}\n")
    for count in args.sizes:
        corpus, corpus_figures = ensure_corpus(count, args.pools)
        results = RESULTS / f"{count}.json"
        if args.only_incremental:
            figures = json.loads(results.read_text(encoding="utf-8"))
        else:
            figures = {"machine": machine, "corpus": corpus_figures}
            figures["build"] = build_both(count, corpus, args.skip_plain, args.keep_ours)
            figures["in_process"] = query_in_process(count, args.skip_plain)
            figures["http"] = query_over_http(count, corpus)
        figures["incremental"] = incremental_and_big_document(count, corpus, args.pools)
        results.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
        print(markdown(count, figures), flush=True)


if __name__ == "__main__":
    main()
