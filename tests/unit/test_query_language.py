"""The query language: fields, dates at each document's precision, nearness and exact spelling,
each checked against a reference computed from the documents' own metadata and text."""

from __future__ import annotations

import calendar
import datetime
import json

import pytest

from app.analysis import terms
from app.cli import main
from app.index.readers import LiveIndex
from app.service.results import SearchRequest
from app.service.search import search

from ..support import built, serving

# (file, title, date, author, tags, text)
DOCUMENTS = [
    ("a.md", "人權 report on detention", "2019", "Legal desk", ["vigil", "六四"], "Detention visits were refused."),
    ("b.md", "Vigil notice", "2019-05-30", "Press office", ["vigil"], "Visits to old detention centres resumed. 人權"),
    ("c.md", "Court news", "2019-06-15", "Legal desk", ["court"], "The detention of journalists. 人权 and 自由."),
    ("d.md", "Rights of detainees", "2020-12-31", "Aid desk", ["detention"], "Visits during long detention days."),
    ("e.md", "Year end", "2021-01-01", "Legal desk", [], "A legal note about the vigil and 六四."),
    ("f.md", "Undated letter", None, "Legal desk", ["letter"], "Detention, then after many long days, visits."),
    ("g.md", "Line broken", "2014-09", None, [], "香港人\n權利 and the rights\nof every detainee."),
    ("h.md", "Bail", "2020-02-03", None, [], "黎智英今日再次申請保釋，法官押後裁決。"),
    ("j.md", "Both forms", None, None, [], "人權 in one outlet, 人权 in another."),
    ("i.md", "Apart", "2020-02", None, [], "黎智英案的審訊今天開始，辯方律師表示將會在下月再就此案提出申請保釋。"),
]


def _front(title, date, author, tags) -> str:
    lines = [f"title: {title}"]
    lines += [f"date: {date}"] if date else []
    lines += [f"author: {author}"] if author else []
    lines += [f"tags: [{', '.join(tags)}]"] if tags else []
    return "---\n" + "\n".join(lines) + "\n---\n"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("language")
    documents = folder / "docs"
    documents.mkdir()
    for name, title, date, author, tags, text in DOCUMENTS:
        (documents / name).write_text(_front(title, date, author, tags) + text + "\n", encoding="utf-8")
    index = built(documents, folder / "index")
    live = LiveIndex(index)
    yield live, index, documents
    live.close()


def found(live, q: str, **asked) -> set[str]:
    result = search(live, SearchRequest(q=q, per_page=100, **asked))
    assert result.total == len(result.hits)
    return {hit.id for hit in result.hits}


def where(test) -> set[str]:
    return {name.removesuffix(".md") for name, *fields in DOCUMENTS if test(*fields)}


def holds(value: str | None, words: str) -> bool:
    """The analysed terms of ``words`` stand in a row in the analysed ``value``."""
    wanted, have = terms(words), terms(value or "")
    return any(have[start : start + len(wanted)] == wanted for start in range(len(have) - len(wanted) + 1))


@pytest.mark.parametrize(
    ("q", "field", "words"),
    [
        ("title:人權", "title", "人權"),
        ("title:detention", "title", "detention"),
        ('author:"Legal desk"', "author", "Legal desk"),
        ("author:legal", "author", "legal"),
        ("tag:vigil", "tags", "vigil"),
        ("tags:vigil", "tags", "vigil"),
        ("text:detention", "text", "detention"),
        ("text:人權", "text", "人權"),
    ],
)
def test_a_field_finds_the_documents_whose_own_field_holds_the_words(archive, q, field, words):
    live, *_ = archive

    def field_holds(title, date, author, tags, text):
        values = {"title": [title], "author": [author], "tags": tags, "text": [text]}[field]
        return any(holds(value, words) for value in values)

    expected = where(field_holds)
    assert expected, "the reference must hold something to compare"
    assert found(live, q) == expected


def test_a_group_in_a_field_and_an_unknown_field_searched_as_words(archive):
    live, *_ = archive
    assert found(live, "tag:(vigil OR 六四)") == where(lambda t, d, a, tags, x: bool({"vigil", "六四"} & set(tags)))
    # title:人權 is not the word anywhere: b holds 人權 only in its text.
    assert "b" not in found(live, "title:人權") and "b" in found(live, "人權")
    # A name before a colon that is no field is a word: "Note:" finds the note.
    assert found(live, "note: legal") == found(live, "note legal") == {"e"}


def _span(date: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day a date written at its own precision may stand for."""
    parts = [int(part) for part in date.split("-")]
    if len(parts) == 1:
        return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return datetime.date(parts[0], parts[1], 1), datetime.date(parts[0], parts[1], last)
    day = datetime.date(*parts)
    return day, day


def overlaps(date: str | None, low: str, high: str) -> bool:
    if not date:
        return False
    first, last = _span(date)
    return (not low or last >= _span(low)[0]) and (not high or first <= _span(high)[1])


@pytest.mark.parametrize(
    ("low", "high"),
    [
        ("2019", "2019"),
        ("2019-06", "2020-12"),
        ("", "2014"),
        ("2021-01-01", ""),
        ("2019-06-15", "2019-06-15"),
        ("2020-02", "2020-02-03"),
    ],
)
def test_a_date_range_selects_the_documents_whose_own_date_overlaps_it(archive, low, high):
    live, *_ = archive
    expected = where(lambda title, date, *rest: overlaps(date, low, high))
    text = f"{low}..{high}" if low != high else low
    assert found(live, f"date:{text}") == expected
    assert found(live, "*", date_from=low, date_to=high) == expected
    assert found(live, f"detention date:{text}") == expected & found(live, "detention")


def test_the_precision_rule_a_year_overlaps_a_range_inside_it(archive):
    live, *_ = archive
    # Dated only 2019, a may be from June 2019: selected. b, of 30 May 2019, lies before: not.
    inside = found(live, "date:2019-06..2020-12")
    assert "a" in inside and "b" not in inside and "c" in inside and "d" in inside
    assert "f" not in found(live, "date:..2030"), "an undated document has no date to overlap"


@pytest.mark.parametrize("bad", ["date:2019-13", "date:19", "date:2020..2019", "date:2019-02-30x"])
def test_a_bad_date_is_refused_naming_the_part_at_fault(archive, bad):
    _live, index, documents = archive
    with serving(index, documents) as client:
        answer = client.get("/api/search", query_string={"q": f"vigil {bad}"})
    assert answer.status_code == 400
    assert bad in answer.get_json()["error"]["message"]


def test_from_and_to_are_checked_by_name(archive):
    _live, index, documents = archive
    with serving(index, documents) as client:
        answer = client.get("/api/search", query_string={"q": "vigil", "from": "June"})
        assert answer.status_code == 400 and "from" in answer.get_json()["error"]["message"]
        answer = client.get("/api/search", query_string={"q": "vigil", "from": "2021", "to": "2019"})
        assert answer.status_code == 400
        answer = client.get("/api/search", query_string={"q": "detention", "from": "2019-06", "to": "2020-12"})
    assert {hit["id"] for hit in answer.get_json()["results"]} == where(
        lambda title, date, author, tags, text: (
            overlaps(date, "2019-06", "2020-12") and holds(f"{title} {text} {' '.join(tags)}", "detention")
        )
    )


def test_nearness_in_any_order_and_closer_scores_higher(archive):
    live, *_ = archive
    # a: "Detention visits" (adjacent); b: "Visits to old detention" (the other order, one word
    # between: "to" is a stop word, not indexed); d: two words between; f: five.
    assert found(live, '"detention visits"~3') == {"a", "b", "d"}
    assert found(live, '"detention visits"~10') == {"a", "b", "d", "f"}
    assert found(live, "detention NEAR/3 visits") == found(live, '"detention visits"~3')
    result = search(live, SearchRequest(q='"detention visits"~10', per_page=10))
    assert result.hits[0].id == "a", [hit.id for hit in result.hits]
    assert result.hits[-1].id == "f"


def test_nearness_of_chinese_runs_keeps_each_run_a_phrase(archive):
    live, *_ = archive
    assert found(live, '"黎智英 保釋"~10') == {"h"}
    assert found(live, '"黎智英 保釋"~40') == {"h", "i"}
    assert found(live, '"黎智英 保释"~10') == {"h"}, "each run is searched in every script"
    # 英保 is not a run of the query: the parts stay apart.
    assert found(live, '"黎智 英今"~1') == {"h"}


def test_exactly_as_typed_finds_only_the_script_and_the_letters_typed(archive):
    live, *_ = archive
    assert found(live, "人權") == {"a", "b", "c", "g", "j"}
    # A line break inside the phrase is layout: g's 人⏎權 is 人權 as written.
    assert found(live, "人權", exact=True) == {"a", "b", "g", "j"}
    assert found(live, "人权", exact=True) == {"c", "j"}
    assert found(live, "人权利", exact=True) == set() and found(live, "人權利", exact=True) == {"g"}
    # d's title and g's text write "rights"; no document writes "right" alone.
    assert found(live, "right") == {"d", "g"}
    assert found(live, "rights", exact=True) == {"d", "g"}
    assert found(live, "right", exact=True) == set()
    assert found(live, "RIGHTS", exact=True) == {"d", "g"}, "case is not spelling"
    result = search(live, SearchRequest(q="人权", exact=True, expand=False))
    assert result.also_matched == []


def test_exactly_as_typed_marks_only_the_form_typed(archive):
    live, index, documents = archive
    both = next(hit for hit in search(live, SearchRequest(q="人权", exact=True, expand=False)).hits if hit.id == "j")
    assert [both.snippet.text[span.start : span.end] for span in both.snippet.spans] == ["人权"]
    folded = next(hit for hit in search(live, SearchRequest(q="人权")).hits if hit.id == "j")
    assert [folded.snippet.text[span.start : span.end] for span in folded.snippet.spans] == ["人權", "人权"]
    with serving(index, documents) as client:
        page = client.get("/api/documents/j", query_string={"q": "人权", "exact": "1"}).get_json()
        assert [page["text"][start:end] for start, end in page["spans"]] == ["人权"]
        assert page["also_matched"] == []
        # The result links to the page with what decides its marks.
        results = client.get("/api/search", query_string={"q": "人权", "exact": "1"}).get_json()["results"]
        assert all("exact=1" in result["url"] for result in results)


def test_the_timeline_counts_the_matches_by_year_and_month(archive):
    live, *_ = archive
    q = "detention OR detainee"
    matched = found(live, q)
    expected: dict[str, int] = {}
    for name, _title, date, *_rest in DOCUMENTS:
        if name.removesuffix(".md") in matched and date:
            expected[date[:4]] = expected.get(date[:4], 0) + 1
    timeline = search(live, SearchRequest(q=q)).timeline
    assert timeline.unit == "year"
    assert {bar.label: bar.count for bar in timeline.bars if bar.count} == expected
    # Every year from the first to the last is a bar, those without matches too.
    assert [bar.label for bar in timeline.bars] == [str(year) for year in range(2014, 2021)]
    assert timeline.undated == 1  # f
    # Within two years, by month: a, dated only 2019, belongs to no month.
    narrow = search(live, SearchRequest(q="detention", date_from="2019", date_to="2019")).timeline
    assert narrow.unit == "month"
    assert {bar.label: bar.count for bar in narrow.bars if bar.count} == {"2019-05": 1, "2019-06": 1}
    assert narrow.year_only == 1
    assert (narrow.bars[0].date_from, narrow.bars[0].date_to) == ("2019-05", "2019-05")


def test_the_command_line_takes_dates_fields_and_exact(archive):
    from click.testing import CliRunner

    _live, index, _documents = archive
    runner = CliRunner()
    answer = runner.invoke(main, ["search", "人權", "--exact", "--json", "--index", str(index)])
    assert answer.exit_code == 0, answer.output
    assert {hit["id"] for hit in json.loads(answer.output)["results"]} == {"a", "b", "g", "j"}
    answer = runner.invoke(
        main, ["search", 'author:"Legal desk"', "--from", "2019-06", "--to", "2020-12", "--json", "--index", str(index)]
    )
    assert {hit["id"] for hit in json.loads(answer.output)["results"]} == {"a", "c"}
    answer = runner.invoke(main, ["search", "vigil", "--from", "2019-13", "--index", str(index)])
    assert answer.exit_code == 2 and "--from" in answer.output
