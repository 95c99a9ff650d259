"""The benchmark corpus of a size and its index under bench/work, written and built once, for the
benchmarks that measure one index (``bench.batch``, ``bench.export``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.generate import write_corpus
from bench.measure import run_measured
from bench.run import index_command


def readable(index: Path) -> bool:
    """True when ``index`` holds a generation this version can read."""
    from app.index.readers import IndexMissing, LiveIndex

    live = LiveIndex(index)
    try:
        with live.use():
            return True
    except (IndexMissing, OSError):
        return False
    finally:
        live.close()


def ensure_index(size: int, work: Path, pools: Path) -> tuple[Path, Path]:
    """The corpus of ``size`` documents and its index under ``work``, written and built when
    they are missing or unreadable."""
    corpus, index = work / f"corpus-{size}", work / f"ours-{size}"
    if not (corpus / ".complete").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        print(f"writing {size:,} documents to {corpus} ...", flush=True)
        write_corpus(size, corpus, pools)
        (corpus / ".complete").write_text(str(size))
    if not readable(index):
        shutil.rmtree(index, ignore_errors=True)
        print(f"building {index} ...", flush=True)
        built = run_measured(index_command(corpus, index, full=True), env={"ARCHIVE_INDEX_PROCS": "2"})
        print(f"built in {built['seconds']} s, peak {built['peak_mb']} MB", flush=True)
    return corpus, index
