"""Names the archive mentions often that no glossary concept holds, read from the live index:
each document's title and text, as stored, fed to ``glossary.candidates`` with the frequencies
of general language it compares them with."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from ..analysis.chinese import fold
from ..analysis.scripts import is_han
from ..glossary import Glossary, load
from ..glossary.candidates import Candidate, General, Text, find_candidates
from ..index.readers import Generation, LiveIndex

# Most documents read for the suggestions; a larger archive is sampled evenly across its keys.
MAX_DOCUMENTS = 20_000
# Most stretches of each kind held while counting (see glossary.candidates).
MAX_KEPT = 400_000


@dataclass(frozen=True)
class Suggestions:
    """The candidates, how many documents were read for them, and how many the index holds."""

    candidates: list[Candidate]
    read: int
    documents: int


@lru_cache(maxsize=1)
def general_language() -> General:
    """How frequent words are in general language: English and written Mandarin from
    ``wordfreq``'s lists; for Chinese the greater of Mandarin's and spoken Hong Kong Cantonese's
    (the HKCanCor corpus, 113,000 words in 62 transcripts that ``pycantonese`` ships, its
    speakers' lines read as they are written: words apart by spaces), folded to one script as
    the archive's stretches are. Read once (about 1 s)."""
    import wordfreq

    spoken: Counter[str] = Counter()
    for transcript in resources.files("pycantonese").joinpath("data", "hkcancor").iterdir():
        if transcript.name.endswith(".cha"):
            for line in transcript.read_text(encoding="utf-8").splitlines():
                if line.startswith("*"):  # a speaker's line: "*XXA:\t你 老公 有冇 平 機票 啊 ?"
                    spoken.update(word for word in line.partition("\t")[2].split() if all(map(is_han, word)))
    total = sum(spoken.values()) or 1
    chinese: dict[str, float] = {}
    for source in (wordfreq.get_frequency_dict("zh").items(), ((w, n / total) for w, n in spoken.items())):
        for word, frequency in source:
            key = fold(word)
            chinese[key] = max(chinese.get(key, 0.0), frequency)
    return General(chinese, wordfreq.get_frequency_dict("en"))


def sampled_keys(generation: Generation, max_documents: int) -> np.ndarray:
    """The keys of the live documents to read: all of them, or ``max_documents`` spread evenly
    over them, in key order."""
    keys = generation.table.live_keys
    if keys.size <= max_documents:
        return keys
    return keys[np.unique(np.linspace(0, keys.size - 1, max_documents).astype(np.int64))]


def stored_texts(generation: Generation, keys: np.ndarray) -> Iterator[Text]:
    """The document of each key as the method reads it: its id, title and stored text."""
    for key in keys.tolist():
        document = generation.document(int(key))
        yield Text(document.record["id"], document.title, str(document.text))


def suggest(
    live: LiveIndex,
    glossary: Glossary | None = None,
    *,
    limit: int = 50,
    min_count: int = 3,
    max_documents: int = MAX_DOCUMENTS,
    max_kept: int = MAX_KEPT,
) -> Suggestions:
    """The names the live index's documents mention at least ``min_count`` times that the
    glossary (the project's, unless given) holds no form of: up to ``limit`` of each kind. One
    generation is held for both of the method's passes, so both read the same documents."""
    with live.use() as generation:
        keys = sampled_keys(generation, max_documents)
        candidates = find_candidates(
            lambda: stored_texts(generation, keys),
            glossary if glossary is not None else load(),
            general_language(),
            limit=limit,
            min_count=min_count,
            max_kept=max_kept,
        )
        return Suggestions(candidates, int(keys.size), generation.doc_count)
