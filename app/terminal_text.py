"""A page of results as terminal text, laid out from the JSON API's answer.

``archive-search search`` prints the same lines whether it searched the index itself or asked a
running ``archive-search serve``: both have the API's answer (``render.result_json``) to print,
and this module reads nothing heavier than the standard library, so that a search through a
server does not load the search machinery at all. A snippet arrives as the API's HTML
(``render.snippet_html``): it is read back here into the text ``render.terminal`` writes from
the snippet itself (a test holds the two equal).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html.parser import HTMLParser

from .index.content import metadata_values

# How a match stands out: bold yellow on a terminal, [in brackets] in a file or a pipe.
_MARKS = {True: ("\x1b[1;33m", "\x1b[0m"), False: ("[", "]")}


def marked_text(text: str, spans: Iterable[tuple[int, int]], color: bool) -> str:
    """``text`` with each [start, end) of ``spans`` (in order, apart) marked for the terminal."""
    opening, closing = _MARKS[color]
    parts = []
    position = 0
    for start, end in spans:
        parts += [text[position:start], opening, text[start:end], closing]
        position = end
    parts.append(text[position:])
    return "".join(parts)


class _SnippetReader(HTMLParser):
    """A snippet's HTML read back into terminal text: ``<mark>`` marked, a table's rows a line
    each (their cells' dividers are text of the HTML already), every entity undone."""

    def __init__(self, color: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.opening, self.closing = _MARKS[color]
        self.parts: list[str] = []
        self.rows = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            self.parts.append(self.opening)
        elif tag == "span" and "row" in (dict(attrs).get("class") or "").split():
            self.parts.append("\n" if self.rows else "")
            self.rows += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.parts.append(self.closing)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def snippet_text(html: str, color: bool) -> str:
    """A snippet as the API gives it (HTML) as terminal text, as ``render.terminal`` writes it."""
    reader = _SnippetReader(color)
    reader.feed(html)
    reader.close()
    return "".join(reader.parts)


def metadata_lines(hit: Mapping, color: bool) -> list[str]:
    """Each metadata field the query matched in a result of the API's answer, with all its
    values as the document gives them, the matches marked: ``tags: [police] · protest``."""
    matched: dict[str, dict[int, list]] = {}
    for value in hit["metadata_matches"]:
        matched.setdefault(value["field"], {})[value["index"]] = value["spans"]
    values: dict[str, list[str]] = {}
    for field, value in metadata_values(hit):
        values.setdefault(field, []).append(value)
    return [
        f"{field}: "
        + " · ".join(marked_text(value, spans.get(number, ()), color) for number, value in enumerate(values[field]))
        for field, spans in matched.items()
    ]


def results_text(answer: Mapping, color: bool) -> str:
    """A page of results (the API's answer) as terminal text: how many, what else was searched,
    then each result's title, details, snippet, matched metadata and copies."""
    total = answer["total"]
    lines = [f"{total} result{'' if total == 1 else 's'} for {answer['query']!r} ({answer['took_ms']} ms)"]
    if answer["documents"] > total:
        lines[0] += f", copies shown once: {answer['documents']} documents (--all-copies lists each)"
    for item in answer["also_matched"]:
        # As the search page says it: another script matched, a translation searched (the
        # other forms only: the form typed is in the line above).
        said = "Also searched" if item["kind"] == "glossary" else "Also matched"
        lines.append(f"{said}: {' · '.join(item['forms'])}")
    if answer["suggestion"]:
        lines.append(f"Did you mean: {answer['suggestion']}")
    for rank, hit in enumerate(answer["results"], (answer["page"] - 1) * answer["per_page"] + 1):
        title = f"\x1b[1m{hit['title']}\x1b[0m" if color else hit["title"]
        details = [hit["id"], ", ".join(hit["languages"])]
        if hit["date"]:
            details.append(hit["date"][:10])
        if hit["page"]:
            details.append(f"p. {hit['page']}")
        lines += ["", f"{rank:>3}. {title}", f"     {' · '.join(details)}"]
        lines += [f"     {line}" for line in snippet_text(hit["snippet"], color).split("\n")]
        lines += [f"     {line}" for line in metadata_lines(hit, color)]
        if hit["copies_total"]:
            shown = " · ".join(item["id"] for item in hit["copies"])
            more = " …" if hit["copies_total"] > len(hit["copies"]) else ""
            copies = f"cop{'y' if hit['copies_total'] == 1 else 'ies'}"
            lines.append(f"     also in {hit['copies_total']} {copies}: {shown}{more}")
    return "\n".join(lines)
