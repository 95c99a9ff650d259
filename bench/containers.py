"""Files that hold documents against the same documents as plain files: how long a full build
takes to index (a) a zip of 2,000 Markdown files against the same 2,000 files in a folder, and
(b) a mailbox (mboxo) of 5,000 messages against the same 5,000 texts as .txt files.

    python -m bench.containers                 # both halves
    python -m bench.containers --only zip      # one half: zip or mbox
    python -m bench.containers --pools DIR     # other sentence pools

The documents are the main benchmark's (``bench/generate.py``); the middle one of each corpus
holds one word no other holds. Each corpus is built in full into a fresh index (INDEX_PROCS 2)
with ``archive-search index --json``: its time, the peak memory of its process tree, the size of
the index. The build must report every document (a container is a document of its own, besides
those it holds), and a search for that word must find its document alone, inside its container
in the container's build. The mailbox (64 MB) is past the default limit on a file's size, which
is raised to hold it (ARCHIVE_MAX_FILE_MB, said in the figures). Corpora go under
bench/work/containers/ (git-ignored), figures to bench/results/containers.json (a half run alone
replaces only its own rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import yaml

from app.ingest.discovery import document_id
from bench.generate import AUTHORS, DEFAULT_POOLS, document, load_pools
from bench.measure import folder_mb, run_measured
from bench.run import RESULTS, WORK, index_command

HERE = WORK / "containers"
ZIP_FILES, MESSAGES = 2000, 5000
MARKER = "zebracorn"
HONG_KONG = dt.timezone(dt.timedelta(hours=8))
FIRST_DAY, LAST_DAY = dt.datetime(2019, 1, 1, tzinfo=HONG_KONG), dt.datetime(2022, 12, 31, tzinfo=HONG_KONG)
SEPARATOR = b"From sender@example.org Mon Jan  1 00:00:00 2021\n"
_FROM_LINE = re.compile(rb"^From ", re.MULTILINE)
# The file-size limit a build reads with unless told otherwise (ARCHIVE_MAX_FILE_MB).
DEFAULT_MAX_FILE_MB = 50


def documents(count: int, pools: dict[str, list[str]]) -> Iterator[tuple[str, str]]:
    """(relative path, Markdown text) of documents 0 to count-1, the marker in the middle one."""
    for number in range(count):
        relative, text = document(number, pools)
        if number == count // 2:
            text += f"\nThe {MARKER} is named in this document alone.\n"
        yield relative, text


@dataclass
class Corpus:
    """A corpus to build: its folder, the files and documents in it, the id of the document
    holding the marker, and the settings its build needs besides the defaults."""

    name: str
    folder: Path
    files: int
    documents: int
    probe: str
    env: dict[str, str] = field(default_factory=dict)


def zip_corpora(pools: dict[str, list[str]]) -> list[Corpus]:
    """The folder of ZIP_FILES files and a zip of the same paths and bytes, deflated."""
    plain, bundle = HERE / "zip-plain", HERE / "zip" / "documents.zip"
    _fresh(plain, bundle.parent)
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative, text in documents(ZIP_FILES, pools):
            _write(plain / relative, text.encode("utf-8"))
            archive.writestr(relative, text.encode("utf-8"))
    probe = document(ZIP_FILES // 2, pools)[0]
    return [
        Corpus("zip-plain", plain, ZIP_FILES, ZIP_FILES, document_id(probe)),
        Corpus("zip", bundle.parent, 1, ZIP_FILES + 1, f"{bundle.name}/{probe}"),
    ]


def mbox_corpora(pools: dict[str, list[str]]) -> list[Corpus]:
    """MESSAGES texts as .txt files (the title their first line) and as the messages of one mailbox."""
    plain, mailbox = HERE / "mbox-plain", HERE / "mbox" / "mailbox.mbox"
    _fresh(plain, mailbox.parent)
    with mailbox.open("wb") as out:
        for number, (relative, text) in enumerate(documents(MESSAGES, pools)):
            _dashes, front, body = text.split("---\n", 2)
            title = yaml.safe_load(front)["title"]
            _write(plain / relative.replace(".md", ".txt"), f"{title}\n\n{body}".encode())
            out.write(SEPARATOR + _FROM_LINE.sub(b">From ", message(number, title, body)) + b"\n")
    # A mailbox past the default limit on a file's size would be refused whole: the limit is
    # raised to hold it (and said in the figures).
    megabytes = math.ceil(mailbox.stat().st_size / 1e6)
    env = {"ARCHIVE_MAX_FILE_MB": str(megabytes + 1)} if megabytes >= DEFAULT_MAX_FILE_MB else {}
    probe = document(MESSAGES // 2, pools)[0]
    return [
        Corpus("mbox-plain", plain, MESSAGES, MESSAGES, document_id(probe)),
        # A mailbox's messages are numbered from 1.
        Corpus("mbox", mailbox.parent, 1, MESSAGES + 1, f"{mailbox.name}/{MESSAGES // 2 + 1}", env),
    ]


def message(number: int, title: str, body: str) -> bytes:
    """Message ``number`` of the mailbox: its title the subject, its text the body, a date in 2019-2022."""
    sender = number % len(AUTHORS)
    mail = EmailMessage(policy=policy.default)
    mail["Subject"] = title
    mail["From"] = Address(AUTHORS[sender], f"sender{sender}", "example.org")
    mail["To"] = Address("The archive", "archive", "example.org")
    mail["Date"] = FIRST_DAY + (LAST_DAY - FIRST_DAY) * number / MESSAGES
    mail.set_content(body)  # text/plain, UTF-8, the transfer encoding the library chooses
    return mail.as_bytes()


def _fresh(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def measure(corpus: Corpus) -> dict:
    """A full build of ``corpus`` into a fresh index, checked: the files and documents it
    reports, and the search for the marker finding the probe alone."""
    index, report_file = HERE / f"index-{corpus.name}", HERE / f"report-{corpus.name}.json"
    shutil.rmtree(index, ignore_errors=True)
    # The report goes to a file, as run_measured keeps only the end of what a command prints;
    # exec leaves the build the one process measured.
    command = ["sh", "-c", 'exec "$@" > "$0"', str(report_file), *index_command(corpus.folder, index, full=True)]
    build = run_measured([*command, "--json"], env={"ARCHIVE_INDEX_PROCS": "2", **corpus.env})
    report = json.loads(report_file.read_text(encoding="utf-8"))
    added = [item for item in report["files"] if item["status"] == "added"]
    said = [(item["path"], item["reason"], item["warnings"][:3]) for item in report["files"] if item["warnings"]]
    said += [(item["path"], item["reason"]) for item in report["files"] if item["reason"]]
    _check(len(added) == corpus.files, f"{len(added)} files added, not {corpus.files}: {said[:5]}", corpus)
    documents = report["documents"]
    _check(documents == corpus.documents, f"{documents} documents, not {corpus.documents}: {said[:5]}", corpus)
    found = search_ids(index, MARKER)
    _check(found == [corpus.probe], f"{MARKER} found {found[:5]}, not {corpus.probe}", corpus)
    return {
        "corpus": corpus.name,
        "files": len(report["files"]),
        "documents": report["documents"],
        "seconds": build["seconds"],
        "documents_per_second": round(report["documents"] / build["seconds"], 1),
        "peak_mb": build["peak_mb"],
        "index_mb": folder_mb(index),
        "corpus_mb": folder_mb(corpus.folder),
        "settings": corpus.env,
    }


def _check(holds: bool, problem: str, corpus: Corpus) -> None:
    """A benchmark that indexed other than it should measures nothing: stop, saying what."""
    if not holds:
        raise RuntimeError(f"{corpus.name}: {problem}")


def search_ids(index: Path, word: str) -> list[str]:
    """The ids of the documents ``archive-search search --json`` finds for ``word``, as typed."""
    command = [sys.executable, "-m", "app", "search", "--json", "--no-translations", "--index", str(index), word]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{command} failed: {done.stderr[-2000:]}")
    return [hit["id"] for hit in json.loads(done.stdout)["results"]]


def table(rows: list[dict]) -> str:
    """The figures as a Markdown table."""
    keys = ("corpus", "files", "documents", "seconds", "documents_per_second", "peak_mb", "index_mb")
    lines = ["| corpus | files | documents | seconds | documents / s | peak MB | index MB |", "|---|" + "---:|" * 6]
    return "\n".join(lines + ["| " + " | ".join(str(row[key]) for key in keys) + " |" for row in rows])


def main() -> None:
    """Command line: build, measure and check the corpora of one half or both."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("zip", "mbox"), help="run one half")
    parser.add_argument("--pools", type=Path, default=DEFAULT_POOLS, help="folder of en.txt, zh-Hans.txt, zh-Hant.txt")
    args = parser.parse_args()
    pools = load_pools(args.pools)
    halves = {"zip": zip_corpora, "mbox": mbox_corpora}
    rows = [measure(corpus) for half in ([args.only] if args.only else halves) for corpus in halves[half](pools)]
    print(table(rows))
    RESULTS.mkdir(parents=True, exist_ok=True)
    results = RESULTS / "containers.json"
    figures = json.loads(results.read_text(encoding="utf-8")) if results.exists() else {"corpora": {}}
    figures["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    figures["corpora"].update({row["corpus"]: row for row in rows})
    results.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
