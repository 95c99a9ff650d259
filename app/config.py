"""Every setting of the archive in one table: name, default, environment variable, help.

The README documents each row (a test keeps the two in step). Values come from the defaults,
then the environment, then what the caller passes (command-line options, ``create_app``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default value, environment variable and a line of help."""

    name: str
    default: Any
    env: str
    help: str
    parse: Callable[[str], Any] = str
    # The smallest and largest values allowed, for numbers that have them.
    bounds: tuple[int, int] | None = None

    def check(self, value: Any, source: str) -> Any:
        """``value`` when it lies within the bounds; ``ValueError`` naming ``source`` otherwise."""
        if self.bounds and not self.bounds[0] <= value <= self.bounds[1]:
            raise ValueError(f"{source}={value!r} is out of range: {self.help}")
        return value


LOG_LEVELS = ("debug", "info", "warning", "error")


def _log_level(raw: str) -> str:
    """One of ``LOG_LEVELS``, in any case."""
    level = raw.strip().lower()
    if level not in LOG_LEVELS:
        raise ValueError(raw)
    return level


def _flag(raw: str) -> bool:
    """A yes/no setting: 1, true, yes, on or 0, false, no, off."""
    word = raw.strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off"):
        return False
    raise ValueError(raw)


SETTINGS: tuple[Setting, ...] = (
    Setting("DOCUMENTS", "./documents", "ARCHIVE_DOCUMENTS", "Folder of documents to index (searched recursively)."),
    Setting("INDEX", "./index", "ARCHIVE_INDEX", "Folder where the index generations live."),
    Setting("HOST", "127.0.0.1", "ARCHIVE_HOST", "Address `serve` listens on."),
    Setting("PORT", 8000, "ARCHIVE_PORT", "Port `serve` listens on.", int),
    Setting(
        "SERVER",
        "",
        "ARCHIVE_SERVER",
        "A running `serve` (http://HOST:PORT) that `search` asks instead of opening the index itself.",
    ),
    Setting("WORKERS", 2, "ARCHIVE_WORKERS", "Server worker processes (1 to 16).", int, (1, 16)),
    Setting(
        "TIMEOUT",
        30,
        "ARCHIVE_TIMEOUT",
        "Seconds a worker may stop answering (hung, not busy) before it is replaced.",
        int,
    ),
    Setting(
        "THREADS",
        32,
        "ARCHIVE_THREADS",
        "Threads per worker: requests one worker serves at once (1 to 256).",
        int,
        (1, 256),
    ),
    Setting(
        "RUNNING_PER_WORKER",
        2,
        "ARCHIVE_RUNNING_PER_WORKER",
        "Requests a worker computes at once before it leaves new connections to a freer worker (1 to 256).",
        int,
        (1, 256),
    ),
    Setting(
        "READ_TIMEOUT",
        10,
        "ARCHIVE_READ_TIMEOUT",
        "Seconds a client may take to send its request or read the answer.",
        float,
    ),
    Setting(
        "SEARCH_SECONDS",
        1.0,
        "ARCHIVE_SEARCH_SECONDS",
        "Seconds a search may take before it is cut and answered 503.",
        float,
    ),
    Setting(
        "SEARCHES_PER_CLIENT",
        4,
        "ARCHIVE_SEARCHES_PER_CLIENT",
        "Searches one address may run at once in a worker (429 past it).",
        int,
    ),
    Setting(
        "FORWARDED_ALLOW_IPS",
        "127.0.0.1,::1",
        "ARCHIVE_FORWARDED_ALLOW_IPS",
        "Proxies whose X-Forwarded-For names the client.",
    ),
    Setting(
        "LOG_LEVEL",
        "info",
        "ARCHIVE_LOG_LEVEL",
        "What `serve` logs: debug (each search admitted or refused, per client), info, warning or error.",
        _log_level,
    ),
    Setting("INDEX_PROCS", 2, "ARCHIVE_INDEX_PROCS", "Processes that analyse documents during a full build.", int),
    Setting("OCR", True, "ARCHIVE_OCR", "Recognise the text of scans and images with Tesseract (0: skip them).", _flag),
    Setting(
        "OCR_LANGUAGES",
        "chi_tra+eng|chi_sim+eng",
        "ARCHIVE_OCR_LANGUAGES",
        "Readings of each scanned page, models joined by +, readings by | (the most confident kept).",
    ),
    Setting(
        "OCR_DPI", 200, "ARCHIVE_OCR_DPI", "Resolution PDF pages are rendered at for OCR (100 to 400).", int, (100, 400)
    ),
    Setting("OCR_PAGE_SECONDS", 120, "ARCHIVE_OCR_PAGE_SECONDS", "Most seconds OCR may take on one page.", float),
    Setting("OCR_CACHE_MB", 1024, "ARCHIVE_OCR_CACHE_MB", "Megabytes of recognised pages kept for rebuilds.", float),
    Setting("TESSERACT", "tesseract", "ARCHIVE_TESSERACT", "The tesseract command (a name on PATH, or a path)."),
    Setting("MAX_FILE_MB", 50, "ARCHIVE_MAX_FILE_MB", "Files larger than this many megabytes are skipped.", float),
    Setting(
        "BUNDLE_MEMBERS",
        10_000,
        "ARCHIVE_BUNDLE_MEMBERS",
        "Most documents one file may hold (a zip's members, a mailbox's messages, attachments).",
        int,
        (1, 1_000_000),
    ),
    Setting(
        "BUNDLE_MB",
        1000,
        "ARCHIVE_BUNDLE_MB",
        "Most megabytes one bundle, mailbox or web archive may unpack to.",
        float,
    ),
    Setting(
        "BUNDLE_RATIO",
        200,
        "ARCHIVE_BUNDLE_RATIO",
        "Most a member past a megabyte may be compressed, as unpacked to packed size (zip bombs).",
        int,
        (2, 100_000),
    ),
    Setting(
        "BUNDLE_DEPTH",
        3,
        "ARCHIVE_BUNDLE_DEPTH",
        "Most containers nested in one another (a zip in a zip in a message: 3).",
        int,
        (1, 10),
    ),
    Setting("TABLE_ROWS", 100_000, "ARCHIVE_TABLE_ROWS", "Most rows of a spreadsheet or CSV file indexed.", int),
    Setting("LOCK_TIMEOUT", 60, "ARCHIVE_LOCK_TIMEOUT", "Seconds `index` waits for another build to finish.", float),
    Setting(
        "WATCH_QUIET",
        0.1,
        "ARCHIVE_WATCH_QUIET",
        "Seconds without a change before `watch` indexes what changed.",
        float,
    ),
    Setting(
        "WATCH_RESCAN",
        600,
        "ARCHIVE_WATCH_RESCAN",
        "Seconds between `watch`'s walks of the whole documents folder, for changes not reported.",
        float,
    ),
    Setting(
        "GENERATION_GRACE",
        600,
        "ARCHIVE_GENERATION_GRACE",
        "Seconds an old generation is kept for readers on other machines.",
        float,
    ),
    Setting(
        "READER_LOCKS",
        True,
        "ARCHIVE_READER_LOCKS",
        "Servers lock the generation they read (0 where the index volume has no flock).",
        _flag,
    ),
    Setting("MAX_QUERY_CHARS", 500, "ARCHIVE_MAX_QUERY_CHARS", "Longest query accepted, in characters.", int),
    Setting("MAX_TERMS", 256, "ARCHIVE_MAX_TERMS", "Most index terms a query may expand to (wildcards).", int),
    Setting(
        "PER_PAGE",
        10,
        "ARCHIVE_PER_PAGE",
        "Results per page when the request does not say (1 to 1000).",
        int,
        (1, 1000),
    ),
    Setting("MAX_PER_PAGE", 100, "ARCHIVE_MAX_PER_PAGE", "Most results per page a request may ask for.", int),
    Setting("CACHE_ENTRIES", 256, "ARCHIVE_CACHE_ENTRIES", "Queries whose matches a worker keeps (0: none).", int),
    Setting("CACHE_MB", 64, "ARCHIVE_CACHE_MB", "Megabytes those kept matches may take in each worker.", float),
    Setting(
        "EXPORT_MAX",
        10_000,
        "ARCHIVE_EXPORT_MAX",
        "Most results one export may hold (CSV, JSON Lines, RIS); a search matching more is refused (400).",
        int,
        (1, 10_000_000),
    ),
    Setting(
        "FEED_ENTRIES",
        50,
        "ARCHIVE_FEED_ENTRIES",
        "Newest results a search's Atom feed lists (1 to 500).",
        int,
        (1, 500),
    ),
    Setting(
        "BATCH_QUERIES",
        1000,
        "ARCHIVE_BATCH_QUERIES",
        "Most queries one batch search may hold (1 to 100000); a longer list is refused (400).",
        int,
        (1, 100_000),
    ),
    Setting(
        "BATCH_SECONDS",
        120,
        "ARCHIVE_BATCH_SECONDS",
        "Seconds a batch search may take; the queries not reached by then are answered as not run.",
        float,
        (0, 3600),
    ),
    Setting(
        "BATCH_BYTES",
        1_048_576,
        "ARCHIVE_BATCH_BYTES",
        "Largest request a batch search may send, in bytes (413 past it; deploy/nginx.conf allows as much).",
        int,
        (1024, 67_108_864),
    ),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


def load(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return every setting's value: the default, else the environment, else ``overrides``."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        value = setting.default
        if setting.env in environ and environ[setting.env] != "":
            raw = environ[setting.env]
            try:
                value = setting.parse(raw)
            except ValueError:
                raise ValueError(f"{setting.env}={raw!r} is not a valid value: {setting.help}") from None
            setting.check(value, setting.env)
        values[setting.name] = value
    for name, value in (overrides or {}).items():
        if value is not None:
            values[name] = _BY_NAME[name].check(value, name) if name in _BY_NAME else value
    return values


def given(name: str, overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """True when the setting ``name`` is set by ``overrides`` or the environment, not left at
    its default (as ``load`` reads them)."""
    environ = os.environ if environ is None else environ
    return (overrides or {}).get(name) is not None or environ.get(_BY_NAME[name].env, "") != ""


def setting(name: str) -> Setting:
    """The row of the table named ``name``."""
    return _BY_NAME[name]
