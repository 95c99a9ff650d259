"""Relevance: one BM25, as Whoosh's BM25F computes it.

Every score comes from ``bm25``: a term's postings and a phrase's (``evaluate``). The document
lengths are those Whoosh scores with (it stores a length in one byte, exact up to 8 and then to
within a few per cent), so that scores equal Whoosh's own to the last bit; the tests that pin
the evaluation to Whoosh's search rely on it. A length counts the terms of the title and text,
not those of the metadata searched with them (``index.content``).
"""

from __future__ import annotations

from math import log

import numpy as np
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

# Whoosh's parameters.
B, K1 = BM25F().B, BM25F().K1
# The lengths Whoosh's byte encoding can hold; a length is stored as the first one not below it.
_STORED_LENGTHS = np.array([byte_to_length(code) for code in range(256)], dtype=np.float64)


def bm25(idf, tf, length, average):
    """The score of a term found ``tf`` times in a document of ``length`` terms (numbers or numpy
    arrays alike), written as ``whoosh.scoring.bm25`` so the results are bit for bit the same."""
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * length / average)))


def idf(documents: int, holding: int) -> float:
    """Inverse document frequency as Whoosh weighs it: ``holding`` of ``documents`` documents."""
    return log(documents / (holding + 1)) + 1


def scored_lengths(lengths: np.ndarray) -> np.ndarray:
    """Document lengths as Whoosh stores and scores them."""
    codes = np.minimum(np.searchsorted(_STORED_LENGTHS, lengths, side="left"), 255)
    return _STORED_LENGTHS[codes]


class Weighting:
    """BM25 over one generation: its documents' lengths and their average, read once."""

    def __init__(self, table) -> None:
        self.documents = table.documents
        self.lengths = scored_lengths(table.length)
        self.average = table.average_length or 1

    def scores(self, holding: int, keys: np.ndarray, freqs: np.ndarray) -> np.ndarray:
        """The score of each of ``keys`` for a term or phrase that ``holding`` documents hold,
        found ``freqs`` times in each."""
        return bm25(idf(self.documents, holding), freqs.astype(np.float64), self.lengths[keys], self.average)


def weighting(generation) -> Weighting:
    """The generation's weighting, made once."""
    return generation.memo("weighting", lambda: Weighting(generation.table))
