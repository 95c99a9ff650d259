"""Markdown files with optional YAML front matter (title, date, author, tags, url, language).

The body is text, not markup: markdown-it-py (CommonMark, with tables and strikethrough) reads
it, and the document's text is what a reader of the rendered page reads. Each heading,
paragraph, list item, quoted paragraph, code block and table cell is a paragraph of its own, a
blank line between two; inline markup goes (emphasis markers, link syntax but the link's text,
an image but its description, inline code's backticks, HTML tags), and a line break inside a
paragraph stays where the file has it. The original file is what a download gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .extracted import Extracted, from_mapping
from .yamlmeta import parse_yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
# Inline markup is read paragraph by paragraph (below), not by the parser's own pass over them all.
_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).disable(["inline", "text_join"])
# A paragraph longer than this is read as it is written, its inline markup left as text: reading
# brackets and emphasis takes time that grows with the square of a paragraph's length (a
# paragraph of 400,000 brackets took 7 s), and a file is hostile input.
MAX_INLINE_CHARS = 20_000
# Tags and comments of raw HTML in a Markdown file: markup, not text.
_HTML_MARKUP = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
PARAGRAPH_BREAK = "\n\n"


def read_markdown(text: str) -> Extracted:
    """The body as text (``rendered``) and the metadata of the front matter; a document without
    a title there takes its first heading's.

    Front matter that is not valid YAML is still split off (it is not the document's text);
    the keys that read on their own are kept, and a warning names what was wrong.
    """
    match = _FRONT_MATTER.match(text)
    body = text[match.end() :] if match else text
    rendered, heading = render(body)
    if not match:
        return Extracted(rendered, title=heading)
    parsed = parse_yaml(match.group(1), first_line=2)
    extracted = from_mapping(rendered, parsed.values)
    if not extracted.title:
        extracted.title = heading
    if parsed.problem is not None:
        extracted.warnings.append(f"front matter is {parsed.describe()}")
    return extracted


def render(body: str) -> tuple[str, str | None]:
    """The text of a Markdown body, its blocks a blank line apart, and its first heading's text
    (None without one)."""
    blocks: list[str] = []
    heading = None
    env: dict = {}  # what the blocks define (link references), for the inline markup
    tokens = _PARSER.parse(body, env)
    for number, token in enumerate(tokens):
        if token.type == "inline":
            text = "".join(_inline_text(_inline(token, env))).strip()
            if heading is None and number and tokens[number - 1].type == "heading_open":
                heading = " ".join(text.split()) or None
        elif token.type in ("fence", "code_block"):
            text = token.content.rstrip()
        elif token.type == "html_block":
            text = _HTML_MARKUP.sub("", token.content).strip()
        else:
            continue
        if text:
            blocks.append(text)
    return PARAGRAPH_BREAK.join(blocks), heading


def _inline(token: Token, env: dict) -> list[Token]:
    """The inline tokens of a paragraph (or heading, or cell): its text as written when it is
    longer than ``MAX_INLINE_CHARS``."""
    if len(token.content) > MAX_INLINE_CHARS:
        return [Token("text", "", 0, content=token.content)]
    children: list[Token] = []
    _PARSER.inline.parse(token.content, _PARSER, env, children)
    return children


def _inline_text(children: list[Token]) -> Iterator[str]:
    """What a reader reads of inline tokens: their text, an image's description, line breaks."""
    for child in children:
        if child.type in ("text", "text_special", "code_inline"):
            yield child.content
        elif child.type in ("softbreak", "hardbreak"):
            yield "\n"
        elif child.type == "image":
            yield from _inline_text(child.children or [])
