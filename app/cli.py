"""The ``archive-search`` command: index, serve, search. Thin wrappers over library calls."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

import click

from . import config as settings_table
from . import render
from .index.build import build
from .index.generations import IndexLocked, index_exists, index_writable
from .index.readers import IndexMissing, LiveIndex
from .index.report import BuildError, BuildReport
from .query.parse import QueryError
from .service.results import SearchRequest
from .service.search import search
from .version import __version__

# Exit statuses of `archive-search index` (click itself exits with 2 on a usage error).
EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3
_WORKERS = settings_table.setting("WORKERS")


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archive-search")
def main() -> None:
    """Search an archive of human-rights documents in English and Chinese."""


@main.command("index")
@_documents_option
@_index_option
@click.option("--full", is_flag=True, help="Rebuild from scratch instead of updating what changed.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the report as JSON (per file: path, status, reason, languages)."
)
def index_command(documents: Path | None, index_dir: Path | None, full: bool, as_json: bool) -> None:
    """Build or update the index from the documents folder.

    Exit status: 0 every file indexed, 1 some files skipped (the rest are indexed), 2 usage
    error, 3 the index could not be written (the previous one is still served).
    """
    settings = _settings(DOCUMENTS=documents, INDEX=index_dir)
    report = run_build(settings, full=full, quiet=as_json)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(summary(report))
    sys.exit(EXIT_SKIPPED if report.count("skipped") else EXIT_OK)


def run_build(settings: dict, *, full: bool = False, quiet: bool = False) -> BuildReport:
    """Build the index the settings name, with a progress bar on a terminal."""
    documents = Path(settings["DOCUMENTS"])
    if not documents.is_dir():
        raise UsageError(f"documents directory not found: {documents}")
    bar = None
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit="file", desc="indexing", file=sys.stderr, leave=False)

    def progress(report, done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.update(1)

    try:
        return build(
            documents,
            Path(settings["INDEX"]),
            full=full,
            procs=settings["INDEX_PROCS"],
            max_file_bytes=int(settings["MAX_FILE_MB"] * 1_000_000),
            lock_timeout=settings["LOCK_TIMEOUT"],
            grace=settings["GENERATION_GRACE"],
            progress=progress,
        )
    except (IndexLocked, BuildError) as error:
        click.echo(f"archive-search index: {error}", err=True)
        sys.exit(EXIT_FAILED)
    finally:
        if bar is not None:
            bar.close()


def summary(report: BuildReport) -> str:
    """The report as people read it: counts, then every skipped file and every warning."""
    counts = ", ".join(
        f"{report.count(status)} {status}" for status in ("added", "changed", "removed", "unchanged", "skipped")
    )
    where = f" into {report.generation}" if report.generation else ""
    lines = [
        f"Indexed {report.indexed} files{where} ({report.documents} documents) in {report.seconds:.1f} s: {counts}."
    ]
    lines += [f"Note: {note}" for note in report.notes]
    skipped = [item for item in report.files if item.status == "skipped"]
    if skipped:
        lines.append(f"Skipped {len(skipped)} files:")
        lines += [f"  {item.path}: {item.reason}" for item in skipped]
    warned = [item for item in report.files if item.warnings]
    if warned:
        lines.append("Warnings:")
        lines += [f"  {item.path}: {warning}" for item in warned for warning in item.warnings]
    return "\n".join(lines)


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
def serve_command(
    index_dir: Path | None,
    documents: Path | None,
    host: str | None,
    port: int | None,
    workers: int | None,
    update: bool,
) -> None:
    """Serve the search page and the JSON API with gunicorn (building the index first if none exists)."""
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
        if update:
            raise UsageError(f"cannot update the index: {index_dir.resolve()} is read-only here")
        if not index_exists(index_dir):
            click.echo(
                f"No index in {index_dir.resolve()} yet, and it is read-only here: "
                "answering 503 until a build publishes one.",
                err=True,
            )
    elif update or not index_exists(index_dir):
        if not update:
            click.echo(f"No index in {settings['INDEX']}: building it from {settings['DOCUMENTS']} first.", err=True)
        click.echo(summary(run_build(settings)), err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving the archive at http://{shown}:{port}/ ({settings['WORKERS']} workers; Ctrl-C stops)", err=True)
    serve(settings)


@main.command("search")
@click.argument("query")
@_index_option
@click.option("--json", "as_json", is_flag=True, help="Print the results as the JSON API returns them.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="How many results to print.")
@click.option("--page", type=click.IntRange(1, 100_000), default=1, show_default=True, help="Which page of results.")
@click.option("--lang", multiple=True, help="Only documents in this language (en, zh, zh-Hans, zh-Hant); repeatable.")
def search_command(
    query: str, index_dir: Path | None, as_json: bool, limit: int, page: int, lang: tuple[str, ...]
) -> None:
    """Print the top results for QUERY: title, id and snippet."""
    settings = _settings(INDEX=index_dir)
    live = LiveIndex(Path(settings["INDEX"]))
    try:
        result = search(
            live,
            SearchRequest(q=query, page=page, per_page=limit, lang=lang),
            max_chars=settings["MAX_QUERY_CHARS"],
            max_terms=settings["MAX_TERMS"],
        )
    except (QueryError, IndexMissing) as error:
        raise UsageError(str(error)) from None
    finally:
        live.close()
    if as_json:
        click.echo(json.dumps(render.result_json(result, _document_path), ensure_ascii=False, indent=2))
        return
    click.echo(f"{result.total} results for {query!r} ({result.took_ms} ms)")
    for item in result.also_matched:
        click.echo(f"Also matched: {' · '.join((item.matched, *item.forms))}")
    if result.suggestion:
        click.echo(f"Did you mean: {result.suggestion}")
    color = sys.stdout.isatty()
    for rank, hit in enumerate(result.hits, (page - 1) * limit + 1):
        click.echo("")
        title = hit.title.text
        click.echo(f"{rank:>3}. {click.style(title, bold=True) if color else title}")
        details = [hit.id, ", ".join(hit.language_tags)]
        if hit.record.get("date"):
            details.append(hit.record["date"][:10])
        if hit.page:
            details.append(f"p. {hit.page}")
        click.echo(f"     {' · '.join(details)}")
        click.echo(f"     {render.terminal(hit.snippet, color)}")
        for field, values in hit.metadata_matches.items():
            click.echo(f"     {field}: {' · '.join(render.terminal_marked(value, color) for value in values)}")


def _document_path(doc_id: str, query: str) -> str:
    return f"/documents/{quote(doc_id)}?{urlencode({'q': query})}"
