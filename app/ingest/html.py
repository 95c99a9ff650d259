"""Web pages saved from NGO and news sites, or captured in web archives: the article's text and
its metadata.

The article is what trafilatura finds the page's main text to be (``article``): menus, share
buttons, cookie banners, related and most-read lists, asides and footers are left out. Its title
is the page's without the site's name, and its date and author come from the page when its
metadata states none. A page with no article found (a list of links, a page of one line) reads
as all its visible text: BeautifulSoup over lxml, scripts, styles, navigation, headers, footers
and comments dropped. Either way block elements become paragraphs and ``<br>`` a line break.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Tag
from bs4.dammit import EncodingDetector

from .article import MainText, find_main_text, stated_date
from .extracted import Extracted, from_mapping


def declared_encoding(data: bytes) -> str | None:
    """The encoding a page declares (``<meta charset>`` or an XML declaration), if any."""
    return EncodingDetector.find_declared_encoding(data, is_html=True)


_DROPPED = ("script", "style", "nav", "header", "footer", "noscript", "template", "iframe", "svg", "head")
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
        "details",
        "summary",
    ]
)
_SPACES = re.compile(r"\s+")
_META_NAMES = {
    "author": ("author", "article:author", "dc.creator", "dcterms.creator", "citation_author", "byl"),
    "date": (
        "date",
        "article:published_time",
        "dc.date",
        "dcterms.date",
        "dcterms.created",
        "citation_publication_date",
        "pubdate",
        "publishdate",
        "og:published_time",
    ),
    "description": ("description", "og:description", "dc.description"),
    "keywords": ("keywords", "news_keywords", "article:tag"),
    "url": ("og:url",),
    "organisation": ("og:site_name", "publisher", "dc.publisher"),
}


# What stands between a page's title and its site's name: " | Example News", "｜蘋果日報", " - RTHK".
_TITLE_SEPARATOR = re.compile(r"\s*[|｜\-–—:：·•/]\s*")
# How many headings of a page are compared with its title.
_HEADINGS = 5
# An article this short (in characters, spaces aside) is one only if the page shows it outside
# its menus: what trafilatura finds on a page of links may be a menu's word.
_SHORT_ARTICLE = 30


def read_html(text: str, main_text: bool = True) -> Extracted:
    """Return the page's article (its main text; all its visible text when no article is found,
    or with ``main_text`` false) and its metadata (title, author, date, lang...)."""
    soup = BeautifulSoup(text, "lxml")
    meta = _metadata(soup)
    headings = _headings(soup)
    main = find_main_text(text) if main_text else None
    visible = None
    if main is not None and len(_bare(main.text)) < _SHORT_ARTICLE:
        visible = _visible_text(soup)
        main = main if _bare(main.text) in _bare(visible) else None
    if main is None:
        return from_mapping(_visible_text(soup) if visible is None else visible, meta)
    _add_main_metadata(meta, main, headings)
    if not meta.get("date"):
        meta["date"] = stated_date(text)
    return from_mapping(main.text, meta)


def _add_main_metadata(meta: dict, main: MainText, headings: set[str]) -> None:
    """What the article gives the page's metadata: its title without the site's name, and its
    author where the page's metadata names none (the site's name is no author's)."""
    if meta.get("title"):
        meta["title"] = _without_site(meta["title"], main, headings)
    elif main.title:
        meta["title"] = main.title
    if main.author and not meta.get("author"):
        meta["author"] = main.author


def _without_site(title: str, main: MainText, headings: set[str]) -> str:
    """The page's title without the site's name, when trafilatura's title is the page's with
    the site's name cut off (" | 立場新聞", "｜香港01｜港聞") and the cut is surely the site's: it
    names the site the page names, or what is left is the article's heading."""
    short = (main.title or "").strip()
    if not short or short == title:
        return title
    if title.startswith(short):
        rest = title[len(short) :]
        separator = _TITLE_SEPARATOR.match(rest)
    elif title.endswith(short):
        rest = title[: -len(short)]
        separator = _TITLE_SEPARATOR.search(rest)
        separator = separator if separator and separator.end() == len(rest) else None
    else:
        return title
    if separator is None:
        return title
    site = _TITLE_SEPARATOR.sub(" ", rest).strip().casefold()
    named = (main.site or "").strip().casefold()
    if short in headings or (site and named and (named in site or site in named)):
        return short
    return title


def _bare(text: str) -> str:
    """``text`` without its spaces and line breaks."""
    return "".join(text.split())


def _headings(soup: BeautifulSoup) -> set[str]:
    """The texts of a page's first headings."""
    return {heading.get_text(" ", strip=True) for heading in soup.find_all(["h1", "h2"], limit=_HEADINGS)}


def _visible_text(soup: BeautifulSoup) -> str:
    """All the page's visible text, what navigates it dropped, in paragraphs."""
    for comment in soup.find_all(string=lambda node: isinstance(node, Comment)):
        comment.extract()
    for name in _DROPPED:
        for element in soup.find_all(name):
            element.decompose()
    root = soup.body or soup
    # Inside a paragraph, line breaks of the source are spaces; only <br> and blocks break lines.
    for string in root.find_all(string=True):
        if string.find_parent("pre") is None:
            string.replace_with(_SPACES.sub(" ", str(string)))
    for br in root.find_all("br"):
        br.replace_with("\n")
    for element in root.find_all(_BLOCKS):
        element.insert_before("\n\n")
        element.insert_after("\n\n")
    return _tidy(root.get_text())


def _metadata(soup: BeautifulSoup) -> dict:
    meta: dict = {}
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if not title and (h1 := soup.find("h1")):
        title = h1.get_text(" ", strip=True)
    if title:
        meta["title"] = title
    if isinstance(soup.html, Tag) and soup.html.get("lang"):
        meta["language"] = str(soup.html["lang"])
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("name") or tag.get("property") or tag.get("itemprop") or "").lower()
        content = tag.get("content")
        if key and content and key not in found:
            found[key] = str(content).strip()
    for field, names in _META_NAMES.items():
        for name in names:
            if found.get(name):
                meta[field] = found[name]
                break
    if "url" not in meta and (link := soup.find("link", rel="canonical")) and link.get("href"):
        meta["url"] = str(link["href"])
    if "keywords" in meta:
        meta["tags"] = [word.strip() for word in re.split(r"[,;，、]", meta.pop("keywords")) if word.strip()]
    return meta


def _tidy(text: str) -> str:
    """Trim each line and keep at most one blank line between paragraphs."""
    lines = (line.strip(" \t") for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
