"""The tables of docs/performance.md, from the figures of one size."""

from __future__ import annotations

import statistics


def ratio(ours: float | None, theirs: float | None) -> str:
    """ours / theirs, as the tables show it."""
    return f"{ours / theirs:.2f}" if ours is not None and theirs else "—"


def _cell(value) -> str:
    return "—" if value is None else str(value)


def markdown(count: int, figures: dict) -> str:
    """The tables of one size."""
    corpus, build, queries = figures["corpus"], figures["build"], figures["in_process"]
    ours, plain, fts5 = build["ours"], build.get("plain", {}), build.get("fts5", {})
    docs = corpus["documents"]
    lines = [
        f"### {count:,} documents ({corpus['million_chars']} M characters, {corpus['mb']} MB of Markdown)",
        "",
        "| | ours | plain Whoosh | SQLite FTS5 (trigram) | ours / Whoosh | ours / FTS5 |",
        "|---|---:|---:|---:|---:|---:|",
    ]

    def row(label: str, key: str, mine: dict, compare: bool = True, scale=None) -> None:
        values = [part.get(key) for part in (mine, plain, fts5)]
        if scale:
            values = [None if value is None else scale(value) for value in values]
        ratios = [ratio(values[0], values[1]), ratio(values[0], values[2])] if compare else ["", ""]
        lines.append(f"| {label} | " + " | ".join(_cell(value) for value in values) + " | " + " | ".join(ratios) + " |")

    row("full build, seconds", "seconds", ours)
    row("documents / second", "seconds", ours, compare=False, scale=lambda seconds: round(docs / seconds, 1))
    row("peak memory of the build, MB", "peak_mb", ours)
    row("index size, MB", "index_mb", ours)
    mix = {"ours": queries["ours"], "typed": queries["ours_as_typed"]}
    peer_mix = {"plain": queries.get("plain", {}), "fts5": queries.get("fts5", {})}
    for label, key in (("median", "median"), ("p95", "p95"), ("p99", "p99")):
        values = [mix["ours"][key], peer_mix["plain"].get(key), peer_mix["fts5"].get(key)]
        lines.append(
            f"| query with snippets, in process, {label} ms (each peer on the queries it answers) | "
            + " | ".join(_cell(value) for value in values)
            + " |  |  |"
        )
    lines.append(
        f"| the same with expand=0 (words as typed): median / p95 ms | {mix['typed']['median']} / {mix['typed']['p95']}"
        " |  |  |  |  |"
    )
    lines += ["", *_per_peer(queries), ""]
    lines += _per_query(queries)
    http = figures.get("http")
    if http:
        lines += [
            "",
            "| over HTTP (`archive-search serve` defaults, result cache off; a client per address) "
            "| median ms | p95 ms | p99 ms | requests/s | errors |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for clients in sorted(int(key.split("_")[0]) for key in http if key.endswith("_clients")):
            load = http[f"{clients}_clients"]
            lines.append(
                f"| {clients} client{'s' if clients > 1 else ''} | {load['median']} | {load['p95']} | {load['p99']} "
                f"| {load['per_second']} | {_errors(load)} |"
            )
        cache = http["cache"]
        lines += [
            "",
            f"A worker's first searches after start took {', '.join(map(str, http['first_search_ms']))} ms "
            f"(as the server timed them); after a new generation was published, the slowest search until both "
            f"workers served it took {http['new_generation_ms']} ms. Worker memory: {http['worker_rss_mb']} MB "
            f"resident (the larger of the two). Result cache, on browsing sessions (each query, then its second "
            f"page, a facet, the newest first): {cache['hit_rate'] * 100:.0f}% of the "
            f"{cache['requests_after_the_first']} later requests answered without evaluating the query again, "
            f"median {cache['from_cache_median_ms']} ms against {cache['first_median_ms']} ms for the first.",
        ]
    inc = figures.get("incremental")
    if inc:
        lines += [
            "",
            f"One changed document re-indexed in {inc['change_one_seconds']} s (the whole command, median of five; "
            f"at most {inc['change_one_max_seconds']} s); a 5 MB document added in {inc['add_5mb_seconds']} s; a "
            f"search whose snippet comes from that document: {inc['snippet_5mb_ms']} ms (median).",
        ]
        if "found_median_seconds" in inc:
            lines.append(
                "With `serve --watch`, a changed document was found by a search over HTTP "
                f"{inc['found_median_seconds']} s after it was saved "
                f"(median of five; at most {inc['found_max_seconds']} s)."
            )
    cli = figures.get("command_line")
    if cli:
        lines.append(
            f"`archive-search search` from start to exit "
            f"(median of {cli['runs']} runs of {cli['queries']} queries; the slowest in brackets): "
            f"{cli['alone_median_seconds']} s ({cli['alone_max_seconds']}) opening the index itself, "
            f"{cli['server_median_seconds']} s ({cli['server_max_seconds']}) asking a running `serve` (`--server`)."
        )
    lines.append("")
    return "\n".join(lines)


def _errors(load: dict) -> str:
    """``errors/requests``, and which statuses they were."""
    others = {status: count for status, count in load.get("statuses", {}).items() if status != "200"}
    named = ", ".join(f"{count}× {status}" for status, count in sorted(others.items()))
    return f"{load['errors']}/{load['requests']}" + (f" ({named})" if named else "")


PEERS = (("plain", "plain Whoosh"), ("fts5", "SQLite FTS5"))


def against(queries: dict, peer: str) -> tuple[list[float], list[float]]:
    """(ours, the peer's) per-query median ms on the queries ``peer`` can answer."""
    rows = [row for row in queries["queries"] if row.get(f"{peer}_ms") is not None]
    if peer == "plain":
        rows = [row for row in rows if row["plain_total"]]  # it finds nothing for most Chinese
    return [row["ours_ms"] for row in rows], [row[f"{peer}_ms"] for row in rows]


def _per_peer(queries: dict) -> list[str]:
    """Ours against each peer on the queries that peer can answer."""
    lines = []
    for peer, name in PEERS:
        mine, theirs = against(queries, peer)
        if not mine:
            continue
        lines.append(
            f"On the {len(mine)} queries {name} answers, the median of per-query medians is "
            f"{statistics.median(mine):.2f} ms for ours against {statistics.median(theirs):.2f} ms "
            f"({ratio(statistics.median(mine), statistics.median(theirs))}); the slowest query "
            f"{max(mine):.2f} ms against {max(theirs):.2f} ms."
        )
    return lines


def _per_query(queries: dict) -> list[str]:
    lines = [
        "| query | ours ms (results) | expand=0 ms (results) | plain Whoosh ms (results) | FTS5 ms (results) |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in queries["queries"]:
        cells = []
        for label in ("ours", "ours_as_typed", "plain", "fts5"):
            if f"{label}_total" not in row:
                cells.append("")
            elif row[f"{label}_total"] is None:
                cells.append("cannot answer")
            else:
                cells.append(f"{row[f'{label}_ms']} ({row[f'{label}_total']})")
        query = row["q"] + "".join(f" [{name}={value}]" for name, value in row["filters"].items())
        lines.append(f"| `{query}` | " + " | ".join(cells) + " |")
    return lines
