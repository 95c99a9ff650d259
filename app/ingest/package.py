"""Office files are ZIP packages of XML: open one safely, or say why it cannot be read."""

from __future__ import annotations

import io
import zipfile

from .errors import SkipFile
from .extracted import split_keywords

# XML a package may unpack to. A few kilobytes of ZIP can hold gigabytes of repeated XML; a
# thousand-page report holds a few tens of megabytes.
MAX_XML_BYTES = 200_000_000
# What an encrypted Office file or an old binary .doc starts with (an OLE compound file).
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_package(data: bytes, kind: str) -> zipfile.ZipFile:
    """The ZIP package in ``data`` (a ``kind`` of file, as the reason names it), or ``SkipFile``
    when it is not one or would unpack to more XML than the archive reads."""
    if data.startswith(_OLE_SIGNATURE):
        raise SkipFile(f"unreadable {kind}: password-protected, or an older binary format saved under a new name")
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError) as error:
        raise SkipFile(f"unreadable {kind}: not a ZIP package ({error})") from None
    xml_bytes = sum(info.file_size for info in infos if info.filename.endswith((".xml", ".rels")))
    if xml_bytes > MAX_XML_BYTES:
        unpacked, limit = xml_bytes / 1e6, MAX_XML_BYTES / 1e6
        raise SkipFile(f"unreadable {kind}: its XML unpacks to {unpacked:.0f} MB (the limit is {limit:.0f} MB)")
    return package


def core_properties(properties) -> dict:
    """What an Office file's core properties (python-docx's or python-pptx's) say of it: title,
    author, subject, keywords, language and creation time, where it gives them."""
    meta = {
        "title": properties.title,
        "author": properties.author,
        "description": properties.comments or properties.subject,
        "language": properties.language,
        "tags": split_keywords(properties.keywords),
        "created": properties.created or properties.modified,
    }
    return {key: value for key, value in meta.items() if value}
