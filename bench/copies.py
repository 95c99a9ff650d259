"""Precision and recall of the exact and near copies that ``app.index.copies`` finds, and its cost.

    python -m bench.copies                 # the chosen parameters, then the sweep
    python -m bench.copies --articles 600  # a quicker, smaller set

The labelled set is built with a fixed seed from the sentence pools (``../shared/corpus/sentences`` beside the project):
articles of 8 to 30 consecutive sentences (a third English, a third Simplified, a third
Traditional; no sentence in two articles), and of them:

- copies: 40% of the articles get 1 to 3, each in the other script (OpenCC t2s or hk2s, s2t or
  s2hk; English stays English), with 1-10% of its words (English) or characters (Chinese)
  replaced, deleted or inserted, its lines wrapped anew at 20-80 characters, its punctuation
  changed, and for half of them a header and a footer of boilerplate; a tenth of the copies are
  exact (the same bytes);
- hard negatives on the same event: 40% of the articles get one sharing 20-45% of its sentences,
  the rest the sentences that follow in the source (the same news story, for the UD pools);
  and articles built from sentences naming the same people or places (Tom, 汤姆, 香港), none
  shared.

Keys are shuffled, so a copy may come before its original. A pair put in one group is right
when both are of one article (the original and its copies). Grouping is also timed on synthetic
signatures (random, a fifth near copies of an earlier one, and chains whose steps change 45% of
the rows), with the size of the largest group.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import random
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import opencc

from app.index import copies, grouping
from bench.generate import DEFAULT_POOLS, load_pools

SEED = 20_250_601
LANGUAGES = ("en", "zh-Hans", "zh-Hant")
CONVERSIONS = {"en": (None,), "zh-Hans": ("s2t", "s2hk"), "zh-Hant": ("t2s", "hk2s")}
KEYWORDS = {"en": "Tom", "zh-Hans": "汤姆", "zh-Hant": "香港"}
HEADERS = {
    "en": ["Source: Hong Kong Free Press. Republished with permission.", "PRESS RELEASE — For immediate release"],
    "zh": ["本文轉載自立場新聞，版權所有。", "【新聞稿】即時發佈", "来源：独立媒体（香港）"],
}
FOOTERS = {
    "en": ["Share this: Facebook Twitter Email Print. All rights reserved. Subscribe to our newsletter."],
    "zh": ["版權所有，未經許可不得轉載。訂閱我們的通訊。分享：臉書 推特 電郵", "责任编辑：王小明 欢迎分享转发"],
}
CHOSEN = ("han3+word2", grouping.BANDS, grouping.ROWS, grouping.THRESHOLD)


@dataclass
class Doc:
    text: str
    family: int
    kind: str  # article, copy, exact, shared, keyword
    language: str


def _converter(config: str) -> opencc.OpenCC:
    return _CONVERTERS.setdefault(config, opencc.OpenCC(config))


_CONVERTERS: dict[str, opencc.OpenCC] = {}


def _join(sentences: list[str], language: str, rng: random.Random) -> str:
    joiner = " " if language == "en" else ""
    paragraphs, at = [], 0
    while at < len(sentences):
        step = rng.randint(3, 6)
        paragraphs.append(joiner.join(sentences[at : at + step]))
        at += step
    return "\n\n".join(paragraphs)


def _edit(text: str, rate: float, language: str, rng: random.Random, vocabulary: list[str]) -> str:
    """Replace, delete or insert a share ``rate`` of the words (English) or Han characters."""
    units = re.split(r"(\s+)", text) if language == "en" else list(text)
    editable = [
        i for i, unit in enumerate(units) if (unit.strip() if language == "en" else "\u4e00" <= unit <= "\u9fff")
    ]
    for index in rng.sample(editable, round(rate * len(editable))):
        operation = rng.random()
        new = rng.choice(vocabulary)
        if operation < 0.4:
            units[index] = new
        elif operation < 0.7:
            units[index] = ""
        else:
            units[index] = units[index] + (" " if language == "en" else "") + new
    return "".join(units)


def _rewrap(text: str, rng: random.Random, language: str) -> str:
    """One paragraph per blank line kept, lines wrapped anew, punctuation changed."""
    if language == "en":
        text = text.replace(",", rng.choice([";", " ,", ""])).replace("“", '"').replace("”", '"')
    else:
        text = text.replace("，", rng.choice([",", "、", " "])).replace("。", rng.choice([".", "．", "。\n"]))
    width = rng.randint(20, 80)
    lines = []
    for paragraph in text.split("\n\n"):
        if language == "en":
            words, line = paragraph.split(), ""
            for word in words:
                if len(line) + len(word) > width:
                    lines.append(line)
                    line = ""
                line = f"{line} {word}".strip()
            lines.append(line)
        else:
            lines += [paragraph[i : i + width // 2] for i in range(0, len(paragraph), width // 2)]
        lines.append("")
    return "\n".join(lines)


def _copy(doc: Doc, rng: random.Random, vocabulary: list[str]) -> Doc:
    if rng.random() < 0.1:
        return Doc(doc.text, doc.family, "exact", doc.language)
    config = rng.choice(CONVERSIONS[doc.language])
    text = _converter(config).convert(doc.text) if config else doc.text
    text = _rewrap(_edit(text, rng.uniform(0.01, 0.10), doc.language, rng, vocabulary), rng, doc.language)
    if rng.random() < 0.5:
        side = "en" if doc.language == "en" else "zh"
        text = f"{rng.choice(HEADERS[side])}\n\n{text}\n\n{rng.choice(FOOTERS[side])}"
    return Doc(text, doc.family, "copy", doc.language)


def labelled_set(pools: dict[str, list[str]], articles: int, seed: int = SEED) -> list[Doc]:
    """The labelled documents, in a shuffled order (their keys)."""
    rng = random.Random(seed)
    docs: list[Doc] = []
    family = 0
    for language in LANGUAGES:
        pool = pools[language]
        vocabulary = (
            [w for s in pool[:3000] for w in s.split()]
            if language == "en"
            else [c for s in pool[:3000] for c in s if "\u4e00" <= c <= "\u9fff"]
        )
        keyword = KEYWORDS[language]
        reserved = [s for s in pool if keyword in s]
        free = [s for s in pool if keyword not in s]
        cursor = 0
        for _ in range(articles // 3):
            count = rng.randint(8, 30)
            if cursor + 2 * count > len(free):
                raise SystemExit(f"the {language} pool holds too few sentences for {articles} articles")
            sentences = free[cursor : cursor + count]
            original = Doc(_join(sentences, language, rng), family, "article", language)
            docs.append(original)
            docs += [_copy(original, rng, vocabulary) for _ in range(rng.randint(1, 3) if rng.random() < 0.4 else 0)]
            end = cursor + count
            if rng.random() < 0.4:
                shared = sorted(rng.sample(range(count), max(1, round(count * rng.uniform(0.2, 0.45)))))
                more = free[end : end + count - len(shared)]
                end += len(more)
                mixed = [sentences[i] for i in shared] + more
                docs.append(Doc(_join(mixed, language, rng), family + 1, "shared", language))
                family += 1
            cursor = end
            family += 1
        rng.shuffle(reserved)
        for start in range(0, min(len(reserved), articles // 6 * 20), 20):
            sentences = reserved[start : start + 20]
            docs.append(Doc(_join(sentences, language, rng), family, "keyword", language))
            family += 1
    rng.shuffle(docs)
    return docs


def _pairs(labels: np.ndarray) -> set[tuple[int, int]]:
    out = set()
    order = np.argsort(labels, kind="stable")
    ordered = labels[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1], True])
    for a, b in itertools.pairwise(starts):
        members = sorted(order[a:b].tolist())
        out.update((x, y) for i, x in enumerate(members) for y in members[i + 1 :])
    return out


def evaluate(docs: list[Doc], prints: list[copies.Fingerprint], bands: int, rows: int, threshold: float) -> dict:
    """Precision, recall and the merged hard negatives of one grouping of ``docs``."""
    keys = np.arange(len(docs))
    hashes = [hashlib.sha256(d.text.encode()).hexdigest() for d in docs]
    matrix, has = grouping.signatures(prints)
    started = time.perf_counter()
    groups = grouping.group_copies(keys, hashes, matrix, has, threshold, bands, rows)
    seconds = time.perf_counter() - started
    truth = _pairs(np.array([d.family for d in docs]))
    originals = {(a, b) for a, b in truth if "article" in (docs[a].kind, docs[b].kind)}
    found = _pairs(groups.group)
    right = truth & found
    wrong = found - truth
    hard = Counter(k for a, b in wrong for k in {docs[a].kind, docs[b].kind} & {"shared", "keyword"})
    missed = Counter(docs[b].language for a, b in truth - found)
    return {
        "precision": len(right) / max(1, len(found)),
        "recall": len(right) / max(1, len(truth)),
        "recall of originals": len(found & originals) / max(1, len(originals)),
        "pairs": len(truth),
        "wrong": len(wrong),
        "shared": hard["shared"],
        "keyword": hard["keyword"],
        "missed": dict(missed),
        "seconds": seconds,
        "largest": int(groups.sizes.max()),
    }


def char_fingerprint(text: str, size: int) -> copies.Fingerprint:
    """A fingerprint of shingles of ``size`` folded characters of any script, spaces left out
    (what the sweep compares the chosen shingles with)."""
    values = copies._folded(text)
    points = (values[values != 0] & (copies._HAN - 1)).astype(np.uint64)
    if len(points) < copies.MIN_CHARS:
        return copies.Fingerprint(None, len(points))
    return copies.Fingerprint(copies.minhash(copies._windows(copies._mix(points), size)), len(points))


def synthetic(count: int, seed: int = SEED) -> tuple[float, int, int]:
    """(seconds, groups, largest group) of grouping ``count`` synthetic signatures."""
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, 1 << 16, size=(count, copies.PERMUTATIONS), dtype=np.uint16)
    near = rng.random(count) < 0.2
    sources = (rng.random(count) * np.arange(count)).astype(np.int64)
    for row in np.flatnonzero(near):
        changed = rng.random(copies.PERMUTATIONS) < 0.3
        matrix[row] = np.where(changed, matrix[row], matrix[sources[row]])
    for start in range(0, count - 20, count // 50):  # 50 chains of 20 documents
        for row in range(start + 1, start + 20):
            changed = rng.random(copies.PERMUTATIONS) < 0.45
            matrix[row] = np.where(changed, matrix[row], matrix[row - 1])
    hashes = [str(i) for i in range(count)]
    started = time.perf_counter()
    groups = grouping.group_copies(np.arange(count), hashes, matrix, np.ones(count, dtype=bool))
    return time.perf_counter() - started, len(np.unique(groups.group)), int(groups.sizes.max())


def _timed(function, argument, repeat: int = 100, rounds: int = 7) -> float:
    """The best of ``rounds`` means of ``repeat`` calls, in ms (the machine is shared)."""
    function(argument)
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(repeat):
            function(argument)
        best = min(best, (time.perf_counter() - started) / repeat * 1e3)
    return best


def background(pools: dict[str, list[str]], rng: random.Random) -> None:
    """The Jaccard similarity of unrelated texts (runs of sentences far apart in a pool), by
    length and by Han shingle: what a hard negative's shared sentences add to."""
    for language in ("zh-Hant", "zh-Hans", "en"):
        pool, joiner = pools[language], " " if language == "en" else ""
        for count in (20, 100, 400):
            pairs = [rng.sample(range(0, len(pool) - count, count), 2) for _ in range(20)]
            line = []
            for han in (2, 3):
                values = []
                for pair in pairs:
                    sets = [copies.shingles(joiner.join(pool[x : x + count]), han) for x in pair]
                    values.append(len(np.intersect1d(*sets)) / len(np.union1d(*sets)))
                line.append(f"han{han}+word2 mean {np.mean(values):.3f} max {np.max(values):.3f}")
            chars = np.mean([len(joiner.join(pool[x : x + count])) for x, _ in pairs])
            print(f"unrelated {language}, {count} sentences (~{chars:.0f} chars): " + "; ".join(line))


def estimator(docs: list[Doc]) -> tuple[float, float]:
    """Mean absolute error of the estimated against the true Jaccard similarity over pairs of
    one article (uint16 rows, and the uint32 minimum they are cut from)."""
    families: dict[int, list[int]] = {}
    for i, d in enumerate(docs):
        families.setdefault(d.family, []).append(i)
    pairs = [tuple(m[:2]) for m in families.values() if len(m) > 1][:300]
    errors16, errors32 = [], []
    for a, b in pairs:
        sets = [copies.shingles(docs[i].text) for i in (a, b)]
        true = len(np.intersect1d(*sets)) / len(np.union1d(*sets))
        full = [
            np.min(
                np.multiply(copies._A[:, None], (h >> np.uint64(32)).astype(np.uint32)[None, :]) + copies._B[:, None],
                axis=1,
            )
            for h in sets
        ]
        errors32.append(abs(np.mean(full[0] == full[1]) - true))
        errors16.append(abs(grouping.similarity(*(f & 0xFFFF for f in full)) - true))
    return float(np.mean(errors16)), float(np.mean(errors32))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=2400)
    parser.add_argument("--pools", default=str(DEFAULT_POOLS))
    arguments = parser.parse_args()
    pools = load_pools(Path(arguments.pools))
    docs = labelled_set(pools, arguments.articles)
    kinds = Counter(d.kind for d in docs)
    print(f"documents {len(docs)}: {dict(kinds)}")
    sample = {language: _sample(pools[language]) for language in ("zh-Hant", "en")}
    for language, text in sample.items():
        print(f"fingerprint of 5,000 characters ({language}): {_timed(copies.fingerprint, text):.3f} ms")
    shingling = {
        "han3+word2": lambda t: copies.fingerprint(t),
        "han2+word2": lambda t: copies.fingerprint(t, 2, 2),
        "han4+word2": lambda t: copies.fingerprint(t, 4, 2),
        "han3+word1": lambda t: copies.fingerprint(t, 3, 1),
        "han3+word3": lambda t: copies.fingerprint(t, 3, 3),
        **{f"chars{k}": (lambda t, k=k: char_fingerprint(t, k)) for k in (3, 4, 5)},
    }
    for d in docs:  # the folding table learns the set's characters before the timing
        copies.fold_text(d.text)
    prints = {}
    for name, function in shingling.items():
        started = time.perf_counter()
        prints[name] = [function(d.text) for d in docs]
        print(f"fingerprint ms/doc over the set ({name}): {(time.perf_counter() - started) / len(docs) * 1e3:.3f}")
    print(f"signature bytes/doc: {copies.PERMUTATIONS * 2}")
    print(
        f"without signature (< {copies.MIN_CHARS} folded chars): {sum(p.signature is None for p in prints[CHOSEN[0]])}"
    )
    background(pools, random.Random(SEED))
    e16, e32 = estimator(docs)
    print(f"estimated Jaccard, mean abs error over copy pairs: uint16 {e16:.4f}  uint32 {e32:.4f}")
    print(
        f"{'shingles':>10} {'bands':>5} {'rows':>4} {'thr':>5} {'precision':>9} {'recall':>7} {'orig rec':>8} "
        f"{'wrong':>5} {'shared':>6} {'keyword':>7} {'largest':>7} {'group s':>7}  missed by language"
    )
    settings = [CHOSEN] + [(name, 42, 3, t) for name in shingling for t in (0.3, 0.4, 0.5)]
    settings += [
        (CHOSEN[0], 32, 4, 0.4),
        (CHOSEN[0], 64, 2, 0.4),
        (CHOSEN[0], 25, 5, 0.4),
        (CHOSEN[0], 42, 3, 0.35),
        (CHOSEN[0], 42, 3, 0.45),
    ]
    for name, bands, rows, threshold in settings:
        r = evaluate(docs, prints[name], bands, rows, threshold)
        print(
            f"{name:>10} {bands:>5} {rows:>4} {threshold:>5.2f} {r['precision']:>9.4f} {r['recall']:>7.4f} "
            f"{r['recall of originals']:>8.4f} {r['wrong']:>5} {r['shared']:>6} {r['keyword']:>7} {r['largest']:>7} "
            f"{r['seconds']:>7.3f}  {r['missed']} of {r['pairs']} pairs"
        )
    for count in (60_000, 250_000):
        seconds, groups, largest = synthetic(count)
        print(f"grouping {count:,} synthetic signatures: {seconds:.2f} s, {groups:,} groups, largest {largest}")


def _sample(pool: list[str]) -> str:
    """5,000 characters of consecutive sentences of ``pool``, from its start (news, for UD)."""
    text, index = "", 0
    while len(text) < 5000:
        text += pool[index] + " "
        index += 1
    return text[:5000]


if __name__ == "__main__":
    main()
