"""Bytes -> text for the text formats, in the encodings a Hong Kong and mainland archive holds.

UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read directly. Other bytes are offered to
charset-normalizer, limited to the encodings such an archive really uses (Big5-HKSCS, GB18030,
Windows-1252), and the winner must read as credible text: never index mojibake.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Supersets first: Big5-HKSCS reads Big5 and the Hong Kong characters; GB18030 reads GBK and GB2312.
_CANDIDATES = ["big5hkscs", "gb18030", "cp1252"]
_SUPERSET = {"big5": "big5hkscs", "cp950": "big5hkscs", "gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030"}
# charset-normalizer's "chaos": the share of the decoded text that looks like noise.
_MAX_CHAOS = 0.1
# Share of control characters above which the "text" is really binary.
_MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


class UndecodableError(ValueError):
    """The bytes are not text in any encoding the archive accepts."""


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)`` for ``data``, or raise ``UndecodableError`` with the reason.

    ``declared`` is the encoding the file says it is in (an HTML ``<meta charset>``); it is used
    when the bytes fit it.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding)), encoding
            except UnicodeDecodeError as error:
                raise UndecodableError(f"not valid {encoding} despite its byte order mark: {error.reason}") from None
    if b"\x00" in data:
        raise UndecodableError("binary content (NUL bytes), not text")
    if declared:
        encoding = _SUPERSET.get(declared.lower().replace("-", ""), declared.lower())
        try:
            return _checked(data.decode(encoding)), encoding
        except (UnicodeDecodeError, LookupError):
            pass  # the declaration is wrong or unknown: detect instead
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None or best.chaos > _MAX_CHAOS:
        raise UndecodableError("no credible text encoding (tried UTF-8, UTF-16, Big5-HKSCS, GB18030, Windows-1252)")
    encoding = _SUPERSET.get(best.encoding, best.encoding)
    try:
        return _checked(data.decode(encoding)), encoding
    except UnicodeDecodeError as error:
        raise UndecodableError(f"bytes do not fit {encoding}: {error.reason}") from None


def _checked(text: str) -> str:
    if text and len(_CONTROL.findall(text)) / len(text) > _MAX_CONTROL_SHARE:
        raise UndecodableError("binary content (control characters), not text")
    return text
