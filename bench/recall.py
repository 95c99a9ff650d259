"""What a reader sees, does the search find? On the benchmark's corpus: the totals of the query mix,
and the recall of quoted English word pairs and of Chinese runs typed in the other script, against
a plain scan of the stored texts.

    python -m bench.recall                          # 10,000 documents, index in bench/work/ours-10000
    python -m bench.recall --work bench/work/before # another build's index, kept apart

The corpus is the benchmark's (bench/work/corpus-N, written by ``bench.generate`` with its fixed
seed from the sentence pools); the index is built in full, or reused when the code that built it
(every file of the ``app`` package imported) and its generation are unchanged, then brought up to
date with the corpus. Put another tree's ``app`` first on the path to measure that code.

Drawn from the corpus with a fixed seed:

- English: quoted pairs of adjacent words of a paragraph, as a reader sees them (a space or
  punctuation between them: "born in Tutwiler, Mississippi" gives "Tutwiler Mississippi"), neither
  a stop word. The scan: the two words in that order, case-insensitive, on word boundaries,
  separated only by characters that are neither letters nor digits, and no paragraph break (an
  apostrophe joins a word, but for a possessive's).
- Chinese: runs of 2 to 6 Han characters of a paragraph (across a single line break, where there
  is one), typed in the other script with OpenCC (Traditional as Simplified, Simplified as
  Traditional). The scan: the run as typed or as the document wrote it, both sides folded by
  OpenCC character by character, spaces and single line breaks between Han characters ignored,
  punctuation not.

Each probe is searched as typed (expand=0, no translations), every page of its results. Recall
is |found and scanned| / |scanned|. Figures go to bench/results/recall-N[-WORK].json.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import opencc

from bench.generate import DEFAULT_POOLS, document, load_pools
from bench.measure import run_measured
from bench.run import QUERIES, RESULTS, WORK, build_ours, ensure_corpus, index_command, mix_request

SIZE = 10_000
ENGLISH_PAIRS = 60
CHINESE_RUNS = 300
DRAW_SEED = 18
RUN_LENGTHS = (2, 6)
PER_PAGE = 1000
MISSES_SHOWN = 10

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_WORD = re.compile(f"[{LATIN}]+")
# Between the words of a drawn pair: at least one space, no letter, digit, hyphen or apostrophe
# (which join a word as a reader sees it: pro-democracy, China's).
_PAIR_GAP = re.compile(r"[^\w'’\-]*\s[^\w'’\-]*")
_JOINS_WORD = re.compile(r"[\d'’\-]")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
# A run of Han characters, across a single line break.
_HAN_RUN = re.compile(f"[{HAN}](?:\r?\n?[{HAN}])*")
# Spaces, or one line break, between two Han characters: not a boundary for the scan.
_HAN_GAP = re.compile(f"(?<=[{HAN}])(?:[^\\S\\n]*\\n[^\\S\\n]*|[^\\S\\n]+)(?=[{HAN}])")
_IS_HAN = re.compile(f"[{HAN}]")
# Texts are joined for the scan with a paragraph break between two documents.
_SEPARATOR = "\n\n"


@dataclass
class Probe:
    """One drawn query: what is typed, what the document wrote, and where it was drawn from."""

    kind: str  # "english" or "chinese"
    q: str
    written: str
    source: str
    scanned: list[str] = field(default_factory=list)
    found: int = 0
    missed: list[str] = field(default_factory=list)
    extra: int = 0
    error: str | None = None

    @property
    def recall(self) -> float | None:
        """The share of the scanned documents the search found (None when the scan found none)."""
        return (len(self.scanned) - len(self.missed)) / len(self.scanned) if self.scanned else None


def code_of(package: Path) -> dict:
    """The code of the ``app`` package imported: its folder, a digest of its files, and its commit
    (with a note when its files differ from the commit)."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())

    def git(*arguments: str) -> str:
        done = subprocess.run(["git", "-C", str(package), *arguments], capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    return {
        "package": str(package),
        "digest": digest.hexdigest()[:16],
        "commit": git("rev-parse", "--short", "HEAD") or None,
        "changed": bool(git("status", "--porcelain", "--", ".")),
    }


def ensure_index(corpus: Path, index: Path, code: dict) -> dict:
    """Build ``index`` from ``corpus`` in full, unless the same code built its live generation:
    then only bring it up to date (a build that finds nothing to do writes nothing)."""
    from app.index.generations import CURRENT

    stamp_file = index.parent / f"{index.name}.code.json"

    def stamp() -> str | None:
        current = index / CURRENT
        return f"{current.read_text().strip()} {current.stat().st_mtime_ns}" if current.exists() else None

    kept = json.loads(stamp_file.read_text()) if stamp_file.exists() else {}
    live = stamp()
    reused = live is not None and kept.get("digest") == code["digest"] and kept.get("current") == live
    built = run_measured(index_command(corpus, index)) if reused else build_ours(corpus, index)
    stamp_file.write_text(json.dumps({"digest": code["digest"], "current": stamp()}))
    return {"path": str(index), "reused": reused, "seconds": built["seconds"]}


def stored_texts(live) -> dict[str, str]:
    """Every live document's stored text, by id."""
    texts = {}
    with live.use() as generation:
        for key in generation.table.live_keys.tolist():
            stored = generation.document(key)
            texts[stored.record["id"]] = str(stored.text)
    return texts


def corpus_paragraphs(count: int, pools: dict) -> Iterable[tuple[str, str, list[str]]]:
    """(id, language, paragraphs) of each document of the corpus, as bench.generate writes it."""
    for number in range(count):
        relative, text = document(number, pools)
        front, body = text.split("\n---\n", 1)
        language = re.search(r"^language: (\S+)", front, re.M).group(1)
        yield relative.rpartition(".")[0], language, _PARAGRAPH_BREAK.split(body.strip())


def english_pairs(paragraphs: list[tuple[str, str]], rng: random.Random, wanted: int, stop_words) -> list[Probe]:
    """``wanted`` quoted pairs of adjacent words, each from a paragraph drawn at random."""
    probes: dict[str, Probe] = {}
    for _attempt in range(wanted * 1000):
        if len(probes) == wanted:
            break
        source, paragraph = rng.choice(paragraphs)
        words = list(_WORD.finditer(paragraph))
        pairs = [
            (first, second)
            for first, second in itertools.pairwise(words)
            if _clean_pair(paragraph, first, second, stop_words)
        ]
        if pairs:
            first, second = rng.choice(pairs)
            q = f'"{first.group()} {second.group()}"'
            written = paragraph[first.start() : second.end()]
            probes.setdefault(q.lower(), Probe("english", q, written, source))
    return list(probes.values())


def _clean_pair(paragraph: str, first: re.Match, second: re.Match, stop_words) -> bool:
    """True when a reader sees ``first`` and ``second`` as two whole adjacent words."""
    before = paragraph[first.start() - 1 : first.start()]
    after = paragraph[second.end() : second.end() + 1]
    return (
        min(len(first.group()), len(second.group())) >= 2
        and not {first.group().lower(), second.group().lower()} & stop_words
        and _PAIR_GAP.fullmatch(paragraph, first.end(), second.start()) is not None
        and not _JOINS_WORD.match(before)
        and not _JOINS_WORD.match(after)
    )


def chinese_runs(paragraphs: list[tuple[str, str, str]], rng: random.Random, wanted: int) -> list[Probe]:
    """``wanted`` runs of Han characters, each from a paragraph drawn at random, typed in the
    other script."""
    probes: dict[str, Probe] = {}
    for _attempt in range(wanted * 1000):
        if len(probes) == wanted:
            break
        source, script, paragraph = rng.choice(paragraphs)
        length = rng.randint(*RUN_LENGTHS)
        runs = [run for found in _HAN_RUN.finditer(paragraph) if len(run := _han_only(found.group())) >= length]
        if runs:
            run = rng.choice(runs)
            start = rng.randrange(len(run) - length + 1)
            written = run[start : start + length]
            q = _converter("s2t" if script == "zh-Hans" else "hk2s").convert(written)
            probes.setdefault(q, Probe("chinese", q, written, source))
    return list(probes.values())


def _han_only(text: str) -> str:
    return re.sub(f"[^{HAN}]", "", text)


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


class Scan:
    """The documents whose stored text holds a probe, found by reading every text."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.ids = list(texts)
        self.text = _SEPARATOR.join(texts.values())
        self.starts = _starts(texts.values())
        joined = [_HAN_GAP.sub("", text) for text in texts.values()]
        self.han_text = _SEPARATOR.join(joined)
        self.han_starts = _starts(joined)
        self.folded = self.fold(self.han_text)

    def english(self, q: str) -> tuple[list[str], dict[str, str]]:
        """The documents holding the quoted pair ``q``, and an excerpt of each at its first place."""
        first, second = q.strip('"').split()
        # A word ends at a letter or digit, and at an apostrophe within a word (must've, o'clock)
        # but for a possessive's (China's is China, as a reader sees it).
        word = f"[0-9{LATIN}]"
        starts = rf"(?<!{word})(?<!{word}['’])"
        ends = rf"(?!{word})(?!['’](?![sS](?!{word})){word})"
        gap = r"(?:(?!\n[^\S\n]*\n)[\W_])+"
        pattern = re.compile(starts + re.escape(first) + gap + re.escape(second) + ends, re.IGNORECASE)
        return self._documents(self.text, self.starts, lambda start: _found(pattern.search(self.text, start)))

    def chinese(self, probe: Probe) -> tuple[list[str], dict[str, str]]:
        """The documents holding the run, as typed or as written, folded."""
        needles = {self.fold(probe.q), self.fold(probe.written)}

        def first_at(start: int) -> tuple[int, int] | None:
            places = [(at, at + len(needle)) for needle in needles if (at := self.folded.find(needle, start)) >= 0]
            return min(places) if places else None

        return self._documents(self.han_text, self.han_starts, first_at)

    def fold(self, text: str) -> str:
        """``text`` folded as the scan folds the texts."""
        return text.translate({ord(char): _fold_char(char) for char in set(text) if _IS_HAN.match(char)})

    def _documents(
        self, text: str, starts: list[int], first_at: Callable[[int], tuple[int, int] | None]
    ) -> tuple[list[str], dict[str, str]]:
        """Every document with a place ``first_at`` finds, looking on after each document found."""
        found, excerpts, start = [], {}, 0
        while (place := first_at(start)) is not None:
            number = bisect.bisect_right(starts, place[0]) - 1
            found.append(self.ids[number])
            excerpts[self.ids[number]] = text[max(place[0] - 20, starts[number]) : place[1] + 20].replace("\n", "⏎")
            start = starts[number + 1] if number + 1 < len(starts) else len(text)
        return found, excerpts


def _starts(texts: Iterable[str]) -> list[int]:
    """Where each text starts in the texts joined by the separator."""
    starts, at = [], 0
    for text in texts:
        starts.append(at)
        at += len(text) + len(_SEPARATOR)
    return starts


def _found(match: re.Match | None) -> tuple[int, int] | None:
    return match.span() if match else None


@cache
def _fold_char(char: str) -> str:
    """One Han character as OpenCC writes it in Simplified (Hong Kong and Taiwan variants first:
    著 as 着), alone: a mapping by character gives the same answer wherever the character stands."""
    folded = char
    for config in ("hk2s", "tw2s", "t2s"):
        converted = _converter(config).convert(folded)
        folded = converted if len(converted) == 1 else folded
    return folded


def search_all(live, q: str) -> list[str]:
    """The ids of every document the search finds for ``q`` as typed, page by page."""
    from app.service.search import search

    ids: list[str] = []
    page = 1
    while True:
        result = search(live, mix_request(q, {}, expand=False, page=page, per_page=PER_PAGE))
        ids += [hit.id for hit in result.hits]
        if len(ids) >= result.total or not result.hits:
            return ids
        page += 1


def measure(probes: list[Probe], live, scan: Scan) -> dict[str, dict[str, str]]:
    """Scan and search every probe; return the excerpts of the documents each missed."""
    from app.query.parse import QueryError

    missed_excerpts = {}
    for probe in probes:
        scanned, excerpts = scan.english(probe.q) if probe.kind == "english" else scan.chinese(probe)
        try:
            found = set(search_all(live, probe.q))
        except QueryError as error:
            found, probe.error = set(), str(error)
        probe.scanned = scanned
        probe.found = len(found)
        probe.missed = [doc_id for doc_id in scanned if doc_id not in found]
        probe.extra = len(found - set(scanned))
        missed_excerpts[probe.q] = {doc_id: excerpts[doc_id] for doc_id in probe.missed[:1]}
    return missed_excerpts


def summary(probes: list[Probe]) -> dict:
    """Mean recall, the probes that miss a document, and the probes found exactly."""
    recalls = [probe.recall for probe in probes if probe.recall is not None]
    return {
        "probes": len(probes),
        "mean_recall": round(statistics.mean(recalls), 4) if recalls else None,
        "missing_a_document": sum(bool(probe.missed) for probe in probes),
        "documents_missed": sum(len(probe.missed) for probe in probes),
        "documents_scanned": sum(len(probe.scanned) for probe in probes),
        "exact": sum(not probe.missed and not probe.extra for probe in probes),
        "not_in_any_text": sum(not probe.scanned for probe in probes),
        "refused": sum(probe.error is not None for probe in probes),
        "typed_differs": sum(probe.q.strip('"') != probe.written for probe in probes),
    }


def mix_totals(live) -> list[dict]:
    """The total of each query of the benchmark's mix, with translations and as typed."""
    from app.service.search import search

    return [
        {
            "q": q,
            "filters": filters,
            "total": search(live, mix_request(q, filters)).total,
            "as_typed_total": search(live, mix_request(q, filters, expand=False)).total,
        }
        for _kind, q, filters in QUERIES
    ]


def report(figures: dict, misses: list[dict]) -> str:
    """The figures as Markdown tables."""
    code, index = figures["code"], figures["index"]
    commit = f"{code['commit']}{' with changes' if code['changed'] else ''}" if code["commit"] else "no commit"
    how = "reused" if index["reused"] else "built"
    lines = [
        f"### Recall at {figures['documents']:,} documents: app {code['package']} ({commit}, code {code['digest']}); "
        f"index {index['path']} ({how}, {index['seconds']} s)",
        "",
        "| query | results | as typed (expand=0) |",
        "|---|---:|---:|",
    ]
    for row in figures["queries"]:
        shown = row["q"] + "".join(f" [{name}={value}]" for name, value in row["filters"].items())
        lines.append(f"| `{shown}` | {row['total']} | {row['as_typed_total']} |")
    lines += [
        "",
        "| probes (as typed, every page) | drawn | mean recall | missing a document | documents missed "
        "/ scanned | exact | typed differs from the text |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, label in (("english", "quoted English pairs"), ("chinese", "Chinese runs in the other script")):
        row = figures[kind]
        recall = f"{row['mean_recall']:.4f}" if row["mean_recall"] is not None else "—"
        lines.append(
            f"| {label} | {row['probes']} | {recall} | {row['missing_a_document']} | "
            f"{row['documents_missed']} / {row['documents_scanned']} | {row['exact']} | {row['typed_differs']} |"
        )
    missing = figures["english"]["missing_a_document"] + figures["chinese"]["missing_a_document"]
    lines += ["", f"Misses ({len(misses)} shown of the {missing} queries that miss a document):", ""]
    lines += ["| query | written | missed / scanned | a document missed | where |", "|---|---|---:|---|---|"]
    for miss in misses:
        counts = f"{miss['missed']} / {miss['scanned']}"
        lines.append(f"| `{miss['q']}` | {miss['written']} | {counts} | {miss['id']} | {miss['excerpt']} |")
    return "\n".join(lines)


def shown_misses(probes: list[Probe], excerpts: dict[str, dict[str, str]]) -> list[dict]:
    """Up to MISSES_SHOWN probes that miss a document, English and Chinese in turn."""
    by_kind = [[probe for probe in probes if probe.kind == kind and probe.missed] for kind in ("english", "chinese")]
    chosen: list[Probe] = []
    while len(chosen) < MISSES_SHOWN and any(by_kind):
        for missing in by_kind:
            if missing and len(chosen) < MISSES_SHOWN:
                chosen.append(missing.pop(0))
    return [
        {
            "q": probe.q,
            "written": probe.written,
            "missed": len(probe.missed),
            "scanned": len(probe.scanned),
            "id": probe.missed[0],
            "excerpt": excerpts[probe.q][probe.missed[0]].replace("|", "\\|"),
        }
        for probe in chosen
    ]


def main() -> None:
    """Command line: build or reuse the index, draw the probes, scan, search, report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=SIZE, help="documents in the corpus (default %(default)s)")
    parser.add_argument("--work", type=Path, default=WORK, help="folder of the index, ours-N (default bench/work)")
    parser.add_argument("--pools", type=Path, default=DEFAULT_POOLS, help="folder of en.txt, zh-Hans.txt, zh-Hant.txt")
    parser.add_argument("--english", type=int, default=ENGLISH_PAIRS, help="quoted pairs drawn (default %(default)s)")
    parser.add_argument("--chinese", type=int, default=CHINESE_RUNS, help="Chinese runs drawn (default %(default)s)")
    parser.add_argument("--seed", type=int, default=DRAW_SEED, help="seed of the draw (default %(default)s)")
    args = parser.parse_args()
    if not args.pools.is_dir():
        sys.exit(f"sentence pools not found at {args.pools}: pass --pools DIR (en.txt, zh-Hans.txt, zh-Hant.txt)")

    import app
    from app.analysis.english import STOP_WORDS
    from app.index.readers import LiveIndex
    from app.service.search import warm

    code = code_of(Path(app.__file__).resolve().parent)
    print(f"app: {code['package']} (commit {code['commit']}, changed: {code['changed']})", file=sys.stderr)
    WORK.mkdir(parents=True, exist_ok=True)
    args.work.mkdir(parents=True, exist_ok=True)
    corpus, _figures = ensure_corpus(args.size, args.pools)
    index = ensure_index(corpus, args.work.resolve() / f"ours-{args.size}", code)

    english, chinese = [], []
    for doc_id, language, paragraphs in corpus_paragraphs(args.size, load_pools(args.pools)):
        script = "zh-Hans" if language == "zh-Hans" else "zh-Hant"
        for paragraph in paragraphs:
            if _WORD.search(paragraph):
                english.append((doc_id, paragraph))
            if _IS_HAN.search(paragraph):
                chinese.append((doc_id, script, paragraph))
    # One generator for each kind, so that each kind's draw depends on nothing of the other's.
    probes = english_pairs(english, random.Random(args.seed), args.english, STOP_WORDS)
    probes += chinese_runs(chinese, random.Random(args.seed + 1), args.chinese)

    started = time.perf_counter()
    live = LiveIndex(Path(index["path"]), warm=warm)
    scan = Scan(stored_texts(live))
    excerpts = measure(probes, live, scan)
    figures = {
        "documents": len(scan.ids),
        "code": code,
        "index": index,
        "seed": args.seed,
        "draw": hashlib.sha256("\n".join(probe.q for probe in probes).encode()).hexdigest()[:16],
        "queries": mix_totals(live),
        "english": summary([probe for probe in probes if probe.kind == "english"]),
        "chinese": summary([probe for probe in probes if probe.kind == "chinese"]),
        "seconds": round(time.perf_counter() - started, 1),
    }
    live.close()
    misses = shown_misses(probes, excerpts)
    figures["misses"] = misses
    figures["probes"] = [asdict(probe) | {"recall": probe.recall} for probe in probes]
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.work.resolve() == WORK.resolve() else f"-{args.work.name}"
    out = RESULTS / f"recall-{args.size}{suffix}.json"
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    print(report(figures, misses))
    print(f"\nDraw {figures['draw']} (seed {args.seed}); {figures['seconds']} s; figures in {out}")


if __name__ == "__main__":
    main()
