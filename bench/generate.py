"""Write a benchmark corpus of N Markdown documents from real sentence pools.

The mix is an archive's: about 40% Traditional Chinese (Hong Kong text with its variants), 25%
Simplified, 25% English and 10% mixed English and Traditional; lengths follow a log-normal law
with a median near 3,000 characters and a tail to 200,000; front matter gives dates across
2014-2024, authors and tags. Document i depends only on (seed, i): the same N gives the same
corpus, and a smaller corpus is the start of a larger one.

    python -m bench.generate 10000 bench/corpus/10000 [--pools ../shared/corpus/sentences]
"""

from __future__ import annotations

import argparse
import math
import random
import re
from pathlib import Path

DEFAULT_POOLS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "sentences"
SEED = 20141928
MEDIAN_CHARS = 3000
SIGMA = 0.75
MIN_CHARS, MAX_CHARS = 300, 200_000
MIX = (("zh-Hant", 0.40), ("zh-Hans", 0.25), ("en", 0.25), ("mixed", 0.10))
AUTHORS = [
    "Amnesty International",
    "Human Rights Watch",
    "Hong Kong Watch",
    "Hong Kong Free Press",
    "Inter-Parliamentary Alliance on China",
    "UK Parliament",
    "HKSAR Government",
    "Legislative Council",
    "Stand News",
    "Apple Daily",
    "RTHK",
    "Ming Pao",
    "South China Morning Post",
    "Reuters",
    "Associated Press",
    "Agence France-Presse",
    "BBC News",
    "The Guardian",
    "Radio Free Asia",
    "China Human Rights Defenders",
    "Chinese Human Rights Lawyers",
    "Tibet Watch",
    "Uyghur Human Rights Project",
    "Freedom House",
    "Reporters Without Borders",
    "Committee to Protect Journalists",
    "PEN America",
    "Hong Kong Journalists Association",
    "Civil Human Rights Front",
    "Hong Kong Alliance",
    "UN Human Rights Council",
    "Office of the High Commissioner for Human Rights",
    "US Congress",
    "European Parliament",
    "Safeguard Defenders",
    "Article 19",
    "Index on Censorship",
    "Front Line Defenders",
    "International Service for Human Rights",
    "Hong Kong Democracy Council",
]
TAGS = [
    "national security",
    "press freedom",
    "protest",
    "extradition",
    "elections",
    "legislative council",
    "detention",
    "torture",
    "trials",
    "asylum",
    "xinjiang",
    "tibet",
    "religion",
    "labour",
    "education",
    "censorship",
    "surveillance",
    "transnational repression",
    "political prisoners",
    "bounties",
    "journalists",
    "lawyers",
    "students",
    "umbrella movement",
    "june fourth",
    "basic law",
    "article 23",
    "sanctions",
    "immigration",
    "civil society",
]


def load_pools(folder: Path) -> dict[str, list[str]]:
    """The sentence pools, one sentence a line."""
    pools = {}
    for name in ("en", "zh-Hans", "zh-Hant"):
        lines = (folder / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        pools[name] = [line.strip() for line in lines if line.strip()]
    return pools


def document(number: int, pools: dict[str, list[str]], seed: int = SEED) -> tuple[str, str]:
    """(relative path, Markdown text) of document ``number``."""
    rng = random.Random(seed * 1_000_003 + number)
    kind = rng.choices([name for name, _ in MIX], weights=[share for _, share in MIX])[0]
    target = int(min(MAX_CHARS, max(MIN_CHARS, rng.lognormvariate(math.log(MEDIAN_CHARS), SIGMA))))
    if kind == "mixed":
        body = _mixed(rng, pools, target)
        language = "en"
    else:
        body = _paragraphs(rng, pools[kind], target, " " if kind == "en" else "")
        language = kind
    title = _CONTROL.sub(" ", body.split("\n", 1)[0][:80]).strip()
    year = rng.randint(2014, 2024)
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    authors = rng.sample(AUTHORS, 1 if rng.random() < 0.85 else 2)
    tags = rng.sample(TAGS, rng.randint(1, 3))
    front = "\n".join(
        [
            "---",
            f"title: {_yaml_string(title)}",
            f"date: {date}",
            f"author: {_yaml_string('; '.join(authors))}",
            f"tags: [{', '.join(tags)}]",
            f"language: {language}",
            f"url: https://example.org/{year}/{number}",
            "---",
            "",
        ]
    )
    return f"{year}/doc-{number:06d}.md", front + body + "\n"


def _paragraphs(rng: random.Random, pool: list[str], target: int, joiner: str) -> str:
    """Consecutive sentences of the pool from a random start, in paragraphs of 3 to 8."""
    start = rng.randrange(len(pool))
    paragraphs, paragraph, length, index = [], [], 0, start
    while length < target:
        sentence = pool[index % len(pool)]
        paragraph.append(sentence)
        length += len(sentence) + 1
        index += 1
        if len(paragraph) >= rng.randint(3, 8):
            paragraphs.append(joiner.join(paragraph))
            paragraph = []
    if paragraph:
        paragraphs.append(joiner.join(paragraph))
    return "\n\n".join(paragraphs)


def _mixed(rng: random.Random, pools: dict[str, list[str]], target: int) -> str:
    """English paragraphs with Traditional Chinese ones between them."""
    parts, length = [], 0
    while length < target:
        kind = "en" if len(parts) % 2 == 0 else "zh-Hant"
        part = _paragraphs(rng, pools[kind], min(target - length, 600), " " if kind == "en" else "")
        parts.append(part)
        length += len(part)
    return "\n\n".join(parts)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_corpus(count: int, folder: Path, pools_folder: Path = DEFAULT_POOLS, seed: int = SEED) -> int:
    """Write documents 0 to count-1 under ``folder``; return the characters written."""
    pools = load_pools(pools_folder)
    total = 0
    for number in range(count):
        relative, text = document(number, pools, seed)
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text)
    return total


def main() -> None:
    """Command line: write a corpus."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--pools", type=Path, default=DEFAULT_POOLS, help="folder of en.txt, zh-Hans.txt, zh-Hant.txt")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    chars = write_corpus(args.count, args.folder, args.pools, args.seed)
    print(f"wrote {args.count} documents, {chars / 1e6:.1f} M characters, to {args.folder}")


if __name__ == "__main__":
    main()
