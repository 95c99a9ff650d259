"""The article of a web page: its main text as trafilatura extracts it, and the day it states.

trafilatura leaves out what surrounds an article (menus, share buttons, cookie banners, related
and most-read lists, asides, footers) and reads the page's title, author and site name.
It read pages made in the manner of Hong Kong's Chinese news sites better than readability-lxml
did (``python -m bench.html_extract`` prints the figures). The date is htmldate's, searched only where
a page states one (its metadata, JSON-LD, a date or time element) and not in the lists of other
articles, each with its own date.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

# The blocks of trafilatura's output, each a paragraph; ``lb`` is a line break inside one.
_BLOCKS = frozenset(["p", "head", "item", "quote", "code", "cell", "list", "table", "row", "div"])
# A page holding more elements than this after extraction is read as its visible text.
_MAX_TREE = 20_000
# Where a page lists other articles, or navigates: no date of the article's own is there.
_ELSEWHERE = "//aside|//nav|//footer|//*[re:test(@class, '{0}', 'i') or re:test(@id, '{0}', 'i')]".format(
    "related|recommend|popular|sidebar|ranking|latest|trending|widget|more-?news|also"
)


@dataclass(frozen=True)
class MainText:
    """An article as trafilatura finds it in a page: its text in paragraphs, and the title,
    author and site name it reads from the page (None when not found)."""

    text: str
    title: str | None = None
    author: str | None = None
    site: str | None = None


def find_main_text(page: str) -> MainText | None:
    """The article of ``page``, or None when trafilatura finds none (a page of links)."""
    import trafilatura

    _quiet()
    try:
        found = trafilatura.bare_extraction(
            page,
            with_metadata=True,
            include_comments=False,
            # Precision: a short article is not padded with the page's menus and lists.
            favor_precision=True,
            # Its date is not used (``stated_date`` searches fewer places); this search is brief.
            date_extraction_params={"extensive_search": False, "original_date": True},
            config=_settings(),
        )
    # The page is hostile input, and the extractor's parsers raise whatever they meet.
    except Exception:
        return None
    if found is None or found.body is None:
        return None
    text = _paragraphs(found.body)
    if not text.strip():
        return None
    return MainText(text, found.title, found.author, found.sitename)


def stated_date(page: str) -> str | None:
    """The day (YYYY-MM-DD) ``page`` says it was published, where it says so (its metadata,
    JSON-LD, a date or time element), not counting lists of other articles; None when it says
    none. A day its text mentions, or a footer's copyright year, is no such statement."""
    from htmldate import find_date
    from lxml import etree
    from trafilatura.utils import load_html

    _quiet()
    try:
        tree = load_html(page)
        if tree is None:
            return None
        for element in etree.XPath(_ELSEWHERE, namespaces={"re": "http://exslt.org/regular-expressions"})(tree):
            element.drop_tree()
        return find_date(tree, extensive_search=False, original_date=True)
    # As above: any error of a parser is a page with no date found.
    except Exception:
        return None


def _quiet() -> None:
    """trafilatura and htmldate warn of pages ("discarding data"): the archive reports a page
    in its own way."""
    for name in ("trafilatura", "htmldate"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


@cache
def _settings():
    """trafilatura's settings, with the archive's bound on the size of what it extracts."""
    from trafilatura.settings import use_config

    settings = use_config()
    settings.set("DEFAULT", "MAX_TREE_SIZE", str(_MAX_TREE))
    return settings


def _paragraphs(body) -> str:
    """trafilatura's output tree as text: a blank line between blocks, ``<lb/>`` a line break,
    each line trimmed."""
    from lxml import etree

    parts: list[str] = []
    # Walked, not recursed into: a hostile page nests as deep as its parser lets it.
    for event, element in etree.iterwalk(body, events=("start", "end")):
        if element.tag in _BLOCKS:
            parts.append("\n\n")
        if event == "start":
            parts.append("\n" if element.tag == "lb" else "")
            parts.append(element.text or "")
        elif element is not body:
            parts.append(element.tail or "")
    lines = "\n".join(line.strip(" \t") for line in "".join(parts).splitlines())
    while "\n\n\n" in lines:
        lines = lines.replace("\n\n\n", "\n\n")
    return lines.strip() + "\n"
