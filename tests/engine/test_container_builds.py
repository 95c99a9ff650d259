"""A full build in worker processes gives every document a key of its own when files hold
documents (a zip's members, counted only as it is read): plain files are dealt among the
workers, the containers go to the last, whose keys come after all the others', and what one
build finds another finds the same way, in one process or two, in full or incrementally."""

from __future__ import annotations

import io
import pickle
import zipfile
from dataclasses import asdict
from pathlib import Path

from app.index.build import build
from app.index.generations import current_generation
from app.index.manifest import read_manifest
from app.index.readers import LiveIndex
from app.index.report import FileReport

FILES = 130  # past the files a worker needs, so that two work


def zip_of(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def archive_folder(folder: Path) -> None:
    """Plain files and two zips of members, each holding a word of its own."""
    folder.mkdir()
    for number in range(FILES):
        (folder / f"note{number:03d}.txt").write_text(f"Note {number} word{number}x about the vigil.\n")
    for bundle in ("a", "b"):
        members = {f"m{number}.txt": f"Member {number} of {bundle} zipword{bundle}{number}." for number in range(25)}
        (folder / f"{bundle}.zip").write_bytes(zip_of(members))


def found(index: Path) -> dict[str, int]:
    """Every live document's id and key."""
    live = LiveIndex(index)
    try:
        with live.use() as generation:
            table = generation.table
            return {generation.document(int(key)).record["id"]: int(key) for key in table.live_keys}
    finally:
        live.close()


def test_two_workers_give_every_document_of_every_container_its_own_key(tmp_path):
    folder = tmp_path / "docs"
    archive_folder(folder)
    one, two = tmp_path / "one", tmp_path / "two"
    report = build(folder, two, procs=2)
    assert report.documents == FILES + 2 + 2 * 25
    assert build(folder, one, procs=1).documents == report.documents
    keys = found(two)
    assert len(set(keys.values())) == len(keys) == report.documents
    assert set(keys) == set(found(one))
    # The containers and their members come after every plain file.
    plain = max(key for doc_id, key in keys.items() if doc_id.startswith("note"))
    assert min(key for doc_id, key in keys.items() if "zip" in doc_id or doc_id in ("a", "b")) > plain


def test_an_incremental_build_after_a_parallel_one_takes_keys_after_them(tmp_path):
    folder = tmp_path / "docs"
    archive_folder(folder)
    index = tmp_path / "index"
    build(folder, index, procs=2)
    before = found(index)
    (folder / "c.zip").write_bytes(zip_of({"x.txt": "A new member.", "y.txt": "Another new member."}))
    (folder / "a.zip").unlink()
    report = build(folder, index)
    after = found(index)
    assert report.documents == len(after) == len(before) - 26 + 3
    assert min(after[doc_id] for doc_id in ("c", "c.zip/x.txt", "c.zip/y.txt")) > max(before.values())
    assert not any(doc_id == "a" or doc_id.startswith("a.zip/") for doc_id in after)


def test_a_build_in_two_workers_reports_and_records_every_file_as_one_process_does(tmp_path):
    folder = tmp_path / "docs"
    archive_folder(folder)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 not a pdf at all")  # skipped, with its reason
    (folder / "c.zip").write_bytes(zip_of({"good.txt": "A good member.", "bad.pdf": "%PDF-1.4 broken"}))  # warned
    reports, manifests = [], []
    for procs in (1, 2):
        index = tmp_path / f"index-{procs}"
        report = build(folder, index, procs=procs)
        reports.append([(file.path, file.status, file.reason, file.warnings, file.documents) for file in report.files])
        # Keys differ (two workers deal the files out); what each file holds does not.
        manifest = read_manifest(current_generation(index))["files"]
        manifests.append(
            {path: {**entry, "key": None, "children": len(entry["children"])} for path, entry in manifest.items()}
        )
    by_path = {path: (status, reason, warnings) for path, status, reason, warnings, _count in reports[1]}
    assert by_path["broken.pdf"][0] == "skipped" and by_path["broken.pdf"][1]
    assert any("bad.pdf" in warning for warning in by_path["c.zip"][2])
    assert reports[0] == reports[1]
    assert manifests[0] == manifests[1] and len(manifests[1]) == FILES + 3
    assert manifests[1]["c.zip"]["children"] == 1


def test_a_report_reaches_the_build_whole():
    # Each file's report is pickled from a worker to the build, which keeps one per file.
    report = FileReport(
        "mail/box.mbox", "added", None, ["zh-hant", "en"], ["3: no date"], ocr_pages=2, ocr_cached=1, documents=4
    )
    arrived = pickle.loads(pickle.dumps(report))
    assert arrived == report and asdict(arrived) == asdict(report)
    assert arrived.status is pickle.loads(pickle.dumps(report)).status, "one status string for every report"
    skipped = pickle.loads(pickle.dumps(FileReport("a.pdf", "skipped", "not a PDF")))
    assert (skipped.reason, skipped.languages, skipped.warnings, skipped.documents) == ("not a PDF", [], [], 1)
