"""The API's document links are built faster than Flask builds them, and are the same strings:
pinned to ``url_for`` for any id and parameters."""

from __future__ import annotations

from flask import url_for
from hypothesis import given, settings
from hypothesis import strategies as st

from app.web.api import _document_url

_IDS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=40
).filter(lambda text: not text.startswith("/"))
_PARAMS = st.dictionaries(st.sampled_from(["q", "expand", "exact", "ui", "lang"]), st.text(max_size=20), max_size=4)


@settings(max_examples=300, deadline=None)
@given(ids=st.lists(_IDS, min_size=1, max_size=4), params=_PARAMS)
def test_a_document_link_is_the_one_flask_builds(app, ids, params):
    with app.test_request_context("/api/search?q=x"):
        for doc_id in ids:
            assert _document_url(doc_id, params) == url_for("pages.document", doc_id=doc_id, **params)


def test_links_under_a_prefix_keep_it(app):
    with app.test_request_context("/api/search", base_url="http://example.org/archive/"):
        for doc_id in ("2019/report", "人權/報告 1", "a%20b?c#d"):
            expected = url_for("pages.document", doc_id=doc_id, q="人權")
            assert expected.startswith("/archive/documents/")
            assert _document_url(doc_id, {"q": "人權"}) == expected
