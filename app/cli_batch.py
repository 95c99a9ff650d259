"""``archive-search batch``: a list of queries searched at once, with the options of a search,
printed as terminal text, the JSON API's answer or CSV."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlencode

import click

from .cli import _SEARCH_OPTIONS, EXIT_OK, UsageError, _index_option, _settings, main
from .cli_search import _document_path, _given
from .messages import english

# The options of `batch` by the parameter each one is (a search's, but its page).
_BATCH_OPTIONS = {name: option for name, option in _SEARCH_OPTIONS.items() if name != "page"}


@main.command("batch")
@click.argument("file", metavar="FILE")
@_index_option
@click.option(
    "--format",
    "answer_format",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="text: a line per query, its count and first ids; json: as POST /api/batch; csv: a row per document.",
)
@click.option("--limit", metavar="N", help="How many documents to give for each query: 1 to MAX_PER_PAGE [default 5].")
@click.option("--lang", multiple=True, metavar="LANG", help="Only documents in this language; repeatable.")
@click.option("--year", multiple=True, metavar="YYYY", help="Only documents of this year, or undated; repeatable.")
@click.option("--author", multiple=True, metavar="NAME", help="Only documents by this author or source; repeatable.")
@click.option("--tag", multiple=True, metavar="TAG", help="Only documents with this tag; repeatable.")
@click.option(
    "--concept",
    multiple=True,
    metavar="ID",
    help="Only documents naming this glossary concept (jimmy-lai, national-security-law...); repeatable: every one.",
)
@click.option("--sort", metavar="ORDER", help="relevance (the default), -date (newest first) or date (oldest first).")
@click.option("--from", "from", metavar="DATE", help="Only documents whose date may fall on or after DATE.")
@click.option("--to", "to", metavar="DATE", help="Only documents whose date may fall on or before DATE.")
@click.option("--no-translations", is_flag=True, help="Search only the words as typed (the API's expand=0).")
@click.option("--exact", is_flag=True, help="Only the characters as typed (the API's exact=1).")
def batch_command(
    file: str, index_dir: Path | None, answer_format: str, no_translations: bool, exact: bool, **options
) -> None:
    """Search each query of a list in FILE as `search` does, with the same options for all.

    FILE holds a query a line, or CSV: the queries in its first column, labels in the second
    (- reads standard input). Blank lines and a header row query,label are skipped; a file named .csv is read as CSV. A
    line that cannot be searched is named with its reason, and the others run. Exit status: 0
    the list was searched (whatever each query found), 2 usage error (a file that cannot be read,
    a list too long, a bad option, or no index).
    """
    # Imported here: `index`, run again and again by scripts, does not load the query machinery.
    from .batch_formats import batch_csv, batch_json, batch_terminal
    from .index.readers import IndexMissing, LiveIndex
    from .query.parse import QueryError
    from .service.batch import CSV, decode_list, read_list, run_batch

    settings = _settings(INDEX=index_dir)
    given = {name: _given(options[option.lstrip("-")]) for name, option in _BATCH_OPTIONS.items()}
    given |= {"expand": ["0"] if no_translations else [], "exact": ["1"] if exact else []}
    live = LiveIndex(Path(settings["INDEX"]).resolve())
    try:
        text = decode_list(_read(file, settings["BATCH_BYTES"]))
        queries = read_list(text, CSV if file.casefold().endswith(".csv") else None)
        limits = {"max_chars": settings["MAX_QUERY_CHARS"], "max_terms": settings["MAX_TERMS"]}
        # As `search`, a query has no time limit here; the whole list has BATCH_SECONDS.
        result = run_batch(
            live, queries, given, settings, **limits, batch_seconds=settings["BATCH_SECONDS"], names=_BATCH_OPTIONS
        )
    except (QueryError, IndexMissing) as error:
        raise UsageError(str(error)) from None
    finally:
        live.close()
    if answer_format == "json":
        click.echo(json.dumps(batch_json(result, _document_path, _search_path), ensure_ascii=False, indent=2))
    elif answer_format == "csv":
        for piece in batch_csv(result, _document_path):
            click.echo(piece, nl=False)
    else:
        click.echo(batch_terminal(result))
    sys.exit(EXIT_OK)


def _read(file: str, limit: int) -> bytes:
    """The bytes of ``file`` (``-``: standard input), at most ``limit``; a clear refusal else."""
    try:
        if file == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open(file, "rb") as handle:
                data = handle.read(limit + 1)
    except FileNotFoundError:
        raise UsageError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{file}: a folder, not a file") from None
    except OSError as error:
        raise UsageError(f"{file}: cannot be read ({error.strerror or error})") from None
    if len(data) > limit:
        raise UsageError(f"{file}: {english('batch_too_large', {'limit': limit})}")
    return data


def _search_path(request) -> str:
    """The full search of a query, as the API links it."""
    from .batch_formats import search_params

    return f"/search?{urlencode(search_params(request), doseq=True)}"
