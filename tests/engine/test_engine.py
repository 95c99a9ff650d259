"""Our evaluation against Whoosh's own: the same documents and the same scores.

The archive keeps its postings in its own layout and evaluates queries over it; both replace
Whoosh's. Here Whoosh indexes the same documents with the same analyzer (its own postings, its
own lengths) and answers the same parsed queries with ``searcher.search(limit=None)``: the
fixture archive (one build), and an index that incremental builds left with several parts and
deleted documents. Whoosh indexes what the archive searches: title, text, author, tags and
description.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from whoosh import query as wq
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.scoring import BM25F, BM25FScorer

from app.analysis import ArchiveAnalyzer
from app.analysis.chinese import fold
from app.index.build import build
from app.index.content import indexed_content, metadata_values
from app.index.readers import LiveIndex
from app.index.schema import CONTENT, record_of
from app.ingest import discover, load
from app.query import bm25
from app.query.evaluate import Evaluator
from app.query.parse import QueryError, parse
from app.query.phrase import find, is_han_phrase

from ..support import ROOT, write_corpus

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
    '"human rights" OR "Hong Kong"',
    "freedom*",
    "宗教 OR religion",
    "人權",
    "世界人權宣言 OR 立法會",
    # in the metadata: an author, tags (in the other script), a description, across both
    "Archive desk",
    "外国代理人",
    '"press freedom"',
    "Kowloon café",
    "desk OR 起訴",
    "trials security",
]


class TextLength(BM25F):
    """Whoosh's BM25F, normalising by the length of the title and text as the archive does (a
    field indexed for its length alone): metadata lengthens no document."""

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = BM25FScorer(searcher, fieldname, text, self.B, self.K1, qf=qf)
        scorer.avgfl = searcher.get_parent().avg_field_length("length") or 1
        scorer.dfl = lambda docnum: searcher.doc_field_length(docnum, "length", 1)
        return scorer


def whoosh_reference(documents: Path, folder: Path):
    """The documents indexed by Whoosh itself, with the archive's analyzer: its searcher."""
    analyzer = ArchiveAnalyzer()
    schema = Schema(
        id=ID(stored=True, unique=True),
        content=TEXT(analyzer=analyzer, phrase=True),
        length=TEXT(analyzer=analyzer, phrase=False),
    )
    folder.mkdir(parents=True, exist_ok=True)
    index = FileStorage(str(folder)).create_index(schema)
    writer = index.writer()
    for candidate in discover(documents):
        document = load(candidate.path, candidate.relative, 50_000_000)
        content = indexed_content(document.title, document.text, metadata_values(record_of(document)))
        writer.add_document(id=document.id, content=content, length=indexed_content(document.title, document.text))
    writer.commit()
    return index.searcher(weighting=TextLength())


@pytest.fixture(scope="module")
def archive(live, corpus_dir, tmp_path_factory):
    reference = whoosh_reference(corpus_dir, tmp_path_factory.mktemp("reference"))
    yield live, reference
    reference.close()


@pytest.fixture(scope="module")
def segmented(tmp_path_factory):
    """An index of several parts with deleted documents (a full build, then changes, to texts
    and to metadata), and Whoosh's index of the documents as they finally are."""
    folder = tmp_path_factory.mktemp("segmented")
    docs, index = folder / "docs", folder / "index"
    write_corpus(docs, 30)
    shutil.copytree(ROOT / "documents", docs / "archive")
    shutil.copytree(ROOT / "tests" / "data" / "corpus" / "news", docs / "news")
    build(docs, index)
    for round_number in range(3):
        for number in range(round_number, 26, 7):
            path = docs / f"doc{number:05d}.md"
            added = f"\n\n更新 round {round_number} 人權。自由\n"
            path.write_text(path.read_text(encoding="utf-8") + added, encoding="utf-8")
        (docs / f"doc{29 - round_number:05d}.md").unlink()
        tagged = docs / "news" / "press_cards_2022.md"
        tagged.write_text(
            tagged.read_text(encoding="utf-8").replace("tags: [", f"tags: [round {round_number}, "), encoding="utf-8"
        )
        build(docs, index)
    live = LiveIndex(index)
    with live.use() as generation:
        assert len(generation.terms.parts) > 1
        assert not generation.table.live.all()
    reference = whoosh_reference(docs, folder / "reference")
    yield live, reference
    reference.close()
    live.close()


@pytest.fixture(params=["archive", "segmented"])
def indexes(request, archive, segmented):
    return archive if request.param == "archive" else segmented


def ours(generation, query: wq.Query) -> dict[str, float]:
    hits = Evaluator(generation, CONTENT, 256).hits(query)
    pairs = zip(hits.keys.tolist(), hits.scores.tolist(), strict=True)
    return {generation.document(key).record["id"]: score for key, score in pairs}


def theirs(searcher, query: wq.Query) -> dict[str, float]:
    return {hit["id"]: hit.score for hit in searcher.search(query, limit=None)}


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


def han_phrases(query: wq.Query) -> bool:
    return any(isinstance(leaf, wq.Phrase) and is_han_phrase(leaf.words) for leaf in query.leaves())


@pytest.mark.parametrize("text", QUERIES)
def test_evaluator_matches_and_scores_as_whoosh_does(indexes, text):
    live, reference = indexes
    with live.use() as generation:
        query = parse(generation, text, 256)
        found = ours(generation, query)
    expected = theirs(reference, as_scored(query))
    assert found, f"{text!r} finds nothing: the comparison would prove nothing"
    assert set(found) == set(expected)
    if not han_phrases(query):  # a Chinese phrase scores by its own frequency (below)
        for doc_id, score in expected.items():
            assert found[doc_id] == pytest.approx(score, rel=1e-9), doc_id


def chinese_phrases(live: LiveIndex, count: int = 40) -> list[str]:
    """Runs of two to five Han characters taken from the archive's own texts."""
    phrases = [
        "立法會",
        "民主派初選",
        "世界人權宣言",
        "人權",
        "国家安全",
        "法會",
        "香港人",
        "人有權",
        "外国代理人",
        "八九民運",
    ]
    with live.use() as generation:
        for key in generation.table.live_keys[:: max(1, generation.doc_count // 12)].tolist():
            text = str(generation.document(key).text)
            for run in re.findall(r"[\u4e00-\u9fff]{5,}", text)[:6]:
                phrases += [run[:2], run[1:4], run[:5]]
    return list(dict.fromkeys(phrases))[:count]


def test_chinese_phrases_find_what_whoosh_phrases_find(indexes):
    """The pair index and the confirmation by positions find exactly the documents Whoosh's
    Phrase finds over the characters' positions, punctuation breaking both (人，有權 is not
    人有權)."""
    live, reference = indexes
    checked = 0
    for text in chinese_phrases(live):
        with live.use() as generation:
            query = parse(generation, text, 256)
            assert isinstance(query, wq.Phrase) and is_han_phrase(query.words), text
            found = ours(generation, query)
        assert set(found) == set(theirs(reference, query)), text
        checked += bool(found)
    assert checked >= 10


@pytest.mark.parametrize("text", ["人權", "世界人權宣言", "立法會", "外國代理人"])
def test_a_chinese_phrase_scores_by_how_often_it_occurs(live, text):
    with live.use() as generation:
        query = parse(generation, text, 256)
        evaluator = Evaluator(generation, CONTENT, 256)
        keys, counts = find(evaluator.postings, list(query.words), list(query.offsets))
        assert keys.size
        hits = evaluator.hits(query)
        weighting = bm25.weighting(generation)
        for key, frequency, score in zip(keys.tolist(), counts.tolist(), hits.score_of(keys), strict=True):
            document = generation.document(key)
            content = indexed_content(document.title, str(document.text), metadata_values(document.record))
            assert frequency == fold(content).count(fold(text))
            expected = bm25.bm25(
                bm25.idf(weighting.documents, keys.size), frequency, weighting.lengths[key], weighting.average
            )
            assert score == pytest.approx(expected, rel=1e-12)


def test_punctuation_breaks_a_phrase_between_han_characters_only(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "apart.txt").write_text("研究所，有反應釜。Human. Rights matter.", encoding="utf-8")
    # Every pair of the Chinese phrases below is in this text too, so only the positions can
    # refuse it: 所有 and 有反 (研究所，有反 and 所有人).
    (docs / "across.txt").write_text(
        "研究所，有反應釜。所有人都來了。Human rights, their rights matter.", encoding="utf-8"
    )
    (docs / "within.txt").write_text("所有反對的人都說 human rights matter", encoding="utf-8")
    (docs / "paragraphs.txt").write_text("Human\n\nrights matter, 所\n\n有反", encoding="utf-8")
    build(docs, tmp_path / "index")
    live = LiveIndex(tmp_path / "index")
    with live.use() as generation:
        for text, expected in (
            ("所有反", {"within"}),
            ("所有", {"within", "across"}),
            ('"human rights"', {"within", "across", "apart"}),
            ('"human rights matter"', {"within", "apart"}),
            ('"rights matter"', {"within", "across", "apart", "paragraphs"}),
            ("有反應", {"apart", "across"}),
            # Typed with its punctuation, a phrase finds the text that has it.
            ("研究所，有反應", {"apart", "across"}),
            ('"研究所，有"', {"apart", "across"}),
            ('"human. rights"', {"within", "across", "apart"}),
            ("human.rights", {"within", "across", "apart"}),
        ):
            assert set(ours(generation, parse(generation, text, 256))) == expected, text
    live.close()


# Words and what may stand between two of them inside a paragraph, for texts whose phrases
# Whoosh's own analyzer (its regular-expression tokenizer, which reads no punctuation) matches.
_WORDS = (
    "born",
    "tutwiler",
    "mississippi",
    "freedom",
    "assembly",
    "human",
    "rights",
    "court",
    "judges",
    "police",
    "arrested",
    "activists",
    "journalists",
    "press",
    "union",
    "protest",
    "bail",
    "trial",
    "of",
    "the",
    "and",
    "in",
)
_BETWEEN = (" ", " ", " ", ", ", ". ", "; ", ": ", " (", ") ", ' "', '" ', "\n", " \n", " — ", "! ", "? ", "’ ")


def test_word_phrases_find_what_whoosh_phrases_find_across_punctuation(tmp_path):
    """Inside a paragraph, punctuation and line breaks keep no two words from being a phrase:
    quoted pairs and triples of adjacent words find the documents Whoosh's own analyzer (its
    tokenizer, with the archive's stop words and stemmer) finds them in, commas or not."""
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.lang.porter2 import stem
    from whoosh.qparser import MultifieldParser

    from app.analysis.english import STOP_WORDS

    chosen = np.random.default_rng(18)
    docs = tmp_path / "docs"
    docs.mkdir()
    texts = {}
    for number in range(40):
        words = chosen.choice(_WORDS, 40)
        between = chosen.choice(_BETWEEN, 40)
        text = "".join(f"{word}{gap}" for word, gap in zip(words, between, strict=True)).strip() + "."
        texts[f"doc{number:02d}"] = text
        (docs / f"doc{number:02d}.txt").write_text(text, encoding="utf-8")
    build(docs, tmp_path / "index")
    analyzer = StemmingAnalyzer(stoplist=STOP_WORDS, minsize=1, stemfn=stem)
    # The title and the text apart, as the archive keeps them apart with a blank line.
    schema = Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, phrase=True),
        content=TEXT(analyzer=analyzer, phrase=True),
    )
    (tmp_path / "whoosh").mkdir()
    index = FileStorage(str(tmp_path / "whoosh")).create_index(schema)
    writer = index.writer()
    for candidate in discover(docs):
        document = load(candidate.path, candidate.relative, 1_000_000)
        writer.add_document(id=document.id, title=document.title, content=document.text)
    writer.commit()
    queries = set()
    for text in texts.values():
        found = re.findall(r"\w+", text)
        for start in range(0, len(found) - 2, 5):
            queries.add(f'"{found[start]} {found[start + 1]}"')
            queries.add(f'"{found[start]}, {found[start + 1]} {found[start + 2]}"')
    live = LiveIndex(tmp_path / "index")
    matched = 0
    with live.use() as generation, index.searcher() as searcher:
        for text in sorted(queries):
            try:
                query = parse(generation, text, 256)
            except QueryError:  # only stop words
                continue
            theirs = MultifieldParser(["title", "content"], schema).parse(text)
            expected = {hit["id"] for hit in searcher.search(theirs, limit=None)}
            assert set(ours(generation, query)) == expected, text
            matched += bool(expected)
    live.close()
    assert matched >= 60
    # Punctuation stood between the words of many of the phrases found.
    assert sum(bool(re.search(r"\w[,.;:()\"’!?—]", text)) for text in texts.values()) == len(texts)


def test_metadata_changed_by_later_builds_is_searched_as_it_now_is(segmented):
    """A document whose tags changed twice: its tags now, each apart (round 0 is not a phrase
    with the tag after it)."""
    live, reference = segmented
    with live.use() as generation:
        for text, expected in (('"round 2"', True), ('"round 1"', True), ('"0 journalists"', False)):
            query = parse(generation, text, 256)
            found = ours(generation, query)
            assert set(found) == set(theirs(reference, query)), text
            assert ("news/press_cards_2022" in found) is expected, text


def test_deleted_documents_are_never_found(segmented):
    live, _reference = segmented
    with live.use() as generation:
        hits = Evaluator(generation, CONTENT, 256).hits(parse(generation, "人權", 256))
        assert generation.table.live[hits.keys].all()
        assert np.all(np.diff(hits.keys) > 0)
