"""A table's text: each row a line, the cells of a row apart.

The readers of tables (.csv, .tsv, .xlsx, .ods) join the cells of a row with ``CELL``, the
unit separator U+001F, and turn any the cells themselves hold into spaces. Everything that
reads such a text takes the rule from here: the analysis reads ``CELL`` as a boundary (no phrase
runs from one cell into the next), and the snippet and the document page show a text that holds
it as rows of cells, so that the character itself never reaches a reader.
"""

from __future__ import annotations

# The unit separator: what stands between two cells of a row.
CELL = "\x1f"


def is_table(text: str) -> bool:
    """True when ``text`` (a document's, a page's or a line's) holds a table's rows of cells."""
    return CELL in text
