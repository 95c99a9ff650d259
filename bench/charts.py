"""The benchmark's charts, drawn from its results (``bench/results/N.json``) with matplotlib.

``growth.png``: the query mix's median and p95 in process, ours at every size run, the peers'
medians where they ran. ``ratios.png``: ours against each peer, the median of per-query medians
on the queries the peer answers, at each size run with the peers (under 1: ours is faster).
Written to ``docs/images/`` for docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from bench.report import PEERS, against

RESULTS = Path(__file__).resolve().parent / "results"
IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"


def load(folder: Path = RESULTS) -> dict[int, dict]:
    """Every size's figures, by size."""
    return {int(path.stem): json.loads(path.read_text(encoding="utf-8")) for path in folder.glob("*.json")}


def draw(results: dict[int, dict], out: Path = IMAGES) -> list[Path]:
    """Draw both charts into ``out``; the files written."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    sizes = sorted(results)
    figure, axes = plt.subplots(figsize=(7, 4), dpi=110)
    ours = [results[size]["in_process"]["ours"] for size in sizes]
    axes.plot(sizes, [figures["median"] for figures in ours], "o-", label="ours, median")
    axes.plot(sizes, [figures["p95"] for figures in ours], "o--", label="ours, p95")
    for peer, name in PEERS:
        ran = [size for size in sizes if peer in results[size]["in_process"]]
        if ran:
            medians = [results[size]["in_process"][peer]["median"] for size in ran]
            axes.plot(ran, medians, "s:", label=f"{name}, median (the queries it answers)")
    axes.set(xscale="log", yscale="log", xlabel="documents", ylabel="ms per query (in process)")
    axes.set_title("The query mix as the archive grows")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    growth = out / "growth.png"
    figure.tight_layout()
    figure.savefig(growth)
    plt.close(figure)

    with_peers = [size for size in sizes if results[size].get("peers")]
    figure, axes = plt.subplots(figsize=(7, 3.6), dpi=110)
    width = 0.8 / len(PEERS)
    for number, (peer, name) in enumerate(PEERS):
        values = []
        for size in with_peers:
            mine, theirs = against(results[size]["in_process"], peer)
            values.append(statistics.median(mine) / statistics.median(theirs) if mine else 0.0)
        places = [place + (number - (len(PEERS) - 1) / 2) * width for place in range(len(with_peers))]
        bars = axes.bar(places, values, width, label=f"ours / {name}")
        axes.bar_label(bars, fmt="%.2f", fontsize=8)
    axes.axhline(1.0, color="grey", linewidth=1)
    axes.set_xticks(range(len(with_peers)), [f"{size:,}" for size in with_peers])
    axes.set(xlabel="documents", ylabel="median time, ours / peer")
    axes.set_title("Ours against the peers, on the queries each answers (under 1: faster)")
    axes.legend(fontsize=8)
    ratios = out / "ratios.png"
    figure.tight_layout()
    figure.savefig(ratios)
    plt.close(figure)
    return [growth, ratios]


def main() -> None:
    """Command line: draw the charts from the results folder."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--out", type=Path, default=IMAGES)
    args = parser.parse_args()
    for path in draw(load(args.results), args.out):
        print(path)


if __name__ == "__main__":
    main()
