"""Web pages saved from NGO and news sites: the page's own text and its metadata.

A real parser (BeautifulSoup over lxml) reads the page; scripts, styles, navigation, headers,
footers and comments are dropped, and block elements become line breaks so the text reads in
paragraphs.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Tag
from bs4.dammit import EncodingDetector

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


def read_html(text: str) -> Extracted:
    """Return the visible text of the page and its metadata (title, author, date, lang...)."""
    soup = BeautifulSoup(text, "lxml")
    meta = _metadata(soup)
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
    return from_mapping(_tidy(root.get_text()), meta)


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
