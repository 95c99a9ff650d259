"""Rich Text Format (.rtf): the text as a reader sees it, and the title and author of its info.

striprtf turns the RTF into text: ``\\'hh`` escapes in the document's code page (``\\ansicpg950``
is Big5, ``\\ansicpg936`` GBK, as Chinese Windows writes them) or in the code page of the font
they are written in, and ``\\uN`` Unicode escapes (a character past U+FFFF, written as two
halves, made whole again). Each paragraph (``\\par``) is a paragraph of the text, a blank line
after it, as a Word document's are; a line break inside one (``\\line``) stays a line break; a
table's row is a paragraph, its cells ended by ``|``. Headers, footers, footnotes, comments,
pictures and fields' instructions are not the document's text.

The file is hostile input, read within bounds before striprtf sees it: its groups are counted
and their nesting bounded (striprtf keeps a state per open group), and the groups striprtf would
skip character by character (pictures, embedded objects, ``{\\*\\...}`` destinations, binary data)
are cut out first, so that a file of pictures is read in the time its text takes.
"""

from __future__ import annotations

import codecs
import re

from striprtf.striprtf import rtf_to_text

from .errors import SkipFile
from .extracted import Extracted, from_mapping, split_keywords
from .members import Limits

PARAGRAPH_BREAK = "\n\n"
# Groups nest a few levels deep in what word processors write (tables in tables, shapes, lists).
MAX_DEPTH = 1000
# A long report has tens of thousands of groups (a run of formatting is one).
MAX_GROUPS = 1_000_000
_LINE_BREAK = "\u2028"  # what \line becomes in striprtf's text, told apart from a \par's "\n"
# Braces and escapes, binary data, groups cut out, and the control words read before striprtf.
_TOKENS = re.compile(rb"\\[\\{}]|\\bin(-?\d{1,10}) ?|\{(\\\*|\\pict(?![a-z]))?|\}|\\line(?![a-z]) ?")
# A \uN is a 16-bit number (signed or not); striprtf fails on a larger one.
_UNICODE = re.compile(rb"\\u(-?\d{5,})")
_CODE_PAGE = re.compile(rb"\\ansicpg(\d{1,5})")
_CHARACTER_SETS = {rb"\mac": "mac_roman", rb"\pca": "cp850", rb"\pc": "cp437"}
_INFO = re.compile(r"\{\\info(?![a-z])")
_INFO_FIELDS = {"title": "title", "author": "author", "subject": "description", "doccomm": "description"}
_TIME = re.compile(r"\\(yr|mo|dy)(\d{1,4})")
_BRACES = re.compile(r"\\[\\{}]|[{}]")


def read_rtf(data: bytes, limits: Limits) -> Extracted:
    """Return the text of an RTF file and the title, author, keywords and dates of its info."""
    if not data[:64].lstrip().startswith(b"{\\rtf"):
        raise SkipFile("unreadable RTF file: it does not start with {\\rtf")
    encoding = _code_page(data)
    source = _UNICODE.sub(_in_range, _without_skipped_groups(data)).decode(encoding, "replace")
    lines = _converted(source, encoding).replace("\r", "\n").split("\n")
    paragraphs = ("\n".join(part.strip() for part in line.split(_LINE_BREAK)).strip() for line in lines)
    meta = _info(source, encoding)
    created = meta.pop("created", None)
    # An empty paragraph, or a table's empty row, shows as space between paragraphs: one blank line.
    text = PARAGRAPH_BREAK.join(paragraph for paragraph in paragraphs if paragraph.strip("| \t\n"))
    return from_mapping(text, meta, file_date=created)


def _in_range(match: re.Match) -> bytes:
    """A ``\\uN`` escape as it is, or a question mark's when N is past 16 bits."""
    return match[0] if -32768 <= int(match[1]) <= 65535 else rb"\u63"


def _converted(source: str, encoding: str) -> str:
    """striprtf's text of ``source``, each character whole (its halves joined)."""
    try:
        text = rtf_to_text(source, encoding=encoding, errors="replace")
    # striprtf fails on a malformed control word (a \uc without its number, say) with whatever
    # Python raises for it.
    except (ValueError, TypeError, LookupError, OverflowError, IndexError) as error:
        raise SkipFile(f"unreadable RTF file: malformed ({type(error).__name__}: {error})") from None
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _code_page(data: bytes) -> str:
    """The document's code page (its ``\\ansicpg``, else its character set), as Python names it."""
    header = data[:2048]
    if match := _CODE_PAGE.search(header):
        encoding = f"cp{int(match[1])}"
        try:
            return codecs.lookup(encoding).name
        except LookupError:
            pass
    for word, encoding in _CHARACTER_SETS.items():
        if re.search(re.escape(word) + rb"(?![a-z])", header[:64]):
            return encoding
    return "cp1252"


def _without_skipped_groups(data: bytes) -> bytes:
    """``data`` without its pictures, objects, ``{\\*\\...}`` groups and binary data (none of it
    text), a ``\\line`` made a character of its own; ``SkipFile`` when groups nest deeper than
    ``MAX_DEPTH`` or number more than ``MAX_GROUPS``."""
    if data.count(b"{") > MAX_GROUPS:
        raise SkipFile(f"unreadable RTF file: more than {MAX_GROUPS:,} groups")
    kept: list[bytes] = []
    depth = cut_at = 0  # cut_at: the depth of the group being cut out, 0 when none is
    start = position = 0
    while match := _TOKENS.search(data, position):
        token, position = match[0], match.end()
        if token.startswith(b"\\bin"):
            if not cut_at:
                kept.append(data[start : match.start()])
            position = start = min(position + max(int(match[1]), 0), len(data))
        elif token.startswith(b"\\line"):
            if not cut_at:
                # In a group of its own, so that the \uc it needs is undone after it.
                kept += [data[start : match.start()], b"{\\uc1\\u8232?}"]
                start = position
        elif token == b"}":
            if cut_at and cut_at == depth:
                cut_at, start = 0, position
            depth -= 1
        elif token.startswith(b"{"):
            depth += 1
            if depth > MAX_DEPTH:
                raise SkipFile(f"unreadable RTF file: groups nested more than {MAX_DEPTH:,} deep")
            if match[2] and not cut_at:
                kept.append(data[start : match.start()])
                cut_at = depth
    if not cut_at:
        kept.append(data[start:])
    return b"".join(kept)


def _info(source: str, encoding: str) -> dict:
    """The info group's title, author, description and keywords (as front matter names them),
    and ``created``, the file's date (its creation time, else its last revision's)."""
    found = _INFO.search(source)
    if not found:
        return {}
    info = _group(source, found.start())
    # A \uN's stand-in characters are as many as the last \ucN before it says.
    skip = re.findall(r"\\uc(\d{1,2})(?![0-9])", source[: found.start()])
    prefix = f"{{\\rtf1\\uc{skip[-1] if skip else 1} "
    meta: dict = {}
    for name, key in _INFO_FIELDS.items():
        if key not in meta and (group := _named_group(info, name)):
            value = " ".join(_converted(prefix + group + "}", encoding).split())
            if value:
                meta[key] = value
    if keywords := _named_group(info, "keywords"):
        meta["tags"] = split_keywords(_converted(prefix + keywords + "}", encoding))
    dates = (_date(_named_group(info, name)) for name in ("creatim", "revtim"))
    meta["created"] = next((date for date in dates if date), None)
    return meta


def _named_group(info: str, name: str) -> str:
    """What the ``{\\name ...}`` group in ``info`` holds after its control word ("" when none)."""
    found = re.search(r"\{\\" + name + r"(?![a-z])", info)
    if not found:
        return ""
    return _group(info, found.start())[len(name) + 2 : -1]


def _group(source: str, start: int) -> str:
    """The group that opens at ``start``, braces and all (to the end when it is not closed)."""
    depth = 0
    for match in _BRACES.finditer(source, start):
        if match[0] == "{":
            depth += 1
        elif match[0] == "}":
            depth -= 1
            if depth == 0:
                return source[start : match.end()]
    return source[start:]


def _date(group: str) -> str | None:
    """An info time (``\\yr2019\\mo6\\dy4\\hr10\\min5``) as ``YYYY-MM-DD``, or as far as it goes."""
    parts = dict(_TIME.findall(group))
    if "yr" not in parts:
        return None
    date = parts["yr"].zfill(4)
    for name in ("mo", "dy"):
        if name not in parts:
            break
        date += "-" + parts[name].zfill(2)
    return date
