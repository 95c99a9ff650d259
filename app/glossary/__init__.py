"""The cross-language glossary: concepts and their names in English and Chinese.

``terms.yaml`` lists the concepts (political prisoner = 政治犯, National Security Law = 國安法 =
NSL...). A form is matched on its index terms (folded, stemmed), so 政治犯 and 政治犯 in either
script, "political prisoners" and "Political Prisoner" are one form. ``Glossary.find`` finds the
forms in a sequence of query terms, longest first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from ..analysis.chinese import simplified
from ..analysis.index_pass import positioned_terms

TERMS_FILE = Path(__file__).with_name("terms.yaml")
CATEGORIES = frozenset(
    {"right", "law", "institution", "event", "place", "organisation", "person", "persecution", "politics"}
)


@dataclass(frozen=True)
class Concept:
    """One concept and every name it goes by."""

    id: str
    category: str
    en: tuple[str, ...]
    zh: tuple[str, ...]
    also: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    in_archive: bool = True
    note: str | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        """Every form: English, Chinese, then the alternatives."""
        return (*self.en, *self.zh, *self.also)

    @cached_property
    def names(self) -> dict[str, str]:
        """The concept's name in each interface language (``en``, ``zh-Hant``, ``zh-Hans``): its
        first English form, its first Chinese form (written in Traditional) and that form in
        Simplified; a concept without one takes the other."""
        english = (self.en or self.also or self.zh)[0]
        chinese = self.zh[0] if self.zh else english
        return {"en": english, "zh-Hant": chinese, "zh-Hans": simplified(chinese)}


@dataclass(frozen=True)
class Match:
    """A run of query terms, ``start`` to ``end``, that is a form of ``concept``."""

    start: int
    end: int
    concept: Concept


@dataclass
class Glossary:
    """The concepts, and each form's index terms for matching."""

    concepts: list[Concept]
    _by_terms: dict[tuple[str, ...], list[Concept]] = field(default_factory=dict)
    _longest: int = 0
    # Each form's (position, term) pairs, analysed once for matching queries and naming documents.
    _placed: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for concept in self.concepts:
            for form in concept.forms:
                key = tuple(term for _position, term in self.placed(form))
                if key and concept not in self._by_terms.setdefault(key, []):
                    self._by_terms[key].append(concept)
                    self._longest = max(self._longest, len(key))

    def placed(self, form: str) -> list[tuple[int, str]]:
        """(position, index term) of each term of ``form``, in order (``positioned_terms``)."""
        found = self._placed.get(form)
        if found is None:
            found = self._placed[form] = positioned_terms(form)
        return found

    def find(self, query_terms: Sequence[str], boundaries: frozenset[int] | None = None) -> list[Match]:
        """The forms in ``query_terms``, longest first, none overlapping.

        A match may only start and end at ``boundaries`` (indexes into ``query_terms``; by
        default every index), so that a form never cuts a word or a quoted phrase in two.
        """
        allowed = boundaries if boundaries is not None else frozenset(range(len(query_terms) + 1))
        matches: list[Match] = []
        start = 0
        while start < len(query_terms):
            found = None
            if start in allowed:
                for end in range(min(len(query_terms), start + self._longest), start, -1):
                    if end in allowed and (concepts := self._by_terms.get(tuple(query_terms[start:end]))):
                        found = [Match(start, end, concept) for concept in concepts]
                        break
            if found:
                matches += found
                start = found[0].end
            else:
                start += 1
        return matches

    @cached_property
    def ids(self) -> frozenset[str]:
        """The id of every concept."""
        return frozenset(self._by_id)

    def forms_by_terms(self) -> dict[tuple[str, ...], list[Concept]]:
        """Every form's index terms, and the concepts it is a form of (two only for a form
        both list as ``ambiguous``)."""
        return dict(self._by_terms)

    def concept(self, concept_id: str) -> Concept:
        """The concept called ``concept_id``."""
        return self._by_id[concept_id]

    @cached_property
    def _by_id(self) -> dict[str, Concept]:
        return {concept.id: concept for concept in self.concepts}


# libyaml's safe loader where PyYAML was built with it: the same data, read ten times faster (the
# glossary's 525 concepts took 0.6 s in Python, most of a command-line search's start).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str) -> list[Concept]:
    """The concepts of a glossary file's text; ``ValueError`` says what is wrong and where."""
    data = yaml.load(text, Loader=SAFE_LOADER)
    if not isinstance(data, dict) or not isinstance(data.get("concepts"), list):
        raise ValueError("the glossary must be a mapping with a list under 'concepts'")
    concepts = []
    for number, entry in enumerate(data["concepts"], 1):
        if not isinstance(entry, dict) or not entry.get("id"):
            raise ValueError(f"concept {number} has no id")
        try:
            concepts.append(
                Concept(
                    id=str(entry["id"]),
                    category=str(entry["category"]),
                    en=_strings(entry.get("en")),
                    zh=_strings(entry.get("zh")),
                    also=_strings(entry.get("also")),
                    ambiguous=_strings(entry.get("ambiguous")),
                    in_archive=bool(entry.get("in_archive", True)),
                    note=entry.get("note"),
                )
            )
        except KeyError as error:
            raise ValueError(f"concept {entry['id']!r} lacks {error}") from None
    return concepts


def _strings(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
        raise ValueError(f"expected a list of names, got {value!r}")
    return tuple(str(item).strip() for item in value if str(item).strip())


# Glossaries as an index analysed them, by the SHA-256 of their file (``use_compiled``).
_COMPILED: dict[str, Compiled] = {}


@dataclass(frozen=True)
class Compiled:
    """A glossary ready to use without reading its file: its concepts, each as a mapping of
    ``Concept``'s fields, and each form's (position, index term) pairs."""

    concepts: list[dict]
    placed: dict[str, list[tuple[int, str]]]

    @classmethod
    def of(cls, glossary: Glossary) -> Compiled:
        """``glossary`` with every form analysed."""
        concepts = [
            {name: getattr(concept, name) for name in Concept.__dataclass_fields__} for concept in glossary.concepts
        ]
        return cls(concepts, {form: glossary.placed(form) for concept in glossary.concepts for form in concept.forms})

    def glossary(self) -> Glossary:
        """The glossary again (its concepts' lists as tuples)."""
        concepts = [
            Concept(**{name: tuple(value) if isinstance(value, list) else value for name, value in entry.items()})
            for entry in self.concepts
        ]
        return Glossary(concepts, _placed=dict(self.placed))


def use_compiled(file_fingerprint: str, compiled: Compiled) -> None:
    """Let ``load`` take ``compiled`` for the glossary file whose SHA-256 is ``file_fingerprint``,
    instead of parsing and analysing the file (a process that has not loaded it yet)."""
    _COMPILED[file_fingerprint] = compiled


@lru_cache(maxsize=1)
def load(path: Path = TERMS_FILE) -> Glossary:
    """The project's glossary (read once): as compiled with the index, if its file is the one
    the index was built with, else read from the file."""
    compiled = _COMPILED.get(fingerprint(path))
    if compiled is not None:
        return compiled.glossary()
    return Glossary(parse(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def fingerprint(path: Path = TERMS_FILE) -> str:
    """The SHA-256 of the glossary file: an index records the glossary its documents were named
    by, and is rebuilt in full when it changes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
