"""`archive-search glossary candidates` lists the names an archive mentions often that the glossary
lacks: a made-up person and organisation, with their counts and the documents that name them;
not the glossary's own names, nor common words; and the glossary file is left as it was."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest

from app.cli import main
from app.glossary import TERMS_FILE, load
from app.glossary.candidates import Text, capital_runs, find_candidates, stretches
from app.index.readers import LiveIndex
from app.service.candidates import general_language, suggest

from ..support import ROOT, built

DOCUMENTS = 36
# Around each mention, a different word, so that each name stands apart from what surrounds it.
EN_SAID = ["said", "told reporters", "wrote", "was arrested", "appeared in court", "spoke", "declined to comment"]
ZH_BEFORE = ["昨日", "記者訪問", "據", "律師指", "法庭上", "市民支持", "警方拘捕", "他說"]
ZH_AFTER = ["表示", "指出", "被捕", "出庭", "認為", "發言", "否認控罪", "說"]


def _udhr_paragraphs() -> list[str]:
    pool = []
    for path in sorted((ROOT / "documents" / "udhr").glob("*.md")):
        pool += [line for line in path.read_text(encoding="utf-8").split("---", 2)[2].splitlines() if len(line) > 40]
    return pool


def _write_archive(folder: Path) -> dict[str, dict[str, int]]:
    """Documents that mention Chan Tai-man / 陳大文 and the Cheng Fung Society / 澄楓會 (made up),
    Jimmy Lai / 黎智英 (in the glossary) and the government / 政府; how often each names each."""
    rng = random.Random(7)
    pool = _udhr_paragraphs()
    counts: dict[str, dict[str, int]] = {}
    folder.mkdir(parents=True)
    for number in range(DOCUMENTS):
        doc_id = f"news{number:02d}"
        mentions = {"Chan Tai-man": 0, "陳大文": 0, "Cheng Fung Society": 0}
        paragraphs = [pool[(number * 5 + step * 11) % len(pool)] for step in range(10)]
        for _ in range(1 + number % 3):
            said = rng.choice(EN_SAID)
            paragraphs.append(f"On Monday the activist Chan Tai-man {said}, and the Government replied.")
            paragraphs.append(f"Jimmy Lai met Chan Tai-man {rng.choice(EN_SAID)} after the Government spoke.")
            paragraphs.append(f"Members of the Cheng Fung Society {said} that Jimmy Lai {rng.choice(EN_SAID)}.")
            mentions["Chan Tai-man"] += 2
            mentions["Cheng Fung Society"] += 1
            spelling = "陈大文" if number % 4 == 0 else "陳大文"
            paragraphs.append(f"{rng.choice(ZH_BEFORE)}{spelling}{rng.choice(ZH_AFTER)}，政府回應黎智英案。")
            paragraphs.append(
                f"澄楓會{rng.choice(ZH_AFTER)}，{rng.choice(ZH_BEFORE)}{spelling}{rng.choice(ZH_AFTER)}。"
            )
            mentions["陳大文"] += 2
        rng.shuffle(paragraphs)
        text = "\n\n".join(paragraphs)
        (folder / f"{doc_id}.md").write_text(f"---\ntitle: Report {number}\n---\n{text}\n", encoding="utf-8")
        counts[doc_id] = mentions
    return counts


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, int]]]:
    """An index of the generated documents, and how often each document names each name."""
    folder = tmp_path_factory.mktemp("candidates")
    counts = _write_archive(folder / "documents")
    return built(folder / "documents", folder / "index"), counts


def _by_name(candidates) -> dict[str, object]:
    return {candidate.name: candidate for candidate in candidates}


def _expected(counts: dict[str, dict[str, int]], name: str) -> tuple[int, int, tuple[str, ...]]:
    naming = sorted(doc_id for doc_id, found in counts.items() if found[name])
    return sum(found[name] for found in counts.values()), len(naming), tuple(naming[:3])


def test_the_made_up_names_are_listed_with_their_counts_and_documents(archive):
    index, counts = archive
    live = LiveIndex(index)
    try:
        found = suggest(live)
    finally:
        live.close()
    names = _by_name(found.candidates)
    assert found.read == found.documents == DOCUMENTS
    for name, kind in (("Chan Tai-man", "en"), ("Cheng Fung Society", "en"), ("陳大文", "zh")):
        assert name in names, sorted(names)
        mentions, documents, examples = _expected(counts, name)
        assert (names[name].kind, names[name].mentions, names[name].documents) == (kind, mentions, documents)
        assert names[name].examples == examples
    # Both scripts count as one name, shown in its most common spelling.
    assert set(names["陳大文"].forms) == {"陳大文", "陈大文"}
    assert "澄楓會" in names


def test_glossary_names_parts_of_names_and_common_words_are_not_listed(archive):
    index, _counts = archive
    live = LiveIndex(index)
    try:
        names = set(_by_name(suggest(live, min_count=2).candidates))
    finally:
        live.close()
    assert not names & {"Jimmy Lai", "黎智英", "Lai", "Jimmy", "Government", "政府", "Monday", "On Monday"}
    # Nor a piece of a listed name, which never stands apart from the rest of it.
    assert not names & {"Chan", "Tai-man", "Cheng Fung", "Fung Society", "陳大", "大文", "陈大"}


def test_the_command_prints_a_table_and_json_and_leaves_the_glossary_as_it_was(archive, runner):
    index, counts = archive
    before = hashlib.sha256(TERMS_FILE.read_bytes()).hexdigest()
    result = runner.invoke(main, ["glossary", "candidates", "--index", str(index), "--limit", "5"])
    assert result.exit_code == 0, result.output
    mentions, documents, examples = _expected(counts, "Chan Tai-man")
    row = next(line for line in result.output.splitlines() if line.startswith("Chan Tai-man "))
    assert row.split()[2:5] == ["en", str(mentions), str(documents)]
    assert ", ".join(examples) in row
    assert "name" in result.output.splitlines()[1] and "documents" in result.output.splitlines()[1]

    result = runner.invoke(main, ["glossary", "candidates", "--index", str(index), "--format", "json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["read"] == DOCUMENTS
    chan = next(item for item in answer["candidates"] if item["name"] == "陳大文")
    assert (chan["kind"], chan["mentions"]) == ("zh", _expected(counts, "陳大文")[0])
    assert hashlib.sha256(TERMS_FILE.read_bytes()).hexdigest() == before


def test_limit_and_min_count_bound_the_list(archive, runner):
    index, counts = archive
    result = runner.invoke(main, ["glossary", "candidates", "--index", str(index), "--format", "json", "--limit", "1"])
    listed = json.loads(result.output)["candidates"]
    assert [item["kind"] for item in listed] == ["en", "zh"]  # one of each kind, the most mentioned
    assert listed[0]["name"] == "Chan Tai-man"
    too_many = str(_expected(counts, "Chan Tai-man")[0] + 1)
    result = runner.invoke(main, ["glossary", "candidates", "--index", str(index), "--min-count", too_many])
    assert result.exit_code == 0 and "Chan Tai-man" not in result.output


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--limit", "0"], "Invalid value for '--limit'"),
        (["--min-count", "none"], "Invalid value for '--min-count'"),
        (["--format", "xml"], "Invalid value for '--format'"),
        (["--max-documents", "-3"], "Invalid value for '--max-documents'"),
    ],
)
def test_bad_options_are_refused_by_name(archive, runner, options, message):
    index, _counts = archive
    result = runner.invoke(main, ["glossary", "candidates", "--index", str(index), *options])
    assert result.exit_code == 2
    assert message in result.output


def test_a_missing_index_is_named(tmp_path, runner):
    result = runner.invoke(main, ["glossary", "candidates", "--index", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert f"no index in {tmp_path / 'none'}" in result.output


def test_a_name_at_a_sentence_start_only_is_no_candidate():
    texts = [
        Text(f"t{n}", "", "Yesterday it rained. Meanwhile the Harbour Board met. Yesterday again.") for n in range(5)
    ]
    names = _by_name(find_candidates(lambda: iter(texts), load(), general_language(), min_count=3))
    assert "Harbour Board" in names and "Yesterday" not in names and "Meanwhile" not in names


def test_runs_and_stretches_of_capitalised_words():
    whole = "Hong Kong Alliance in Support of Patriotic Democratic Movements of China"
    runs = list(capital_runs(f"The {whole} met. Mr Lai's case"))
    assert (" ".join(runs[0][0]), runs[0][1]) == (f"The {whole}", True)
    assert runs[1] == (["Mr", "Lai"], True)  # a sentence starts it, the possessive ends it
    run = runs[0][0]
    found = {" ".join(run[start:end]) for start, end in stretches(run)}
    assert whole in found and "Hong Kong" in found
    assert not any(name.startswith(("The ", "in ", "of ")) or name.endswith(" of") for name in found)
