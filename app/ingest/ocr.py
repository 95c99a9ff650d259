"""Optical character recognition: a page image to its text, with Tesseract (Debian's).

Tesseract is driven through pytesseract, which runs the ``tesseract`` command on each image:
the archive needs nothing of Tesseract's C API, and a page that takes too long is stopped by
killing its process (pytesseract's ``timeout``), which a binding into this process could not do.
Its own threads are turned off (``OMP_THREAD_LIMIT=1``): a build already runs one reader per core,
and on two cores Tesseract's threads made a page ten times slower.

A page is read with each of ``OcrSettings.languages``, combinations of models (by default
Traditional Chinese with English, then Simplified Chinese with English), and the reading with the
highest mean confidence is kept; a page the first reading finds no Chinese in is not read again.
Measured (``bench/ocr.py``), a model of one script reads its own script best, and reads the other
script's characters as its own (a Simplified page read with the Traditional model comes out in
Traditional forms), so reading all three models at once, or one script's model for every page,
shows a Simplified scan in the wrong script; two readings cost about what the three-model mix
costs, since each is faster. The text keeps Tesseract's lines and paragraphs (a blank line
between paragraphs), and the Chinese characters it gives as words apart are joined as the page
prints them (the analysis would read through the spaces, but a snippet would show them).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass

DEFAULT_LANGUAGES = ("chi_tra+eng", "chi_sim+eng")
# What to install, named where OCR is missing.
INSTALL = "install tesseract-ocr, tesseract-ocr-chi-tra and tesseract-ocr-chi-sim (Debian's packages)"
UNAVAILABLE = "OCR is not available"
# How a page past its time limit is named (such a page is not tried again on every rebuild).
TIMED_OUT = "OCR took longer than"
# Tesseract's page segmentation, in the order tried: its own layout analysis (3), then, for a
# page where that finds nothing (a single line on a wide page is "Empty page!!" to it), the page
# as one column (4). Measured (bench/ocr.py), one column first lost fewer lines of long Chinese
# text on a straight page but read a page turned by 1.5 degrees (a phone photo, a fax) far worse:
# 27% of English characters wrong against 0.1%.
_LAYOUTS = ("--psm 3", "--psm 4")
# How Tesseract's words are made text (``laid_out``): raised when that changes, so that no page
# recognised before is taken from the cache as it was.
TEXT_VERSION = 1
# Marks the Chinese models read as their narrow forms, as Chinese prints them.
_CHINESE_MARKS = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}


@dataclass(frozen=True)
class OcrSettings:
    """How scans and images are recognised.

    ``languages``: the readings of a page, each Tesseract's models joined by ``+`` (read
    together), the most confident kept; ``dpi``: the resolution PDF pages are rendered at;
    ``page_seconds``: the most one page may take (a page past it is left out and named);
    ``max_pages``: the most pages of one file recognised; ``cache``: the folder where recognised
    pages are kept by file hash (None: not kept); ``cache_mb``: its bound.
    """

    enabled: bool = True
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    dpi: int = 200
    page_seconds: float = 120.0
    max_pages: int = 500
    tesseract: str = "tesseract"
    cache: str | None = None
    cache_mb: float = 1024.0

    def identity(self) -> dict:
        """What decides the text a page is recognised as: a cached page read otherwise is not used."""
        return {
            "languages": list(self.languages),
            "dpi": self.dpi,
            "layouts": list(_LAYOUTS),
            "text": TEXT_VERSION,
            "tesseract": tesseract_version(self.tesseract),
        }


@dataclass(frozen=True)
class RecognisedPage:
    """One page as OCR read it: its text, the mean confidence of its words (0 to 100; None
    when it found none), and why it has no text when it could not be read (``failed``)."""

    text: str
    confidence: float | None = None
    failed: str | None = None


def unavailable(settings: OcrSettings) -> str | None:
    """Why OCR cannot run with ``settings`` (turned off, Tesseract missing, a model missing), or
    None when it can; what to install is ``INSTALL``, said once by the build."""
    if not settings.enabled:
        return "OCR is turned off (ARCHIVE_OCR=0 or --no-ocr)"
    installed = installed_languages(settings.tesseract)
    if installed is None:
        return f"{UNAVAILABLE} (no {settings.tesseract} command to run)"
    missing = sorted({name for reading in settings.languages for name in reading.split("+")} - installed)
    if missing:
        return f"{UNAVAILABLE} (Tesseract has no model {', '.join(missing)})"
    return None


def _asked(tesseract: str, option: str) -> list[str] | None:
    """The lines ``tesseract option`` prints (``--list-langs``, ``--version``); None when it
    cannot be run or fails."""
    command = shutil.which(tesseract)
    if command is None:
        return None
    try:
        done = subprocess.run([command, option], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return [line.strip() for line in (done.stdout + done.stderr).splitlines() if line.strip()]


@functools.cache
def installed_languages(tesseract: str) -> frozenset[str] | None:
    """The models the Tesseract at ``tesseract`` has; None when it cannot be run."""
    lines = _asked(tesseract, "--list-langs")
    # After its heading ("List of available languages in ..."), a model name per line.
    return None if lines is None else frozenset(line for line in lines if " " not in line)


@functools.cache
def tesseract_version(tesseract: str) -> str | None:
    """The version the Tesseract at ``tesseract`` says it is (None: it cannot be run)."""
    lines = _asked(tesseract, "--version")
    return lines[0] if lines else None


def recognise(image, settings: OcrSettings, languages: tuple[str, ...] | None = None) -> RecognisedPage:
    """The text of a page image (a Pillow image) in its most confident reading of ``languages``
    (the settings' by default: see above); a page past ``settings.page_seconds`` or one Tesseract
    fails on comes back with no text and the reason in ``failed``."""
    best = None
    for reading in languages or settings.languages:
        page = read_page(image, settings, reading)
        if page.failed:
            return page
        if best is None or (page.confidence or 0) > (best.confidence or 0):
            best = page
        if not any(_wide(char) for char in page.text):
            break  # no Chinese on the page: another Chinese model would read the same
    return best or RecognisedPage("")


def read_page(image, settings: OcrSettings, reading: str) -> RecognisedPage:
    """The text of a page image read with the models of ``reading`` (``chi_tra+eng``), in the
    first of ``_LAYOUTS`` that finds any."""
    page = RecognisedPage("")
    for layout in _LAYOUTS:
        page = _tesseract(image, settings, reading, layout)
        if page.failed or page.text.strip():
            break
    return page


def _tesseract(image, settings: OcrSettings, reading: str, layout: str) -> RecognisedPage:
    """One run of Tesseract on a page image: its words laid out as text, or why it failed."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    pytesseract.pytesseract.tesseract_cmd = shutil.which(settings.tesseract) or settings.tesseract
    try:
        data = pytesseract.image_to_data(
            image,
            lang=reading,
            config=layout,
            timeout=settings.page_seconds,
            output_type=pytesseract.Output.DICT,
        )
    except RuntimeError as error:  # pytesseract's timeout
        if "timeout" in str(error).lower():
            return RecognisedPage("", failed=f"{TIMED_OUT} {settings.page_seconds:g} s")
        return RecognisedPage("", failed=f"OCR failed: {error}")
    except (pytesseract.TesseractError, OSError) as error:
        return RecognisedPage("", failed=f"OCR failed: {error}")
    return laid_out(data)


def laid_out(data: dict[str, list]) -> RecognisedPage:
    """Tesseract's words (``image_to_data``'s columns) as text: a line's words joined by a
    space, lines by a line break, paragraphs and blocks by a blank line; and their mean
    confidence."""
    paragraphs: list[list[list[str]]] = []
    where = None
    confidences = []
    for index, word in enumerate(data["text"]):
        word = (word or "").strip()
        if not word:
            continue
        confidence = float(data["conf"][index])
        if confidence >= 0:
            confidences.append(confidence)
        paragraph = (data["page_num"][index], data["block_num"][index], data["par_num"][index])
        line = data["line_num"][index]
        if where is None or where[0] != paragraph:
            paragraphs.append([[word]])
        elif where[1] != line:
            paragraphs[-1].append([word])
        else:
            paragraphs[-1][-1].append(word)
        where = (paragraph, line)
    text = "\n\n".join("\n".join(_joined(words) for words in lines) for lines in paragraphs)
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return RecognisedPage(text, mean)


def _joined(words: list[str]) -> str:
    """A line's words as text: a space between words, none between two Chinese characters (which
    Tesseract gives as words of their own, though the page prints them side by side); a comma,
    colon or other mark beside Chinese is the full-width one Chinese is printed with, which the
    models read as its narrow twin (，read as ",")."""
    words = [_CHINESE_MARKS.get(word, word) if _beside_wide(words, n) else word for n, word in enumerate(words)]
    parts = [words[0]]
    for word in words[1:]:
        if not (_wide(parts[-1][-1]) and _wide(word[0])):
            parts.append(" ")
        parts.append(word)
    return "".join(parts)


def _beside_wide(words: list[str], n: int) -> bool:
    """True when the word before or after word ``n`` of a line touches it with a wide character."""
    return (n > 0 and _wide(words[n - 1][-1])) or (n + 1 < len(words) and _wide(words[n + 1][0]))


def _wide(char: str) -> bool:
    """True for a character that prints wide (Chinese, Japanese, full-width punctuation)."""
    return unicodedata.east_asian_width(char) in "WF"


def models(value: object) -> tuple[tuple[str, ...], str | None]:
    """The readings a sidecar's ``ocr:`` gives: a list of models read together (``[chi_tra,
    eng]``), or readings written as the setting is (``chi_tra+eng|chi_sim+eng``); and what is
    wrong with them (None when nothing is)."""
    readings = ["+".join(str(name) for name in value)] if isinstance(value, list) else str(value).split("|")
    found = tuple(reading.replace(" ", "") for reading in readings if reading.strip())
    for name in (name for reading in found for name in reading.split("+")):
        if not name.replace("_", "").isalnum() or len(name) > 32:
            return (), f"{name!r} is not a Tesseract model name"
    return found, None
