"""Plain text files, and the title rule shared by every format that has no title of its own."""

from __future__ import annotations

import re

from .extracted import Extracted

# Lines that belong to a web page's frame, not to the document: a text block holding one of them
# is the site's header (seed 002 opens "Skip to main content / Amnesty International UK / Log in").
_FURNITURE = frozenset(
    s.casefold()
    for s in (
        "skip to main content",
        "skip to content",
        "skip navigation",
        "jump to content",
        "log in",
        "login",
        "sign in",
        "sign up",
        "register",
        "menu",
        "main menu",
        "search",
        "home",
        "share",
        "print",
        "close",
        "subscribe",
        "donate",
        "accept cookies",
        "跳至主要內容",
        "跳到主要内容",
        "登入",
        "登錄",
        "登录",
        "註冊",
        "注册",
        "主頁",
        "首页",
        "搜尋",
        "搜索",
    )
)
_BULLETS = ("•", "·", "›", "»", "|", "*", "-", ">")
TITLE_MAX_CHARS = 200


def read_text(text: str) -> Extracted:
    """A plain text file: its text unchanged, and no metadata of its own."""
    return Extracted(text)


def title_from_text(text: str) -> str:
    """The first line that reads as a heading, skipping a leading block of page furniture."""
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if any(_is_furniture(line) for line in lines):
            continue
        for line in lines:
            if not _is_crumb(line):
                return _shorten(line.lstrip("#").strip())
    return ""


def _is_furniture(line: str) -> bool:
    return line.casefold().strip(" .:") in _FURNITURE


def _is_crumb(line: str) -> bool:
    """A breadcrumb or label: "• Action", "Home > News", a lone Latin word."""
    if line.startswith(_BULLETS) and not line.startswith("#"):
        return True
    if not line.lstrip("#").strip():
        return True
    words = line.split()
    return len(words) == 1 and line.isascii() and not line.startswith("#")


def _shorten(line: str) -> str:
    if len(line) <= TITLE_MAX_CHARS:
        return line
    cut = line[:TITLE_MAX_CHARS]
    if " " in cut[TITLE_MAX_CHARS // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"
