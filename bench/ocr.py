"""How well does the archive read scans? Pages rendered from the sentence pools are recognised
through the archive's own OCR (``app.ingest.ocr.recognise``) with each configuration of models,
scored against the text they were rendered from, and searched.

    python -m bench.ocr                 # 3 pages per script, resolution and condition
    python -m bench.ocr --pages 4       # more pages (the time grows with them)
    python -m bench.ocr --quick         # 1 page, at 200 dpi (the archive's) only

Tesseract takes 2 to 5 s of one core for a page and reading here, so the default run (216
page readings, the default configuration's Chinese pages read twice) takes about 15 minutes on two
idle cores; --quick (24) takes 1 to 3 minutes. The time left is shown as it goes.

The pages: A4 at 150, 200 and 300 dpi, 12 pt text (Noto Sans CJK, the Hong Kong face for
Traditional and the Simplified face for Simplified and English; WenQuanYi Micro Hei where Noto
is not installed), wrapped to the width of the page between 20 mm margins, in paragraphs of
consecutive sentences of a pool from a random start: Traditional (mostly Hong Kong Cantonese,
with its variants), Simplified, English, and mixed (English and Traditional paragraphs in turn).
A page's text is the same at every resolution and condition; characters the font has no glyph
for are left out with their sentence. Each page is read clean and noisy (turned by 1 to 2
degrees, a Gaussian blur of a twelfth of a millimetre, saved as JPEG at quality 40, as a phone
photo or a fax gives it). Everything is drawn from a fixed seed.

The configurations: ``chi_tra+eng|chi_sim+eng`` (the archive's default: each page read with
the Traditional and with the Simplified model, each with English, the more confident reading
kept, and a page the first finds no Chinese in read once), ``chi_tra+chi_sim+eng`` (the three
models in one reading), and the page's own script (``chi_tra+eng`` for Traditional and mixed,
``chi_sim+eng`` for Simplified, ``eng`` for English: what a perfect choice page by page gives).

For each script, resolution, condition and configuration it prints:

- CER: the edit distance between the recognised and the rendered text over characters, spaces
  and line breaks left out, divided by the rendered text's length (summed over the pages);
- folded CER: the same with both texts written in Simplified by OpenCC (t2s) first, so that a
  character read in the other script is no error (the search folds scripts as well);
- Chinese words found: runs of 2 to 4 Han characters cut from the rendered text (across a single
  line break, not across punctuation), each searched as typed (expand=0) in an index the archive
  builds of the recognised pages (plain text files), as ``bench.recall`` searches: the share
  found in the page's recognised text, of those the search finds in the rendered text itself;
- English words found: the page's distinct English words (stop words left out), the same way;
- the mean confidence Tesseract gives, the seconds a page takes and the pages a minute the
  machine reads with the pool's processes (each with ``OMP_THREAD_LIMIT=1``: both depend on what
  else the machine runs), the processor seconds Tesseract took for a page (which do not), and
  the pages that failed (past the archive's time limit of a page).

Then the same by configuration and script, by configuration and resolution, and by
configuration alone. Figures go to
bench/results/ocr.json (bench/results/ocr-quick.json with --quick).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import opencc

from bench.generate import DEFAULT_POOLS, load_pools
from bench.recall import _HAN_RUN, _WORD, HAN
from bench.run import RESULTS, mix_request

SCRIPTS = ("zh-Hant", "zh-Hans", "en", "mixed")
DPIS = (150, 200, 300)
CONDITIONS = ("clean", "noisy")
PAGES = 3
QUICK_DPIS = (200,)
PROCS = 2
SEED = 20240611
# A4, its margins, the text size and the spacing, in points (1/72 inch).
MM = 72 / 25.4
PAGE_PT = (210 * MM, 297 * MM)
MARGIN_PT = 20 * MM
FONT_PT = 12
LINE_PT = 1.5 * FONT_PT
PARAGRAPH_PT = 0.5 * FONT_PT
# Pages are laid out once, at this many pixels a point, and drawn at every resolution from the
# same lines, so that a page holds the same text at each.
LAYOUT_SCALE = 10
SENTENCES = (3, 6)
# The noise: a turn of 1 to 2 degrees either way, a blur (its radius in mm, so the same on paper
# at every resolution), and JPEG's artefacts.
TURN_DEGREES = (1.0, 2.0)
BLUR_MM = 0.085
JPEG_QUALITY = 40
WORD_LENGTHS = (2, 4)

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
# The face of Noto Sans CJK each script is set in (regional glyph forms, as printed there).
FACES = {
    "zh-Hant": "Noto Sans CJK HK",
    "mixed": "Noto Sans CJK HK",
    "zh-Hans": "Noto Sans CJK SC",
    "en": "Noto Sans CJK SC",
}

# Readings joined by | (each page read with each, the most confident kept), models by +.
DEFAULT = "chi_tra+eng|chi_sim+eng"
ALL_AT_ONCE = "chi_tra+chi_sim+eng"
OWN_SCRIPT = "own script"
CONFIGS = (DEFAULT, ALL_AT_ONCE, OWN_SCRIPT)
OWN_MODELS = {"zh-Hant": "chi_tra+eng", "mixed": "chi_tra+eng", "zh-Hans": "chi_sim+eng", "en": "eng"}
ORIGINAL = "original"
SLUGS = {DEFAULT: "tra-or-sim", ALL_AT_ONCE: "tra-sim-eng", OWN_SCRIPT: "own", ORIGINAL: "original"}

_SPACE = re.compile(r"\s+")
_CLOSING = frozenset("，。、；：？！」』）》〉】,.;:?!)")
_HAN_ONLY = re.compile(f"[^{HAN}]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\ufeff]")


@dataclass(frozen=True)
class Page:
    """A page's text as it is printed: its paragraphs, each a tuple of its lines."""

    script: str
    number: int
    font: str
    face: int
    paragraphs: tuple[tuple[str, ...], ...]

    @property
    def text(self) -> str:
        """The text as printed: lines apart by a line break, paragraphs by a blank line."""
        return "\n\n".join("\n".join(lines) for lines in self.paragraphs)

    @property
    def group(self) -> str:
        """The name of the page, and the tag of its files in the search's index."""
        return f"{self.script.lower()}-{self.number:03d}"


@dataclass(frozen=True)
class ImageTask:
    """One page image to recognise: the page, its resolution and condition, and the
    configurations to read it with (name and models)."""

    page: Page
    dpi: int
    condition: str
    configs: tuple[tuple[str, str], ...]
    seed: int


@dataclass
class Reading:
    """A page image as one configuration read it, and how it scores."""

    script: str
    number: int
    dpi: int
    condition: str
    config: str
    languages: str
    text: str
    confidence: float | None
    failed: str | None
    seconds: float
    cpu_seconds: float
    reference_chars: int = 0
    errors: int = 0
    folded_errors: int = 0
    chinese: list[int] = field(default_factory=lambda: [0, 0])  # found, searchable
    english: list[int] = field(default_factory=lambda: [0, 0])

    def doc_id(self, group: str) -> str:
        """Its document's id in the search's index."""
        return f"{group}/{self.dpi}-{self.condition}-{SLUGS[self.config]}"


# Laying out pages


def font_file() -> Path:
    """Noto Sans CJK, or WenQuanYi Micro Hei where Noto is not installed."""
    for path in (NOTO, WQY):
        if path.exists():
            return path
    sys.exit(f"no CJK font: install fonts-noto-cjk ({NOTO}) or fonts-wqy-microhei ({WQY})")


@cache
def face_index(path: str, name: str) -> int:
    """The index in the collection ``path`` of the face called ``name`` (0 when it has none)."""
    from PIL import ImageFont

    for index in range(16):
        try:
            if ImageFont.truetype(path, 10, index=index).getname()[0] == name:
                return index
        except OSError:
            break
    return 0


@cache
def font(path: str, index: int, pixels: int):
    """The font ``path`` (its face ``index``) at ``pixels`` pixels."""
    from PIL import ImageFont

    return ImageFont.truetype(path, pixels, index=index)


class Glyphs:
    """Which characters a font draws (a character it lacks draws as the missing glyph)."""

    def __init__(self, typeface) -> None:
        self.typeface = typeface
        self.missing = self._mask("\U0010fffd")
        self.known: dict[str, bool] = {}

    def _mask(self, char: str) -> tuple:
        mask = self.typeface.getmask(char)
        return mask.size, bytes(mask)

    def has(self, text: str) -> bool:
        """True when every character of ``text`` is drawn by the font."""
        for char in set(text):
            if char not in self.known:
                self.known[char] = char.isspace() or self._mask(char) != self.missing
            if not self.known[char]:
                return False
        return True


def wrapped(text: str, typeface, width: float) -> list[str]:
    """``text`` in lines no wider than ``width``: broken between words, or between any two
    Chinese characters."""
    lines, line, used = [], "", 0.0
    for token in _tokens(text):
        if token.isspace() and not line:
            continue
        length = typeface.getlength(token)
        # Closing punctuation stays at the end of its line, as Chinese typesetting keeps it.
        if used + length > width and line and token not in _CLOSING:
            lines.append(line.rstrip())
            line, used = "", 0.0
            if token.isspace():
                continue
        line += token
        used += length
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _tokens(text: str) -> Iterable[str]:
    """Runs of spaces, words of narrow characters, and each wide character alone."""
    word = ""
    for char in text:
        if char.isspace() or unicodedata.east_asian_width(char) in "WF":
            if word:
                yield word
                word = ""
            yield char
        else:
            word += char
    if word:
        yield word


def compose(script: str, number: int, pools: dict[str, list[str]], path: Path, seed: int) -> Page:
    """Page ``number`` of ``script``: paragraphs of the pools from random starts, laid out
    until the page is full."""
    rng = random.Random(f"{seed}:{script}:{number}")
    index = face_index(str(path), FACES[script])
    typeface = font(str(path), index, FONT_PT * LAYOUT_SCALE)
    glyphs = Glyphs(typeface)
    width = (PAGE_PT[0] - 2 * MARGIN_PT) * LAYOUT_SCALE
    room = PAGE_PT[1] - 2 * MARGIN_PT
    paragraphs: list[tuple[str, ...]] = []
    height = 0.0
    while True:
        kind = script if script != "mixed" else ("en" if len(paragraphs) % 2 == 0 else "zh-Hant")
        lines = wrapped(_paragraph(rng, pools[kind], glyphs, " " if kind == "en" else ""), typeface, width)
        gap = PARAGRAPH_PT if paragraphs else 0.0
        fits = int((room - height - gap) // LINE_PT)
        if fits <= 0:
            break
        paragraphs.append(tuple(lines[:fits]))
        height += gap + len(lines[:fits]) * LINE_PT
        if fits < len(lines):
            break
    return Page(script, number, str(path), index, tuple(paragraphs))


def _paragraph(rng: random.Random, pool: list[str], glyphs: Glyphs, joiner: str) -> str:
    """Consecutive sentences of ``pool`` from a random start, those the font cannot draw left out."""
    start = rng.randrange(len(pool))
    wanted = rng.randint(*SENTENCES)
    sentences: list[str] = []
    for offset in range(wanted * 20):
        sentence = _CONTROL.sub("", pool[(start + offset) % len(pool)]).strip()
        if sentence and glyphs.has(sentence):
            sentences.append(sentence)
        if len(sentences) == wanted:
            break
    return joiner.join(sentences)


# Drawing and recognising pages


def image_of(page: Page, dpi: int, condition: str, seed: int):
    """The page drawn at ``dpi``, clean or noisy (a Pillow image, greyscale)."""
    from PIL import Image, ImageDraw, ImageFilter

    scale = dpi / 72
    image = Image.new("L", (round(PAGE_PT[0] * scale), round(PAGE_PT[1] * scale)), 255)
    draw = ImageDraw.Draw(image)
    typeface = font(page.font, page.face, round(FONT_PT * scale))
    y = MARGIN_PT
    for number, lines in enumerate(page.paragraphs):
        y += PARAGRAPH_PT if number else 0.0
        for line in lines:
            draw.text((MARGIN_PT * scale, y * scale), line, font=typeface, fill=0)
            y += LINE_PT
    if condition == "clean":
        return image
    rng = random.Random(f"{seed}:{page.group}:{dpi}")
    angle = rng.uniform(*TURN_DEGREES) * rng.choice((-1, 1))
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(BLUR_MM / 25.4 * dpi))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def read_image(task: ImageTask) -> list[Reading]:
    """The task's page drawn and recognised with each of its configurations, each timed."""
    from app.ingest.ocr import OcrSettings, recognise

    image = image_of(task.page, task.dpi, task.condition, task.seed)
    readings = []
    for config, languages in task.configs:
        started, cpu = time.perf_counter(), _children_cpu()
        page = recognise(image, OcrSettings(), tuple(languages.split("|")))
        seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu
        readings.append(
            Reading(
                task.page.script,
                task.page.number,
                task.dpi,
                task.condition,
                config,
                languages,
                page.text,
                page.confidence,
                page.failed,
                round(seconds, 2),
                round(cpu, 2),
            )
        )
    return readings


def _children_cpu() -> float:
    """The processor time the finished children of this process took (Tesseract's runs): what a
    page costs whatever else the machine runs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def recognise_all(tasks: list[ImageTask], procs: int) -> list[Reading]:
    """Every task's readings, ``procs`` images at a time, with progress and the time left on stderr."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    readings: list[Reading] = []
    started = time.perf_counter()
    with ProcessPoolExecutor(procs) as pool:
        futures = [pool.submit(read_image, task) for task in tasks]
        for done, future in enumerate(as_completed(futures), 1):
            readings += future.result()
            spent = time.perf_counter() - started
            left = spent / done * (len(tasks) - done)
            print(
                f"  {done}/{len(tasks)} images, {spent / 60:.1f} min, about {left / 60:.1f} min left", file=sys.stderr
            )
    return readings


# Scoring


def levenshtein(first: str, second: str) -> int:
    """The edit distance between two strings (insertions, deletions, substitutions of one
    character each), a row of the table at a time in numpy."""
    if len(first) > len(second):
        first, second = second, first
    if not first:
        return len(second)
    rows = np.frombuffer(first.encode("utf-32-le"), dtype=np.uint32)
    columns = np.frombuffer(second.encode("utf-32-le"), dtype=np.uint32)
    steps = np.arange(len(columns) + 1, dtype=np.int64)
    previous = steps.copy()
    best = np.empty_like(previous)
    for row, char in enumerate(rows, 1):
        best[0] = row
        np.minimum(previous[1:] + 1, previous[:-1] + (columns != char), out=best[1:])
        # An insertion along the row costs one a column: the best over every earlier column.
        previous = np.minimum.accumulate(best - steps) + steps
    return int(previous[-1])


@cache
def _simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def score_text(reading: Reading, reference: str) -> None:
    """The reading's edit distances from ``reference``, as written and folded to Simplified."""
    truth, read = _SPACE.sub("", reference), _SPACE.sub("", reading.text)
    reading.reference_chars = len(truth)
    reading.errors = levenshtein(truth, read)
    fold = _simplified().convert
    reading.folded_errors = levenshtein(fold(truth), fold(read))


def probes(page: Page, seed: int, stop_words: frozenset[str]) -> tuple[list[str], list[str]]:
    """The Chinese words (runs of 2 to 4 Han characters cut from the page's text in turn) and
    the distinct English words of the page, as a reader would type them."""
    rng = random.Random(f"{seed}:{page.group}:words")
    chinese: dict[str, None] = {}
    for found in _HAN_RUN.finditer(page.text):
        run = _HAN_ONLY.sub("", found.group())
        at = 0
        while len(run) - at >= WORD_LENGTHS[0]:
            length = min(rng.randint(*WORD_LENGTHS), len(run) - at)
            chinese.setdefault(run[at : at + length])
            at += length
    english: dict[str, str] = {}
    for found in _WORD.finditer(page.text):
        word = found.group()
        if len(word) >= 2 and word.lower() not in stop_words:
            english.setdefault(word.lower(), word)
    return list(chinese), list(english.values())


def write_documents(folder: Path, pages: dict[tuple[str, int], Page], readings: list[Reading]) -> None:
    """Each page's rendered text and each reading of it as a text file, tagged with the page's
    name (a sidecar), so that a search can keep to one page's files."""

    def write(relative: str, text: str, group: str) -> None:
        path = folder / f"{relative}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        Path(f"{path}.meta.yaml").write_text(f"title: {relative}\ntags: [{group}]\n", encoding="utf-8")

    for page in pages.values():
        write(f"{page.group}/{ORIGINAL}", page.text, page.group)
    for reading in readings:
        group = pages[(reading.script, reading.number)].group
        write(reading.doc_id(group), reading.text, group)


def found_ids(live, q: str, group: str) -> set[str]:
    """The ids of the page's files the search finds for ``q`` as typed."""
    from app.query.parse import QueryError
    from app.service.search import search

    try:
        result = search(live, mix_request(q, {"tag": group}, expand=False, per_page=1000))
    except QueryError:
        return set()
    return {hit.id for hit in result.hits}


def score_search(pages: dict[tuple[str, int], Page], readings: list[Reading], seed: int) -> dict:
    """Index the rendered and recognised pages with the archive, search each page's words, and
    count for each reading the words found of those the rendered text is found by."""
    from app.analysis.english import STOP_WORDS
    from app.index.build import build
    from app.index.readers import LiveIndex
    from app.service.search import warm

    started = time.perf_counter()
    by_page = defaultdict(list)
    for reading in readings:
        by_page[(reading.script, reading.number)].append(reading)
    unsearchable = {"chinese": 0, "english": 0}
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as work:
        documents, index = Path(work) / "documents", Path(work) / "index"
        write_documents(documents, pages, readings)
        report = build(documents, index, full=True, procs=1)
        live = LiveIndex(index, warm=warm)
        try:
            for key, page in pages.items():
                original = f"{page.group}/{ORIGINAL}"
                for kind, words in zip(("chinese", "english"), probes(page, seed, STOP_WORDS), strict=True):
                    for word in words:
                        ids = found_ids(live, word, page.group)
                        if original not in ids:
                            unsearchable[kind] += 1
                            continue
                        for reading in by_page[key]:
                            counts = getattr(reading, kind)
                            counts[0] += reading.doc_id(page.group) in ids
                            counts[1] += 1
        finally:
            live.close()
    return {
        "documents": report.documents,
        "not_found_in_the_rendered_text": unsearchable,
        "seconds": round(time.perf_counter() - started, 1),
    }


# Reporting


def summarise(readings: list[Reading], procs: int) -> dict:
    """The figures of a set of readings: error rates over all their characters, shares of the
    words found, confidence, time."""
    read = [reading for reading in readings if not reading.failed]
    chars = sum(reading.reference_chars for reading in readings)
    seconds = [reading.seconds for reading in readings]
    cpu = [reading.cpu_seconds for reading in readings]
    confidences = [reading.confidence for reading in read if reading.confidence is not None]

    def share(kind: str) -> float | None:
        found = sum(getattr(reading, kind)[0] for reading in readings)
        total = sum(getattr(reading, kind)[1] for reading in readings)
        return round(found / total, 4) if total else None

    mean_seconds = statistics.mean(seconds) if seconds else None
    return {
        "pages": len(readings),
        "failed": len(readings) - len(read),
        "chars": chars,
        "cer": round(sum(reading.errors for reading in readings) / chars, 4) if chars else None,
        "folded_cer": round(sum(reading.folded_errors for reading in readings) / chars, 4) if chars else None,
        "chinese_found": share("chinese"),
        "chinese_words": sum(reading.chinese[1] for reading in readings),
        "english_found": share("english"),
        "english_words": sum(reading.english[1] for reading in readings),
        "confidence": round(statistics.mean(confidences), 1) if confidences else None,
        "seconds_per_page": round(mean_seconds, 2) if mean_seconds else None,
        "pages_per_minute": round(60 * procs / mean_seconds, 1) if mean_seconds else None,
        "cpu_seconds_per_page": round(statistics.mean(cpu), 2) if cpu else None,
    }


def grouped(readings: list[Reading], keys: tuple[str, ...], procs: int) -> list[dict]:
    """The figures of the readings by the values of ``keys``, in the order of the runs."""
    groups: dict[tuple, list[Reading]] = defaultdict(list)
    for reading in readings:
        groups[tuple(getattr(reading, key) for key in keys)].append(reading)
    order = {"script": SCRIPTS, "dpi": DPIS, "condition": CONDITIONS, "config": CONFIGS}
    rows = []
    for values in sorted(groups, key=lambda values: [order[k].index(v) for k, v in zip(keys, values, strict=True)]):
        members = groups[values]
        languages = sorted({reading.languages for reading in members})
        rows.append(
            dict(zip(keys, values, strict=True)) | {"languages": " / ".join(languages)} | summarise(members, procs)
        )
    return rows


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _share(value: float | None, words: int) -> str:
    """A share of words found, with the number of words searched."""
    return "—" if value is None else f"{value * 100:.1f}% of {words}"


def _cell(value) -> str:
    return "—" if value is None else str(value)


def table(rows: list[dict], keys: tuple[str, ...]) -> list[str]:
    """Rows of figures as a Markdown table, ``keys`` first."""
    labels = {"script": "script", "dpi": "dpi", "condition": "condition", "config": "models"}
    head = [labels[key] for key in keys] + [
        "pages",
        "CER",
        "folded CER",
        "Chinese words found",
        "English words found",
        "confidence",
        "s / page",
        "pages / min",
        "CPU s / page",
        "failed",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(keys) + "---:|" * (len(head) - len(keys))]
    for row in rows:
        named = [str(row[key]) if key != "config" else _models(row) for key in keys]
        values = [
            row["pages"],
            _percent(row["cer"]),
            _percent(row["folded_cer"]),
            _share(row["chinese_found"], row["chinese_words"]),
            _share(row["english_found"], row["english_words"]),
            _cell(row["confidence"]),
            _cell(row["seconds_per_page"]),
            _cell(row["pages_per_minute"]),
            _cell(row["cpu_seconds_per_page"]),
            row["failed"],
        ]
        lines.append("| " + " | ".join(named + [str(value) for value in values]) + " |")
    return lines


def _models(row: dict) -> str:
    """A configuration as the table names it: its models (the own script's as used)."""
    return f"`{row['languages']}`" if row["config"] != OWN_SCRIPT else f"own script: `{row['languages']}`"


def report(figures: dict) -> str:
    """The figures as Markdown tables: every script, resolution, condition and configuration,
    then by configuration and script, then by configuration."""
    run = figures["run"]
    lines = [
        f"### OCR: {run['pages']} page(s) per script, resolution and condition; {run['tesseract']}; "
        f"font {Path(run['font']).name}; {run['procs']} processes, OMP_THREAD_LIMIT=1; "
        f"load average {run['load_average']} at the start, {run['load_average_after']} after",
        "",
        *table(figures["rows"], ("script", "dpi", "condition", "config")),
        "",
        "By configuration and script (every resolution and condition):",
        "",
        *table(figures["by_script"], ("config", "script")),
        "",
        "By configuration and resolution (every script and condition):",
        "",
        *table(figures["by_dpi"], ("config", "dpi")),
        "",
        "By configuration (everything):",
        "",
        *table(figures["by_config"], ("config",)),
    ]
    unsearchable = figures["search"]["not_found_in_the_rendered_text"]
    lines += [
        "",
        f"Words the search does not find in the rendered text itself (left out of the shares): "
        f"{unsearchable['chinese']} Chinese, {unsearchable['english']} English.",
    ]
    return "\n".join(lines)


def _tesseract() -> str:
    from app.ingest.ocr import OcrSettings, tesseract_version, unavailable

    problem = unavailable(OcrSettings())
    if problem:
        sys.exit(problem)
    return tesseract_version("tesseract") or "tesseract"


def main() -> None:
    """Command line: lay out the pages, recognise them, score and search them, report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=None, help=f"pages per script, resolution and condition ({PAGES})")
    parser.add_argument("--quick", action="store_true", help="1 page, at 200 dpi only")
    parser.add_argument("--procs", type=int, default=PROCS, help="pages recognised at once (default %(default)s)")
    parser.add_argument("--pools", type=Path, default=DEFAULT_POOLS, help="folder of en.txt, zh-Hans.txt, zh-Hant.txt")
    parser.add_argument(
        "--seed", type=int, default=SEED, help="seed of the pages and their noise (default %(default)s)"
    )
    args = parser.parse_args()
    if not args.pools.is_dir():
        sys.exit(f"sentence pools not found at {args.pools}: pass --pools DIR (en.txt, zh-Hans.txt, zh-Hant.txt)")
    count = args.pages or (1 if args.quick else PAGES)
    dpis = QUICK_DPIS if args.quick else DPIS
    config_names = CONFIGS
    tesseract = _tesseract()
    path = font_file()
    pools = load_pools(args.pools)
    pages = {(script, n): compose(script, n, pools, path, args.seed) for script in SCRIPTS for n in range(count)}
    tasks = [
        ImageTask(
            page, dpi, condition, tuple((name, _languages(name, page.script)) for name in config_names), args.seed
        )
        for dpi in sorted(dpis, reverse=True)  # the slowest first, so that the pool ends together
        for page in pages.values()
        for condition in CONDITIONS
    ]
    load = os.getloadavg()[0]
    print(f"{len(tasks)} page images, {len(config_names)} configurations each, {args.procs} processes", file=sys.stderr)
    started = time.perf_counter()
    readings = recognise_all(tasks, args.procs)
    ocr_seconds = time.perf_counter() - started
    for reading in readings:
        score_text(reading, pages[(reading.script, reading.number)].text)
    search = score_search(pages, readings, args.seed)
    figures = {
        "run": {
            "pages": count,
            "quick": args.quick,
            "seed": args.seed,
            "dpis": list(dpis),
            "configs": list(config_names),
            "procs": args.procs,
            "tesseract": tesseract,
            "font": str(path),
            "font_pt": FONT_PT,
            "load_average": round(load, 2),
            "load_average_after": round(os.getloadavg()[0], 2),
            "cores": os.cpu_count(),
            "ocr_minutes": round(ocr_seconds / 60, 2),
        },
        "search": search,
        "rows": grouped(readings, ("script", "dpi", "condition", "config"), args.procs),
        "by_script": grouped(readings, ("config", "script"), args.procs),
        "by_dpi": grouped(readings, ("config", "dpi"), args.procs),
        "by_config": grouped(readings, ("config",), args.procs),
        "pages_laid_out": [
            {"page": page.group, "lines": sum(map(len, page.paragraphs)), "chars": len(_SPACE.sub("", page.text))}
            for page in pages.values()
        ],
        "readings": [{key: value for key, value in asdict(reading).items() if key != "text"} for reading in readings],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / ("ocr-quick.json" if args.quick else "ocr.json")
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    print(report(figures))
    print(f"\nRecognition {ocr_seconds / 60:.1f} min, search {search['seconds']} s; figures in {out}")


def _languages(config: str, script: str) -> str:
    """The models of a configuration for a page of ``script``."""
    return OWN_MODELS[script] if config == OWN_SCRIPT else config


if __name__ == "__main__":
    main()
