"""Label a document with its languages (BCP 47, main first) and the share of each.

The script of each letter decides first: Han is Chinese, told Simplified or Traditional by its
characters; kana is Japanese; Hangul is Korean. Only letters of alphabetic scripts go to
langdetect, seeded so the label never changes between runs, and plain English is recognised by
its function words before langdetect is asked at all (it is slow, and wrong on short text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from langdetect import DetectorFactory, LangDetectException, detect_langs

from ..languages import CHINESE, tag_parts
from .script import HAN, simplified_share

DetectorFactory.seed = 0

# A language is listed when it holds at least this share of the document's letters.
MIN_SHARE = 0.05
# Below this many letters, a script is too small a sample to name a language.
MIN_LETTERS = 20
# Labels are computed on at most this many characters, taken evenly through the document.
SAMPLE_CHARS = 200_000
_SAMPLE_CHUNKS = 20
# langdetect guesses wildly below this many letters ('Hong Kong national security law' -> tl).
DETECT_MIN_LETTERS = 100

_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_OTHER_LETTERS = re.compile(
    r"[^\W\d_A-Za-z\u00c0-\u024f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U000323af]+"
)
_ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "with",
        "as",
        "by",
        "are",
        "be",
        "this",
        "was",
        "it",
        "at",
        "from",
        "or",
        "an",
        "have",
        "not",
        "has",
        "which",
        "their",
        "will",
        "we",
        "our",
        "its",
        "were",
        "been",
        "they",
        "his",
        "her",
        "who",
        "would",
        "can",
    ]
)
_ENGLISH_SHARE = 0.15


@dataclass(frozen=True)
class Language:
    """A language of a document and its share of the document's letters (0 to 1)."""

    tag: str
    share: float


def label(text: str, declared: str | None = None) -> list[Language]:
    """Return the languages of ``text``, main first; ``declared`` (from metadata) names the main one."""
    sample = _sample(text)
    latin_words = _LATIN_WORD.findall(sample)
    other_words = _OTHER_LETTERS.findall(sample)
    letters = {
        "han": _count(HAN, sample),
        "kana": _count(_KANA, sample),
        "hangul": _count(_HANGUL, sample),
        "latin": sum(map(len, latin_words)),
        "other": sum(map(len, other_words)),
    }
    letters = {script: count for script, count in letters.items() if count}
    # A few letters of another script (a name, a symbol) do not make a language of the document.
    if any(count >= MIN_LETTERS for count in letters.values()):
        letters = {script: count for script, count in letters.items() if count >= MIN_LETTERS}
    total = sum(letters.values())
    counts: dict[str, int] = {}
    for script, count in letters.items():
        if count / total < MIN_SHARE:
            continue
        # Naming a script's language is the costly part: only for the scripts that are listed.
        if script == "han":
            share = simplified_share(sample)
            tag = "zh-Hans" if share is None or share >= 0.5 else "zh-Hant"
        elif script == "latin":
            tag = _latin_language(latin_words, count)
        elif script == "other":
            tag = _detect(" ".join(other_words), count) or "und"
        else:
            tag = {"kana": "ja", "hangul": "ko"}[script]
        counts[tag] = counts.get(tag, 0) + count
    languages = [
        Language(tag, round(count / total, 3))
        for tag, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    if declared and (tag := normalise_tag(declared, languages)):
        languages = _with_declared(languages, tag)
    return languages


def normalise_tag(declared: str, detected: list[Language] | None = None) -> str | None:
    """A declared language as the archive labels it: language and script, no region.

    ``en-GB`` -> ``en``; ``zh-HK`` and ``zh-TW`` -> ``zh-Hant``; ``zh-CN`` -> ``zh-Hans``; a bare
    ``zh`` takes the script the characters show. Anything that is not a language tag -> None.
    """
    parts = [part for part in declared.strip().replace("_", "-").split("-") if part]
    if not parts or not parts[0].isalpha() or not 2 <= len(parts[0]) <= 3:
        return None
    family = parts[0].lower()
    script = next((part.title() for part in parts[1:] if len(part) == 4 and part.isalpha()), None)
    region = next((part.upper() for part in parts[1:] if len(part) == 2 and part.isalpha()), None)
    if family in CHINESE and script is None:
        if region in ("HK", "TW", "MO"):
            script = "Hant"
        elif region in ("CN", "SG", "MY"):
            script = "Hans"
        else:
            chinese = [language.tag for language in detected or [] if language.tag.startswith("zh-")]
            script = chinese[0].split("-")[1] if chinese else None
    return f"{family}-{script}" if script else family


def _with_declared(languages: list[Language], declared: str) -> list[Language]:
    """Put the declared language first, in place of the detected label it refines."""
    same = [language for language in languages if _same_language(language.tag, declared)]
    rest = [language for language in languages if not _same_language(language.tag, declared)]
    share = same[0].share if same else (0.0 if rest else 1.0)
    return [Language(declared, share), *rest]


def _same_language(detected: str, declared: str) -> bool:
    """True when ``declared`` names the language ``detected`` found: zh-Hans for yue-Hans or zh."""
    (detected_family, detected_script), (family, script) = tag_parts(detected), tag_parts(declared)
    return detected_family == family and (not script or not detected_script or script == detected_script)


def _latin_language(words: list[str], letters: int) -> str:
    """English unless the words are clearly another language: the archive writes English."""
    lowered = [word.lower() for word in words[:2000]]
    function_words = sum(1 for word in lowered if word in _ENGLISH_FUNCTION_WORDS)
    if function_words / len(lowered) >= _ENGLISH_SHARE:
        return "en"
    return _detect(" ".join(words[:1000]), letters) or "en"


def _detect(text: str, letters: int) -> str | None:
    """langdetect's answer when the sample is long enough and it is sure; else None."""
    if letters < DETECT_MIN_LETTERS:
        return None
    try:
        best = detect_langs(text)[0]
    except LangDetectException:
        return None
    if best.prob < 0.9:
        return None
    return {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}.get(best.lang, best.lang)


def _count(pattern: re.Pattern[str], text: str) -> int:
    return pattern.subn("", text)[1]


def _sample(text: str) -> str:
    if len(text) <= SAMPLE_CHARS:
        return text
    chunk = SAMPLE_CHARS // _SAMPLE_CHUNKS
    step = len(text) // _SAMPLE_CHUNKS
    return "\n".join(text[i * step : i * step + chunk] for i in range(_SAMPLE_CHUNKS))
