"""The glossary's concepts a document names (``app/glossary/naming.py``): found as the search
finds a phrase, by any form in either script, the longest form at each place, and pinned against
the glossary's own matching of a query (``Glossary.find``)."""

from __future__ import annotations

import random
from collections import Counter

import opencc
import pytest

from app.analysis.index_pass import analyse, positioned_terms, terms
from app.glossary import load
from app.glossary.naming import Named, namer


def named(text: str) -> dict[str, int]:
    """Concept id -> mentions in ``text``."""
    return {item.concept: item.count for item in namer().named(analyse(text))}


def test_a_concept_is_named_by_any_of_its_forms_in_either_script_and_inflected():
    text = "Jimmy Lai's trial. 黎智英 was refused bail; 黎智英案 continues. Lai Chee-ying. political prisoners"
    found = named(text)
    assert found["jimmy-lai"] == 4
    assert found["political-prisoner"] == 1
    assert named(opencc.OpenCC("t2s").convert("國安法下的人權")) == named("國安法下的人權")


def test_the_first_mention_is_its_position_in_the_analysed_string():
    text = "Rights groups said 人權 matters; human rights again."
    first = {item.concept: item for item in namer().named(analyse(text))}["human-rights"]
    assert first == Named("human-rights", 2, next(p for p, t in positioned_terms(text) if t == "人"))


def test_the_longest_form_at_a_place_is_taken_and_forms_do_not_overlap():
    assert "hong-kong" not in named("The Hong Kong Alliance disbanded.")
    assert named("The Hong Kong Alliance met in Hong Kong.")["hong-kong"] == 1


@pytest.mark.parametrize(("text", "count"), [("人權", 1), ("人\n權", 1), ("人\n\n權", 0), ("人，權", 0)])
def test_a_form_is_broken_where_a_phrase_is(text, count):
    assert named(text).get("human-rights", 0) == count


def test_what_is_named_is_what_the_glossary_finds_in_the_same_terms():
    glossary = load()
    forms = [form for concept in glossary.concepts for form in concept.forms]
    filler = ["and", "the", "report", "said", "today", "於是", "報告"]
    chance = random.Random(20141928)
    for _ in range(300):
        words = [chance.choice(forms) if chance.random() < 0.4 else chance.choice(filler) for _ in range(12)]
        text = " ".join(words)
        expected = Counter(match.concept.id for match in glossary.find(terms(text)))
        assert named(text) == dict(expected), text
