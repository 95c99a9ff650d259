"""The decoded postings of common terms are kept per generation, within their bound: a search
reads the same postings from them as from the parts, and cannot change them."""

from __future__ import annotations

import numpy as np
import pytest

from app.index.postings import terms as term_module
from app.index.postings.terms import TermIndex
from app.index.readers import LiveIndex


@pytest.fixture()
def generation(index_dir):
    live = LiveIndex(index_dir)
    with live.use() as opened:
        yield opened
    live.close()


def _terms(generation) -> list[str]:
    return [*generation.terms.words("", "\uffff", 300), "人", "權", "权", "人權", "香港", "human right"]


def test_kept_postings_are_those_read_from_the_parts(generation, monkeypatch):
    monkeypatch.setattr(term_module, "CACHED_FROM", 1)
    kept = TermIndex(generation.terms.parts, generation.table.live)
    for term in _terms(generation):
        first, again = kept.postings(term), kept.postings(term)
        monkeypatch.setattr(term_module, "CACHED_BYTES", 0)
        read = TermIndex(generation.terms.parts, generation.table.live).postings(term)
        monkeypatch.setattr(term_module, "CACHED_BYTES", 32 * 2**20)
        for postings in (first, again):
            assert np.array_equal(postings.keys, read.keys) and np.array_equal(postings.freqs, read.freqs)
        if read.keys.size:
            # Shared, so read-only; the positions a search reads whole stay with that search.
            assert not again.keys.flags.writeable and again.whole is not first.whole
            with pytest.raises(ValueError):
                again.freqs[0] = 0
            some = read.keys[:3]
        if read.keys.size and (len(term) == 1 or term_module.locate(term)[0] == "words"):  # pairs keep no positions
            assert np.array_equal(kept.positions_from_postings(again, some)[1], kept.positions_in_page(term, some)[1])
    assert kept.kept_bytes > 0


def test_no_more_is_kept_than_the_bound_and_rare_terms_not_at_all(generation, monkeypatch):
    words = _terms(generation)
    monkeypatch.setattr(term_module, "CACHED_FROM", 1)
    monkeypatch.setattr(term_module, "CACHED_BYTES", 2_000)
    bounded = TermIndex(generation.terms.parts, generation.table.live)
    for term in words:
        bounded.postings(term)
    assert 0 < bounded.kept_bytes <= 2_000
    monkeypatch.setattr(term_module, "CACHED_FROM", 10**9)
    rare_only = TermIndex(generation.terms.parts, generation.table.live)
    for term in words:
        assert rare_only.postings(term).keys.flags.writeable or not rare_only.postings(term).keys.size
    assert rare_only.kept_bytes == 0


@pytest.mark.parametrize("room", [32 * 2**20, 2_000, 0])
def test_what_would_be_kept_is_told_before_it_is_read(generation, monkeypatch, room):
    # A page's marks read a common term whole only when it is to be kept; the forecast must
    # agree with what reading it then keeps, or the marks read a word whole for nothing.
    monkeypatch.setattr(term_module, "CACHED_FROM", 3)
    monkeypatch.setattr(term_module, "CACHED_BYTES", room)
    kept = TermIndex(generation.terms.parts, generation.table.live)
    forecasts = []
    for term in _terms(generation):
        forecast = kept.would_keep(term)
        read = kept.postings(term)
        now_kept = read.keys.size > 0 and not read.keys.flags.writeable
        if forecast != now_kept:
            # The forecast counts postings by an estimate of their bytes; it may only err when
            # the bound is nearly reached.
            assert room - kept.kept_bytes < 64 * kept.count(term), term
        forecasts.append(forecast)
        assert kept.would_keep(term) == now_kept
    assert any(forecasts) == (room > 0)
    assert not all(forecasts)


def _with_positions(generation) -> list[str]:
    """The terms of ``_terms`` that have positions (pairs of Han characters keep none)."""
    return [term for term in _terms(generation) if len(term) == 1 or term_module.locate(term)[0] == "words"]


@pytest.mark.parametrize("share", [1, 7, 400])
def test_kept_positions_are_those_read_from_the_parts(generation, monkeypatch, share):
    monkeypatch.setattr(term_module, "CACHED_FROM", 1)
    kept = TermIndex(generation.terms.parts, generation.table.live)
    monkeypatch.setattr(term_module, "KEPT_POSITIONS_BYTES", 0)
    unkept = TermIndex(generation.terms.parts, generation.table.live)
    for term in _with_positions(generation):
        asked = kept.postings(term).keys[::share]
        if not asked.size:
            continue
        monkeypatch.setattr(term_module, "KEPT_POSITIONS_BYTES", 64 * 2**20)
        first = kept.positions_from_postings(kept.postings(term), asked)
        again = kept.positions_from_postings(kept.postings(term), asked)  # from the kept positions
        monkeypatch.setattr(term_module, "KEPT_POSITIONS_BYTES", 0)
        read = unkept.positions_from_postings(unkept.postings(term), asked)
        for found in (first, again):
            assert [part.tolist() for part in found] == [part.tolist() for part in read], term
            assert found[1].dtype == np.int64
        assert np.array_equal(again[1], kept.positions_in_page(term, asked)[1])
    assert kept.kept_positions_bytes > 0 and unkept.kept_positions_bytes == 0
    assert all(not array.flags.writeable for found in kept._positions.values() for array in found)


def test_positions_are_kept_within_their_bound_and_only_for_kept_postings(generation, monkeypatch):
    monkeypatch.setattr(term_module, "CACHED_FROM", 1)
    monkeypatch.setattr(term_module, "KEPT_POSITIONS_BYTES", 3_000)
    bounded = TermIndex(generation.terms.parts, generation.table.live)
    for term in _with_positions(generation):
        postings = bounded.postings(term)
        bounded.positions_from_postings(postings, postings.keys)
    assert 0 < bounded.kept_positions_bytes <= 3_000
    monkeypatch.setattr(term_module, "CACHED_FROM", 10**9)
    rare_only = TermIndex(generation.terms.parts, generation.table.live)
    for term in _with_positions(generation):
        postings = rare_only.postings(term)
        rare_only.positions_from_postings(postings, postings.keys)
    assert rare_only.kept_positions_bytes == 0


def test_a_process_of_one_search_keeps_no_positions(index_dir, monkeypatch):
    # The command line searches once and exits: decoding positions whole would be work for nothing.
    from app.service.results import SearchRequest
    from app.service.search import search

    monkeypatch.setattr(term_module, "CACHED_FROM", 1)
    for one_search, keeps in ((True, False), (False, True)):
        live = LiveIndex(index_dir, one_search=one_search)
        try:
            search(live, SearchRequest(q='人權 "human rights" 香港'))
            with live.use() as generation:
                assert generation.terms.keep_positions == keeps
                assert (generation.terms.kept_positions_bytes > 0) == keeps
        finally:
            live.close()
