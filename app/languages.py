"""Language tags as the archive uses them: which codes are Chinese, and what a filter matches.

Documents are labelled with BCP 47 tags (``en``, ``zh-Hans``, ``yue-Hant``); a filter on ``zh``
finds every Chinese language in either script, ``zh-Hant`` every Chinese language written in
Traditional characters. Ingest, the index and the web read the rule from here.
"""

from __future__ import annotations

# Chinese languages and their ISO 639-3 codes: Mandarin, Cantonese, Min Nan, Hakka, Wu, Classical.
CHINESE = frozenset({"zh", "cmn", "yue", "nan", "hak", "wuu", "lzh"})
# The form a language filter takes (the OpenAPI document publishes the same pattern).
TAG_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


def tag_parts(tag: str) -> tuple[str, str | None]:
    """(language, script) of a tag, with every Chinese language as ``zh``: yue-Hant -> (zh, Hant)."""
    subtags = tag.split("-")
    family = subtags[0].lower()
    family = "zh" if family in CHINESE else family
    script = next((part.title() for part in subtags[1:] if len(part) == 4), None)
    return family, script


def filter_terms(tags: list[str]) -> list[str]:
    """The filter values that find a document labelled ``tags``: each tag, its language, and
    ``zh`` and ``zh-<Script>`` for any Chinese language."""
    terms: list[str] = []
    for tag in tags:
        parts = tag.split("-")
        candidates = [tag, parts[0].lower()]
        script = next((part.title() for part in parts[1:] if len(part) == 4), None)
        if parts[0].lower() in CHINESE:
            candidates.append("zh")
            if script:
                candidates.append(f"zh-{script}")
        for term in candidates:
            if term not in terms:
                terms.append(term)
    return terms
