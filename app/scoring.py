"""Relevance: Whoosh's BM25F, with each document's length read once per segment.

Whoosh's BM25F scorer reads a document's field length from the index file every time it scores
the document; a query over a common word scores thousands. The lengths are the same for the life
of a generation, so they are read once and kept in a list.
"""

from __future__ import annotations

from whoosh.scoring import BM25F, BM25FScorer


class CachedLengthBM25F(BM25F):
    """BM25F (Whoosh's parameters) whose scorers look lengths up in a list per segment."""

    def __init__(self) -> None:
        super().__init__()
        self._lengths: dict[tuple[int, str], list[int]] = {}

    def scorer(self, searcher, fieldname: str, text: bytes, qf: int = 1):
        """Whoosh's scorer for the term, reading lengths from the kept list."""
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, BM25FScorer):
            scorer.dfl = self.segment_lengths(searcher.reader(), fieldname).__getitem__
        return scorer

    def segment_lengths(self, reader, fieldname: str) -> list[int]:
        """Each document's length in ``fieldname`` in one segment (1 where it has none, as
        Whoosh's scorer counts it)."""
        key = (id(reader), fieldname)
        lengths = self._lengths.get(key)
        if lengths is None:
            lengths = [reader.doc_field_length(docnum, fieldname, 1) for docnum in range(reader.doc_count_all())]
            self._lengths[key] = lengths
        return lengths
