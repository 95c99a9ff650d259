"""Which extractor reads the main text of Chinese news pages best? Pages generated in the manner
of Stand News, Apple Daily, HK01, Citizen News and RTHK, and an NGO's statement (``bench.html_pages``: a known article
of Traditional Chinese sentences from the pools, wrapped in a cookie banner, a menu, share
buttons, tags, most-read and related lists, a newsletter box and a footer) are read by:

- ``drop list``: BeautifulSoup with the archive's list of dropped elements (scripts, nav,
  header, footer...), the whole visible rest: ``read_html(text, main_text=False)``;
- ``trafilatura``: ``bare_extraction`` with its metadata, comments left out;
- ``readability-lxml``: ``Document.summary()`` as text, ``short_title()``, ``author()``;
- ``read_html``: the archive's reading of a page as it is now.

    python -m bench.html_extract                 # 12 pages of each of the six styles
    python -m bench.html_extract --pages 40      # more

For each extractor, overall and by site, it prints: the share of the article's characters kept
(its sentences found whole in the text, whitespace aside), the share of the boilerplate's
characters wrongly kept (menu items, share buttons, the cookie banner, related and most-read
headlines, tags, the newsletter box, the footer; a piece the article itself contains is not
counted), the titles given clean of the site's name (exactly the headline), the dates found (the
article's day, of the pages that state one), the dates wrongly given (on an NGO's undated
statement whose text names a day, under a copyright year), the authors found (the reporter's
name in the author given, of the pages with a byline), the authors given where there is none (RTHK,
the statement), the pages given no text at all, and the milliseconds a page takes (one core,
after a first page to warm up). Figures go to bench/results/html_extract.json.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.generate import DEFAULT_POOLS, load_pools
from bench.html_pages import STYLES, Page, pages
from bench.run import RESULTS

PAGES = 12
SEED = 20211229
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Reading:
    """What an extractor gives of a page."""

    text: str
    title: str | None
    date: str | None
    author: str | None


@dataclass
class Score:
    """One extractor's reading of one page, scored."""

    style: str
    kept: float
    boilerplate: float
    title: bool
    dated: bool
    date: bool
    wrong_date: bool
    author: bool | None
    wrong_author: bool
    empty: bool
    ms: float


def drop_list(html: str) -> Reading:
    from app.ingest.html import read_html

    found = read_html(html, main_text=False)
    return Reading(found.text, _str(found.title), _str(found.date), _str(found.author))


def archive(html: str) -> Reading:
    from app.ingest.html import read_html

    found = read_html(html)
    return Reading(found.text, _str(found.title), _str(found.date), _str(found.author))


def trafilatura_reading(html: str) -> Reading:
    import trafilatura

    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if found is None:
        return Reading("", None, None, None)
    return Reading(found.text or "", found.title, found.date, found.author)


def trafilatura_precise(html: str) -> Reading:
    import trafilatura

    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    if found is None:
        return Reading("", None, None, None)
    return Reading(found.text or "", found.title, found.date, found.author)


def readability_reading(html: str) -> Reading:
    import lxml.html
    from readability import Document

    document = Document(html)
    summary = document.summary(html_partial=True)
    text = lxml.html.fromstring(summary).text_content() if summary.strip() else ""
    author = document.author()
    return Reading(text, document.short_title(), None, None if author == "[no-author]" else author)


EXTRACTORS: dict[str, Callable[[str], Reading]] = {
    "drop list": drop_list,
    "trafilatura": trafilatura_reading,
    "trafilatura, precision": trafilatura_precise,
    "readability-lxml": readability_reading,
    "read_html": archive,
}


def _str(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def _bare(text: str) -> str:
    return _SPACE.sub("", text)


def score(page: Page, reading: Reading, ms: float) -> Score:
    """How well ``reading`` read ``page``."""
    text = _bare(reading.text)
    sentences = [piece for paragraph in page.paragraphs for piece in re.split(r"(?<=[。！？!?])", paragraph) if piece]
    total = sum(len(_bare(piece)) for piece in sentences)
    kept = sum(len(_bare(piece)) for piece in sentences if _bare(piece) in text)
    article = _bare("".join(page.paragraphs + page.neutral))
    pieces = [_bare(piece) for piece in dict.fromkeys(page.boilerplate) if _bare(piece) not in article]
    noise = sum(len(piece) for piece in pieces)
    wrong = sum(len(piece) for piece in pieces if piece in text)
    author = None if page.author is None else bool(reading.author and page.author in reading.author)
    return Score(
        style=page.style,
        kept=kept / total,
        boilerplate=wrong / noise if noise else 0.0,
        title=(reading.title or "").strip() == page.title,
        dated=page.date is not None,
        date=page.date is not None and (reading.date or "")[:10] == page.date,
        wrong_date=page.date is None and bool(reading.date),
        author=author,
        wrong_author=page.author is None and bool(reading.author),
        empty=not text,
        ms=ms,
    )


def measure(read: Callable[[str], Reading], generated: list[Page]) -> list[Score]:
    """Every page read by ``read`` and scored."""
    read(generated[0].html)  # imports and caches
    scores = []
    for page in generated:
        start = time.perf_counter()
        reading = read(page.html)
        scores.append(score(page, reading, (time.perf_counter() - start) * 1000))
    return scores


def summary(scores: list[Score]) -> dict:
    """The figures of a set of scored pages."""
    authored = [s for s in scores if s.author is not None]
    dated = [s for s in scores if s.dated]
    return {
        "pages": len(scores),
        "article kept": statistics.fmean(s.kept for s in scores),
        "boilerplate kept": statistics.fmean(s.boilerplate for s in scores),
        "clean titles": sum(s.title for s in scores) / len(scores),
        "dates found": sum(s.date for s in dated) / len(dated) if dated else None,
        "dates wrongly given": sum(s.wrong_date for s in scores),
        "authors found": sum(bool(s.author) for s in authored) / len(authored) if authored else None,
        "authors wrongly given": sum(s.wrong_author for s in scores),
        "empty": sum(s.empty for s in scores),
        "ms a page": statistics.fmean(s.ms for s in scores),
    }


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}" if value > 1 else f"{value:.1%}"
    return str(value)


def table(figures: dict[str, dict]) -> str:
    """The figures as a Markdown table, a row per extractor."""
    columns = list(next(iter(figures.values())))
    lines = ["| extractor | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, row in figures.items():
        lines.append(f"| {name} | " + " | ".join(_cell(row[column]) for column in columns) + " |")
    return "\n".join(lines)


def main() -> None:
    """Command line: generate the pages, read them with every extractor, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=PAGES, help="pages of each style (default %(default)s)")
    parser.add_argument("--pools", type=Path, default=DEFAULT_POOLS, help="folder of the sentence pools")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    generated = pages(load_pools(args.pools)["zh-Hant"], args.pages, args.seed)
    results = {name: measure(read, generated) for name, read in EXTRACTORS.items()}
    overall = {name: summary(scores) for name, scores in results.items()}
    print(f"{len(generated)} pages, {args.pages} of each style\n")
    print(table(overall))
    by_style = {}
    for style in STYLES:
        rows = {name: summary([s for s in scores if s.style == style]) for name, scores in results.items()}
        by_style[style] = rows
        print(f"\n{style}\n")
        print(table(rows))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "html_extract.json"
    figures = {"pages": args.pages, "seed": args.seed, "overall": overall, "by style": by_style}
    figures["scores"] = {name: [asdict(s) for s in scores] for name, scores in results.items()}
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nfigures: {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")


if __name__ == "__main__":
    main()
