"""E-books (.epub): the chapters in reading order, each a page, and the book's metadata.

An EPUB is a ZIP package: ``META-INF/container.xml`` names the OPF package document, whose
manifest lists the book's files and whose spine orders its chapters. Each chapter (XHTML) is read
as the archive reads a web page (``html.read_html``), all its visible text (a chapter has no menus
to leave out), chapters one after another with a blank line between; ``Extracted.pages`` holds
where each starts. A chapter without text (a cover picture) is no page. The title, author (every
``dc:creator``), date, language, description and subjects come from the OPF metadata.

Read within bounds: the parts read unpack to at most ``Limits.max_bytes`` together and each to
at most ``Limits.max_member_bytes``, at most ``MAX_CHAPTERS`` chapters are read, a path that
leaves the package is not followed, and the XML is read with no entities resolved and nothing
fetched. A chapter that cannot be read is left out, and the book's warnings say which.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from lxml import etree

from .encoding import UndecodableError, decode
from .errors import SkipFile
from .extracted import Extracted, from_mapping
from .html import declared_encoding, read_html
from .layout import joined_pages
from .members import Limits, safe_step
from .package import open_package

_KIND = "EPUB e-book"
# A long book has a few hundred chapters; a dictionary made of one file per word, thousands.
MAX_CHAPTERS = 10_000
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_ENCRYPTION = "{http://www.w3.org/2001/04/xmlenc#}"
_DRM = "encrypted (DRM)"
_CHAPTER_TYPES = frozenset(("application/xhtml+xml", "text/html"))
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
# What a damaged ZIP package raises when a part is read (an encrypted part, a compression method
# Python does not know, a header that points outside the file), and broken XML.
_UNREADABLE = (
    KeyError,
    ValueError,
    etree.XMLSyntaxError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
)


class _Refused(Exception):
    """A part the reading will not take, and why."""


@dataclass
class _Parts:
    """The package's parts as the reading takes them: each within the reading's limits, and all
    of them together."""

    package: zipfile.ZipFile
    limits: Limits
    unpacked: int = 0
    names: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.names = set(self.package.namelist())

    def read(self, name: str) -> bytes:
        """The bytes of the part ``name``; ``_Refused`` past a limit, KeyError when absent."""
        info = self.package.getinfo(name)
        if info.file_size > self.limits.max_member_bytes:
            raise _Refused(f"it unpacks to {info.file_size / 1e6:,.0f} MB, past the limit of a file")
        if self.unpacked + info.file_size > self.limits.max_bytes:
            raise _Refused(f"past the {self.limits.max_bytes / 1e6:,.0f} MB a book may unpack to")
        self.unpacked += info.file_size
        return self.package.read(info)

    def xml(self, name: str) -> etree._Element:
        """The root of the XML part ``name``."""
        return etree.fromstring(self.read(name), _PARSER)


@dataclass
class _Chapter:
    """A chapter of the spine: the part's path in the package, or why it is not read."""

    path: str
    refused: str | None = None


def read_epub(data: bytes, limits: Limits) -> Extracted:
    """Return the text of an e-book, a page per chapter, and the metadata of its package."""
    with open_package(data, _KIND) as package:
        parts = _Parts(package, limits)
        try:
            _check_mimetype(parts)
            opf_path = _package_path(parts)
            opf = parts.xml(opf_path)
        except (_Refused, *_UNREADABLE) as error:
            raise SkipFile(f"unreadable {_KIND}: {error}") from None
        chapters = _spine(opf, posixpath.dirname(opf_path), _encrypted(parts))
        warnings = [_not_read(chapter.path, chapter.refused) for chapter in chapters if chapter.refused]
        pages = []
        for chapter in chapters:
            text = None if chapter.refused else _chapter_text(parts, chapter, warnings)
            if text:
                pages.append((text, True))
    if not pages and any(chapter.refused == _DRM for chapter in chapters):
        raise SkipFile(f"encrypted {_KIND}: its chapters cannot be read without the seller's key (DRM)")
    if not pages and warnings:
        raise SkipFile(f"unreadable {_KIND}: no chapter could be read ({warnings[0]})")
    text, starts = joined_pages(pages)
    return from_mapping(text, _metadata(opf), pages=starts, warnings=warnings)


def _check_mimetype(parts: _Parts) -> None:
    """``SkipFile`` for a package whose ``mimetype`` says it is something else than a book."""
    if "mimetype" in parts.names:
        mimetype = parts.read("mimetype").decode("ascii", "replace").strip()
        if mimetype != "application/epub+zip":
            raise SkipFile(f"{_KIND} that is not one ({mimetype[:80]})")


def _package_path(parts: _Parts) -> str:
    """The path of the OPF package document that ``META-INF/container.xml`` names."""
    if "META-INF/container.xml" not in parts.names:
        raise _Refused("no META-INF/container.xml (not an e-book?)")
    rootfile = parts.xml("META-INF/container.xml").find(f"{_CONTAINER}rootfiles/{_CONTAINER}rootfile")
    path = _inside("", rootfile.get("full-path", "")) if rootfile is not None else None
    if path is None or path not in parts.names:
        raise _Refused("its container names no package document inside it")
    return path


def _inside(folder: str, href: str) -> str | None:
    """The path in the package that ``href`` (relative to ``folder``) names; None when it names
    none inside the package (another site, or a path that climbs out of it)."""
    link = urlsplit(href)
    if link.scheme or link.netloc or not link.path or link.path.startswith("/"):
        return None
    path = posixpath.normpath(posixpath.join(folder, unquote(link.path)))
    return path if safe_step(path) == path else None


def _encrypted(parts: _Parts) -> set[str]:
    """The parts ``META-INF/encryption.xml`` lists as encrypted (a book sold with DRM; fonts
    only, when they are obfuscated)."""
    if "META-INF/encryption.xml" not in parts.names:
        return set()
    try:
        root = parts.xml("META-INF/encryption.xml")
    except (_Refused, *_UNREADABLE):
        return set()
    references = (reference.get("URI", "") for reference in root.iter(_ENCRYPTION + "CipherReference"))
    return {path for path in (_inside("", uri) for uri in references) if path}


def _spine(opf: etree._Element, folder: str, encrypted: set[str]) -> list[_Chapter]:
    """The chapters in the spine's order (each once), those that will not be read with why."""
    items = {item.get("id"): item for item in opf.iterfind(f"{_OPF}manifest/{_OPF}item")}
    chapters: list[_Chapter] = []
    seen: set[str] = set()
    for reference in opf.iterfind(f"{_OPF}spine/{_OPF}itemref"):
        item = items.get(reference.get("idref"))
        if item is None or item.get("media-type") not in _CHAPTER_TYPES:
            continue  # a picture or another book's page in the spine has no text to read
        href = item.get("href", "")
        path = _inside(folder, href)
        if path in seen:
            continue
        if len(chapters) == MAX_CHAPTERS:
            chapters.append(_Chapter(href, f"past the {MAX_CHAPTERS:,} chapters a book may have"))
            break
        if path is None:
            chapters.append(_Chapter(href, "its path leaves the book"))
        else:
            seen.add(path)
            chapters.append(_Chapter(path, _DRM if path in encrypted else None))
    return chapters


def _chapter_text(parts: _Parts, chapter: _Chapter, warnings: list[str]) -> str:
    """The text of a chapter as a web page reads; "" when it cannot be read (and ``warnings``
    says why)."""
    try:
        raw = parts.read(chapter.path)
        page, _encoding = decode(raw, declared_encoding(raw))
    except KeyError:
        reason = "not in the book"
    except (_Refused, UndecodableError, *_UNREADABLE) as error:
        reason = str(error)
    else:
        return read_html(page, main_text=False).text.strip()
    warnings.append(_not_read(chapter.path, reason))
    return ""


def _not_read(path: str, reason: str | None) -> str:
    """The warning for a chapter left out."""
    return f"chapter {path[:80]} not read: {reason}"


def _metadata(opf: etree._Element) -> dict:
    """Title, author (every creator), date, language, description and subjects of the book."""
    metadata = opf.find(_OPF + "metadata")
    if metadata is None:
        return {}

    def values(name: str) -> list[str]:
        texts = (" ".join("".join(element.itertext()).split()) for element in metadata.iter(_DC + name))
        return [text for text in texts if text]

    # EPUB 2 may give several dates, each an event: the book's is its publication's.
    dates = [
        " ".join("".join(element.itertext()).split())
        for element in metadata.iter(_DC + "date")
        if element.get(_OPF + "event", "publication") == "publication"
    ]
    meta = {
        "title": next(iter(values("title")), None),
        "author": values("creator"),
        "date": next((date for date in dates if date), None),
        "language": next(iter(values("language")), None),
        "description": next(iter(values("description")), None),
        "tags": values("subject"),
    }
    return {key: value for key, value in meta.items() if value}
