"""``archive-search search``: a search from the command line, with the options of the API's
parameters, printed as the terminal, the JSON API or an export shows it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

import click

from .cli import (
    _MAX_PER_PAGE,
    _PER_PAGE,
    _SEARCH_OPTIONS,
    EXIT_FAILED,
    EXIT_NOTHING_FOUND,
    EXIT_OK,
    UsageError,
    _index_option,
    _settings,
    main,
)
from .config import setting
from .terminal_text import results_text

# What `search` prints: a page of results (text, json), or every match as an export.
EXPORTS = ("csv", "jsonl", "ris")
SHAPES = ("text", "json", *EXPORTS)
_EXPORT_MAX = setting("EXPORT_MAX")
_SERVER = setting("SERVER")


class ServerUnavailable(click.ClickException):
    """The server ``search`` was to ask did not answer, or could not search; exits with
    ``EXIT_FAILED``."""

    exit_code = EXIT_FAILED


@main.command("search")
@click.argument("query")
@_index_option
@click.option(
    "--server",
    metavar="URL",
    default=None,
    help=(
        "Ask the archive-search serve running at URL (http://HOST:PORT), which answers at once, "
        "instead of opening the index; what it refuses is named as the API names it (per_page for --limit) "
        f"[env {_SERVER.env}; --index searches the index itself]."
    ),
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as the JSON API returns them (--format json).")
@click.option(
    "--format",
    "shape",
    type=click.Choice(SHAPES),
    metavar="FORMAT",
    default=None,
    help=(
        "text (the default), json (as --json), or every match, not a page, as csv, jsonl or ris "
        f"(as /api/export; refused past {_EXPORT_MAX.default:,} matches, or {_EXPORT_MAX.env})."
    ),
)
@click.option(
    "--limit",
    metavar="N",
    help=(
        f"How many results to print: 1 to {_MAX_PER_PAGE.default} (or {_MAX_PER_PAGE.env}) "
        f"[env {_PER_PAGE.env}; default {_PER_PAGE.default}]."
    ),
)
@click.option("--page", metavar="N", help="Which page of results [default 1].")
@click.option(
    "--lang",
    multiple=True,
    metavar="LANG",
    help="Only documents in this language, one the archive has (en, zh, zh-Hans, zh-Hant...); repeatable.",
)
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
@click.option(
    "--from",
    "from",
    metavar="DATE",
    help="Only documents whose date may fall on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).",
)
@click.option(
    "--to",
    "to",
    metavar="DATE",
    help="Only documents whose date may fall on or before DATE (YYYY, YYYY-MM or YYYY-MM-DD).",
)
@click.option(
    "--no-translations",
    is_flag=True,
    help="Search only the words as typed, not the glossary's other names for them (the API's expand=0).",
)
@click.option(
    "--all-copies",
    is_flag=True,
    help="Every copy of a document as a result of its own, not one result per group of copies (the API's dedupe=0).",
)
@click.option(
    "--exact",
    is_flag=True,
    help="Only the characters as typed: 人权 finds 人权, not 人權; no translations (the API's exact=1).",
)
def search_command(
    query: str,
    index_dir: Path | None,
    server: str | None,
    as_json: bool,
    shape: str | None,
    no_translations: bool,
    exact: bool,
    all_copies: bool,
    **options,
) -> None:
    """Print the results for QUERY: title, id and snippet, as the JSON API finds them.

    With --format csv, jsonl or ris, every match (not a page: --limit and --page play no part)
    is written as /api/export writes it. QUERY is one argument: quote it when it holds spaces,
    and put -- before it when it starts with a minus sign. Exit status: 0 results found, 1 no
    document matches, 2 usage error (a bad query or option, which the message explains, or no
    index), 3 the server named by --server did not answer or could not search.

    With --server (or ARCHIVE_SERVER) the running server searches its own index and this
    command prints its answer as it prints its own.
    """
    if server and index_dir:
        raise UsageError("give --index or --server, not both: a server searches the index it serves")
    shape = _shape(shape, as_json)
    settings = _settings(INDEX=index_dir, SERVER=server)
    given = {name: _given(options[option.lstrip("-")]) for name, option in _SEARCH_OPTIONS.items()}
    given |= {"q": [query], "expand": ["0"] if no_translations else [], "exact": ["1"] if exact else []}
    given["dedupe"] = ["0"] if all_copies else []
    if settings["SERVER"] and index_dir is None:
        _ask_server(settings["SERVER"], given, shape)
    # Imported here: `index`, run again and again by scripts, and a search a server answers do
    # not load the query machinery.
    from . import render
    from .index.readers import IndexMissing, LiveIndex
    from .query.parse import QueryError
    from .service.params import search_request
    from .service.search import search

    # A path that shows where the index was looked for, whatever the working directory.
    live = LiveIndex(Path(settings["INDEX"]).resolve(), one_search=True)
    try:
        request = search_request(given, settings, require_query=False, names=_SEARCH_OPTIONS)
        limits = {"max_chars": settings["MAX_QUERY_CHARS"], "max_terms": settings["MAX_TERMS"]}
        if shape in EXPORTS:
            sys.exit(EXIT_OK if _export(live, request, shape, settings["EXPORT_MAX"], limits) else EXIT_NOTHING_FOUND)
        result = search(live, request, **limits, names=_SEARCH_OPTIONS)
    except (QueryError, IndexMissing) as error:
        raise UsageError(str(error)) from None
    finally:
        live.close()
    _print_answer(render.result_json(result, _document_path), shape)


def _ask_server(server: str, given: dict[str, list[str]], shape: str) -> None:
    """Ask the running ``server`` for the search ``given`` (the API's parameters) and print its
    answer as ``shape``; exits."""
    from . import remote

    try:
        remote.check_address(server)
    except ValueError as error:
        raise UsageError(f"--server: {error}") from None
    params = [(name, value) for name, values in given.items() for value in values]
    try:
        if shape in EXPORTS:
            sys.stdout.flush()
            total = remote.export(server, [*params, ("format", shape)], sys.stdout.buffer.write)
            sys.stdout.buffer.flush()
            sys.exit(EXIT_OK if total else EXIT_NOTHING_FOUND)
        answer = remote.search(server, params)
    except remote.ServerError as error:
        # A request the server refuses as given (400) is a usage error, as it is without it.
        raise (UsageError if error.status == 400 else ServerUnavailable)(str(error)) from None
    _print_answer(answer, shape)


def _print_answer(answer: dict, shape: str) -> None:
    """Print a page of results (the API's answer) as JSON or terminal text; exits with
    ``EXIT_NOTHING_FOUND`` when no document matched."""
    if shape == "json":
        click.echo(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        click.echo(results_text(answer, color=sys.stdout.isatty()))
    sys.exit(EXIT_OK if answer["total"] else EXIT_NOTHING_FOUND)


def _shape(shape: str | None, as_json: bool) -> str:
    """What to print: ``--format``, or json for ``--json``; both only when they agree."""
    if as_json and shape not in (None, "json"):
        raise UsageError(f"--json prints JSON: give it or --format {shape}, not both")
    return "json" if as_json else shape or "text"


def _export(live, request, shape: str, most: int, limits: dict) -> int:
    """Write every match of ``request`` to stdout as the export ``shape`` (csv, jsonl, ris)
    writes it, as its bytes (UTF-8); how many there were. More than ``most`` is refused."""
    from .export_formats import export_format, joined
    from .render import snippet_text
    from .service.export import open_export

    kind = export_format(shape, "--format")
    sys.stdout.flush()
    stdout = sys.stdout.buffer  # the export's own bytes, whatever the terminal's encoding
    rows = {"document_url": _document_path, "snippet_text": snippet_text, "limit": most, "names": _SEARCH_OPTIONS}
    with open_export(live, request, **rows, **limits) as export:
        for piece in joined(kind.write(export.rows())):
            stdout.write(piece.encode("utf-8"))
    stdout.flush()
    return export.total


def _given(value: str | tuple[str, ...] | None) -> list[str]:
    """An option's values as the API's parameter would hold them."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _document_path(doc_id: str, params: dict[str, str]) -> str:
    """A result's link to its document page, as the API gives it (``params``: what decides the marks)."""
    return f"/documents/{quote(doc_id)}" + (f"?{urlencode(params)}" if params else "")
