"""E-mail: a message (.eml) read as its body and headers, its attachments its members; a
mailbox (.mbox), each message a member; an Outlook message (.msg, read in ``outlook``).

A message's text is its body: the plain text where there is one, else its HTML as a page
reads; of a multipart/alternative's versions of one body only one is read. Attachments (a part
with a file name or sent as an attachment; a forwarded message, as an .eml) are numbered from
1 in the order of the MIME tree, so a message always gives the same numbers. The images an
HTML body shows (by Content-ID) and signatures are not documents, and are passed over; an
encrypted part is named, with why it is not read.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.parser import BytesParser

from .encoding import UndecodableError
from .errors import SkipFile
from .extracted import Extracted
from .mailtext import decode_text, decode_words, hint, message_fields, one_line, raw_parameter, safe_name
from .members import Contents, Limits, Member, refused

# MIME nesting: real mail nests four or five deep; a hostile message, thousands.
MAX_DEPTH = 30
# The longest Content-Type or Content-Disposition read: real ones are well under a kilobyte, and
# Python reads their parameters in time that grows with the square of their length.
MAX_PARAMETERS = 16_000
_PARAMETERS = re.compile(rb"^content-(?:type|disposition)[ \t]*:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*", re.I | re.M)
# Python's compat32 policy keeps headers as written, and the archive decodes them itself: the
# default policy's parser recurses without bound on nested comments, and its time grows with
# the square of a header's length (a 560 kB Content-Type took it 108 s; compat32, 0.01 s).
POLICY = policy.compat32
_HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")
_MESSAGE_HEADERS = frozenset({"from", "to", "cc", "subject", "date", "message-id", "mime-version", "sender"})
_SIGNATURES = frozenset({"application/pgp-signature", "application/pkcs7-signature", "application/x-pkcs7-signature"})
_ENCRYPTED = {
    "multipart/encrypted": "encrypted (PGP/MIME): not read",
    "application/pkcs7-mime": "encrypted or signed inside (S/MIME): not read",
    "application/x-pkcs7-mime": "encrypted or signed inside (S/MIME): not read",
}
_BODY_TYPES = ("text/plain", "text/html")
# The file extensions of Python's own table, the same on every machine (not /etc/mime.types).
_TYPES = mimetypes.MimeTypes()
# Python's email package raises these on headers and parts it cannot make sense of.
_BROKEN = (ValueError, TypeError, LookupError, AttributeError, AssertionError, RecursionError)


@dataclass
class Attachment:
    """A part of a message that is a document of its own, or why it is not given."""

    part: Message
    refusal: str | None = None


@dataclass
class Parts:
    """A message's parts by what they are: its body's, its attachments, what was passed over."""

    body: list[Message] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_eml(data: bytes, limits: Limits) -> Contents:
    """A message: its body as text, its subject, sender, date and recipients, and its
    attachments as members; ``SkipFile`` when ``data`` is not an e-mail message."""
    message = parse_message(data)
    parts = Parts()
    walk(message, parts)
    text, found, warnings = body_text(parts.body)
    extracted = Extracted(text, warnings=parts.warnings + warnings, **message_fields(message, found))
    return Contents(extracted, attachments(parts.attachments, limits, found))


def parse_message(data: bytes) -> Message:
    """The message in ``data``; ``SkipFile`` when it does not start with header lines, has none
    a message has, or is past what the archive reads of one."""
    start = data.lstrip(b"\r\n")[:1000]
    if not (start.startswith(b"From ") or _HEADER_LINE.match(start)):
        raise SkipFile("not an e-mail message: it does not start with header lines")
    for match in _PARAMETERS.finditer(data):
        if len(match[0]) > MAX_PARAMETERS:
            name, size = match[0].split(b":", 1)[0].decode("ascii", "replace"), amount(len(match[0]))
            raise SkipFile(f"unreadable e-mail message: a {name} of {size} (the limit is {amount(MAX_PARAMETERS)})")
    try:
        message = BytesParser(policy=POLICY).parsebytes(data)
    except RecursionError:
        raise SkipFile("unreadable e-mail message: its parts nest too deeply") from None
    if not {name.lower() for name in message} & _MESSAGE_HEADERS:
        raise SkipFile("not an e-mail message: no From, To, Subject or Date header")
    return message


def walk(part: Message, parts: Parts, depth: int = 0, parent: str = "") -> None:
    """Sort ``part`` and the parts inside it into ``parts``, in the order of the MIME tree."""
    kind = _content_type(part)
    if kind == "message/rfc822" or kind in _ENCRYPTED:
        parts.attachments.append(Attachment(part, _ENCRYPTED.get(kind)))
    elif part.is_multipart():
        if depth >= MAX_DEPTH:
            parts.warnings.append(f"parts nested more than {MAX_DEPTH} deep were not read")
            return
        children = [child for child in part.get_payload() if isinstance(child, Message)]
        if kind == "multipart/alternative":
            children = _preferred(children)
        for child in children:
            walk(child, parts, depth + 1, kind)
    elif kind in _SIGNATURES:
        pass
    elif _is_attachment(part) and not _shown_inline(part, parent):
        parts.attachments.append(Attachment(part))
    elif kind in _BODY_TYPES and not _file_name(part):
        parts.body.append(part)
    elif not part.get("content-id"):
        parts.attachments.append(Attachment(part))


def _preferred(children: list[Message]) -> list[Message]:
    """The one version of a multipart/alternative to read: the plain text, unless it is blank;
    else the HTML (or the part holding it, with its images)."""
    for child in children:
        if _content_type(child) == "text/plain" and not _is_attachment(child) and _payload(child).strip():
            return [child]
    for child in children:
        if _content_type(child) == "text/html" or child.is_multipart():
            return [child]
    return children[-1:]


def _is_attachment(part: Message) -> bool:
    return _disposition(part) == "attachment" or bool(_file_name(part))


def _shown_inline(part: Message, parent: str) -> bool:
    """An image of an HTML body: in its multipart/related, by Content-ID, not sent as an
    attachment (Outlook names them image001.png and so on)."""
    return bool(part.get("content-id")) and _disposition(part) != "attachment" and parent == "multipart/related"


def body_text(body: list[Message]) -> tuple[str, str | None, list[str]]:
    """The text of a message's body parts, the encoding found in them that its headers may
    share, and what could not be read."""
    texts, warnings, found = [], [], None
    for part in body:
        data = _payload(part)
        html = _content_type(part) == "text/html"
        try:
            declared = part.get_content_charset()
        except _BROKEN:
            declared = None
        if html and not declared:
            from .html import declared_encoding

            declared = declared_encoding(data)
        try:
            text, encoding = decode_text(data, declared, found)
        except UndecodableError as error:
            warnings.append(f"a part of the body was not read: {error}")
            continue
        found = found or hint(encoding)
        if html:
            from .html import read_html

            text = read_html(text, main_text=False).text  # a message is all its body, quoted replies too
        texts.append(text.replace("\r\n", "\n").strip())
    return "\n\n".join(text for text in texts if text), found, warnings


def attachments(listed: list[Attachment], limits: Limits, found: str | None = None) -> Iterator[Member]:
    """Each attachment as a member, numbered from 1, within ``limits``: past the count or the
    bytes a message may unpack to, one refused member says which, and the rest are not read.
    ``found`` is the encoding of the message's body, for names in raw 8-bit bytes."""
    total = 0
    for number, attachment in enumerate(listed, 1):
        step, part = str(number), attachment.part
        name = attachment_name(part, number, found)
        if number > limits.max_members:
            yield refused(step, name, too_many(limits))
            return
        if attachment.refusal:
            yield refused(step, name, attachment.refusal)
            continue
        data = _message_bytes(part) if _content_type(part) == "message/rfc822" else _payload(part)
        if len(data) > limits.max_member_bytes:
            yield refused(step, name, too_large(len(data), limits))
            continue
        total += len(data)
        if total > limits.max_bytes:
            yield refused(step, name, too_much(limits))
            return
        kind = "eml" if _content_type(part) == "message/rfc822" else None
        yield Member(step=step, name=name, data=data, kind=kind, media_type=_content_type(part))


def too_many(limits: Limits) -> str:
    """Why the attachments past ``limits.max_members`` are not read."""
    return f"past the {limits.max_members:,} attachments a message may hold: not read"


def too_large(size: int, limits: Limits) -> str:
    """Why an attachment of ``size`` bytes, past ``limits.max_member_bytes``, is not read."""
    return f"too large ({amount(size)}; the limit is {amount(limits.max_member_bytes)})"


def too_much(limits: Limits) -> str:
    """Why the attachments past ``limits.max_bytes`` unpacked are not read."""
    return f"past the {amount(limits.max_bytes)} a message's attachments may unpack to: not read"


def amount(size: int) -> str:
    """A number of bytes as a reason gives it: "820 bytes", "1.5 MB", "50 MB"."""
    if size < 1_000_000:
        return f"{size:,} bytes"
    return f"{size / 1e6:,.1f} MB".replace(".0 MB", " MB")


def attachment_name(part: Message, number: int, found: str | None = None) -> str:
    """The attachment's file name, decoded and made safe, or one made up from its number and
    type ("attachment-2.pdf") when it has none."""
    kind = _content_type(part)
    extension = ".eml" if kind == "message/rfc822" else _TYPES.guess_extension(kind) or ".bin"
    return safe_name(_file_name(part, found), f"attachment-{number}{extension}")


def _file_name(part: Message, found: str | None = None) -> str | None:
    try:
        name = part.get_filename()
    except _BROKEN:
        return None
    if isinstance(name, str) and "\ufffd" in name:  # raw 8-bit bytes, which the parser replaced
        name = raw_parameter(part.raw_items(), found) or name
    if not isinstance(name, str) or not name:
        return None
    return one_line(decode_words(name, found)) if "=?" in name else name


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except _BROKEN:
        return "application/octet-stream"


def _disposition(part: Message) -> str | None:
    try:
        return part.get_content_disposition()
    except _BROKEN:
        return None


def _payload(part: Message) -> bytes:
    """The part's content, its transfer encoding (base64, quoted-printable) undone."""
    try:
        data = part.get_payload(decode=True)
    except _BROKEN:
        return b""
    return data if isinstance(data, bytes) else b""


def _message_bytes(part: Message) -> bytes:
    """A forwarded message's bytes, as it was written in its part (its headers not refolded)."""
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        try:
            return payload[0].as_bytes(policy=POLICY.clone(max_line_length=0))
        except _BROKEN:
            return b""
    return _payload(part)


def read_mbox(data: bytes, limits: Limits) -> Contents:
    """A mailbox: its messages as members, a list of them as its text (``mbox``)."""
    from .mbox import read_mbox as read

    return read(data, limits)


def read_msg(data: bytes, limits: Limits) -> Contents:
    """An Outlook message, read as an .eml is (``outlook``)."""
    from .outlook import read_msg as read

    return read(data, limits)
