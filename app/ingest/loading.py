"""Reading a file of the archive into its documents: its own and, for a container, those it holds,
bounded as a whole (``members.Limits``), each member that cannot be read named in its container's
warnings."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from ..tables_text import CELL
from .dates import date_in_name
from .discovery import document_id
from .document import Document, Parent, Recognised, Within
from .errors import SkipFile
from .extracted import Extracted, from_mapping
from .formats import CONTAINER_READERS, PICTURED_FORMATS, TABLE_FORMATS, extract, file_format, reader
from .members import Limits, Member, guarded, named, safe_step
from .metadata import normalise, stated_title, storable
from .ocr import OcrSettings
from .ocr_cache import Recogniser
from .sidecar import Sidecar, find_sidecar, read_sidecar

# What a document with a title but no text of its own (a scan, an image-only page) is indexed with.
TITLE_ONLY = "no text in the file; indexed by its title and details"
# Why a file with neither text nor a title is passed over, by format.
_NO_TEXT = {"pdf": "PDF has no extractable text (a scan?) and no title: nothing to search"}
_NO_TEXT_NOR_TITLE = "no text in the file, and no title (a sidecar can give one)"


def load_all(
    path: Path | str,
    relative: str,
    max_bytes: int,
    ocr: OcrSettings | None = None,
    limits: Limits | None = None,
    members: bool = True,
) -> Iterator[Document]:
    """Every document of the file at ``path``: its own first, then (``members``) those it holds,
    each container before its members, within ``limits``; ``SkipFile`` when the file itself
    cannot be read. A member that cannot be read is named, with why, in the warnings of the
    container holding it, and the others are read."""
    limits = limits or Limits(max_member_bytes=max_bytes)
    kind = file_format(relative)
    data = read_bytes(path, max_bytes)
    if not data.strip():
        raise SkipFile("empty file")
    digest = hashlib.sha256(data)  # once: the file's hash, and the start of its fingerprint
    sidecar = read_sidecar(str(path), relative)
    source = _Source(
        kind=kind,
        data=data,
        digest=digest.hexdigest(),
        doc_id=document_id(relative),
        address=relative,
        name=PurePosixPath(relative).name,
        fingerprint=_with_sidecar(digest, sidecar),
    )
    reading = _Reading(relative, len(data), digest.hexdigest(), ocr, limits, members)
    yield from reading.documents(source, sidecar, None, ())


@dataclass(frozen=True)
class _Source:
    """What a document is read from: its format, bytes and hash, its id, the address its
    members' ids start with, its name, and the fingerprint a build compares."""

    kind: str
    data: bytes
    digest: str
    doc_id: str
    address: str
    name: str
    fingerprint: str
    media_type: str | None = None
    defaults: Mapping[str, object] = field(default_factory=dict)
    overrides: Mapping[str, object] = field(default_factory=dict)


# A member of these is a message's attachment; of the others, a member of a bundle.
_MAIL = ("eml", "msg")


class _Reading:
    """The reading of one file of the archive and of everything it holds, bounded as a whole:
    documents and bytes unpacked from it, and how deep containers nest."""

    def __init__(
        self, path: str, size: int, digest: str, ocr: OcrSettings | None, limits: Limits, members: bool
    ) -> None:
        self.path, self.size, self.digest = path, size, digest
        self.ocr, self.limits, self.members = ocr, limits, members
        self.found = 0
        self.unpacked = 0
        self.ids: set[str] = set()

    def documents(
        self, source: _Source, sidecar: Sidecar, parent: Parent | None, steps: tuple[str, ...]
    ) -> Iterator[Document]:
        """The document of ``source`` and, for a container, those it holds after it."""
        container = CONTAINER_READERS.get(source.kind)
        recogniser = None
        if self.ocr is not None and source.kind in PICTURED_FORMATS:
            recogniser = Recogniser(self.ocr, source.digest, sidecar.ocr_languages)
        if container is not None:
            contents = reader(container)(source.data, self.limits)
            extracted = contents.extracted
        else:
            contents = None
            extracted = extract(source.kind, source.data, recogniser, self.limits)
        if recogniser is not None:
            recogniser.close()
        document = self._document(source, extracted, sidecar, recogniser, parent, steps, contents is not None)
        yield document
        if contents is None or not self.members:
            return
        relation = "attachment" if source.kind in _MAIL else "member"
        here = Parent(document.id, document.title, relation)
        for member in guarded(contents.members):
            problem = self._refusal(member, len(steps), f"{source.address}/{member.step}")
            if problem:
                document.warnings.append(named(member, problem))
                continue
            # An attachment is dated by its message unless it states its own date.
            sent = {"date": document.date} if relation == "attachment" and document.date else {}
            child = self._source(source, member, sent)
            try:
                yield from self.documents(child, Sidecar(), here, (*steps, member.step))
            except SkipFile as skip:
                document.warnings.append(named(member, skip.reason))
            except Exception as error:  # a parser's bug must not lose the container's others
                document.warnings.append(named(member, f"could not be read: {type(error).__name__}: {error}"))

    def _refusal(self, member: Member, depth: int, doc_id: str) -> str | None:
        """Why ``member`` (at ``depth`` containers deep, to have the id ``doc_id``) is not read,
        or None; counts it."""
        if doc_id in self.ids:
            return "another member of the file has the same name: not read again"
        self.ids.add(doc_id)  # the first member of a name claims it, as finding it again does
        if member.reason:
            return member.reason
        if safe_step(member.step) != member.step:
            return "its name cannot name a document (empty, a control character, or a . or .. part)"
        if self.found >= self.limits.max_members:
            return f"past the {self.limits.max_members:,} documents one file may hold: not read"
        if len(member.data) > self.limits.max_member_bytes:
            size, limit = len(member.data) / 1e6, self.limits.max_member_bytes / 1e6
            return f"too large ({size:.1f} MB; the limit is {limit:.0f} MB)"
        if self.unpacked + len(member.data) > self.limits.max_bytes:
            return f"past the {self.limits.max_bytes / 1e6:,.0f} MB one file may unpack to: not read"
        try:
            kind = member.kind or file_format(member.name)
        except SkipFile as skip:
            return skip.reason
        if kind in CONTAINER_READERS and depth + 1 >= self.limits.max_depth:
            return f"a container nested more than {self.limits.max_depth} deep: not read"
        if not member.data.strip():
            return "empty file"
        self.found += 1
        self.unpacked += len(member.data)
        return None

    def _source(self, container: _Source, member: Member, defaults: Mapping[str, object]) -> _Source:
        """What ``member`` of ``container`` is read from."""
        digest = hashlib.sha256(member.data).hexdigest()
        address = f"{container.address}/{member.step}"
        return _Source(
            kind=member.kind or file_format(member.name),
            data=member.data,
            digest=digest,
            doc_id=address,
            address=address,
            name=member.name,
            fingerprint=digest,
            media_type=member.media_type,
            defaults={**defaults, **member.defaults},
            overrides=member.overrides,
        )

    def _document(
        self,
        source: _Source,
        extracted: Extracted,
        sidecar: Sidecar,
        recogniser: Recogniser | None,
        parent: Parent | None,
        steps: tuple[str, ...],
        container: bool,
    ) -> Document:
        """The document of ``source`` as its reader found it (``extracted``)."""
        extracted = _with_defaults(extracted, source.defaults)
        given = sidecar.metadata
        if source.overrides:
            given = from_mapping("", source.overrides)
        if container and not stated_title(extracted, given):
            # A bundle's own text is a list of its members: its name says more than their first.
            extracted = replace(extracted, title=source.name)
        warnings = list(extracted.warnings)
        text = storable(extracted.text)
        if source.kind not in TABLE_FORMATS:
            text = text.replace(CELL, " ")  # only a table's text holds cells (``tables_text``)
        if not text.strip() and not container:
            # A title found in the archive's search is worth more than a file it never shows.
            if not stated_title(extracted, given):
                raise SkipFile(_no_text(source.kind, recogniser, warnings))
            warnings.append(TITLE_ONLY)
        warnings += sidecar.warnings
        name_date = date_in_name(source.name)
        found = normalise(text, extracted, given, source.name if parent else source.doc_id, warnings, name_date)
        captures = source.overrides.get("captures") or []
        return Document(
            id=source.doc_id,
            path=self.path,
            title=found.title,
            text=text,
            format=source.kind,
            size=len(source.data),
            hash=source.digest,
            fingerprint=source.fingerprint,
            languages=found.languages,
            date=found.date,
            author=found.author,
            tags=found.tags,
            url=found.url,
            description=found.description,
            pages=extracted.pages,
            page_names=extracted.page_names,
            warnings=warnings,
            ocr=extracted.ocr,
            ocr_pages=Recognised(recogniser.recognised, recogniser.from_cache) if recogniser else Recognised(),
            recipients=found.recipients,
            captured=found.captured,
            captures=[str(time) for time in captures] if isinstance(captures, list | tuple) else [],
            name=source.name,
            media_type=source.media_type,
            parent=parent,
            within=Within(self.digest, self.size, steps) if parent else None,
        )


def _with_defaults(extracted: Extracted, defaults: Mapping[str, object]) -> Extracted:
    """``extracted`` with what ``defaults`` gives where its own reading found nothing."""
    if not defaults:
        return extracted
    given = from_mapping("", defaults)
    values = {
        name: getattr(given, name)
        for name in ("title", "author", "date", "tags", "url", "description", "recipients", "captured")
        if getattr(extracted, name) is None and getattr(given, name) is not None
    }
    return replace(extracted, **values) if values else extracted


def _no_text(kind: str, recogniser: Recogniser | None, warnings: list[str]) -> str:
    """Why a file with neither text nor a title is passed over (with why OCR read none of it,
    when it could not)."""
    if recogniser is not None and warnings:
        return f"no text recognised ({'; '.join(warnings)}), and no title"
    if kind == "image":
        return "no text recognised in the image, and no title (a sidecar can give one)"
    return _NO_TEXT.get(kind, _NO_TEXT_NOR_TITLE)


def read_bytes(path: Path | str, max_bytes: int) -> bytes:
    """The file's bytes, or ``SkipFile`` when it is too large or cannot be opened."""
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise SkipFile(f"file too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)")
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as error:
        raise SkipFile(f"cannot be opened: {error.strerror or error}") from None


def content_hash(data: bytes, sidecar: Sidecar | None = None) -> str:
    """The fingerprint that tells whether a file (with the sidecar read with it, if any)
    changed since it was indexed; a file without a sidecar hashes as its bytes alone."""
    return _with_sidecar(hashlib.sha256(data), sidecar or Sidecar())


def _with_sidecar(file_digest, sidecar: Sidecar) -> str:
    """The fingerprint from the file's own SHA-256 (left as it is) and its sidecar: which one
    was read and its bytes, and which others were passed over."""
    digest = file_digest.copy()
    for part in sidecar.fingerprint_parts():
        digest.update(part)
    return digest.hexdigest()


def file_hash(path: Path | str, max_bytes: int) -> str:
    """``content_hash`` of the file at ``path`` and its sidecar, read from disk (``SkipFile``
    when the file cannot be read): what ``load`` would give as ``Document.fingerprint``."""
    return content_hash(read_bytes(path, max_bytes), find_sidecar(str(path)))
