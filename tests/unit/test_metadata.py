"""What a document says of itself: sidecar files, dates at their own precision, front matter."""

from __future__ import annotations

import hashlib
import os
import shutil

import pytest

from app.index.build import build
from app.index.readers import LiveIndex
from app.ingest import discover, file_hash, load
from app.service.results import SearchRequest
from app.service.search import search

from ..support import DATA

CORPUS = DATA / "corpus"
LIMIT = 50_000_000


def write(folder, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_sidecar_gives_a_plain_text_file_its_metadata():
    document = load(CORPUS / "court" / "bail_hearing.txt", "court/bail_hearing.txt", LIMIT)
    assert document.title == "Bail hearing of four students"
    assert document.date == "2018-06"  # "June 2018": a month, not 1 June
    assert document.author == "Example Court Watch"
    assert document.tags == ["bail", "students"]
    assert document.url == "https://example.org/court/2018-06-bail"
    assert document.description == "Notes taken in the public gallery."
    assert document.languages[0].tag == "en"
    assert document.warnings == []
    assert "title:" not in document.text


def test_sidecar_values_win_over_what_the_file_says_key_by_key(tmp_path):
    path = write(tmp_path, "note.md", "---\ntitle: Own title\ndate: 2020-01-02\nauthor: Own desk\n---\nBody.\n")
    write(tmp_path, "note.md.meta.yaml", "title: Title from the sidecar\nauthor: [Desk A, Desk B]\n")
    document = load(path, "note.md", LIMIT)
    assert document.title == "Title from the sidecar"
    assert document.author == "Desk A; Desk B"
    assert document.date == "2020-01-02"  # the sidecar gives no date: the file's stays


def test_a_sidecar_dates_a_pdf_in_place_of_its_creation_time(tmp_path):
    shutil.copy(CORPUS / "reports" / "detention_report.pdf", tmp_path / "report.pdf")
    assert load(tmp_path / "report.pdf", "report.pdf", LIMIT).date == "2000-01-01"  # /CreationDate
    write(tmp_path, "report.pdf.meta.yaml", "date: 2023年5月\ntitle: 任意拘留報告\n")
    document = load(tmp_path / "report.pdf", "report.pdf", LIMIT)
    assert (document.date, document.title) == ("2023-05", "任意拘留報告")


def test_a_sidecar_that_is_not_valid_yaml_warns_by_name_and_keeps_what_reads(tmp_path):
    path = write(tmp_path, "notes.txt", "Notes on the hearing\n\nThe court sat at ten.\n")
    write(tmp_path, "notes.txt.meta.yaml", "title: [unclosed\ndate: 2019-07\n")
    document = load(path, "court/notes.txt", LIMIT)
    assert document.title == "Notes on the hearing"
    assert document.date == "2019-07"
    [warning] = document.warnings
    assert warning.startswith("sidecar court/notes.txt.meta.yaml is not valid YAML")
    assert warning.endswith("left out: title")


def test_a_sidecar_that_is_a_link_is_not_read(tmp_path):
    path = write(tmp_path, "notes.txt", "Notes on the hearing\n")
    secret = write(tmp_path, "elsewhere.yaml", "title: Not to be read\n")
    (tmp_path / "notes.txt.meta.yaml").symlink_to(secret)
    document = load(path, "notes.txt", LIMIT)
    assert document.title == "Notes on the hearing"
    assert document.warnings == ["sidecar notes.txt.meta.yaml is not a regular file (a link?): not read"]


def test_discovery_passes_over_sidecars_silently(tmp_path):
    write(tmp_path, "a.txt", "text")
    write(tmp_path, "a.txt.meta.yaml", "title: A\n")
    write(tmp_path, "gone.pdf.meta.yaml", "title: a sidecar whose file is gone\n")
    assert [(found.relative, found.skip_reason) for found in discover(tmp_path)] == [("a.txt", None)]


def test_the_fingerprint_and_the_stamp_of_a_file_cover_its_sidecar_and_the_hash_is_the_file_s(tmp_path):
    path = write(tmp_path, "a.txt", "Statement on bail.\n")
    alone = load(path, "a.txt", LIMIT)
    [before] = discover(tmp_path)
    sidecar = write(tmp_path, "a.txt.meta.yaml", "title: A\n")
    with_sidecar = load(path, "a.txt", LIMIT)
    [after] = discover(tmp_path)
    assert with_sidecar.fingerprint != alone.fingerprint and file_hash(path, LIMIT) == with_sidecar.fingerprint
    assert with_sidecar.hash == alone.hash == hashlib.sha256(path.read_bytes()).hexdigest()  # as sha256sum says
    assert after.size == before.size + sidecar.stat().st_size
    assert after.mtime_ns != before.mtime_ns


def test_changing_only_the_sidecar_reindexes_the_document(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    write(docs, "report.txt", "Report on the bail hearings of students.\n")
    write(docs, "other.txt", "Another statement.\n")
    sidecar = write(docs, "report.txt.meta.yaml", "title: First title\n")
    first = build(docs, index)
    assert first.count("added") == 2 and first.count("skipped") == 0

    mtime = sidecar.stat().st_mtime_ns
    sidecar.write_text("title: Second title\n", encoding="utf-8")  # same size
    os.utime(sidecar, ns=(mtime + 5_000_000_000, mtime + 5_000_000_000))
    second = build(docs, index)
    assert (second.count("changed"), second.count("unchanged")) == (1, 1)
    live = LiveIndex(index)
    [hit] = search(live, SearchRequest(q="bail")).hits
    assert hit.title.text == "Second title"
    live.close()

    sidecar.unlink()
    third = build(docs, index)
    assert third.count("changed") == 1
    live = LiveIndex(index)
    [hit] = search(live, SearchRequest(q="bail")).hits
    assert hit.title.text == "Report on the bail hearings of students."
    live.close()


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2018", "2018"),
        ("2018-06", "2018-06"),
        ("'2018-6'", "2018-06"),
        ("June 2018", "2018-06"),
        ("2018年6月", "2018-06"),
        ("2018年6月30日", "2018-06-30"),
        ("2018-06-30", "2018-06-30"),
        ("30 June 2018", "2018-06-30"),
        ("2018-06-30T23:15:00+08:00", "2018-06-30"),
        ("2018-06-30 09:00", "2018-06-30"),
    ],
)
def test_dates_keep_the_precision_they_are_written_with(tmp_path, written, stored):
    path = write(tmp_path, "dated.md", f"---\ndate: {written}\n---\nText.\n")
    document = load(path, "dated.md", LIMIT)
    assert document.date == stored
    assert document.warnings == []


@pytest.mark.parametrize("written", ["sometime", "June 30", "2018-13", "2018-02-30"])
def test_what_is_not_a_date_is_left_out_with_a_warning(tmp_path, written):
    path = write(tmp_path, "undated.md", f"---\ntitle: T\ndate: {written}\n---\nText.\n")
    document = load(path, "undated.md", LIMIT)
    assert document.date is None
    assert [warning for warning in document.warnings if "is not a date; left out" in warning]


def test_a_date_the_page_states_wins_over_the_file_timestamp_and_a_sidecar_over_both(tmp_path):
    page = write(tmp_path, "page.html", '<html><head><meta name="date" content="2021-06"></head><p>Text</p></html>')
    assert load(page, "page.html", LIMIT).date == "2021-06"
    write(tmp_path, "page.html.meta.yaml", "date: 2021-06-17\n")
    assert load(page, "page.html", LIMIT).date == "2021-06-17"


def test_front_matter_that_is_not_a_mapping_is_not_text(tmp_path):
    path = write(tmp_path, "list.md", "---\n- one\n- two\n---\n# Heading\n\nBody.\n")
    document = load(path, "list.md", LIMIT)
    assert document.text == "Heading\n\nBody."
    assert document.title == "Heading"
    assert document.warnings == ["front matter is not a mapping of keys to values"]


def test_broken_front_matter_keeps_block_values_that_read_on_their_own(tmp_path):
    text = "---\ntitle: Kept: no\ndate: 2019-06-12\ntags:\n  - protest\n  - 反修例\nauthor: 'unclosed\n---\nBody.\n"
    document = load(write(tmp_path, "broken.md", text), "broken.md", LIMIT)
    assert document.text == "Body."
    assert (document.date, document.tags, document.author) == ("2019-06-12", ["protest", "反修例"], None)
    assert document.warnings[0].endswith("left out: title, author")


def test_a_date_is_shown_sorted_and_filtered_at_the_precision_it_was_written(tmp_path):
    from app.web import create_app

    documents, index = tmp_path / "documents", tmp_path / "index"
    documents.mkdir()
    for name, date in [("year", "2018"), ("month", "2018-06"), ("day", "2018-06-15"), ("later", "2019-02")]:
        front_matter = f"---\ntitle: Petition {name}\ndate: {date}\n---\n"
        write(documents, f"{name}.md", front_matter + "A petition for the detained.\n")
    build(documents, index)
    client = create_app({"INDEX": str(index), "DOCUMENTS": str(documents), "TESTING": True}).test_client()

    newest_first = client.get("/api/search", query_string={"q": "petition", "sort": "-date"}).get_json()
    assert [(hit["id"], hit["date"]) for hit in newest_first["results"]] == [
        ("later", "2019-02"),
        ("day", "2018-06-15"),
        ("month", "2018-06"),
        ("year", "2018"),
    ]
    in_2018 = client.get("/api/search", query_string={"q": "petition", "year": "2018"}).get_json()
    assert sorted(hit["id"] for hit in in_2018["results"]) == ["day", "month", "year"]
    assert [(value["value"], value["count"]) for value in newest_first["facets"]["year"]] == [("2019", 1), ("2018", 3)]
    page = client.get("/search", query_string={"q": "petition", "sort": "-date"}).get_data(as_text=True)
    assert "2018-06-01" not in page and "2018-01-01" not in page
    assert page.index(">2018-06<") < page.index(">2018<")


@pytest.mark.parametrize("written", ['""', "''", '"  "'])
def test_an_empty_date_is_no_date_and_says_nothing(tmp_path, written):
    path = write(tmp_path, "blank.md", f"---\ntitle: T\ndate: {written}\n---\nText.\n")
    document = load(path, "blank.md", LIMIT)
    assert (document.date, document.warnings) == (None, [])
    # A sidecar's blank date does not hide the date the file states.
    write(tmp_path, "dated.md", "---\ndate: 2020-05-04\n---\nText.\n")
    write(tmp_path, "dated.md.meta.yaml", f"date: {written}\n")
    document = load(tmp_path / "dated.md", "dated.md", LIMIT)
    assert (document.date, document.warnings) == ("2020-05-04", [])


@pytest.mark.parametrize(
    ("name", "date"),
    [
        ("2021-06-04 statement.txt", "2021-06-04"),
        ("20210604-statement.txt", "2021-06-04"),
        ("2021-06 report.txt", "2021-06"),
        ("2021_06_04_hearing.txt", "2021-06-04"),
        ("2021.06.04.txt", "2021-06-04"),
        ("statement of 2021-6-4.txt", "2021-06-04"),
        ("2021年6月4日聲明.txt", "2021-06-04"),
        ("聲明 2021-06.txt", "2021-06"),
        # Numbers that are not dates, or not only a date, are not taken.
        ("2021-13-45 statement.txt", None),
        ("12345678.txt", None),
        ("20211345.txt", None),
        ("report 2021.txt", None),
        ("v2021-06-04.txt", None),
        ("2021-06-045.txt", None),
        ("0001-01-01 x.txt", None),
    ],
)
def test_an_undated_document_takes_the_date_in_its_file_name(tmp_path, name, date):
    path = write(tmp_path, name, "A statement on the detained.\n")
    document = load(path, f"statements/{name}", LIMIT)
    assert (document.date, document.warnings) == (date, [])


def test_the_date_a_document_states_wins_over_its_name_and_the_name_over_its_creation_time(tmp_path):
    stated = write(tmp_path, "2021-06-04 stated.md", "---\ndate: 2019-03\n---\nText.\n")
    assert load(stated, stated.name, LIMIT).date == "2019-03"
    write(tmp_path, f"{stated.name}.meta.yaml", "date: 2018\n")
    assert load(stated, stated.name, LIMIT).date == "2018"
    # Not a date where one is stated: named, and the name dates the document.
    wrong = write(tmp_path, "2021-06-04 wrong.md", "---\ndate: sometime\n---\nText.\n")
    document = load(wrong, wrong.name, LIMIT)
    assert document.date == "2021-06-04"
    assert document.warnings == ["date 'sometime' is not a date; left out"]
    # A PDF's /CreationDate (2000-01-01) comes after the name's date.
    shutil.copy(CORPUS / "reports" / "detention_report.pdf", tmp_path / "20230517-report.pdf")
    assert load(tmp_path / "20230517-report.pdf", "20230517-report.pdf", LIMIT).date == "2023-05-17"


@pytest.mark.parametrize(
    ("suffix", "sidecar"),
    [
        (".meta.yml", "title: Bail hearing notes\ndate: 2019-07\ntags: [bail]\n"),
        (".meta.json", '{"title": "Bail hearing notes", "date": "2019-07", "tags": ["bail"]}'),
    ],
)
def test_a_sidecar_may_be_meta_yml_or_meta_json(tmp_path, suffix, sidecar):
    path = write(tmp_path, "notes.txt", "The court sat at ten.\n")
    write(tmp_path, f"notes.txt{suffix}", sidecar)
    document = load(path, "notes.txt", LIMIT)
    assert (document.title, document.date, document.tags, document.warnings) == (
        "Bail hearing notes",
        "2019-07",
        ["bail"],
        [],
    )
    assert [found.relative for found in discover(tmp_path)] == ["notes.txt"]


@pytest.mark.parametrize(
    ("content", "warning"),
    [
        ('{"title": "unclosed', "sidecar notes.txt.meta.json is not valid JSON (Unterminated string"),
        ('["a list"]', "sidecar notes.txt.meta.json is not a JSON object of keys to values"),
        ("[" * 100_000 + "]" * 100_000, "sidecar notes.txt.meta.json is not valid JSON (too deeply nested"),
        ('{"title": "' + "x" * 1_000_001 + '"}', "sidecar notes.txt.meta.json is over 1000 kB: not read"),
    ],
)
def test_a_json_sidecar_that_cannot_be_read_warns_and_the_file_is_indexed(tmp_path, content, warning):
    path = write(tmp_path, "notes.txt", "Notes on the hearing\n\nThe court sat at ten.\n")
    write(tmp_path, "notes.txt.meta.json", content)
    document = load(path, "notes.txt", LIMIT)
    assert document.title == "Notes on the hearing"
    [said] = document.warnings
    assert said.startswith(warning)


def test_of_two_sidecars_the_yaml_one_is_read_and_a_warning_says_so(tmp_path):
    path = write(tmp_path, "notes.txt", "The court sat at ten.\n")
    write(tmp_path, "notes.txt.meta.json", '{"title": "From JSON"}')
    alone = load(path, "court/notes.txt", LIMIT)
    write(tmp_path, "notes.txt.meta.yml", "title: From YAML\n")
    both = load(path, "court/notes.txt", LIMIT)
    assert (alone.title, both.title) == ("From JSON", "From YAML")
    assert both.warnings == [
        "2 sidecars for court/notes.txt: court/notes.txt.meta.yml is read, court/notes.txt.meta.json is not"
    ]
    assert both.fingerprint != alone.fingerprint and file_hash(path, LIMIT) == both.fingerprint


def test_changing_a_json_sidecar_reindexes_its_document_and_removing_the_other_one_clears_the_warning(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    write(docs, "report.txt", "Report on the bail hearings of students.\n")
    sidecar = write(docs, "report.txt.meta.json", '{"title": "First title"}')
    build(docs, index)
    mtime = sidecar.stat().st_mtime_ns
    sidecar.write_text('{"title": "Other title"}', encoding="utf-8")  # same size
    os.utime(sidecar, ns=(mtime + 5_000_000_000, mtime + 5_000_000_000))
    assert build(docs, index).count("changed") == 1
    live = LiveIndex(index)
    [hit] = search(live, SearchRequest(q="bail")).hits
    assert hit.title.text == "Other title"
    live.close()

    write(docs, "report.txt.meta.yaml", "title: YAML title\n")
    [report] = build(docs, index).files
    assert (report.status, report.warnings) == (
        "changed",
        ["2 sidecars for report.txt: report.txt.meta.yaml is read, report.txt.meta.json is not"],
    )
    sidecar.unlink()
    [report] = build(docs, index).files
    assert (report.status, report.warnings) == ("changed", [])
