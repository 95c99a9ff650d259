"""The text of mail in whatever charset it came in: bodies and headers (encoded words, raw 8-bit
bytes, declarations that lie), a message's subject, sender, date and recipients ("Name
<address>"), attachments' names made safe.

Mail from Hong Kong and the mainland is Big5, GB2312, GBK, GB18030 or UTF-8, and often says
another: a declared charset is trusted only when the bytes decode in it; otherwise the
encoding the message's body was found in is tried (short headers say too little to detect),
then UTF-8, then ``encoding.decode``'s detection.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import email.utils
import re
from email.message import Message

from .encoding import UndecodableError, decode

# Big5 mail often holds the Hong Kong characters only Big5-HKSCS has.
_WIDER = {"big5": "big5hkscs", "cp950": "big5hkscs"}
_GB = frozenset({"gb2312", "gbk", "gb18030"})
# What every byte decodes in: a declaration of one is checked against UTF-8 and the Chinese
# encodings first (old Chinese mail is often labelled ISO-8859-1 or sent as US-ASCII).
_LATIN = frozenset({"iso8859-1", "iso8859-15", "cp1252", "ascii"})
# The encodings a message's body lends to its headers: the multi-byte ones detection may miss.
_HINTS = frozenset({"big5hkscs", "big5", "cp950", "gb18030", "gbk", "gb2312"})
# Names mail uses that Python does not know.
_ALIASES = {"x-gbk": "gbk", "x-gb18030": "gb18030", "x-big5": "big5"}
# Fewer bytes than this say too little for detection to tell Big5 from GBK.
_DETECTABLE = 64
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_QUOTED_BYTE = re.compile(rb"=([0-9A-Fa-f]{2})")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Control characters, and the marks that turn text right to left ("cod.exe" shown as "exe.doc").
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MAX_NAME = 200
_NAME_PARAMETER = re.compile(r'(?:file)?name\s*=\s*(?:"([^"]*)"|([^;\s]+))', re.IGNORECASE)
# The recipients kept of one message: a mailing list's thousands say nothing to a search.
MAX_ADDRESSES = 1_000


def codec(charset: str | None) -> str | None:
    """Python's name for a declared ``charset`` ("GB2312" -> "gb2312", "latin1" ->
    "iso8859-1"), or None when there is none or Python knows no such encoding."""
    if not charset:
        return None
    charset = charset.strip().strip("\"'").lower()
    try:
        return codecs.lookup(_ALIASES.get(charset, charset)).name
    except (LookupError, ValueError):
        return None


def hint(encoding: str | None) -> str | None:
    """``encoding`` when it is one a message's body may lend to its headers, else None."""
    return encoding if encoding in _HINTS else None


def decode_text(data: bytes, declared: str | None = None, found: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of a body or a header's bytes: in the ``declared`` charset when they
    decode in it, else in the encoding ``found`` in the message's body, UTF-8, or the one
    detection finds credible; ``UndecodableError`` when none is."""
    declared = codec(declared)
    if declared in _LATIN:
        return _latin(data, declared)
    for encoding in _candidates(data, declared, found):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return decode(data)


def _candidates(data: bytes, declared: str | None, found: str | None) -> list[str]:
    candidates = [name for name in (declared, _WIDER.get(declared or ""), "utf-8", found) if name]
    # Bytes that are not GB2312 as declared are GBK or GB18030 (the usual case) or Big5 (a
    # lie): Big5 bytes also decode as GB18030, and only detection, given enough text, tells.
    if declared in _GB and (len(data) < _DETECTABLE or not _fits(data, "big5hkscs")):
        candidates.append("gb18030")
    return candidates


def _latin(data: bytes, declared: str) -> tuple[str, str]:
    if data.isascii():
        return data.decode("ascii"), "ascii"
    try:
        text, encoding = decode(data)
    except UndecodableError:
        return data.decode(declared, "replace"), declared
    if encoding in _HINTS or encoding.startswith("utf") or declared == "ascii":
        return text, encoding
    return data.decode(declared, "replace"), declared


def _fits(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def header_text(raw: str, found: str | None = None) -> str:
    """A header's value as the message holds it (folded, raw 8-bit bytes kept by the parser as
    surrogate escapes) unfolded and decoded, its encoded words left as they are."""
    raw = _FOLD.sub("", raw)
    try:
        data = raw.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return raw  # already text
    if data.isascii():
        return raw
    try:
        return decode_text(data, None, found)[0]
    except UndecodableError:
        return data.decode("utf-8", "replace")


def decode_words(value: str, found: str | None = None) -> str:
    """``value`` with its RFC 2047 encoded words (``=?big5?B?...?=``) decoded, whitespace
    between adjacent ones dropped and their bytes joined (encoders split a character across
    two words); the charset each declares is checked as a body's is."""
    parts: list[str] = []
    pending: list[bytes] = []  # the bytes of adjacent words in one charset, decoded together
    charset, end, after_word = None, 0, False
    for match in _ENCODED_WORD.finditer(value):
        raw = _word_bytes(match[2], match[3])
        if raw is None:
            continue  # not an encoded word after all: kept as written
        gap, word_charset = value[end : match.start()], match[1].split("*")[0]
        if gap.strip() or not after_word or word_charset.lower() != (charset or "").lower():
            parts.append(_header_bytes(b"".join(pending), charset, found))
            pending = []
            if gap.strip() or not after_word:
                parts.append(gap)
        pending.append(raw)
        charset, end, after_word = word_charset, match.end(), True
    parts.append(_header_bytes(b"".join(pending), charset, found))
    parts.append(value[end:])
    return "".join(parts)


def _word_bytes(kind: str, text: str) -> bytes | None:
    if kind in "bB":
        try:
            return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        except (binascii.Error, ValueError):
            return None
    data = text.encode("utf-8").replace(b"_", b" ")
    return _QUOTED_BYTE.sub(lambda byte: bytes([int(byte[1], 16)]), data)


def _header_bytes(data: bytes, charset: str | None, found: str | None) -> str:
    if not data:
        return ""
    try:
        return decode_text(data, charset, found)[0]
    except UndecodableError:
        return data.decode("utf-8", "replace")


def one_line(value: str) -> str:
    """``value`` with its runs of whitespace one space, trimmed, its control characters (an
    Outlook subject's trailing NUL) dropped."""
    return _SPACES.sub(" ", _CONTROL.sub("", value)).strip()


def addresses(values: list[str], found: str | None = None) -> list[str]:
    """Each address of the header values ``values`` (To, Cc, From...) as "Name <address>", the
    address alone when there is no name; each once, the first ``MAX_ADDRESSES``."""
    texts = [header_text(value, found) for value in values]
    try:
        pairs = email.utils.getaddresses(texts)
    except RecursionError:  # comments nested thousands deep
        return []
    listed: dict[str, None] = {}
    for name, address in pairs[: MAX_ADDRESSES * 2]:
        shown = format_address(decode_words(name, found), address)
        if shown:
            listed[shown] = None
    return list(listed)[:MAX_ADDRESSES]


def format_address(name: str | None, address: str | None) -> str:
    """``Name <address>``, or whichever of the two there is ("" for neither)."""
    name, address = one_line(name or "").strip("\"' "), one_line(address or "")
    if name and address and name != address:
        return f"{name} <{address}>"
    return address or name


def safe_name(name: str | None, fallback: str) -> str:
    """An attachment's file name as a download may be called: no folders (``/`` or ``\\``), no
    control or direction characters, at most ``MAX_NAME`` characters; ``fallback`` when
    nothing is left of it."""
    name = _UNSAFE.sub("", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if len(name) > MAX_NAME:
        _stem, dot, extension = name.rpartition(".")
        extension = extension if dot and len(extension) <= 16 else ""
        name = name[: MAX_NAME - len(extension) - 1].rstrip() + ("." + extension if extension else "")
    return fallback if name.strip(".") == "" else name


def message_fields(message: Message, found: str | None = None) -> dict[str, object]:
    """The subject (as ``title``), sender (``author``), date and recipients of ``message``,
    read from its raw headers with the encoding ``found`` in its body as a hint."""
    raw: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        raw.setdefault(name.lower(), []).append(str(value))
    subject = one_line(decode_words(header_text(raw["subject"][0], found), found)) if raw.get("subject") else ""
    senders = addresses(raw.get("from") or raw.get("sender") or [], found)
    return {
        "title": subject or None,
        "author": senders[0] if senders else None,
        "date": _date(raw.get("date")),
        "recipients": addresses(raw.get("to", []) + raw.get("cc", []), found) or None,
    }


def _date(values: list[str] | None):
    if not values:
        return None
    try:
        return email.utils.parsedate_to_datetime(one_line(values[0]))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def raw_parameter(headers: list[tuple[str, str]], found: str | None = None) -> str | None:
    """The file name a part's raw Content-Disposition (or Content-Type) gives, its 8-bit bytes
    decoded with the encoding ``found`` in the message's body."""
    for wanted in ("content-disposition", "content-type"):
        for name, value in headers:
            if name.lower() == wanted and (match := _NAME_PARAMETER.search(header_text(str(value), found))):
                return match[1] or match[2]
    return None
