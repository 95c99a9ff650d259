"""Markdown's inline markup is read paragraph by paragraph, and a paragraph too long to read in
reasonable time is kept as written: pinned against markdown-it-py's own whole pass, which must
give the same text for every file under the size, and bounded for hostile input."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from app.ingest.markdown import MAX_INLINE_CHARS, render

from ..support import DATA

TRICKY = """# Heading with *emphasis* and `code`

A [link][ref] and an ![image of 人權](pic.png), \\*escaped\\*, &amp; &copy; entities,
a hard break\\
and a soft one; **strong _nested_ emphasis**, ~~struck~~, <span>inline html</span>.

| 名字 | Name |
|---|---|
| 鄒幸彤 | Chow Hang-tung |

> quoted [inline link](https://example.org "title") text

[ref]: https://example.org/ref
"""


def library_text(body: str) -> str:
    """The text of ``body`` as markdown-it-py's own whole pass gives each inline token's, read
    as the archive reads inline tokens, blocks a blank line apart."""
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

    def text(children) -> str:
        parts = []
        for child in children:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append("\n")
            elif child.type == "image":
                parts.append(text(child.children or []))
        return "".join(parts)

    blocks = []
    for token in parser.parse(body):
        if token.type == "inline":
            block = text(token.children or []).strip()
        elif token.type in ("fence", "code_block"):
            block = token.content.rstrip()
        else:
            continue
        if block:
            blocks.append(block)
    return "\n\n".join(blocks)


@pytest.mark.parametrize(
    "body",
    [TRICKY, *(path.read_text(encoding="utf-8") for path in sorted((DATA / "corpus").rglob("*.md")))],
)
def test_the_text_is_the_librarys_own(body):
    assert render(body)[0] == library_text(body)


def test_a_paragraph_past_the_bound_is_kept_as_written():
    brackets = "[" * (MAX_INLINE_CHARS + 1) + "人權" + "]" * 10
    text, _heading = render(f"Before.\n\n{brackets}\n\nAfter *this*.")
    assert text == f"Before.\n\n{brackets}\n\nAfter this."
