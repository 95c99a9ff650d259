"""Measuring commands and servers: time, the peak memory of a process tree, latency percentiles."""

from __future__ import annotations

import itertools
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


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


def get(url: str, timeout: float = 60, headers: dict | None = None, send: dict | None = None) -> tuple[int, bytes]:
    """(status, body) of a GET with the ``send`` headers; ``headers``, when given, receives the
    response's headers."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=send or {}), timeout=timeout) as response:
            if headers is not None:
                headers.update(response.headers)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def http_load(urls: list[str], clients: int, requests: int) -> dict:
    """``requests`` GETs over ``urls`` from ``clients`` threads, each a user of its own address (as
    the proxy names it in X-Forwarded-For, trusted from loopback): latency percentiles, errors."""
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    local = threading.local()
    addresses = itertools.count(1)

    def one(number: int) -> None:
        if not hasattr(local, "address"):
            local.address = f"10.0.0.{next(addresses)}"
        started = time.perf_counter()
        try:
            status, _body = get(urls[number % len(urls)], timeout=30, send={"X-Forwarded-For": local.address})
        except OSError as error:
            status = type(error).__name__
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(elapsed)
            statuses[str(status)] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(requests)))
    seconds = time.perf_counter() - started
    return {
        **percentiles(latencies),
        "requests": requests,
        "errors": requests - statuses["200"],
        "statuses": dict(statuses),
        "per_second": round(requests / seconds, 1),
    }


class Server:
    """``archive-search serve`` on a loopback port, for the length of a ``with`` block."""

    def __init__(
        self, index: Path, corpus: Path, port: int, workers: int = 2, env: dict | None = None, extra: tuple = ()
    ) -> None:
        self.command = [
            *(sys.executable, "-m", "app", "serve", "--index", str(index), "--documents", str(corpus)),
            *("--port", str(port), "--workers", str(workers), *extra),
        ]
        self.base = f"http://127.0.0.1:{port}"
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            self.command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(600):
            try:
                if get(f"{self.base}/healthz", timeout=2)[0] == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("the server did not start")

    def workers(self) -> list[int]:
        """The worker processes' ids."""
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout.split()
        return [int(pid) for pid in found]

    def __exit__(self, *_exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
