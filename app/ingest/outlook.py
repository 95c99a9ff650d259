"""Outlook messages (.msg, an OLE compound file), read with extract-msg: the same fields as an
.eml's, its attachments as members, a message attached to it as an .msg of its own.

An Outlook message written before Unicode keeps its strings in a code page: when it does not
say which (PR_MESSAGE_CODEPAGE), extract-msg would read them as ISO-8859-15, Big5 or GBK as
Latin letters; the internet code page it states (PR_INTERNET_CPID) is used instead, and when
neither fits its subject and body, the encoding they are found in.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from email.parser import HeaderParser
from functools import partial

from .encoding import UndecodableError
from .errors import SkipFile
from .extracted import Extracted
from .mail import POLICY, amount, too_large, too_many, too_much
from .mailtext import MAX_ADDRESSES, decode_text, format_address, message_fields, one_line, safe_name
from .members import Contents, Limits, Member, refused

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CODE_PAGE = "3FFD0003"
_INTERNET_CODE_PAGE = "3FDE0003"
# The streams whose 8-bit bytes tell a message's code page when it states none.
_SAMPLED = ("__substg1.0_0037001E", "__substg1.0_1000001E", "__substg1.0_0C1A001E")
_HEADERS = "__substg1.0_007D"
_SENDER_NAMES = ("__substg1.0_0C1A", "__substg1.0_0042")
_SENDER_ADDRESSES = ("__substg1.0_5D01", "__substg1.0_0C1F", "__substg1.0_5D02", "__substg1.0_0065")
# The streams of a plain text and of an HTML body (either string type).
_BODY_STREAMS = ("__substg1.0_1000001F", "__substg1.0_1000001E", "__substg1.0_10130102")
# RTF is turned into text or HTML at about 50 kB a second (RTFDE): a longer body would hold a
# build up for minutes.
MAX_RTF = 500_000
# Shorter data is taken by olefile for the name of a file to open.
_MIN_SIZE = 1536
# extract-msg logs a warning for each oddity of a file (and for the code page given to it);
# what the archive reports of a file is its reasons and warnings.
logging.getLogger("extract_msg").setLevel(logging.ERROR)


def read_msg(data: bytes, limits: Limits) -> Contents:
    """An Outlook message: its body as text, its subject, sender, date and recipients, and
    its attachments as members; ``SkipFile`` when it cannot be read as one."""
    if not data.startswith(_OLE_SIGNATURE):
        raise SkipFile("unreadable Outlook message: not an OLE compound file")
    if len(data) < _MIN_SIZE:
        raise SkipFile("unreadable Outlook message: too short to be one")
    message = _opened(data)
    try:
        warnings: list[str] = []
        text = _body(message, warnings)
        sender = _sender(message)
        extracted = Extracted(
            text,
            title=one_line(_value(message, "subject") or "") or None,
            author=sender,
            date=_date(message),
            recipients=_recipients(message) or None,
            warnings=warnings,
        )
    except Exception as error:  # extract-msg raises errors of every kind on a damaged file
        message.close()
        raise SkipFile(f"unreadable Outlook message: {_said(error)}") from None
    return Contents(extracted, _members(message, limits))


def _opened(data: bytes):
    """The message in ``data``, its strings read in the code page they were written in."""
    import extract_msg
    from extract_msg.msg_classes import MessageBase

    try:
        message = extract_msg.openMsg(data)
        encoding = _code_page(message)
        if encoding:
            message.close()
            message = extract_msg.openMsg(data, overrideEncoding=encoding)
    except Exception as error:  # extract-msg raises errors of every kind on a damaged file
        raise SkipFile(f"unreadable Outlook message: {_said(error)}") from None
    if not isinstance(message, MessageBase):
        message.close()
        raise SkipFile("unreadable Outlook message: an Outlook item that is not a message")
    return message


def _code_page(message) -> str | None:
    """The encoding of an 8-bit message's strings when it is not the one extract-msg would use:
    the internet code page when the message states no other, or the one its subject and body
    are found in when the code page it states does not fit them."""
    if message.areStringsUnicode:
        return None
    sample = b"\n".join(message.getStream(name) or b"" for name in _SAMPLED)
    for prop in (_CODE_PAGE, _INTERNET_CODE_PAGE):
        encoding = _stated(message, prop)
        if encoding and _fits(sample, encoding):
            return encoding if prop == _INTERNET_CODE_PAGE else None
    if sample.isascii():
        return None  # nothing to tell by
    try:
        return decode_text(sample)[1]
    except UndecodableError:
        return None


def _stated(message, prop: str) -> str | None:
    """The encoding of the code page the message states in ``prop``, if Python has it."""
    from extract_msg.encoding import lookupCodePage

    try:
        return lookupCodePage(message.props[prop].value) if prop in message.props else None
    except Exception:  # an unknown or unsupported code page
        return None


def _fits(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _date(message):
    """When the message was sent, or None (extract-msg's NullDate is Outlook's "no date")."""
    from extract_msg.null_date import NullDate

    date = _value(message, "date")
    return None if isinstance(date, NullDate) else date


def _value(message, name: str):
    """A field of the message, or None when extract-msg cannot read it."""
    try:
        return getattr(message, name)
    except Exception:  # a damaged property is a missing one
        return None


def _body(message, warnings: list[str]) -> str:
    """The plain text body, else the HTML body as a page reads; a body that is RTF alone is
    turned into text only up to ``MAX_RTF`` bytes of it."""
    rtf_only = not any(message.exists(stream) for stream in _BODY_STREAMS)
    rtf = _value(message, "rtfBody") if rtf_only else None
    if rtf and len(rtf) > MAX_RTF:
        warnings.append(f"the body was not read: RTF of {amount(len(rtf))} (the limit is {amount(MAX_RTF)})")
        return ""
    text = _value(message, "body")
    if isinstance(text, str) and text.strip("\x00 \r\n\t"):
        return text.replace("\r\n", "\n").replace("\x00", "").strip()  # strings may end in a NUL
    try:
        html = message.htmlBody
    except Exception as error:  # extract-msg could not make HTML of the RTF body
        warnings.append(f"the HTML body was not read: {_said(error)}")
        return ""
    if not html:
        return ""
    from .html import declared_encoding, read_html

    try:
        # The HTML body is in the internet code page, whatever the strings are in.
        page, _encoding = decode_text(html, declared_encoding(html) or _stated(message, _INTERNET_CODE_PAGE))
    except UndecodableError as error:
        warnings.append(f"the HTML body was not read: {error}")
        return ""
    return read_html(page, main_text=False).text.strip()


def _sender(message) -> str | None:
    """The sender as "Name <address>": the From of the message's internet headers when it kept
    them, else its sender's name and SMTP address (never Exchange's internal one)."""
    headers = _string(message, _HEADERS)
    sender = message_fields(HeaderParser(policy=POLICY).parsestr(headers))["author"] if headers else None
    if sender:
        return str(sender)
    name = next((value for value in map(partial(_string, message), _SENDER_NAMES) if value), None)
    address = next((value for value in map(partial(_string, message), _SENDER_ADDRESSES) if _smtp(value)), None)
    return format_address(name, address) or None


def _smtp(address: str | None) -> bool:
    return bool(address) and "@" in address and not address.startswith("/")


def _string(message, stream: str) -> str | None:
    try:
        return message.getStringStream(stream)
    except Exception:  # a damaged property is a missing one
        return None


def _recipients(message) -> list[str]:
    """The To and Cc recipients, each "Name <address>"."""
    from extract_msg.enums import RecipientType

    listed: dict[str, None] = {}
    for recipient in _value(message, "recipients") or []:
        if recipient.type in (RecipientType.TO, RecipientType.CC):
            shown = format_address(recipient.name, recipient.email if _smtp(recipient.email) else None)
            if shown:
                listed[shown] = None
    return list(listed)[:MAX_ADDRESSES]


def _members(message, limits: Limits) -> Iterator[Member]:
    """Each attachment as a member, numbered from 1, within ``limits``."""
    total = 0
    try:
        for number, attachment in enumerate(_value(message, "attachments") or [], 1):
            step = str(number)
            given = _attachment_name(attachment)
            name = safe_name(given, f"attachment-{number}.bin")
            if number > limits.max_members:
                yield refused(step, name, too_many(limits))
                return
            if _shown_inline(attachment):
                continue
            member = _member(attachment, step, given, limits)
            total += len(member.data)
            if total > limits.max_bytes:
                yield refused(step, name, too_much(limits))
                return
            yield member
    finally:
        message.close()


def _attachment_name(attachment) -> str | None:
    for name in ("longFilename", "shortFilename", "displayName"):
        value = _value(attachment, name)
        if value:
            return str(value)
    return None


def _shown_inline(attachment) -> bool:
    """An image the HTML body shows: hidden, or named by its Content-ID alone."""
    return bool(_value(attachment, "hidden")) or bool(
        _value(attachment, "cid") and not _value(attachment, "longFilename")
    )


def _member(attachment, step: str, given: str | None, limits: Limits) -> Member:
    """The attachment (named ``given``) as a member, or refused saying why; a message attached
    is given as an Outlook message of its own."""
    from extract_msg.msg_classes import MSGFile

    name = safe_name(given, f"attachment-{step}.bin")
    try:
        data, kind = attachment.data, None
        if isinstance(data, MSGFile):
            data, kind = data.exportBytes(), "msg"
            given = given if not given or given.lower().endswith(".msg") else f"{given}.msg"
            name = safe_name(given, f"attachment-{step}.msg")
    except Exception as error:  # a damaged attachment: the others are still read
        return refused(step, name, f"unreadable attachment: {_said(error)}")
    if not isinstance(data, bytes):
        return refused(step, name, "an attachment extract-msg cannot give the bytes of (a link, or an OLE object)")
    if len(data) > limits.max_member_bytes:
        return refused(step, name, too_large(len(data), limits))
    media_type = _value(attachment, "mimetype")
    return Member(step=step, name=name, data=data, kind=kind, media_type=str(media_type) if media_type else None)


def _said(error: Exception) -> str:
    """An error as a reason: its message, else its kind."""
    return one_line(str(error))[:200] or type(error).__name__
