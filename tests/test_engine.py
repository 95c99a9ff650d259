"""Our evaluation against Whoosh's own: the same documents and the same scores.

The evaluator reads postings a block at a time and the Han pair index answers Chinese phrases;
both replace Whoosh's matchers, so both are pinned here to ``searcher.search(limit=None)`` over
the same index: the fixture archive (one segment), and an index that incremental builds left
with several segments and deleted documents.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from whoosh import query as wq

from app.analysis.chinese import fold
from app.index.build import build
from app.index.readers import LiveIndex
from app.index.schema import CONTENT
from app.index.textstore import indexed_content
from app.query import bm25
from app.query.evaluate import Evaluator
from app.query.parse import parse
from app.query.phrase import PairPhrase, bind

from .conftest import ROOT, write_corpus

# Whoosh's parser terms (analysed words) and how our evaluator and Whoosh combine them.
QUERIES = [
    "rights",
    "torture",
    "香",
    "political prisoners",
    "torture OR detention OR 酷刑",
    "rights -freedom",
    "rights NOT religion",
    "(arrest OR detention) journalists",
    "human (dignity OR conscience) -slavery",
    '"freedom of thought"',
    "freedom*",
    "宗教 OR religion",
]


@pytest.fixture(scope="module")
def segmented(tmp_path_factory) -> LiveIndex:
    """An index of several segments with deleted documents: a full build, then changes."""
    folder = tmp_path_factory.mktemp("segmented")
    docs, index = folder / "docs", folder / "index"
    write_corpus(docs, 30)
    shutil.copytree(ROOT / "documents", docs / "archive")
    build(docs, index)
    for round_number in range(3):
        for number in range(round_number, 26, 7):
            path = docs / f"doc{number:05d}.md"
            added = f"\n\n更新 round {round_number} 人權\n"
            path.write_text(path.read_text(encoding="utf-8") + added, encoding="utf-8")
        (docs / f"doc{29 - round_number:05d}.md").unlink()
        build(docs, index)
    live = LiveIndex(index)
    with live.use() as generation:
        assert len(generation.searcher.leaf_searchers()) > 1
        assert generation.searcher.reader().has_deletions()
    yield live
    live.close()


@pytest.fixture(params=["archive", "segmented"])
def index(request, live, segmented) -> LiveIndex:
    return live if request.param == "archive" else segmented


def whoosh_scores(searcher, query: wq.Query) -> dict[int, float]:
    return {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}


def as_scored(query: wq.Query) -> wq.Query:
    """The query as our evaluator scores it, in Whoosh's terms: a pattern scores as the OR of its
    terms (Whoosh scores each match 1 by default), and excluded words add nothing (Whoosh's And
    adds 1 for each NOT inside it, its AndNot nothing)."""
    if isinstance(query, wq.Prefix):
        return wq.Prefix(query.fieldname, query.text, boost=query.boost, constantscore=False)
    if isinstance(query, wq.And) and any(isinstance(child, wq.Not) for child in query.subqueries):
        kept = [as_scored(child) for child in query.subqueries if not isinstance(child, wq.Not)]
        excluded = [child.query for child in query.subqueries if isinstance(child, wq.Not)]
        return wq.AndNot(kept[0] if len(kept) == 1 else wq.And(kept), wq.Or(excluded))
    if query.is_leaf():
        return query
    return query.apply(as_scored)


@pytest.mark.parametrize("text", QUERIES)
def test_evaluator_matches_and_scores_as_whoosh_does(index, text):
    with index.use() as generation:
        query = parse(generation.searcher.reader(), text, 256)
        ours = Evaluator(generation, CONTENT, 256).scores(query)
        theirs = whoosh_scores(generation.searcher, as_scored(query))
    assert ours, f"{text!r} finds nothing: the comparison would prove nothing"
    assert set(ours) == set(theirs)
    for docnum, score in theirs.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-12)


def chinese_phrases(live: LiveIndex, count: int = 40) -> list[str]:
    """Runs of two to five Han characters taken from the archive's own texts, and a few that
    hold every pair of a real phrase without the phrase."""
    phrases = ["立法會", "民主派初選", "世界人權宣言", "人權", "国家安全", "法會", "香港人"]
    with live.use() as generation:
        reader = generation.searcher.reader()
        for docnum in list(reader.all_doc_ids())[:: max(1, reader.doc_count_all() // 12)]:
            text = str(generation.document(docnum).text)
            for run in re.findall(r"[\u4e00-\u9fff]{5,}", text)[:6]:
                phrases += [run[:2], run[1:4], run[:5]]
    return list(dict.fromkeys(phrases))[:count]


def test_han_pair_phrases_find_what_whoosh_phrases_find(index):
    """The same documents as Whoosh's Phrase over the characters' positions, except where
    Whoosh joins characters across punctuation (人，有權 is not 人有權): positions skip
    punctuation, pairs do not."""
    checked = across_punctuation = 0
    for text in chinese_phrases(index):
        with index.use() as generation:
            bound = bind(parse(generation.searcher.reader(), text, 256), generation)
            assert isinstance(bound, PairPhrase), text
            ours = set(bound.matches()[0])
            theirs = set(whoosh_scores(generation.searcher, wq.Phrase(CONTENT, list(bound.words))))
            assert ours <= theirs, text
            for docnum in theirs - ours:
                document = generation.document(docnum)
                assert "".join(bound.words) not in fold(document.title + "\n" + str(document.text)), text
                across_punctuation += 1
        checked += bool(ours)
    assert checked >= 10
    assert across_punctuation < checked


@pytest.mark.parametrize("text", ["人權", "世界人權宣言", "立法會"])
def test_han_pair_phrase_scores_count_each_occurrence(live, text):
    """A phrase scores by BM25 of how often the document holds it, as a term does."""
    with live.use() as generation:
        bound = bind(parse(generation.searcher.reader(), text, 256), generation)
        docnums, scores = bound.matches()
        assert docnums
        weight = bm25.idf(generation.searcher.doc_count_all(), len(docnums))
        average = bm25.average_length(generation, CONTENT)
        lengths = generation.lengths(CONTENT)
        for docnum, score in zip(docnums, scores, strict=True):
            document = generation.document(docnum)
            count = fold(indexed_content(document.title, str(document.text))).count(fold(text))
            assert score == pytest.approx(bm25.bm25(weight, count, lengths[docnum], average), rel=1e-12)


def test_fixture_index_is_the_archive(live):
    with live.use() as generation:
        assert generation.doc_count >= len(list(Path(ROOT / "documents").rglob("*.*")))
