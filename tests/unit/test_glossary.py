"""The glossary: its checks, and search across languages through it."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from app.analysis import terms
from app.analysis.chinese import fold
from app.analysis.scripts import is_han
from app.glossary import CATEGORIES, SAFE_LOADER, TERMS_FILE, load
from app.index.build import build
from app.index.readers import LiveIndex
from app.service.results import SearchRequest
from app.service.search import search

GLOSSARY = load()


def test_the_glossary_parses_and_is_large_enough():
    assert len(GLOSSARY.concepts) >= 300
    ids = [concept.id for concept in GLOSSARY.concepts]
    assert len(ids) == len(set(ids))
    for concept in GLOSSARY.concepts:
        assert concept.category in CATEGORIES, concept.id
        assert concept.en and concept.zh, concept.id
        for form in concept.forms:
            assert terms(form), f"{concept.id}: {form!r} has no index terms (only common words?)"


def test_each_chinese_form_is_chinese_and_stands_once_after_folding():
    owners: dict[str, list[str]] = {}
    for concept in GLOSSARY.concepts:
        for form in concept.zh:
            # Chinese names may hold separators (、·), brackets and Latin letters (BNO簽證).
            assert sum(map(is_han, form)) >= 2, f"{concept.id}: {form!r} has fewer than two Chinese characters"
            owners.setdefault(fold(form), []).append(concept.id)
    for concept in GLOSSARY.concepts:
        folded = [fold(form) for form in concept.zh]
        assert len(folded) == len(set(folded)), f"{concept.id} lists a Chinese form in both scripts"
    shared = {form: ids for form, ids in owners.items() if len(ids) > 1}
    for form, ids in shared.items():
        for concept_id in ids:
            declared = {fold(item) for item in GLOSSARY.concept(concept_id).ambiguous}
            assert form in declared, f"{form} belongs to {ids}; {concept_id} does not say it is ambiguous"


def test_no_english_form_belongs_to_two_concepts_unless_declared_ambiguous():
    owners: dict[str, list[str]] = {}
    for concept in GLOSSARY.concepts:
        for form in (*concept.en, *concept.also):
            if not any(is_han(char) for char in form):
                owners.setdefault(" ".join(terms(form)), []).append(concept.id)
    for key, ids in owners.items():
        if len(set(ids)) > 1:
            for concept_id in set(ids):
                declared = {" ".join(terms(item)) for item in GLOSSARY.concept(concept_id).ambiguous}
                assert key in declared, f"{key!r} belongs to {sorted(set(ids))}; {concept_id} does not declare it"


@pytest.fixture(scope="module")
def archive(archive_index) -> LiveIndex:
    """The index of documents/ alone: the archive the glossary speaks of."""
    live = LiveIndex(archive_index)
    yield live
    live.close()


def found_as_typed(archive: LiveIndex, form: str) -> int:
    return search(archive, SearchRequest(q=f'"{form}"', expand=False)).total


def test_every_concept_is_in_the_archive_or_marked_as_not_yet(archive):
    wrong = []
    for concept in GLOSSARY.concepts:
        present = any(found_as_typed(archive, form) for form in concept.forms)
        if present != concept.in_archive:
            wrong.append((concept.id, "found" if present else "not found", "in_archive", concept.in_archive))
    assert not wrong, wrong


def ids(live, q, **options):
    return [hit.id for hit in search(live, SearchRequest(q=q, per_page=100, **options)).hits]


def test_torture_finds_the_chinese_declarations_in_all_three_scripts(archive):
    found = ids(archive, "torture", dedupe=False)  # every copy: each script its own result
    assert {"udhr/udhr_cmn_hans", "udhr/udhr_cmn_hant", "udhr/udhr_yue"} <= set(found)
    assert set(ids(archive, "torture", expand=False)) == {"002_5db78a1c256f63c4", "udhr/udhr_eng"}


def test_national_security_law_in_chinese_finds_the_english_seeds(archive):
    found = set(ids(archive, "國安法"))
    assert {"000_6483e5254f4e0a3b", "001_80ead41acdacfd2f", "003_8b0469a292b88702", "004_a0887d1137a917e7"} <= found
    assert ids(archive, "國安法", expand=False) == []


@pytest.mark.parametrize("name", ["國家安全法", "国家安全法", "香港國家安全法"])
def test_the_national_security_law_by_its_full_chinese_name_finds_the_english_seeds(archive, name):
    found = set(ids(archive, name))
    assert {"000_6483e5254f4e0a3b", "001_80ead41acdacfd2f", "003_8b0469a292b88702", "004_a0887d1137a917e7"} <= found


def test_the_mainland_law_by_its_full_name_is_not_taken_for_the_hong_kong_law(archive):
    result = search(archive, SearchRequest(q="中華人民共和國國家安全法"))
    assert [item.concept for item in result.also_matched if item.kind == "glossary"] == ["prc-national-security-law"]
    assert result.total == 0  # the archive's English seeds are on the Hong Kong law


@pytest.mark.parametrize("word", ["奴隸", "奴隶"])
def test_the_chinese_word_for_slave_finds_the_english_declaration(archive, word):
    assert "udhr/udhr_eng" in ids(archive, word)
    assert "udhr/udhr_eng" not in ids(archive, word, expand=False)


NOTES = {
    # Chinese only, as Hong Kong media wrote of the 2019 bill and the protests against it.
    "bill.md": "立法會今日恢復二讀《逃犯條例》修訂草案，數以萬計市民包圍立法會。",
    "amendment.md": "政府宣布暫緩修例，但拒絕正式撤回。",
    "movement.md": "反修例運動持續超過一年，警方拘捕逾萬人。",
    # Neither the bill nor extradition: an ordinance on assemblies.
    "ordinance.md": "《公安條例》規定，超過五十人的遊行須事先通知警方。",
}


@pytest.fixture(scope="module")
def notes(tmp_path_factory) -> LiveIndex:
    """A few Chinese notes on the extradition bill, and one on another ordinance."""
    folder = tmp_path_factory.mktemp("notes")
    (folder / "documents").mkdir()
    for name, text in NOTES.items():
        (folder / "documents" / name).write_text(text + "\n", encoding="utf-8")
    build(folder / "documents", folder / "index")
    live = LiveIndex(folder / "index")
    yield live
    live.close()


def test_extradition_finds_the_chinese_notes_on_the_extradition_bill(notes):
    result = search(notes, SearchRequest(q="extradition", per_page=100))
    assert {hit.id for hit in result.hits} == {"bill", "amendment", "movement"}
    searched = {form for item in result.also_matched if item.kind == "glossary" for form in item.forms}
    assert {"引渡", "逃犯條例", "修例"} <= searched


# Laws and events by their full and short names in either language: each is also searched as a
# name in the other language (what the page lists under "Also searched").
NAMES = [
    ("《中華人民共和國香港特別行政區維護國家安全法》", "national-security-law", "National Security Law"),
    ("香港國安法", "national-security-law", "NSL"),
    ("Hong Kong national security law", "national-security-law", "國家安全法"),
    ("NSL", "national-security-law", "國安法"),
    ("基本法第二十三條", "article-23", "Article 23"),
    ("Article 23 legislation", "safeguarding-national-security-ordinance", "維護國家安全條例"),
    ("《維護國家安全條例》", "safeguarding-national-security-ordinance", "Safeguarding National Security Ordinance"),
    ("《逃犯及刑事事宜相互法律協助法例(修訂)條例草案》", "extradition-bill", "extradition bill"),
    ("送中條例", "extradition-bill", "Fugitive Offenders amendment bill"),
    ("Fugitive Offenders amendment bill", "extradition-bill", "逃犯條例"),
    ("反修例", "anti-extradition-movement", "anti-extradition movement"),
    ("反送中", "anti-extradition-movement", "2019 protests"),
    ("2019 protests", "anti-extradition-movement", "反修例運動"),
    ("Umbrella Movement", "umbrella-movement", "佔中"),
    ("佔中", "umbrella-movement", "雨傘運動"),
    ("佔中", "occupy-central", "Occupy Central"),
    ("Occupy Central", "umbrella-movement", "雨傘運動"),
    ("六四", "june-fourth", "Tiananmen"),
    ("June Fourth", "june-fourth", "六四"),
    ("八九民運", "1989-democracy-movement", "Tiananmen Square protests"),
    ("民主派初選", "pro-democracy-primaries", "35+ primaries"),
    # quoted: the query parser reads a hyphen inside an unquoted word as NOT
    ('"pro-democracy primaries"', "pro-democracy-primaries", "民主派初選"),
]


@pytest.mark.parametrize(("typed", "concept", "form"), NAMES)
def test_laws_and_events_are_searched_by_their_names_in_the_other_language(archive, typed, concept, form):
    result = search(archive, SearchRequest(q=typed))
    forms = {item.concept: item.forms for item in result.also_matched if item.kind == "glossary"}
    assert form in forms.get(concept, ()), forms


# Words left out of the glossary: too common ("work", 工作), mostly meant otherwise ("rest",
# "movement"), sharing a stem with common words ("nationality" -> nation, "association" ->
# associated, "primaries" -> primary) or any election's (初選).
@pytest.mark.parametrize(
    "word", ["work", "工作", "rest", "movement", "assembly", "association", "nationality", "primaries", "初選"]
)
def test_common_and_ambiguous_words_are_not_translated(archive, word):
    result = search(archive, SearchRequest(q=word))
    assert [item.concept for item in result.also_matched if item.kind == "glossary"] == []


def test_freedom_of_peaceful_assembly_finds_chinese_article_20(archive):
    # Every copy: each script its own result.
    result = search(archive, SearchRequest(q='"freedom of peaceful assembly"', per_page=100, dedupe=False))
    found = {hit.id for hit in result.hits}
    assert {"udhr/udhr_cmn_hans", "udhr/udhr_cmn_hant", "udhr/udhr_yue"} <= found
    hant = next(hit for hit in result.hits if hit.id == "udhr/udhr_cmn_hant")
    assert "和平集會" in hant.snippet.marked()  # the translated words are marked
    assert {
        hit.id for hit in search(archive, SearchRequest(q='"freedom of peaceful assembly"', expand=False)).hits
    } == {"udhr/udhr_eng"}


def test_words_as_typed_rank_above_translations(archive):
    hits = search(archive, SearchRequest(q="torture", per_page=100)).hits
    typed = {"002_5db78a1c256f63c4", "udhr/udhr_eng"}
    assert {hit.id for hit in hits[:2]} == typed
    assert all(hit.id not in typed for hit in hits[2:])


def test_also_matched_is_grouped_by_concept(archive):
    result = search(archive, SearchRequest(q="political prisoners Hong Kong"))
    groups = {item.concept: item for item in result.also_matched if item.kind == "glossary"}
    assert groups["political-prisoner"].matched == "political prisoners"
    assert "政治犯" in groups["political-prisoner"].forms
    assert groups["hong-kong"].matched == "Hong Kong" and "香港" in groups["hong-kong"].forms
    assert search(archive, SearchRequest(q="political prisoners", expand=False)).also_matched == []


def test_a_run_of_words_expands_but_words_apart_do_not(archive):
    together = search(archive, SearchRequest(q="political prisoner"))
    assert any(item.concept == "political-prisoner" for item in together.also_matched)
    apart = search(archive, SearchRequest(q="prisoner political"))
    assert not any(item.concept == "political-prisoner" for item in apart.also_matched)


def test_expansion_is_bounded():
    from app.index.schema import make_schema
    from app.query.expand import MAX_FORMS, expand
    from app.query.parse import parser

    query = parser(make_schema()).parse("human rights " * 30 + "torture " * 30)
    _expanded, expansions = expand(query, "", GLOSSARY, "content")
    assert sum(len(item.forms) for item in expansions) <= MAX_FORMS


def test_the_glossary_counts_by_category():
    counts = Counter(concept.category for concept in GLOSSARY.concepts)
    assert set(counts) <= CATEGORIES and min(counts.values()) >= 10


def test_the_glossary_reads_as_pyyamls_own_safe_loader_reads_it():
    text = TERMS_FILE.read_text(encoding="utf-8")
    assert yaml.load(text, Loader=SAFE_LOADER) == yaml.safe_load(text)
    for odd in ("concepts: [{id: a, category: right, en: [x], zh: ['1948']}]", "concepts: !!python/name:os.system"):
        try:
            expected = yaml.safe_load(odd)
        except yaml.YAMLError as error:
            with pytest.raises(type(error)):
                yaml.load(odd, Loader=SAFE_LOADER)
        else:
            assert yaml.load(odd, Loader=SAFE_LOADER) == expected
