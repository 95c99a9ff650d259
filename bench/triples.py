"""Three-character keys, or confirmation by positions? For the Chinese phrases of three and four
characters in the query mix: what confirming the candidates by positions costs per search, and
how much a key for every three adjacent Han characters would add to the index.

    python -m bench.triples [--size 60000]

Reads the benchmark's index and corpus (``bench/work/ours-N``, ``bench/work/corpus-N``), so run
``python -m bench.run`` at that size first. The size of a triple index is estimated from the
pairs the index holds: the bytes of the pair postings (ids, frequencies, skips) times the ratio
of three-character postings to pair postings in the corpus.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from functools import reduce

import numpy as np

from bench.run import QUERIES, WORK

REPEATS = 7
# Runs of Han characters: pairs and triples are only formed inside one (punctuation breaks them).
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ebef]+")
_BODY = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def _median_ms(function) -> float:
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 2)


def confirmation(size: int) -> list[dict]:
    """For each long Chinese phrase of the mix: candidates from the pairs, documents confirmed,
    and the median milliseconds of the whole phrase and of its confirmation by positions."""
    from app.index.readers import LiveIndex
    from app.query import phrase
    from app.query.evaluate import PostingsReader
    from app.query.parse import parse

    live = LiveIndex(WORK / f"ours-{size}")
    rows = []
    with live.use() as generation:
        for _kind, q, filters in QUERIES:
            query = parse(generation, q, 256)
            words = list(getattr(query, "words", []))
            if filters or len(words) < 3 or not phrase.is_han_phrase(words):
                continue
            offsets = list(range(len(words)))
            pairs = phrase.pair_terms(words, offsets)

            def candidates_of(postings, pairs=pairs):
                return reduce(lambda a, b: np.intersect1d(a, b, assume_unique=True), (postings(p).keys for p in pairs))

            postings = PostingsReader(generation.terms)
            candidates = candidates_of(postings)  # and a first read of every block it needs
            found, _counts = phrase.find(postings, words, offsets)
            whole = _median_ms(
                lambda words=words, offsets=offsets: phrase.find(PostingsReader(generation.terms), words, offsets)
            )

            def confirm(words=words, offsets=offsets, candidates=candidates):
                # the characters' postings and their positions in the candidates, as ``find`` reads them
                phrase.count(PostingsReader(generation.terms), words, offsets, candidates)

            rows.append(
                {
                    "q": q,
                    "candidates": int(candidates.size),
                    "found": int(found.size),
                    "phrase_ms": whole,
                    "confirm_ms": _median_ms(confirm),
                }
            )
    live.close()
    return rows


def pair_bytes(size: int) -> tuple[int, int]:
    """(postings, bytes of ids, frequencies and skips) of the pair index of ``ours-N``."""
    from app.index.postings.part import PAIR_SHIFT
    from app.index.readers import LiveIndex

    postings = size_bytes = 0
    live = LiveIndex(WORK / f"ours-{size}")
    with live.use() as generation:
        for part in generation.terms.parts:
            han = part.dictionary.read("han")
            pairs = han.terms >= (1 << PAIR_SHIFT)
            postings += int(han.column("count")[pairs].sum())
            size_bytes += sum(int(han.column(stream)[pairs].sum()) for stream in ("docs", "freqs", "skips"))
    live.close()
    return postings, size_bytes


def corpus_ratio(size: int) -> tuple[int, int]:
    """(pair postings, triple postings) of the corpus: distinct per document, within Han runs."""
    pairs = triples = 0
    for path in sorted((WORK / f"corpus-{size}").rglob("*.md")):
        text = _BODY.sub("", path.read_text(encoding="utf-8"), count=1)
        seen2, seen3 = set(), set()
        for run in _HAN_RUN.findall(text):
            seen2.update(run[i : i + 2] for i in range(len(run) - 1))
            seen3.update(run[i : i + 3] for i in range(len(run) - 2))
        pairs += len(seen2)
        triples += len(seen3)
    return pairs, triples


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=60000)
    size = parser.parse_args().size
    print(f"### Long Chinese phrases at {size:,} documents\n")
    print("| phrase | candidates from pairs | documents holding it | phrase ms | of which confirmation ms |")
    print("|---|---:|---:|---:|---:|")
    for row in confirmation(size):
        print(f"| {row['q']} | {row['candidates']} | {row['found']} | {row['phrase_ms']} | {row['confirm_ms']} |")
    postings, size_bytes = pair_bytes(size)
    corpus_pairs, corpus_triples = corpus_ratio(size)
    ratio = corpus_triples / corpus_pairs
    print(
        f"\nPair postings in the index: {postings:,}, {size_bytes / 1e6:.1f} MB (ids, frequencies, skips). "
        f"In the corpus, {corpus_triples:,} three-character postings for {corpus_pairs:,} pair postings "
        f"({ratio:.2f}): a triple index would add about {size_bytes * ratio / 1e6:.0f} MB."
    )


if __name__ == "__main__":
    main()
