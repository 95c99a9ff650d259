"""The ``archive-search`` command: index, serve, search, check. Thin wrappers over library calls."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import config as settings_table
from .cli_help import HelpGroup
from .version import __version__

if TYPE_CHECKING:
    from .index.report import BuildReport

# Exit statuses of `archive-search index` (click itself exits with 2 on a usage error).
EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3
# `search` exits with 1 when no document matches (as grep does), `check` when a file is damaged.
EXIT_NOTHING_FOUND = EXIT_DAMAGED = 1
_WORKERS = settings_table.setting("WORKERS")
_PER_PAGE = settings_table.setting("PER_PAGE")
_MAX_PER_PAGE = settings_table.setting("MAX_PER_PAGE")
# The options of `search` by the name of the API's parameter each one is, for the messages
# that refuse a value.
_SEARCH_OPTIONS = {
    "page": "--page",
    "per_page": "--limit",
    "sort": "--sort",
    "lang": "--lang",
    "year": "--year",
    "author": "--author",
    "tag": "--tag",
    "concept": "--concept",
    "from": "--from",
    "to": "--to",
}
# The modules of the commands that search, read when one of them is run or listed: `index`, run
# again and again by scripts, and a search a server answers load no more than they need.
_COMMAND_MODULES = {"search": ".cli_search", "batch": ".cli_batch", "glossary": ".cli_glossary"}


class UsageError(click.UsageError):
    """The command was given wrongly; it exits with ``EXIT_USAGE``."""

    exit_code = EXIT_USAGE


_documents_option = click.option(
    "--documents",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of documents [env ARCHIVE_DOCUMENTS; default ./documents].",
)
_index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of the index [env ARCHIVE_INDEX; default ./index].",
)


def _settings(**overrides) -> dict:
    try:
        return settings_table.load(overrides)
    except ValueError as error:
        raise UsageError(str(error)) from None


@click.group(cls=HelpGroup, context_settings={"help_option_names": ["-h", "--help"]}, lazy_commands=_COMMAND_MODULES)
@click.version_option(__version__, prog_name="archive-search")
def main() -> None:
    """Search an archive of human-rights documents in English and Chinese."""


@main.command("index")
@_documents_option
@_index_option
@click.option("--full", is_flag=True, help="Rebuild from scratch instead of updating what changed.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the report as JSON (per file: path, status, reason, languages, warnings).",
)
@click.option("--no-ocr", is_flag=True, help="Do not recognise scans and images (as ARCHIVE_OCR=0): skip them.")
def index_command(documents: Path | None, index_dir: Path | None, full: bool, as_json: bool, no_ocr: bool) -> None:
    """Build or update the index from the documents folder.

    Exit status: 0 every file indexed, 1 some files skipped (the rest are indexed), 2 usage
    error, 3 the index could not be written (the previous one is still served).
    """
    settings = _settings(DOCUMENTS=documents, INDEX=index_dir, OCR=False if no_ocr else None)
    report = run_build(settings, full=full, quiet=as_json)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.as_text())
    sys.exit(EXIT_SKIPPED if report.count("skipped") else EXIT_OK)


def run_build(settings: dict, *, full: bool = False, quiet: bool = False) -> BuildReport:
    """Build the index the settings name, with a progress bar on a terminal."""
    from .index.generations import IndexLocked
    from .index.report import BuildError

    builder = _builder(settings)
    bar = None
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit="file", desc="indexing", file=sys.stderr, leave=False)
    pages = [0]

    def progress(report, done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            if report.ocr_pages:
                pages[0] += report.ocr_pages
                bar.set_postfix_str(f"{pages[0]} pages recognised", refresh=False)
            bar.update(1)

    try:
        return builder(full=full, progress=progress)
    except (IndexLocked, BuildError) as error:
        click.echo(f"archive-search index: {error}", err=True)
        sys.exit(EXIT_FAILED)
    finally:
        if bar is not None:
            bar.close()


def _builder(settings: dict):
    """``build`` of the index the settings name, from their documents folder, with their
    settings: the keywords left are ``full``, ``progress`` and ``scope``."""
    # Imported here: `search`, run again and again by scripts, loads no reader of documents.
    from .index.adding import WriterSettings
    from .index.build import build

    documents = Path(settings["DOCUMENTS"])
    if not documents.is_dir():
        raise UsageError(f"documents directory not found: {documents.resolve()}")
    try:
        writer = WriterSettings.from_settings(settings)
    except ValueError as error:
        raise UsageError(str(error)) from None
    return partial(
        build,
        documents,
        Path(settings["INDEX"]),
        procs=settings["INDEX_PROCS"],
        lock_timeout=settings["LOCK_TIMEOUT"],
        grace=settings["GENERATION_GRACE"],
        writer=writer,
    )


@main.command("watch")
@_documents_option
@_index_option
@click.option("--no-ocr", is_flag=True, help="Do not recognise scans and images (as ARCHIVE_OCR=0): skip them.")
def watch_command(documents: Path | None, index_dir: Path | None, no_ocr: bool) -> None:
    """Keep the index up to date with the documents folder, each change indexed as it happens.

    Updates once, then whenever files change (told by the system, gathered for WATCH_QUIET
    seconds), and walks the whole folder every WATCH_RESCAN seconds; each update's report goes to
    standard error. Runs until stopped (Ctrl-C).
    """
    from .index.generations import IndexLocked
    from .index.report import BuildError
    from .index.watch import Changes, watch

    settings = _settings(DOCUMENTS=documents, INDEX=index_dir, OCR=False if no_ocr else None)
    builder = _builder(settings)

    def update(scope) -> None:
        try:
            report = builder(scope=scope)
        except (IndexLocked, BuildError) as error:
            click.echo(f"archive-search watch: {error}", err=True)  # tried again at the next change
            return
        if not report.up_to_date:
            click.echo(report.as_text(), err=True)

    changes = Changes(Path(settings["DOCUMENTS"]), ignored=Path(settings["INDEX"]))
    stop = threading.Event()
    # Stopped by the server that started it: the update under way is finished first.
    signal.signal(signal.SIGTERM, lambda _number, _frame: stop.set())
    click.echo(f"Watching {Path(settings['DOCUMENTS']).resolve()} (Ctrl-C stops)", err=True)
    with contextlib.suppress(KeyboardInterrupt):
        watch(changes, update, stop, settings["WATCH_QUIET"], settings["WATCH_RESCAN"])


@main.command("serve")
@_index_option
@_documents_option
@click.option("--host", default=None, help="Address to listen on [env ARCHIVE_HOST; default 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port to listen on [env ARCHIVE_PORT; default 8000].")
@click.option(
    "--workers",
    type=click.IntRange(*_WORKERS.bounds),
    default=None,
    help=f"Worker processes [env {_WORKERS.env}; default {_WORKERS.default}].",
)
@click.option(
    "--update", is_flag=True, help="First bring the index up to date with the documents folder, as `index` does."
)
@click.option(
    "--watch",
    "watching",
    is_flag=True,
    help="Keep the index up to date while serving, each change indexed as it happens (as `watch` does).",
)
def serve_command(
    index_dir: Path | None,
    documents: Path | None,
    host: str | None,
    port: int | None,
    workers: int | None,
    update: bool,
    watching: bool,
) -> None:
    """Serve the search page and the JSON API with gunicorn (building the index first if none exists)."""
    from .index.generations import index_exists, index_writable
    from .web.server import PortInUse, check_port, serve

    settings = _settings(INDEX=index_dir, DOCUMENTS=documents, HOST=host, PORT=port, WORKERS=workers)
    host, port = settings["HOST"], settings["PORT"]
    try:
        check_port(host, port)
    except PortInUse:
        raise UsageError(
            f"port {port} is already in use on {host}: choose another with --port (or ARCHIVE_PORT)"
        ) from None
    index_dir = Path(settings["INDEX"])
    if not index_writable(index_dir):
        if update or watching:
            raise UsageError(f"cannot update the index: {index_dir.resolve()} is read-only here")
        if not index_exists(index_dir):
            click.echo(
                f"No index in {index_dir.resolve()} yet, and it is read-only here: "
                "answering 503 until a build publishes one.",
                err=True,
            )
    elif (update and not watching) or not index_exists(index_dir):
        if not update:
            documents = Path(settings["DOCUMENTS"]).resolve()
            click.echo(f"No index in {index_dir.resolve()}: building it from {documents} first.", err=True)
        click.echo(run_build(settings).as_text(), err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving the archive at http://{shown}:{port}/ ({settings['WORKERS']} workers; Ctrl-C stops)", err=True)
    watcher = _start_watcher(settings) if watching else None
    try:
        # DOCUMENTS not given: the originals are those of the folder the index was built from.
        serve({**settings, "DOCUMENTS": documents})
    finally:
        if watcher is not None:
            watcher.terminate()
            watcher.wait(timeout=30)


def _start_watcher(settings: dict):
    """`archive-search watch` of the settings' folders, in a process of its own beside the server."""
    import subprocess

    folders = ("--documents", str(settings["DOCUMENTS"]), "--index", str(settings["INDEX"]))
    return subprocess.Popen(
        [sys.executable, "-m", "app", "watch", *folders, *(() if settings["OCR"] else ("--no-ocr",))]
    )


@main.command("check")
@_index_option
def check_command(index_dir: Path | None) -> None:
    """Check every file of the live index against its checksum, and name any that is damaged.

    Prints each file with its size, format and state. Exit status: 0 every file is as it was
    written, 1 a file is damaged or missing (rebuild with `index --full`), 2 usage error (no index).
    """
    from .index.checksums import check
    from .index.generations import current_generation

    index = Path(_settings(INDEX=index_dir)["INDEX"]).resolve()
    generation = current_generation(index)
    if generation is None:
        raise UsageError(f"no index in {index}: build it with `archive-search index`")

    report = check(generation)
    click.echo(report.as_text())
    for found in report.damaged:
        click.echo(f"archive-search check: {generation / found.listed.name}: {found.problem}", err=True)
    sys.exit(EXIT_DAMAGED if report.damaged else EXIT_OK)
