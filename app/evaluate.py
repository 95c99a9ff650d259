"""Evaluating a parsed query: every matching document and its score, in one pass.

A search needs every match (for the total and the facets) and the best ones (for the page).
Whoosh's matchers give both a document at a time, through layers of Python calls; the common
words of a large archive (港, 法, police) are in tens of thousands of documents. Here a term's
postings are read a block at a time (ids and weights together) and scored with Whoosh's BM25F
(its parameters, its document lengths, its idf); a phrase of Chinese characters comes from the
pairs files; the query's AND, OR and NOT are set and dictionary operations. What only Whoosh
can answer (a phrase of words, a phrase with slop) is asked of Whoosh.
"""

from __future__ import annotations

from itertools import islice

from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher

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
        elif isinstance(query, wq.MultiTerm) and query.fieldname == self.fieldname:
            reader = self.searcher.reader()
            field = reader.schema[self.fieldname]
            words = [field.from_bytes(btext) for btext in islice(query._btexts(reader), self.max_terms)]
            found = self._or([wq.Term(self.fieldname, word) for word in words])
        elif isinstance(query, wq.Every):
            found = dict.fromkeys(self.searcher.reader().all_doc_ids(), 1.0)
        elif query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
            found = {}
        else:  # phrases of words, anything else: Whoosh's own search
            return {hit.docnum: hit.score for hit in self.searcher.search(query, limit=None)}
        boost = getattr(query, "boost", 1.0)
        return found if boost == 1.0 else {docnum: score * boost for docnum, score in found.items()}

    def _term(self, text: str) -> Scores:
        """BM25F of ``text`` in every document holding it, read block by block."""
        fieldname = self.fieldname
        top = self.searcher
        btext = top.schema[fieldname].to_bytes(text)
        if (fieldname, btext) not in top.reader():
            return {}
        idf = top.idf(fieldname, btext)
        average = top.avg_field_length(fieldname) or 1
        weighting = self.generation.weighting
        b, k1 = weighting.B, weighting.K1
        found: Scores = {}
        for leaf, offset in top.leaf_searchers():
            reader = leaf.reader()
            if (fieldname, btext) not in reader:
                continue
            lengths = weighting.segment_lengths(reader, fieldname)
            deleted = reader.deleted_docs_set if reader.has_deletions() else None
            for ids, weights in _blocks(reader.postings(fieldname, btext)):
                for docnum, weight in zip(ids, weights, strict=True):
                    if deleted is None or docnum not in deleted:
                        # whoosh.scoring.bm25, written out: this line runs once per posting
                        found[offset + docnum] = (
                            idf * (weight * (k1 + 1)) / (weight + k1 * ((1 - b) + b * lengths[docnum] / average))
                        )
        return found

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


def _blocks(matcher):
    """(ids, weights) of each block of a term's postings in one segment.

    Reads Whoosh's own block structure (the W3 codec's leaf matcher) so that a block is decoded
    once and its documents scored together, without a call per document; deleted documents are
    left to the caller.
    """
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not hasattr(matcher, "_read_ids"):  # a few postings kept with the term: no blocks
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        yield ids, weights
        return
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        yield matcher._ids, matcher._weights
        matcher._next_block()


def _memo_key(query: wq.Query) -> object:
    """A key equal for equal leaves (a term typed twice, or in an expansion, is read once)."""
    if isinstance(query, wq.Term):
        return ("term", query.fieldname, query.text, query.boost)
    return id(query)
