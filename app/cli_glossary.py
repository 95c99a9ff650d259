"""``archive-search glossary``: help for the glossary's editor. ``candidates`` lists the names the
archive mentions often that no concept holds; it suggests, and never changes the glossary."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli import EXIT_OK, UsageError, _index_option, _settings, main

# How many example documents the text table shows.
_EXAMPLES = 3


@main.group("glossary")
def glossary_group() -> None:
    """Help for the glossary's editor: names the archive mentions that the glossary lacks."""


@glossary_group.command("candidates")
@_index_option
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    metavar="N",
    default=50,
    show_default=True,
    help="Names of each kind to list.",
)
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    metavar="N",
    default=3,
    show_default=True,
    help="Fewest mentions a name needs to be listed.",
)
@click.option(
    "--max-documents",
    type=click.IntRange(min=1),
    metavar="N",
    default=None,
    help="Most documents read; a larger archive is sampled evenly [default 20,000].",
)
@click.option(
    "--format",
    "answer_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a table of names; json: a list of objects.",
)
def candidates_command(
    index_dir: Path | None, limit: int, min_count: int, max_documents: int | None, answer_format: str
) -> None:
    """List names the archive mentions often that no glossary concept holds.

    English capitalised names and Chinese words that stand apart, rare in general language,
    each with its mentions, its documents and example document ids, the English first. The
    glossary (app/glossary/terms.yaml) is only read. Exit status: 0 listed (even none), 2 usage
    error (a bad option, or no index).
    """
    # Imported here: the other commands load neither the general word lists nor the method.
    from .index.readers import IndexMissing, LiveIndex
    from .service.candidates import MAX_DOCUMENTS, suggest

    settings = _settings(INDEX=index_dir)
    live = LiveIndex(Path(settings["INDEX"]).resolve())
    try:
        found = suggest(live, limit=limit, min_count=min_count, max_documents=max_documents or MAX_DOCUMENTS)
    except IndexMissing as error:
        raise UsageError(str(error)) from None
    except ModuleNotFoundError as error:
        # The general word lists are an extra: serving and searching do without them.
        raise UsageError(
            f"the glossary's tools need {error.name}, which is not installed: "
            "pip install 'archive-search[glossary]' (make test installs it)"
        ) from None
    finally:
        live.close()
    if answer_format == "json":
        rows = [
            {
                "name": item.name,
                "kind": item.kind,
                "mentions": item.mentions,
                "documents": item.documents,
                "examples": list(item.examples),
                "forms": list(item.forms),
            }
            for item in found.candidates
        ]
        answer = {"read": found.read, "documents": found.documents, "candidates": rows}
        click.echo(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        click.echo(candidates_table(found.candidates, found.read, found.documents))
    sys.exit(EXIT_OK)


def candidates_table(candidates, read: int, documents: int) -> str:
    """The candidates as a table for the terminal: name, kind, mentions, documents, examples."""
    sampled = f" (a sample of {read:,} of {documents:,})" if read < documents else ""
    lines = [f"{len(candidates)} candidate names from {read:,} documents{sampled}; the glossary is unchanged."]
    if not candidates:
        return lines[0]
    width = max(8, *(_width(item.name) for item in candidates))
    lines.append(f"{'name':<{width}}  kind  mentions  documents  examples")
    for item in candidates:
        pad = " " * (width - _width(item.name))
        examples = ", ".join(item.examples[:_EXAMPLES])
        lines.append(f"{item.name}{pad}  {item.kind:<4}  {item.mentions:>8}  {item.documents:>9}  {examples}")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal: a Han character takes two."""
    return sum(
        2 if "\u2e80" <= char <= "\ua4cf" or "\uf900" <= char <= "\ufaff" or char > "\uffff" else 1 for char in text
    )
