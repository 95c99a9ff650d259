"""The interface language of a request, and its words: labels, plural forms, messages.

The words themselves live in ``labels`` (what the pages always show) and ``messages`` (what they
say when a request is refused); this module chooses the language and looks them up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .. import glossary
from ..languages import CHINESE
from ..messages import MESSAGES
from ..service.results import CONCEPT, CONCEPT_FACETS, UNDATED
from .labels import LABELS, PLURALS
from .names import FORMAT_NAMES, LANGUAGE_NAMES, PARAMETER_NAMES

UI_LANGUAGES = ("en", "zh-Hant", "zh-Hans")
DEFAULT_UI = "en"

# How each interface language names itself in the switch.
UI_NAMES = {"en": "English", "zh-Hant": "繁體中文", "zh-Hans": "简体中文"}

# Regions whose Chinese is written in Traditional characters: Hong Kong, Macau, Taiwan.
_TRADITIONAL_REGIONS = frozenset({"hk", "mo", "tw"})


def label(key: str, ui: str, **values: object) -> str:
    """The label ``key`` in interface language ``ui``, with ``{placeholders}`` filled in; a
    label that counts something takes ``count`` and agrees with it."""
    if key in PLURALS:
        english, *chinese = PLURALS[key]
        count = values["count"]
        text = (english[0] if count == 1 else english[1]) if ui == "en" else chinese[_index(ui) - 1]
        return text.format(**values)
    text = LABELS[key][_index(ui)]
    return text.format(**values) if values else text


def message(key: str, ui: str, params: Mapping[str, object] | None = None) -> str:
    """The message ``key`` in interface language ``ui``, its ``{placeholders}`` from ``params``;
    a ``{name}`` of a query-string parameter is named in the interface language."""
    values = dict(params or {})
    if ui != "en" and values.get("name") in PARAMETER_NAMES:
        values["name"] = PARAMETER_NAMES[str(values["name"])][_index(ui)]
    return MESSAGES[key][_index(ui)].format(**values)


def error_message(key: str | None, params: Mapping[str, object] | None, english: str, ui: str) -> str:
    """What a page in ``ui`` says for an error: its message by ``key``, or its ``english``
    text when it has no key this interface knows."""
    if key in MESSAGES:
        try:
            return message(key, ui, params)
        except (KeyError, IndexError, ValueError):  # the error lacks a value the message names
            pass
    return english


def language_name(tag: str, ui: str) -> str:
    """A document language's name in the interface language, or the tag itself."""
    names = LANGUAGE_NAMES.get(tag)
    return names[_index(ui)] if names else tag


def facet_value(name: str, value: str, ui: str) -> str:
    """A value of facet ``name`` as the interface names it: a language by its name, the
    documents without a date by the label ``undated``, any other value as the documents write it."""
    if name == "lang":
        return language_name(value, ui)
    if name == "year" and value == UNDATED:
        return label("undated", ui)
    if (name == CONCEPT or name in CONCEPT_FACETS) and value in glossary.load().ids:
        return glossary.load().concept(value).names[ui]
    return value


def concept_other_name(concept_id: str, ui: str) -> str:
    """A concept's name in the other language than the interface's (its Chinese name under
    English, its English name under Chinese), shown beside or over its name."""
    names = glossary.load().concept(concept_id).names
    return names["zh-Hant"] if ui == "en" else names["en"]


def format_name(kind: str, ui: str) -> str:
    """A document format's name in the interface language, or the format itself."""
    names = FORMAT_NAMES.get(kind)
    return names[_index(ui)] if names else kind


def choose(requested: str | None, accepted: Iterable[tuple[str, float]]) -> str:
    """The interface language: ``?ui=`` when valid, else the browser's most preferred language
    that is Chinese or English (``Accept-Language``, by quality, ties in the order given)."""
    if requested in UI_LANGUAGES:
        return requested
    ranked = sorted(((value, quality) for value, quality in accepted if quality > 0), key=lambda item: -item[1])
    for value, _quality in ranked:
        found = ui_for_tag(value)
        if found:
            return found
    return DEFAULT_UI


def ui_for_tag(tag: str) -> str | None:
    """The interface language a BCP 47 tag asks for, or None for a language it does not speak.

    A Chinese language (``zh``, ``cmn``, ``nan`` …) is Simplified unless its script is Hant or its
    region Hong Kong, Macau or Taiwan; Cantonese (``yue``, ``zh-yue``) is Traditional unless its
    script is Hans.
    """
    parts = tag.lower().replace("_", "-").split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] not in CHINESE:
        return None
    if "hant" in parts:
        return "zh-Hant"
    if "hans" in parts:
        return "zh-Hans"
    if parts[0] == "yue" or "yue" in parts[1:] or _TRADITIONAL_REGIONS & set(parts[1:]):
        return "zh-Hant"
    return "zh-Hans"


def tables() -> dict[str, Mapping[str, tuple]]:
    """Every table of words by its name, for tests that check each entry has all three languages."""
    return {
        "labels": LABELS,
        "plurals": PLURALS,
        "messages": MESSAGES,
        "format names": FORMAT_NAMES,
        "language names": LANGUAGE_NAMES,
        "parameter names": PARAMETER_NAMES,
    }


def _index(ui: str) -> int:
    return UI_LANGUAGES.index(ui)
