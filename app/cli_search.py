"""``archive-search search``: a search from the command line, with the options of the API's
parameters, printed as the terminal, the JSON API or an export shows it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

import click

from .cli import (
    _MAX_PER_PAGE,
    _PER_PAGE,
    _SEARCH_OPTIONS,
    EXIT_NOTHING_FOUND,
    EXIT_OK,
    UsageError,
    _index_option,
    _settings,
    main,
)
from .config import setting

if TYPE_CHECKING:
    from .service.results import SearchResult

# What `search` prints: a page of results (text, json), or every match as an export.
EXPORTS = ("csv", "jsonl", "ris")
SHAPES = ("text", "json", *EXPORTS)
_EXPORT_MAX = setting("EXPORT_MAX")


@main.command("search")
@click.argument("query")
@_index_option
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
    index).
    """
    # Imported here: `index`, run again and again by scripts, does not load the query machinery.
    from . import render
    from .index.readers import IndexMissing, LiveIndex
    from .query.parse import QueryError
    from .service.params import search_request
    from .service.search import search

    shape = _shape(shape, as_json)
    settings = _settings(INDEX=index_dir)
    given = {name: _given(options[option.lstrip("-")]) for name, option in _SEARCH_OPTIONS.items()}
    given |= {"q": [query], "expand": ["0"] if no_translations else [], "exact": ["1"] if exact else []}
    given["dedupe"] = ["0"] if all_copies else []
    # A path that shows where the index was looked for, whatever the working directory.
    live = LiveIndex(Path(settings["INDEX"]).resolve())
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
    if shape == "json":
        click.echo(json.dumps(render.result_json(result, _document_path), ensure_ascii=False, indent=2))
    else:
        click.echo(_results_text(result, color=sys.stdout.isatty()))
    sys.exit(EXIT_OK if result.total else EXIT_NOTHING_FOUND)


def _results_text(result: SearchResult, color: bool) -> str:
    """A page of results as terminal text: how many, then each hit's title, details and snippet."""
    from . import render

    request = result.request
    lines = [f"{result.total} result{'' if result.total == 1 else 's'} for {request.q!r} ({result.took_ms} ms)"]
    if result.documents > result.total:
        lines[0] += f", copies shown once: {result.documents} documents (--all-copies lists each)"
    for item in result.also_matched:
        # As the search page says it: another script matched, a translation searched (the
        # other forms only: the form typed is in the line above).
        said = "Also searched" if item.kind == "glossary" else "Also matched"
        lines.append(f"{said}: {' · '.join(item.forms)}")
    if result.suggestion:
        lines.append(f"Did you mean: {result.suggestion}")
    for rank, hit in enumerate(result.hits, (request.page - 1) * request.per_page + 1):
        title = f"\x1b[1m{hit.title.text}\x1b[0m" if color else hit.title.text
        details = [hit.id, ", ".join(hit.language_tags)]
        if hit.record.get("date"):
            details.append(hit.record["date"][:10])
        if hit.page:
            details.append(f"p. {hit.page}")
        lines += ["", f"{rank:>3}. {title}", f"     {' · '.join(details)}"]
        lines += [f"     {line}" for line in render.terminal(hit.snippet, color).split("\n")]
        for field, values in hit.metadata_matches.items():
            lines.append(f"     {field}: {' · '.join(render.terminal_marked(value, color) for value in values)}")
        if hit.copies.total:
            shown = " · ".join(item.id for item in hit.copies.shown)
            more = " …" if hit.copies.total > len(hit.copies.shown) else ""
            lines.append(f"     also in {hit.copies.total} cop{'y' if hit.copies.total == 1 else 'ies'}: {shown}{more}")
    return "\n".join(lines)


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
