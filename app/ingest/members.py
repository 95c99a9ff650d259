"""Files that hold other documents: mail with its attachments, mailboxes, bundles (zip, tar),
web archives. Their readers say what the file itself reads as and what it holds.

A container reader is ``read(data, limits) -> Contents``: ``extracted`` is the container's own
document (a message's body and headers; a bundle's list of its members), ``members`` yields
each document it holds as a ``Member``, lazily, within ``limits``. A member it will not give (an
encrypted one, a link, a name that climbs out of the archive, one past a limit) is still
yielded, with ``reason`` set and no bytes: ``load`` names it in the container's warnings.

Each member has a ``step``: its part of the child's id (``bundle.zip/press/statement.txt``,
``mail/visits.eml/2``) and the way back to it. ``find`` walks the steps of a child's id again
to give its bytes (the original download of an attachment), with the same reader, so that what
is served is what was indexed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import SkipFile
from .extracted import Extracted


@dataclass(frozen=True)
class Limits:
    """How far a container is read: members per container, bytes unpacked from one file (all
    its members, nested ones too), the compression ratio of a member, how deep containers nest,
    the rows of a table, and the largest member (as the largest file)."""

    max_members: int = 10_000
    max_bytes: int = 1_000_000_000
    max_ratio: int = 200
    max_depth: int = 3
    max_rows: int = 100_000
    max_member_bytes: int = 50_000_000

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Limits:
        """The limits the settings table's values set (``BUNDLE_*``, ``TABLE_ROWS``, ``MAX_FILE_MB``)."""
        return cls(
            max_members=settings["BUNDLE_MEMBERS"],
            max_bytes=int(settings["BUNDLE_MB"] * 1_000_000),
            max_ratio=settings["BUNDLE_RATIO"],
            max_depth=settings["BUNDLE_DEPTH"],
            max_rows=settings["TABLE_ROWS"],
            max_member_bytes=int(settings["MAX_FILE_MB"] * 1_000_000),
        )


@dataclass
class Member:
    """A document inside a container.

    ``step`` names it among its container's members (a path in a bundle, a number): it ends the
    child's id and finds the member again, so it is stable, non-empty, holds no backslash or
    control character, and no ``.``/``..`` part. ``name`` is its file name (the download's, and
    what its format is told by unless ``kind`` says). ``defaults`` is metadata the container
    gives (front-matter keys: title, author, date, url, description, recipients...) for what the
    member's own reading leaves empty; ``overrides`` wins over it (a capture's URL).
    """

    step: str
    name: str
    data: bytes = b""
    kind: str | None = None
    media_type: str | None = None
    defaults: Mapping[str, object] = field(default_factory=dict)
    overrides: Mapping[str, object] = field(default_factory=dict)
    reason: str | None = None


@dataclass
class Contents:
    """What a container reads as: its own text and metadata, and its members (read lazily)."""

    extracted: Extracted
    members: Iterable[Member] = ()


ContainerReader = Callable[[bytes, Limits], Contents]


def refused(step: str, name: str, reason: str) -> Member:
    """A member the container will not give, and why."""
    return Member(step=step, name=name, reason=reason)


def find(data: bytes, read: ContainerReader, step: str, limits: Limits) -> Member:
    """The member ``step`` of the container ``data`` (read with ``read``); ``SkipFile`` when it
    holds none such, or will not give it."""
    for member in read(data, limits).members:
        if member.step == step:
            if member.reason:
                raise SkipFile(member.reason)
            return member
    raise SkipFile(f"no member {step!r}")


def safe_step(step: str) -> str | None:
    """``step`` as a child's id may end with it (``/`` for a Windows ``\\``), or None when it
    cannot be one (empty, a control character, a ``.`` or ``..`` part)."""
    step = step.replace("\\", "/").strip("/")
    if not step or any(ord(char) < 32 or ord(char) == 127 for char in step):
        return None
    if any(part in ("", ".", "..") for part in step.split("/")):
        return None
    return step


def numbered(items: Iterable[object]) -> Iterator[tuple[str, object]]:
    """Each item with its number from 1, as a step (a mailbox's messages, a message's parts)."""
    for number, item in enumerate(items, 1):
        yield str(number), item


def guarded(members: Iterable[Member]) -> Iterator[Member]:
    """``members`` until its reader fails (a parser's bug): then one refused member saying so,
    so that what was read before stays."""
    iterator = iter(members)
    while True:
        try:
            member = next(iterator)
        except StopIteration:
            return
        except Exception as error:  # a parser's bug must not lose the members read before
            yield refused("…", "", f"reading stopped here: {type(error).__name__}: {error}")
            return
        yield member


def named(member: Member, reason: str) -> str:
    """A warning of a container naming its member ``member`` and why it was not read."""
    label = member.step if member.step.endswith(member.name) or not member.name else f"{member.step} ({member.name})"
    return f"{label}: {reason}"
