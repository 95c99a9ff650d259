"""Relevance: one BM25, as Whoosh's BM25F computes it, over lengths read once per generation.

Every score comes from ``bm25``: a term's postings (``evaluate``), a Chinese phrase's own
frequency (``phrase``), and Whoosh's own matchers for what is left to Whoosh (``searcher``), so
the scores of different paths sit side by side and equal Whoosh's to the last bit.
"""

from __future__ import annotations

from math import log

from whoosh.scoring import BM25F, BM25FScorer
from whoosh.searching import Searcher

# Whoosh's parameters.
B, K1 = BM25F().B, BM25F().K1


def bm25(idf, tf, length, average):
    """The score of a term found ``tf`` times in a document of ``length`` terms (numbers or numpy
    arrays alike), written as ``whoosh.scoring.bm25`` so the results are bit for bit the same."""
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * length / average)))


def idf(documents: int, holding: int) -> float:
    """Inverse document frequency as Whoosh weighs it: ``holding`` of ``documents`` documents."""
    return log(documents / (holding + 1)) + 1


def average_length(generation, fieldname: str) -> float:
    """The average length of ``fieldname`` over the generation's documents (1 if none)."""
    return generation.searcher.avg_field_length(fieldname) or 1


class _KeptLengthBM25F(BM25F):
    """Whoosh's BM25F whose scorers look lengths up in the generation's list, not in the file."""

    def __init__(self, generation) -> None:
        super().__init__(B=B, K1=K1)
        self._generation = generation

    def scorer(self, searcher, fieldname: str, text: bytes, qf: int = 1):
        """Whoosh's scorer for the term, reading lengths from the kept list."""
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, BM25FScorer):
            scorer.dfl = self._generation.segment_lengths(searcher.reader(), fieldname).__getitem__
        return scorer


def searcher(generation) -> Searcher:
    """A Whoosh searcher over ``generation``'s readers scoring with this BM25, for the queries
    Whoosh answers itself (phrases of words, phrases with slop); made once per generation."""
    found = generation.cache.get("bm25 searcher")
    if found is None:
        reader = generation.searcher.reader()
        found = generation.cache["bm25 searcher"] = Searcher(
            reader, weighting=_KeptLengthBM25F(generation), closereader=False
        )
    return found
