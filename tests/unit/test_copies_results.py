"""The same story, once: copies of a document are one result, the best ranked, with the others
beside it; every copy on request; the document page lists its copies; different articles on the
same event stay apart. Through the API, the pages, the exports and the command line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import opencc
import pytest

from app.cli import main
from app.index.build import build

from ..support import built, serving

STATEMENT = (
    "The Hong Kong Alliance announced on Saturday that its members had voted to dissolve the group.\n"
    "For thirty years it organised the candlelight vigil in Victoria Park every June.\n"
    "Its leaders were charged with inciting subversion after the police froze its assets.\n"
    "The alliance said it could no longer guarantee the safety of its volunteers and staff.\n"
    "Supporters laid flowers outside its former office in Mong Kok on Sunday afternoon.\n"
    "Rights groups abroad called the decision a dark day for civil society in the city.\n"
)
# The same statement edited a little, its lines wrapped elsewhere and its punctuation changed.
EDITED = (
    "The Hong Kong Alliance announced on Saturday that its members had voted to disband the group.  For thirty\n"
    "years it organised the candlelight vigil in Victoria Park every June; its leaders were charged with\n"
    "inciting subversion after the police froze its assets. The alliance said it could no longer guarantee\n"
    "the safety of its volunteers and staff. Supporters laid flowers outside its former office in Mong Kok\n"
    "on Sunday. Rights groups abroad called the decision a dark day for civil society in the city.\n"
)
# Another article on the same event: the same names, other sentences.
OTHER = (
    "Victoria Park stood empty on the night of June 4 for the second year running.\n"
    "The Hong Kong Alliance, which organised the vigil for three decades, has dissolved.\n"
    "Police officers patrolled the football pitches where crowds once held candles.\n"
    "A few residents walked through Causeway Bay with their phone lights switched on.\n"
    "Several were stopped and searched by officers on the way to the MTR station.\n"
)
HANT = (
    "支聯會（香港市民支援愛國民主運動聯合會）宣布解散。\n"
    "該會三十年來每年六月在維多利亞公園舉辦燭光悼念晚會。\n"
    "警方早前凍結該會資產，多名領袖被控煽惑顛覆國家政權罪。\n"
    "該會表示已無法保障義工及職員的安全，決定停止運作。\n"
    "支持者周日到該會旺角的舊辦事處外獻花。\n"
)
# The query: its translation finds the Chinese articles too (支聯會).
ALLIANCE = '"Hong Kong Alliance"'
ARCHIVE = {
    "press/statement.txt": STATEMENT,
    "mirror/statement.txt": STATEMENT,
    "press/edited.txt": EDITED,
    "press/other.txt": OTHER,
    "zh/hant.txt": HANT,
    "zh/hans.txt": opencc.OpenCC("t2s").convert(HANT),
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("copies")
    for name, text in ARCHIVE.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder, built(folder, tmp_path_factory.mktemp("copies-index"))


@pytest.fixture(scope="module")
def copies_client(archive):
    folder, index = archive
    with serving(index, folder) as client:
        yield client


def _search(client, **given) -> dict:
    answer = client.get("/api/search", query_string={"per_page": 50, **given})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_copies_are_one_result_with_the_others_beside_it(copies_client):
    answer = _search(copies_client, q=ALLIANCE)
    assert answer["documents"] == 6 and answer["total"] == 3
    ids = [result["id"] for result in answer["results"]]
    assert "press/other" in ids
    shown = next(result for result in answer["results"] if result["id"] in ("press/statement", "mirror/statement"))
    copies = {item["id"]: item["differences"] for item in shown["copies"]}
    assert shown["copies_total"] == len(copies) == 2
    assert set(copies) == {"press/statement", "mirror/statement", "press/edited"} - {shown["id"]}
    other_folder = "mirror" if shown["id"] == "press/statement" else "press"
    exact = next(key for key in copies if key.endswith("/statement"))
    assert copies[exact] == [{"kind": "folder", "value": other_folder}]
    wording = [part for part in copies["press/edited"] if part["kind"] == "wording"]
    assert len(wording) == 1 and 50 <= int(wording[0]["value"]) < 100
    chinese = next(result for result in answer["results"] if result["id"].startswith("zh/"))
    other_script = "zh-Hans" if chinese["id"] == "zh/hant" else "zh-Hant"
    assert [item["differences"][0] for item in chinese["copies"]] == [{"kind": "language", "value": other_script}]


def test_a_traditional_article_and_its_simplified_conversion_are_one_result(copies_client):
    for query in ("燭光", "烛光"):
        answer = _search(copies_client, q=query)
        assert answer["total"] == 1 and answer["documents"] == 2
        assert len(answer["results"][0]["copies"]) == 1


def test_every_copy_is_a_result_of_its_own_with_dedupe_0(copies_client):
    answer = _search(copies_client, q=ALLIANCE, dedupe="0")
    assert answer["total"] == answer["documents"] == 6
    assert {result["id"] for result in answer["results"]} == {name.removesuffix(".txt") for name in ARCHIVE}
    assert all(result["copies"] == [] for result in answer["results"])
    refused = copies_client.get("/api/search", query_string={"q": ALLIANCE, "dedupe": "yes"})
    assert refused.status_code == 400 and "dedupe must be 1" in refused.get_json()["error"]["message"]


def test_the_best_ranked_copy_is_the_one_shown(copies_client):
    # "disband" is only in the edited copy: it ranks above the statement it copies.
    query = "Hong Kong Alliance disband OR dissolve"
    answer, every = _search(copies_client, q=query), _search(copies_client, q=query, dedupe="0")
    ranked = [result["id"] for result in every["results"]]
    group_of = {}
    for result in answer["results"]:
        for member in (result["id"], *(copy["id"] for copy in result["copies"])):
            group_of[member] = result["id"]
    assert sorted(group_of) == sorted(ranked)
    # Each group is shown by its best ranked copy, in the order of those copies.
    firsts = list(dict.fromkeys(group_of[member] for member in ranked))
    assert [result["id"] for result in answer["results"]] == firsts
    assert firsts[0] == ranked[0] == "press/edited"


def test_the_results_page_says_also_in_and_links_to_every_copy(copies_client):
    page = copies_client.get("/search", query_string={"q": ALLIANCE}).get_data(as_text=True)
    assert "3 results" in page and "copies shown once: 6 documents" in page
    assert page.count("also in 2 copies") == 1 and page.count("also in 1 copy") == 1
    every = re.search(r'<a href="([^"]+)">show every copy</a>', page)
    assert every and "dedupe=0" in every[1]
    listed = copies_client.get(every[1].replace("&amp;", "&")).get_data(as_text=True)
    assert "6 results" in listed and "also in" not in listed and "show copies once" in listed


def test_the_document_page_lists_its_copies_and_how_they_differ(copies_client):
    document = copies_client.get("/api/documents/zh/hans").get_json()
    assert [copy["id"] for copy in document["copies"]] == ["zh/hant"]
    assert document["copies"][0]["url"] == "/documents/zh/hant"
    page = copies_client.get("/documents/zh/hans").get_data(as_text=True)
    listed = page.split("<dt>Copies</dt>")[1].split("</dd>")[0]
    assert '<a href="/documents/zh/hant">' in listed and "Chinese (Traditional)" in listed
    alone = copies_client.get("/api/documents/press/other").get_json()
    assert alone["copies"] == []


def test_the_export_lists_a_row_per_result_unless_every_copy_is_asked(copies_client):
    rows = copies_client.get("/api/export", query_string={"q": ALLIANCE, "format": "jsonl"}).get_data(as_text=True)
    every = copies_client.get("/api/export", query_string={"q": ALLIANCE, "format": "jsonl", "dedupe": "0"})
    assert len(rows.splitlines()) == 3 and len(every.get_data(as_text=True).splitlines()) == 6


def test_the_command_line_shows_copies_once_or_all(runner, archive):
    _folder, index = archive
    once = runner.invoke(main, ["search", ALLIANCE, "--index", str(index)])
    assert once.exit_code == 0
    assert once.output.startswith(f"3 results for {ALLIANCE!r}") and "copies shown once: 6 documents" in once.output
    assert "also in 2 copies: " in once.output
    every = runner.invoke(main, ["search", ALLIANCE, "--all-copies", "--index", str(index)])
    assert every.output.startswith(f"6 results for {ALLIANCE!r}") and "also in" not in every.output


def test_copies_are_grouped_again_when_the_first_goes_away(archive, tmp_path):
    folder = tmp_path / "documents"
    shutil.copytree(archive[0], folder)
    index = built(folder, tmp_path / "index")
    (folder / "zh" / "hans.txt").unlink()
    (folder / "press" / "statement.txt").unlink()
    assert not build(folder, index).full
    with serving(index, folder) as client:
        answer = _search(client, q=ALLIANCE)
        assert answer["documents"] == 4 and answer["total"] == 3
        shown = next(result for result in answer["results"] if result["copies"])
        assert {shown["id"], *(copy["id"] for copy in shown["copies"])} == {"mirror/statement", "press/edited"}
