"""The search help (``/help``) in the interface language: the query language section by section
(``help_sections``), each example (``help_examples``) a link to its search, and every refusal a
search can meet with its message and what it means (``help_refusals``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from . import i18n
from .help_examples import BY_SECTION, EXAMPLES, Example, Words
from .help_refusals import REFUSALS, Refusal
from .help_sections import SECTIONS

__all__ = ["EXAMPLES", "REFUSALS", "SECTIONS", "HelpPage", "help_page", "words"]

INTRO: Words = (
    "What a query can say, with examples from the archive's own documents: each example is a link to its search.",
    "查詢的寫法，附檔案庫本身文件的例子：每個例子都是一個搜尋連結。",
    "查询的写法，附档案库本身文件的例子：每个例子都是一个搜索链接。",
)
CONTENTS: Words = ("On this page", "本頁內容", "本页内容")
YOU_TYPE: Words = ("You type", "輸入", "输入")
IT_FINDS: Words = ("It finds", "找到", "找到")
REFUSALS_TITLE: Words = ("When a search is refused", "搜尋被拒絕時", "搜索被拒绝时")
REFUSALS_INTRO: Words = (
    "A search that cannot be run is answered with a message that says what to change. Each "
    "message below is shown with example values, and where it can be, a request that meets it.",
    "無法進行的搜尋會得到一則訊息，說明要修改甚麼。以下每則訊息都附有示例值，並在可能時附上會遇到該訊息的請求。",
    "无法进行的搜索会得到一则消息，说明要修改什么。以下每则消息都附有示例值，并在可能时附上会遇到该消息的请求。",
)

# A link to the search page with the given parameters (the interface language kept).
Link = Callable[[Mapping[str, str]], str]
_CODE = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class ShownExample:
    """An example as the page shows it: the query, its other parameters, what it finds, and
    the link to its search."""

    q: str
    params: str
    finds: Markup
    url: str


@dataclass(frozen=True)
class ShownSection:
    """A section as the page shows it, in the interface language."""

    key: str
    title: str
    paragraphs: list[Markup]
    examples: list[ShownExample]


@dataclass(frozen=True)
class ShownRefusal:
    """A refusal as the page shows it: its key, its message with example values, what it means,
    and the request that meets it with its link (both empty when none is linked)."""

    key: str
    message: str
    means: str
    request: str
    url: str


@dataclass(frozen=True)
class HelpPage:
    """The whole help page in one interface language."""

    intro: str
    contents: str
    you_type: str
    it_finds: str
    sections: list[ShownSection]
    refusals_title: str
    refusals_intro: str
    refusals: list[ShownRefusal]


def help_page(ui: str, settings: Mapping[str, Any], link: Link) -> HelpPage:
    """The help page in interface language ``ui``; the limits its messages name are the app's
    ``settings``, and ``link`` makes the address of a search."""
    number = i18n.UI_LANGUAGES.index(ui)
    sections = [
        ShownSection(
            section.key,
            section.title[number],
            [prose(paragraph[number]) for paragraph in section.paragraphs],
            [_example(example, number, link) for example in BY_SECTION[section.key]],
        )
        for section in SECTIONS
    ]
    refusals = [_refusal(refusal, ui, settings, link) for refusal in REFUSALS]
    return HelpPage(
        INTRO[number],
        CONTENTS[number],
        YOU_TYPE[number],
        IT_FINDS[number],
        sections,
        REFUSALS_TITLE[number],
        REFUSALS_INTRO[number],
        refusals,
    )


def prose(text: str) -> Markup:
    """``text`` escaped, each `backquoted` part shown as code."""
    return Markup(_CODE.sub(lambda match: f"<code>{match.group(1)}</code>", str(escape(text))))


def refusal_values(refusal: Refusal, settings: Mapping[str, Any]) -> dict[str, object]:
    """The values ``refusal``'s message is shown with: its own, and those of the app's settings."""
    values = dict(refusal.values)
    for name, setting in refusal.settings:
        value = settings[setting]
        values[name] = f"{value:g}" if isinstance(value, float) else value
    return values


def words() -> dict[str, Words]:
    """Every text of the help by a name of its own, each in the three interface languages."""
    found: dict[str, Words] = {
        "intro": INTRO,
        "contents": CONTENTS,
        "you type": YOU_TYPE,
        "it finds": IT_FINDS,
        "refusals title": REFUSALS_TITLE,
        "refusals intro": REFUSALS_INTRO,
    }
    for section in SECTIONS:
        found[f"{section.key} title"] = section.title
        found.update({f"{section.key} paragraph {n}": text for n, text in enumerate(section.paragraphs)})
        found.update(
            {
                f"{section.key} example {example.q!r} {example.params}": example.finds
                for example in BY_SECTION[section.key]
            }
        )
    found.update({f"refusal {refusal.key}": refusal.means for refusal in REFUSALS})
    return found


def _example(example: Example, number: int, link: Link) -> ShownExample:
    params = dict(example.params)
    return ShownExample(
        example.q,
        "&".join(f"{name}={value}" for name, value in example.params),
        prose(example.finds[number]),
        link({"q": example.q, **params}),
    )


def _refusal(refusal: Refusal, ui: str, settings: Mapping[str, Any], link: Link) -> ShownRefusal:
    message = i18n.message(refusal.key, ui, refusal_values(refusal, settings))
    means = refusal.means[i18n.UI_LANGUAGES.index(ui)]
    shown = "&".join(f"{name}={value}" for name, value in refusal.trigger)
    return ShownRefusal(refusal.key, message, means, shown, link(dict(refusal.trigger)) if refusal.trigger else "")
