"""Recognised pages kept by file, so that no rebuild recognises a file twice.

OCR costs seconds a page; a full rebuild, a new generation or a clean-up must not pay it again.
The cache is a folder of its own (the index's ``ocr-cache/``, beside the generations, never inside
one), a file per recognised file: ``<key[:2]>/<key>.json``, where the key is the SHA-256 of the
file's hash and of what decides the text (``OcrSettings.identity``: the models, the resolution,
Tesseract's version). Each cache file is JSON::

    {"format": "archive-ocr", "version": 1,
     "pages": {"1": {"text": "...", "confidence": 91.5, "failed": null}, ...}}

written whole to a temporary name and renamed, so a reader sees a complete file or none, and two
build workers recognising copies of one file write the same bytes. A file that does not read as
this is ignored (the pages are recognised again). ``prune`` keeps the folder under its bound by
deleting the files used least recently (a cache hit touches its file).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path

from .ocr import TIMED_OUT, OcrSettings, RecognisedPage, recognise, unavailable

FORMAT, VERSION = "archive-ocr", 1


class OcrCache:
    """The recognised pages of files, by file hash, read with one identity of the OCR settings."""

    def __init__(self, folder: Path | str, identity: dict) -> None:
        self.folder = Path(folder)
        self._salt = json.dumps(identity, sort_keys=True).encode()

    def _path(self, file_hash: str) -> Path:
        key = hashlib.sha256(file_hash.encode() + b"\0" + self._salt).hexdigest()
        return self.folder / key[:2] / f"{key}.json"

    def get(self, file_hash: str) -> dict[int, RecognisedPage]:
        """The pages of the file ``file_hash`` recognised before ({} when none are kept)."""
        path = self._path(file_hash)
        try:
            kept = json.loads(path.read_text(encoding="utf-8"))
            if kept.get("format") != FORMAT or kept.get("version") != VERSION:
                return {}
            pages = {int(number): RecognisedPage(**page) for number, page in kept["pages"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return {}
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: the last to be pruned
        return pages

    def put(self, file_hash: str, pages: dict[int, RecognisedPage]) -> None:
        """Keep ``pages`` as the recognised pages of the file ``file_hash``."""
        path = self._path(file_hash)
        path.parent.mkdir(parents=True, exist_ok=True)
        body = {"format": FORMAT, "version": VERSION, "pages": {str(n): asdict(p) for n, p in sorted(pages.items())}}
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(body, out, ensure_ascii=False)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def prune(folder: Path | str, max_mb: float) -> int:
    """Delete the cache files of ``folder`` used least recently until it holds at most ``max_mb``
    megabytes; how many were deleted."""
    entries = []
    for path in Path(folder).glob("*/*.json"):
        with contextlib.suppress(OSError):
            info = path.stat()
            entries.append((info.st_mtime, info.st_size, path))
    total = sum(size for _time, size, _path in entries)
    deleted = 0
    for _time, size, path in sorted(entries):
        if total <= max_mb * 1_000_000:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size
            deleted += 1
    return deleted


class Recogniser:
    """What reading one file asks of OCR: each page recognised once (from the cache when it was
    before), at most ``settings.max_pages`` of them, counted for the build's report."""

    def __init__(self, settings: OcrSettings, file_hash: str, languages: tuple[str, ...] | None = None) -> None:
        # A sidecar's models (``languages``) read this file instead of the archive's.
        self.settings = replace(settings, languages=languages) if languages else settings
        self.file_hash = file_hash
        # Why no page can be recognised (None: they can).
        self.reason = unavailable(self.settings)
        cache = self.settings.cache
        self._cache = OcrCache(cache, self.settings.identity()) if cache and not self.reason else None
        self._kept = self._cache.get(file_hash) if self._cache else {}
        self._new: dict[int, RecognisedPage] = {}
        self.recognised = 0
        self.from_cache = 0

    def page(self, number: int, image: Callable[[], object]) -> RecognisedPage:
        """Page ``number`` (from 1) recognised, from the cache or from ``image()`` (a Pillow
        image, made only when the page must be read); with no text and ``failed`` saying why
        when it cannot be."""
        if number in self._kept:
            self.from_cache += 1
            return self._kept[number]
        if self.reason:
            return RecognisedPage("", failed=self.reason)
        if self.recognised >= self.settings.max_pages:
            return RecognisedPage("", failed=f"past the {self.settings.max_pages} pages OCR reads of one file")
        page = recognise(image(), self.settings)
        self.recognised += 1
        # A page Tesseract failed on is tried again next time, unless it ran out of time.
        if not page.failed or page.failed.startswith(TIMED_OUT):
            self._new[number] = page
        return page

    def close(self) -> None:
        """Keep the pages recognised now with those kept before."""
        if self._cache is not None and self._new:
            self._cache.put(self.file_hash, {**self._kept, **self._new})
