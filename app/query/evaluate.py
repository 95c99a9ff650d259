"""Evaluating a parsed query: every matching document and its score, in one pass.

A search needs every match (for the total and the facets) and the best ones (for the page).
Whoosh's matchers give both a document at a time, through layers of Python calls; the common
words of a large archive (港, 法, police) are in tens of thousands of documents. Here a term's
postings are read a block at a time (ids and weights together) and scored with ``bm25`` over
the block at once; a phrase of Chinese characters comes from the Han pair index; the query's
AND, OR and NOT are set and dictionary operations. What only Whoosh can answer (a phrase of
words, a phrase with slop) is asked of Whoosh, scored by the same BM25.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from ..index.whoosh_internals import blocks
from . import bm25, patterns
from .phrase import PairPhrase

Scores = dict[int, float]


class Evaluator:
    """Evaluates queries against one generation; each term or phrase is read once per search."""

    def __init__(self, generation, fieldname: str, max_terms: int) -> None:
        self.generation = generation
        self.searcher = generation.searcher
        self.fieldname = fieldname
        self.max_terms = max_terms
        self._memo: dict[object, Scores] = {}

    def scores(self, query: wq.Query) -> Scores:
        """Each matching document's score for ``query``."""
        key = _memo_key(query)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._evaluate(query)
        return found

    def _evaluate(self, query: wq.Query) -> Scores:
        if isinstance(query, PairPhrase):
            return dict(zip(*query.matches(), strict=True))
        if isinstance(query, wq.Term) and query.fieldname == self.fieldname:
            found = self._term(query.text)
        elif isinstance(query, wq.And):
            found = self._and(query.subqueries)
        elif isinstance(query, wq.Or):
            found = self._or(query.subqueries)
        elif isinstance(query, wq.AndNot):
            excluded = self.scores(query.b)
            found = {docnum: score for docnum, score in self.scores(query.a).items() if docnum not in excluded}
        elif patterns.is_pattern(query) and query.fieldname == self.fieldname:
            words = patterns.expand(query, self.searcher.reader(), self.max_terms)
            found = self._or([wq.Term(self.fieldname, word) for word in words])
        elif isinstance(query, wq.Every):
            found = dict.fromkeys(self.searcher.reader().all_doc_ids(), 1.0)
        elif query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
            found = {}
        else:  # phrases of words, anything else: Whoosh's own search
            return {hit.docnum: hit.score for hit in bm25.searcher(self.generation).search(query, limit=None)}
        boost = getattr(query, "boost", 1.0)
        return found if boost == 1.0 else {docnum: score * boost for docnum, score in found.items()}

    def _term(self, text: str) -> Scores:
        """BM25 of ``text`` in every document holding it, read and scored block by block."""
        fieldname = self.fieldname
        top = self.searcher
        btext = top.schema[fieldname].to_bytes(text)
        if (fieldname, btext) not in top.reader():
            return {}
        weight = top.idf(fieldname, btext)
        average = bm25.average_length(self.generation, fieldname)
        found: Scores = {}
        for leaf, offset in top.leaf_searchers():
            reader = leaf.reader()
            if (fieldname, btext) not in reader:
                continue
            lengths = self._segment_lengths(reader)
            deleted = reader.deleted_docs_set if reader.has_deletions() else None
            for ids, weights in blocks(reader.postings(fieldname, btext)):
                docnums = np.asarray(ids, dtype=np.int64)
                scores = bm25.bm25(weight, np.asarray(weights, dtype=np.float64), lengths[docnums], average)
                if deleted is None:
                    found.update(zip((docnums + offset).tolist(), scores.tolist(), strict=True))
                else:
                    found.update(
                        (docnum + offset, score)
                        for docnum, score in zip(docnums.tolist(), scores.tolist(), strict=True)
                        if docnum not in deleted
                    )
        return found

    def _segment_lengths(self, reader) -> np.ndarray:
        """The segment's document lengths as an array (made once per generation)."""
        key = ("length array", id(reader), self.fieldname)
        lengths = self.generation.cache.get(key)
        if lengths is None:
            lengths = self.generation.cache[key] = np.asarray(
                self.generation.segment_lengths(reader, self.fieldname), dtype=np.float64
            )
        return lengths

    def _and(self, children) -> Scores:
        included = [child for child in children if not isinstance(child, wq.Not)]
        excluded = [child.query for child in children if isinstance(child, wq.Not)]
        if not included:
            return {}
        parts = sorted((self.scores(child) for child in included), key=len)
        common = set(parts[0]).intersection(*parts[1:])
        for child in excluded:
            common.difference_update(self.scores(child))
        return {docnum: sum(part[docnum] for part in parts) for docnum in common}

    def _or(self, children) -> Scores:
        total: Scores = {}
        for child in children:
            if isinstance(child, wq.Not):
                continue
            for docnum, score in self.scores(child).items():
                total[docnum] = total.get(docnum, 0.0) + score
        return total


def _memo_key(query: wq.Query) -> object:
    """A key equal for equal leaves (a term typed twice, or in an expansion, is read once)."""
    if isinstance(query, wq.Term):
        return ("term", query.fieldname, query.text, query.boost)
    return id(query)
