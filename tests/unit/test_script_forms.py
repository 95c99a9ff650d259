"""A word whose two scripts fold apart is still found in either: Traditional 藉口 is Simplified
借口, but 藉 is a Simplified character too (狼藉) and folding character by character keeps it.
The query searches the forms OpenCC's phrase tables give for it as well, and only those that
fold otherwise, so 人權 stays the one phrase it always was."""

from __future__ import annotations

import pytest
from whoosh import query as wq

from app.index.build import build
from app.index.readers import LiveIndex
from app.query.parse import parse
from app.service.results import SearchRequest
from app.service.search import search

DOCUMENTS = {
    "hant.txt": "所以先有藉口俾人抽秤啫。",  # Hong Kong Cantonese, Traditional
    "hans.txt": "他找了一个借口。",
    "mess.txt": "杯盤狼藉。",
    "borrow.txt": "我想借一本書。",
}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    docs = tmp_path_factory.mktemp("docs")
    for name, text in DOCUMENTS.items():
        (docs / name).write_text(text, encoding="utf-8")
    index = tmp_path_factory.mktemp("index")
    build(docs, index)
    live_index = LiveIndex(index)
    yield live_index
    live_index.close()


def ids(live: LiveIndex, q: str) -> list[str]:
    return sorted(hit.id for hit in search(live, SearchRequest(q=q, expand=False, per_page=100)).hits)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("借口", ["hans", "hant"]),
        ("藉口", ["hans", "hant"]),
        ('"借口"', ["hans", "hant"]),
        ('"藉口"', ["hans", "hant"]),
        ("一个借口", ["hans"]),
        ("先有借口", ["hant"]),
    ],
)
def test_a_word_is_found_in_the_other_script_though_its_characters_fold_apart(live, q, expected):
    assert ids(live, q) == expected


def test_the_document_is_marked_where_it_writes_the_other_form(live):
    [hit] = [hit for hit in search(live, SearchRequest(q="借口", expand=False)).hits if hit.id == "hant"]
    assert [hit.snippet.text[span.start : span.end] for span in hit.snippet.spans] == ["藉口"]


def test_only_forms_that_fold_otherwise_are_added(live):
    with live.use() as generation:
        assert not isinstance(parse(generation, "人權", 256), wq.Or), "人權 and 人权 fold alike: one phrase"
        assert isinstance(parse(generation, "借口", 256), wq.Or)
    # 藉 alone folds as itself, and 借 alone is not 藉: single characters are not widened.
    assert ids(live, "狼藉") == ["mess"]
    assert ids(live, "借") == ["borrow", "hans"]
