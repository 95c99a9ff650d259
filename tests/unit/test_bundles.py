"""Bundles (zip, tar, tar.gz) are read as the documents they hold: each member a document of its
own, found in both scripts, with its bundle as parent on its page and in the API, the bundle's
page listing its members, and a member's original download exactly its bytes. A hostile bundle
(bombs by ratio and by count, names that climb out, links, devices, encrypted members, nesting
past the limit) is refused member by member, each named with its reason, while the rest of the
archive is indexed."""

from __future__ import annotations

import bz2
import hashlib
import io
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from app.index.adding import WriterSettings
from app.index.build import build
from app.ingest import Limits, SkipFile, load_all
from app.ingest.members import Member, guarded

from ..support import built, serving

STATEMENT = "The Hong Kong Alliance announced its dissolution after the national security law."
CHINESE = "# 解散聲明\n\n香港市民支援愛國民主運動聯合會今日宣布解散，感謝市民多年支持。\n"
NOTE = "監察組織就羈留人士探訪安排發表意見。"


def zip_bytes(members: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``members`` (name -> content), in order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def legacy_named_zip(names: list[str], encoding: str) -> bytes:
    """A zip whose names are written in ``encoding`` without the UTF-8 flag, as a Chinese
    Windows writes them: made with ASCII stand-ins of the same byte length, then patched."""
    stand_ins = {}
    members = {}
    for number, name in enumerate(names):
        raw = name.encode(encoding)
        stand_in = f"{number}".encode().ljust(len(raw), b"_")
        stand_ins[stand_in] = raw
        members[stand_in.decode()] = f"{NOTE} ({number})"
    data = zip_bytes(members)
    for stand_in, raw in stand_ins.items():
        data = data.replace(stand_in, raw)
    return data


def documents_of(path: Path, limits: Limits | None = None) -> dict:
    """Every document the file at ``path`` gives, by id, read whole (a container's warnings
    are complete once its members are read)."""
    return {document.id: document for document in list(load_all(path, path.name, 50_000_000, None, limits))}


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Path, Path]:
    """A folder holding a zip of press files (a folder of English and Chinese files, a zip in
    it), a tar.gz, a plain note; and its index."""
    folder = tmp_path_factory.mktemp("bundles")
    inner = zip_bytes({"deep/人權.txt": "人權是普世價值。"})
    (folder / "bundle.zip").write_bytes(
        zip_bytes({"press/statement.txt": STATEMENT, "press/聲明.md": CHINESE, "nested/inner.zip": inner})
    )
    with tarfile.open(folder / "letters.tar.gz", "w:gz") as tar:
        data = NOTE.encode("utf-8")
        info = tarfile.TarInfo("letters/note.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    (folder / "plain.txt").write_text("A plain note about the vigil.", encoding="utf-8")
    return folder, built(folder, tmp_path_factory.mktemp("index"))


@pytest.fixture()
def client(archive):
    with serving(archive[1], archive[0]) as test_client:
        yield test_client


def ids(client, query: str) -> list[str]:
    return [hit["id"] for hit in client.get("/api/search", query_string={"q": query}).get_json()["results"]]


def test_members_are_found_in_both_scripts_under_their_bundle(client):
    assert ids(client, "解散声明") == ["bundle.zip/press/聲明.md"]
    assert ids(client, "dissolution") == ["bundle.zip/press/statement.txt"]
    # The inner zip's own text lists its members' paths, so a name finds it too.
    assert ids(client, "人权") == ["bundle.zip/nested/inner.zip/deep/人權.txt", "bundle.zip/nested/inner.zip"]
    assert ids(client, "羁留人士") == ["letters.tar.gz/letters/note.txt"]


def test_a_member_names_its_bundle_in_the_api_and_on_its_page(client):
    hit = client.get("/api/search", query_string={"q": "dissolution"}).get_json()["results"][0]
    assert hit["parent"] == {"id": "bundle", "title": "bundle.zip", "relation": "member"}
    assert hit["name"] == "statement.txt"
    page = client.get("/documents/bundle.zip/press/statement.txt").get_data(as_text=True)
    assert '<dd class="parent"><a href="/documents/bundle">bundle.zip</a></dd>' in page
    nested = client.get("/api/documents/bundle.zip/nested/inner.zip/deep/人權.txt").get_json()
    assert nested["parent"]["id"] == "bundle.zip/nested/inner.zip"


def test_the_bundles_page_lists_its_members(client):
    found = client.get("/api/documents/bundle").get_json()
    assert found["held_total"] == 3
    assert [item["id"] for item in found["held"]] == [
        "bundle.zip/press/statement.txt",
        "bundle.zip/press/聲明.md",
        "bundle.zip/nested/inner.zip",
    ]
    page = client.get("/documents/bundle").get_data(as_text=True)
    assert 'href="/documents/bundle.zip/press/%E8%81%B2%E6%98%8E.md">解散聲明</a>' in page


def test_a_results_bundle_says_how_many_of_its_members_match(client):
    results = client.get("/api/search", query_string={"q": "press"}).get_json()["results"]
    # The bundle's own text lists its members' paths: press/ is in it, and in no member's text.
    assert [(hit["id"], hit["held_matched"]) for hit in results] == [("bundle", 0)]
    results = client.get("/api/search", query_string={"q": "bundle OR dissolution"}).get_json()["results"]
    assert {hit["id"]: hit["held_matched"] for hit in results}["bundle"] == 1


def test_a_members_original_is_exactly_its_bytes_with_its_name_and_type(client):
    answer = client.get("/originals/bundle.zip/press/聲明.md")
    assert answer.status_code == 200
    assert answer.data == CHINESE.encode("utf-8")
    assert answer.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert "filename*=UTF-8''%E8%81%B2%E6%98%8E.md" in answer.headers["Content-Disposition"]
    record = client.get("/api/documents/bundle.zip/press/聲明.md").get_json()
    assert record["hash"] == hashlib.sha256(answer.data).hexdigest()
    deep = client.get("/originals/bundle.zip/nested/inner.zip/deep/人權.txt")
    assert deep.data == "人權是普世價值。".encode()
    tarred = client.get("/originals/letters.tar.gz/letters/note.txt")
    assert tarred.data == NOTE.encode("utf-8")


def test_a_member_of_a_changed_bundle_is_not_served(archive, tmp_path):
    folder = tmp_path / "changed"
    folder.mkdir()
    (folder / "bundle.zip").write_bytes(zip_bytes({"press/statement.txt": STATEMENT + " Changed."}))
    with serving(archive[1], folder) as client:
        assert client.get("/originals/bundle.zip/press/statement.txt").status_code == 409


def test_removing_or_changing_a_bundle_removes_its_members(tmp_path):
    folder, index = tmp_path / "docs", tmp_path / "index"
    folder.mkdir()
    (folder / "bundle.zip").write_bytes(zip_bytes({"a.txt": STATEMENT, "b.txt": NOTE}))
    (folder / "plain.txt").write_text("A plain note.", encoding="utf-8")
    assert build(folder, index).documents == 4
    (folder / "bundle.zip").write_bytes(zip_bytes({"a.txt": STATEMENT}))
    changed = build(folder, index)
    assert (changed.count("changed"), changed.documents) == (1, 3)
    (folder / "bundle.zip").unlink()
    removed = build(folder, index)
    assert (removed.count("removed"), removed.documents) == (1, 1)
    with serving(index, folder) as client:
        assert ids(client, "dissolution") == []
        assert client.get("/api/documents/bundle.zip/a.txt").status_code == 404


def test_names_in_a_chinese_windows_code_page_are_decoded(tmp_path):
    for encoding, names in (("big5", ["聲明.txt", "羈留人士.txt"]), ("gbk", ["声明.txt", "羁留人士.txt"])):
        path = tmp_path / f"{encoding}.zip"
        path.write_bytes(legacy_named_zip(names, encoding))
        found = documents_of(path)
        assert sorted(found) == sorted([f"{encoding}", *(f"{encoding}.zip/{name}" for name in names)]), encoding


def with_flag(data: bytes, name: str, flag: int) -> bytes:
    """``data`` (a zip) with ``flag`` set in the flags of the entry ``name``, in both its local
    header and the central directory (as an encrypting writer sets bit 0)."""
    patched = bytearray(data)
    raw = name.encode()
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := patched.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if patched[name_at : name_at + len(raw)] == raw:
                flags = int.from_bytes(patched[start + offset : start + offset + 2], "little") | flag
                patched[start + offset : start + offset + 2] = flags.to_bytes(2, "little")
            start += 4
    return bytes(patched)


def symlink_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("link-to-passwd")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("kept.txt", STATEMENT)
    return buffer.getvalue()


def test_hostile_zips_are_refused_member_by_member_with_their_reasons(tmp_path):
    cases = {
        "ratio.zip": (zip_bytes({"bomb.txt": "0" * 5_000_000, "kept.txt": STATEMENT}), "bomb.txt: compressed"),
        "climbs.zip": (zip_bytes({"../../etc/cron.txt": "x", "kept.txt": STATEMENT}), "leaves the bundle"),
        "absolute.zip": (zip_bytes({"/etc/passwd.txt": "x", "kept.txt": STATEMENT}), "an absolute path"),
        "drive.zip": (zip_bytes({"C:/Windows/x.txt": "x", "kept.txt": STATEMENT}), "an absolute path"),
        "link.zip": (symlink_zip(), "link-to-passwd: a symbolic link: not followed"),
        "locked.zip": (
            with_flag(zip_bytes({"secret.txt": "x", "kept.txt": STATEMENT}), "secret.txt", 0x1),
            "secret.txt: encrypted",
        ),
    }
    for name, (data, reason) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        found = documents_of(path)
        stem = name.removesuffix(".zip")
        assert sorted(found) == [stem, f"{name}/kept.txt"], name
        assert any(reason in warning for warning in found[stem].warnings), (name, found[stem].warnings)


def test_a_bomb_by_count_and_nesting_past_the_limit_are_refused(tmp_path):
    many = tmp_path / "many.zip"
    many.write_bytes(zip_bytes({f"{number}.txt": f"{STATEMENT} {number}" for number in range(12)}))
    found = documents_of(many, Limits(max_members=10))
    assert len(found) == 11  # the bundle and its first ten members
    assert sum("past the 10 members" in warning for warning in found["many"].warnings) == 2

    level = zip_bytes({"deepest.txt": STATEMENT})
    for depth in range(3):
        level = zip_bytes({f"level{depth}.zip": level, f"kept{depth}.txt": NOTE})
    nested = tmp_path / "nested.zip"
    nested.write_bytes(level)
    found = documents_of(nested, Limits(max_depth=3))
    # nested.zip, level2.zip and level1.zip are read: three containers, one in another.
    assert "nested.zip/level2.zip/level1.zip/kept0.txt" in found
    assert not any(doc_id.endswith("deepest.txt") for doc_id in found)
    warnings = found["nested.zip/level2.zip/level1.zip"].warnings
    assert warnings == ["level0.zip: a container nested more than 3 deep: not read"]


def test_a_broken_member_is_named_and_the_others_are_read(tmp_path):
    data = bytearray(zip_bytes({"broken.txt": STATEMENT, "kept.txt": NOTE}, zipfile.ZIP_STORED))
    start = data.find(STATEMENT.encode())
    data[start : start + 5] = b"XXXXX"  # its bytes no longer match their CRC
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(data))
    found = documents_of(path)
    assert sorted(found) == ["damaged", "damaged.zip/kept.txt"]
    assert any(warning.startswith("broken.txt: unreadable in the zip file") for warning in found["damaged"].warnings)


def test_links_and_devices_in_a_tar_are_refused(tmp_path):
    path = tmp_path / "odd.tar"
    with tarfile.open(path, "w") as tar:
        for name, kind in (("link", tarfile.SYMTYPE), ("hard", tarfile.LNKTYPE), ("tty", tarfile.CHRTYPE)):
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = "/etc/passwd"
            tar.addfile(info)
        data = STATEMENT.encode()
        info = tarfile.TarInfo("../up.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo("kept.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    found = documents_of(path)
    assert sorted(found) == ["odd", "odd.tar/kept.txt"]
    assert found["odd"].warnings == [
        "link: a link: not followed",
        "hard: a link: not followed",
        "tty: not a regular file (a device or a pipe): not read",
        "../up.txt: a path that leaves the bundle (..): refused",
    ]


def test_the_build_reports_a_bundles_warnings_and_indexes_the_rest(tmp_path):
    folder, index = tmp_path / "docs", tmp_path / "index"
    folder.mkdir()
    (folder / "mixed.zip").write_bytes(zip_bytes({"../evil.txt": "x", "tool.exe": "MZ", "kept.txt": STATEMENT}))
    (folder / "broken.zip").write_bytes(b"PK\x03\x04 not a zip")
    (folder / "plain.txt").write_text("A plain note.", encoding="utf-8")
    report = build(folder, index, writer=WriterSettings())
    text = report.as_text()
    assert report.documents == 3  # plain.txt, mixed.zip and its kept.txt
    assert "broken.zip: unreadable zip file" in text
    assert "mixed.zip: ../evil.txt: a path that leaves the bundle (..): refused" in text
    assert "mixed.zip: tool.exe: unsupported file type (.exe)" in text


def test_a_reader_failing_midway_keeps_the_members_before_and_says_where_it_stopped():
    def failing():
        yield Member(step="a.txt", name="a.txt", data=b"kept")
        raise KeyError("a parser's bug")

    found = list(guarded(failing()))
    assert [member.step for member in found] == ["a.txt", "…"]
    assert found[1].reason == 'reading stopped here: KeyError: "a parser\'s bug"'


def test_a_name_a_zip_holds_twice_is_read_once(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, pytest.warns(UserWarning, match="Duplicate name"):
        archive.writestr("a.txt", STATEMENT)
        archive.writestr("a.txt", NOTE)
    path = tmp_path / "twice.zip"
    path.write_bytes(buffer.getvalue())
    found = documents_of(path)
    assert sorted(found) == ["twice", "twice.zip/a.txt"]
    assert found["twice"].warnings == ["a.txt: another member of the file has the same name: not read again"]


def test_a_compressed_tar_unpacking_past_the_limit_is_refused_before_tarfile_reads_it(tmp_path):
    path = tmp_path / "bomb.tar.bz2"
    # A pax header claiming 20 MB, the whole of it zeros: 400 bytes of bzip2.
    header = tarfile.TarInfo("././@PaxHeader")
    header.type = tarfile.XHDTYPE
    header.size = 20_000_000
    path.write_bytes(bz2.compress(header.tobuf() + b"\0" * header.size))
    assert path.stat().st_size < 2_000
    with pytest.raises(SkipFile, match="unpacks to more than 1 MB"):
        list(load_all(path, "bomb.tar", 50_000_000, None, Limits(max_bytes=10_000_000)))
