"""Web archives: the pages and files a crawler captured, each capture a document of its own.

A WARC (``.warc``, or ``.warc.gz``) holds the crawl's records; a WACZ is a ZIP holding WARCs
under ``archive/``. Each captured document (``warcrecords``) is a member, its step the number
of its record among the WARC's (``<warc name>/<number>`` in a WACZ); the bytes are unpacked
within the limits (``warcstream``).

The archive is read twice: once to list every capture (the container's own text, and the times
each URL was captured, which every capture of it is told), then lazily for the members.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from .errors import SkipFile
from .extracted import Extracted
from .members import Contents, Limits, Member, refused
from .warcrecords import Capture, Record, file_name, walk
from .warcstream import RATIO_FLOOR, Budget

# A WACZ holds its WARCs here.
_WACZ_ARCHIVE = "archive/"


@dataclass(frozen=True)
class _Source:
    """One WARC to read: its members' steps start with ``prefix``; ``open`` gives its bytes,
    or ``reason`` says why it cannot be read."""

    prefix: str
    open: Callable[[], BinaryIO] | None = None
    reason: str | None = None


@dataclass
class _Survey:
    """The first reading: every capture, in order, and the times each URL was captured."""

    captures: list[Capture] = field(default_factory=list)
    times: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def read_warc(data: bytes, limits: Limits) -> Contents:
    """A WARC (plain or gzipped): its list of captures, and each captured document as a member.
    ``SkipFile`` when it is not a web archive."""
    source = _Source("", open=lambda: io.BytesIO(data))
    survey = _survey([source], limits, fatal=True)
    return Contents(_listing(survey), _members([source], limits, survey))


def read_wacz(data: bytes, limits: Limits) -> Contents:
    """A WACZ (a ZIP of WARCs under ``archive/``): the captures of all its WARCs, each member's
    step ``<warc name>/<record number>``. ``SkipFile`` when it is not one."""
    sources = _wacz_sources(data, limits)
    survey = _survey(sources, limits, fatal=False)
    return Contents(_listing(survey), _members(sources, limits, survey))


def _wacz_sources(data: bytes, limits: Limits) -> list[_Source]:
    """The WARCs of a WACZ, in name order, each opened only when it is read."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    # A damaged central directory raises any of these (NotImplementedError: a version byte hit).
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise SkipFile(f"not a web archive: not a WACZ (ZIP) package ({error})") from None
    warcs = sorted(
        (info for info in infos if _is_warc_entry(info.filename)),
        key=lambda info: info.filename,
    )
    if not warcs:
        raise SkipFile("not a web archive: the WACZ package holds no WARC under archive/")
    return [_wacz_source(package, info, limits) for info in warcs]


def _is_warc_entry(name: str) -> bool:
    """Whether a WACZ entry is one of its WARCs (directly under ``archive/``)."""
    rest = name[len(_WACZ_ARCHIVE) :] if name.startswith(_WACZ_ARCHIVE) else ""
    return bool(rest) and "/" not in rest and rest.lower().endswith((".warc", ".warc.gz"))


def _wacz_source(package: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> _Source:
    """A WARC of a WACZ as a source, or the reason it is not read."""
    name = info.filename[len(_WACZ_ARCHIVE) :]
    prefix = f"{name}/"
    if info.flag_bits & 0x1:
        return _Source(prefix, reason=f"{name} is encrypted")
    if info.file_size > RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        reason = f"{name} unpacks to {ratio} times its size (the limit is {limits.max_ratio}): a compression bomb?"
        return _Source(prefix, reason=reason)
    return _Source(prefix, open=lambda: package.open(info))


def _survey(sources: list[_Source], limits: Limits, fatal: bool) -> _Survey:
    """Every capture of the archive, read without payloads. With ``fatal``, an archive whose
    first record cannot be read is ``SkipFile`` (a WACZ says so of that WARC among its members)."""
    survey = _Survey()
    budget = Budget(limits)
    for source in sources:
        if source.open is None:
            continue
        for record in walk(source.open, budget, payloads=False):
            if record.capture is None:
                if fatal and record.number == 1:
                    raise SkipFile(record.reason or "not a web archive")
                if record.limit:
                    return survey
                break
            survey.captures.append(record.capture)
            if record.capture.captured:
                survey.times[record.capture.url].append(record.capture.captured)
    return survey


def _listing(survey: _Survey) -> Extracted:
    """The container's own text: a line per capture, its time and its URL."""
    lines = [f"{capture.captured or 'undated'} {capture.url}" for capture in survey.captures]
    return Extracted("\n".join(lines) + "\n" if lines else "")


def _members(sources: list[_Source], limits: Limits, survey: _Survey) -> Iterator[Member]:
    """Each captured document as a member, within the limits."""
    budget = Budget(limits)
    given = 0
    for source in sources:
        if source.open is None:
            yield refused(source.prefix.rstrip("/"), source.prefix.rstrip("/"), source.reason or "not read")
            continue
        for record in walk(source.open, budget, payloads=True):
            step = f"{source.prefix}{record.number}"
            if record.capture is None:
                yield refused(step, f"record-{record.number}", record.reason or "not read")
                if record.limit:
                    return
                break
            name = file_name(record.capture.url, record.capture.kind)
            if given >= limits.max_members:
                yield refused(step, name, _too_many(limits))
                return
            given += 1
            if record.reason:
                yield refused(step, name, record.reason)
            else:
                yield _member(step, name, record, survey.times)


def _too_many(limits: Limits) -> str:
    """Why the documents past the limit are not read."""
    return f"the web archive holds more than {limits.max_members} documents (the limit); the rest are not read"


def _member(step: str, name: str, record: Record, times: dict[str, list[str]]) -> Member:
    """A capture as a member: its payload, with its URL and time of capture."""
    capture = record.capture
    assert capture is not None
    overrides: dict[str, object] = {"url": capture.url, "captured": capture.captured}
    # A URL captured more than once: each capture is told when all of them were made.
    if len(times.get(capture.url, ())) > 1:
        overrides["captures"] = sorted(times[capture.url])
    defaults = {"date": capture.captured[:10]} if capture.captured and len(capture.captured) >= 10 else {}
    return Member(
        step=step,
        name=name,
        data=record.payload,
        kind=capture.kind,
        media_type=capture.media_type,
        defaults=defaults,
        overrides=overrides,
    )
