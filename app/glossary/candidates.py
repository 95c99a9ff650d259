"""Names the archive mentions often that no glossary concept holds: suggestions for its editor.

English: runs of capitalised words ("of", "the", "in"... between them; not "and", which joins two
names). Chinese: stretches of 2 to ``MAX_HAN`` Han characters, folded to one script. A first pass
counts every stretch, pruning the rarest past ``max_kept`` (lossy counting), and shortlists the
frequent ones no glossary form is, lies in or makes up in a row; English single words not a
``common_word``; Chinese ones cohesive (their weakest split's normalised pointwise mutual
information ``MIN_COHESION``), not a ``general_word``, ``MIN_RATIO`` times more frequent than in
general language. A second counts the shortlist exactly with its neighbours and keeps what stands
apart: no neighbour in over ``MAX_SHARE`` of the mentions on a side; English seen mid-sentence;
Chinese with branching entropy of ``MIN_ENTROPY`` on both sides. Each kind ranked by mentions.

Precision@50 (names, organisations, places, laws, events an editor would add): documents/ (9
files, the glossary's own source) gives 2 English, 4 Chinese at --min-count 3, no name; 10,033
documents of 16 sentences of shared/corpus/sentences give English 37/50, Chinese 24/50 (misses:
Cantonese colloquial words no general list knows), in 10 s, 336 MB peak (195 MB the general lists).
"""

from __future__ import annotations

import calendar
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice, takewhile

from ..analysis import terms
from ..analysis.chinese import fold
from ..analysis.english import STOP_WORDS
from . import Glossary

MAX_CAPITALS, MAX_HAN = 8, 6  # "Hong Kong Alliance in Support of Patriotic Democratic Movements of China": 7
MIN_COHESION = 0.55  # normalised PMI: 汤姆 0.97, 九龙塘 0.72, 北角 0.55; 面有 0.16, 学家 0.27
MIN_ENTROPY, MAX_SHARE, MIN_RATIO = 1.0, 0.75, 20.0
MAX_GENERAL = 1e-5  # a Chinese word more frequent is general: 享受 9e-5, 鉴于 1.5e-5; 黎智英 3e-7, 民主派 5e-6
MIN_SINGLE, MIN_PART, MIN_LEXICAL = 3e-4, 1e-6, 20.0  # see general_word: 的 6e-2, 应 3.5e-4; 陈 9e-5
MAX_GENERAL_EN = 1e-4  # "english" 1.5e-4, "let" 4e-4; "boston" 4.7e-5, "facebook" 7.9e-5
SHORTLIST = 20  # stretches shortlisted per candidate asked for
# What no name holds (Cantonese particles), and starts or ends with (particles, pronouns, classifiers).
CANTONESE = frozenset(fold("嘅唔佢咗哋喺嗰啲咁乜嘢冇噉嚟畀啱咩嘞喇囉㗎吖喎咯嘛揾搵埋係諗"))
EDGES = frozenset(fold("的了是在和与及或对把被也都就而并着过吗呢吧啊各其该此这那等之我你她它仲个只件间条架份粒杯碗幅"))
_NUMBER = re.compile(f"第?[{fold('〇零一二三四五六七八九十百千万萬两兩')}]+[{fold('条章节款年月日号次届个')}]?")
CONNECTORS = frozenset({"of", "the", "for", "in", "on", "de", "da", "du", "van", "von", "der", "del", "la", "le"})
TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "madam", "mdm", "dame"})
CALENDAR = frozenset(name.lower() for name in (*calendar.month_name, *calendar.month_abbr, *calendar.day_name) if name)
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_WORD = re.compile(f"[^\\W\\d_{_HAN}][^\\W_{_HAN}]*(?:['’-][^\\W_{_HAN}]+)*")
_POSSESSIVE, _CONTRACTION = re.compile(r"['’]s$"), re.compile(r"['’](?:m|ll|ve|d|re|t)$")
_HAN_RUN = re.compile(f"[{_HAN}]+")
_HAN_SPACE = re.compile(f"(?<=[{_HAN}])(?:[ \\t\u3000]+\\n?[ \\t\u3000]*|\\n[ \\t\u3000]*)(?=[{_HAN}])")
_SENTENCE_END = re.compile(r"[.!?:;\n。！？：；]")
_CHUNK = 200_000  # stretches gathered before they are counted, so a long document is counted in pieces


@dataclass(frozen=True)
class Text:
    """One document as the method reads it: its id, title and text."""

    id: str
    title: str
    text: str


@dataclass(frozen=True)
class General:
    """Each word's frequency in general language: ``chinese`` folded, ``english`` lowercase."""

    chinese: Mapping[str, float]
    english: Mapping[str, float]


@dataclass(frozen=True)
class Candidate:
    """A name no concept holds: ``kind`` "en" or "zh", its mentions and documents, the first
    documents that mention it, and every spelling seen (the commonest first, and ``name``)."""

    name: str
    kind: str
    mentions: int
    documents: int
    examples: tuple[str, ...]
    forms: tuple[str, ...]


@dataclass
class _Tally:
    mentions: int = 0
    documents: int = 0
    mid: int = 0  # English mentions not at a sentence's start
    last: int = -1
    examples: list[str] = field(default_factory=list)
    spellings: Counter = field(default_factory=Counter)
    sides: tuple[Counter, Counter] = field(default_factory=lambda: (Counter(), Counter()))
    edges: list[int] = field(default_factory=lambda: [0, 0])  # Chinese: mentions at a run's start, end

    def seen(self, number: int, doc_id: str, spelling: str, examples: int) -> _Tally:
        self.mentions, self.last, self.documents = self.mentions + 1, number, self.documents + (self.last != number)
        self.spellings[spelling] += 1
        self.examples += [doc_id] if self.documents > len(self.examples) < examples else []
        return self


def capital_runs(text: str) -> Iterator[tuple[list[str], bool]]:
    """Each run of capitalised words of ``text`` (connectors between), and whether it starts a sentence."""
    run: list[str] = []
    starts, end = False, 0
    for match in _WORD.finditer(text):
        word, gap = match[0], text[end : match.start()]
        sentence, end = end == 0 or bool(_SENTENCE_END.search(gap)), match.end()
        bare = _POSSESSIVE.sub("", word)
        if run and (gap.strip(" \t") or not (_capital(word) or word in CONNECTORS)):
            yield from _trimmed(run, starts)  # punctuation, a line break or a lowercase word ends a run
            run = []
        if _capital(word):
            starts = sentence if not run else starts
            run.append(bare)
            if bare != word:  # "Hong Kong's people": a possessive ends the name
                yield from _trimmed(run, starts)
                run = []
        elif run:
            run.append(word)
    yield from _trimmed(run, starts)


def _capital(word: str) -> bool:
    return word[0].isupper() and len(word) > 1 and not _CONTRACTION.search(word)  # not "I", "A", "I'm"


def _trimmed(run: list[str], starts: bool) -> Iterator[tuple[list[str], bool]]:
    while run and not _capital(run[-1]):
        run = run[:-1]
    yield from [(run, starts)] if run else []


def stretches(run: list[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of each stretch of ``run`` from a capitalised word to one, ``MAX_CAPITALS`` at most."""
    capitals = [i for i, word in enumerate(run) if _capital(word) and word.lower() not in CONNECTORS]
    for first, start in enumerate(capitals):
        if run[start].lower() not in TITLES:
            yield from ((start, end + 1) for end in capitals[first : first + MAX_CAPITALS])


def han_runs(text: str) -> Iterator[tuple[str, str]]:
    """Each run of Han characters of ``text`` (spaces and line breaks out), folded and as written."""
    joined = _HAN_SPACE.sub("", text)
    for match in _HAN_RUN.finditer(fold(joined)):
        yield match[0], joined[match.start() : match.end()]


def _add(counts: Counter, items: list, kept: int) -> None:
    """Count ``items``, emptied; past ``kept`` stretches, prune the rarest until half are left."""
    counts.update(items)
    items.clear()
    floor = 0
    while len(counts) > kept // (2 if floor else 1):
        floor += 1
        for item in [item for item, count in counts.items() if count <= floor]:
            del counts[item]


def _first_pass(texts: Iterable[Text], kept: int) -> tuple[Counter, Counter]:
    english, chinese, words, grams = Counter(), Counter(), [], []
    for text in texts:
        for body in (text.title, text.text):
            for run, _starts in capital_runs(body):
                words += [" ".join(run[start:end]).casefold() for start, end in stretches(run)]
        for run, _written in han_runs(f"{text.title}\n\n{text.text}"):
            for n in range(1, min(MAX_HAN, len(run)) + 1):
                grams += [run[i : i + n] for i in range(len(run) - n + 1)]
        for counts, items in ((english, words), (chinese, grams)):
            if len(items) > _CHUNK:
                _add(counts, items, kept)
    _add(english, words, kept)
    _add(chinese, grams, kept)
    return english, chinese


def held_by(glossary: Glossary) -> Callable[[str], bool]:
    """Whether ``glossary`` holds a name, by its index terms: a form, a part of one, a row of
    forms (``Glossary.find`` covers it whole), or no term at all (stop words only)."""
    keys = glossary.forms_by_terms()
    inside = {key[i:j] for key in keys for i in range(len(key)) for j in range(i + 1, len(key) + 1)}

    def held(name: str) -> bool:
        key = tuple(terms(name))
        covered = {(match.start, match.end) for match in glossary.find(key)}
        return not key or key in inside or sum(end - start for start, end in covered) == len(key)

    return held


def general_word(gram: str, general: Mapping[str, float]) -> bool:
    """True when the folded ``gram`` is general language: a general word above ``MAX_GENERAL``; a
    row of general words (人人有 = 人人 + 有) held no more than ``MIN_LEXICAL`` times as often as
    chance would meet it (苹果日报, far likelier than 苹果 + 日报, stands); a number; a stretch
    with a Cantonese particle or with one of ``EDGES`` at an edge."""
    if CANTONESE.intersection(gram) or gram[0] in EDGES or gram[-1] in EDGES or _NUMBER.fullmatch(gram):
        return True
    whole = general.get(gram, 0.0)
    best = [1.0] + [0.0] * len(gram)  # best[end]: the likeliest row of general words spelling gram[:end]
    for end in range(1, len(gram) + 1):
        for start in range(end):
            piece = gram[start:end]
            least = MIN_SINGLE if end - start == 1 else MIN_PART
            if piece != gram and best[start] and general.get(piece, 0.0) >= least:
                best[end] = max(best[end], best[start] * general[piece])
    return whole > MAX_GENERAL or (best[-1] > 0 and whole <= MIN_LEXICAL * best[-1])


def common_word(word: str, general: Mapping[str, float]) -> bool:
    """True when ``word`` (casefolded) is no name alone: a stop word, title, month, day, or common."""
    common = word in STOP_WORDS or word in TITLES or word.removesuffix("s") in CALENDAR
    return common or len(word) < 3 or general.get(word, 0.0) >= MAX_GENERAL_EN


def _cohesion(gram: str, counts: Counter, total: int) -> float:
    splits = (counts[gram[:i]] * counts[gram[i:]] for i in range(1, len(gram)))
    pmi = min(math.log(counts[gram] * total / max(split, 1)) for split in splits)
    return pmi / max(math.log(total / counts[gram]), 1e-9)  # normalised: 1 when the halves meet only here


def _shortlists(
    english: Counter, chinese: Counter, held: Callable[[str], bool], general: General, min_count: int, size: int
):
    def frequent(counts: Counter) -> Iterator[tuple[str, int]]:
        return takewhile(lambda item: item[1] >= min_count, counts.most_common())

    names = (key for key, _n in frequent(english) if not (" " not in key and common_word(key, general.english)))
    total = sum(count for gram, count in chinese.items() if len(gram) == 1) or 1
    rare = (
        gram for gram, n in frequent(chinese) if len(gram) > 1 and general.chinese.get(gram, 0) * MIN_RATIO <= n / total
    )
    cohesive = (
        gram
        for gram in rare
        if not general_word(gram, general.chinese) and _cohesion(gram, chinese, total) >= MIN_COHESION
    )
    return (set(islice((key for key in found if not held(key)), size)) for found in (names, cohesive))


def _second_pass(texts: Iterable[Text], english: set[str], chinese: set[str], examples: int):
    tallies: dict[tuple[str, str], _Tally] = {}
    for number, text in enumerate(texts):
        for body in (text.title, text.text):
            for run, starts in capital_runs(body):
                for start, end in stretches(run):
                    spelling = " ".join(run[start:end])
                    if (key := spelling.casefold()) in english:
                        tally = tallies.setdefault(("en", key), _Tally()).seen(number, text.id, spelling, examples)
                        tally.mid += not (starts and start == 0)
                        for side, at in zip(tally.sides, (start - 1, end), strict=True):
                            if 0 <= at < len(run) and _capital(run[at]) and run[at].casefold() not in TITLES:
                                side[run[at].casefold()] += 1
        for run, written in han_runs(f"{text.title}\n\n{text.text}"):
            for n in range(2, min(MAX_HAN, len(run)) + 1):
                for i in range(len(run) - n + 1):
                    if run[i : i + n] in chinese:
                        tally = tallies.setdefault(("zh", run[i : i + n]), _Tally())
                        tally.seen(number, text.id, written[i : i + n], examples)
                        for edge, at in enumerate((i - 1, i + n)):
                            if 0 <= at < len(run):
                                tally.sides[edge][run[at]] += 1
                            else:
                                tally.edges[edge] += 1
    return tallies


def _entropy(side: Counter, edges: int) -> float:
    seen = sum(side.values()) + edges  # each edge a neighbour of its own
    return (edges * math.log(seen) - sum(count * math.log(count / seen) for count in side.values())) / seen


def _stands_apart(kind: str, tally: _Tally) -> bool:
    if any(side and max(side.values()) > MAX_SHARE * tally.mentions for side in tally.sides):
        return False
    if kind == "en":
        return tally.mid > 0
    return all(_entropy(side, edges) >= MIN_ENTROPY for side, edges in zip(tally.sides, tally.edges, strict=True))


def find_candidates(
    texts: Callable[[], Iterable[Text]], glossary: Glossary, general: General, *, limit: int = 50, min_count: int = 3,
    max_kept: int = 400_000, examples: int = 3,
) -> list[Candidate]:  # fmt: skip
    """The names the texts mention at least ``min_count`` times that ``glossary`` does not hold
    (``general``: the frequencies of general language): up to ``limit`` English ones, then up to
    ``limit`` Chinese ones, each kind by mentions, then documents. ``texts`` is called twice and
    must give the same texts in the same order; ``max_kept`` stretches of a kind are held at most."""
    english, chinese = _first_pass(texts(), max_kept)
    short_en, short_zh = _shortlists(english, chinese, held_by(glossary), general, min_count, max(limit, 1) * SHORTLIST)
    del english, chinese
    found: dict[str, list[Candidate]] = {"en": [], "zh": []}
    for (kind, _name), tally in _second_pass(texts(), short_en, short_zh, examples).items():
        if tally.mentions >= min_count and _stands_apart(kind, tally):
            forms = tuple(spelling for spelling, _count in tally.spellings.most_common())
            found[kind].append(Candidate(forms[0], kind, tally.mentions, tally.documents, tuple(tally.examples), forms))
    order = lambda item: (-item.mentions, -item.documents, item.name)  # noqa: E731
    return [candidate for kind in ("en", "zh") for candidate in sorted(found[kind], key=order)[:limit]]
