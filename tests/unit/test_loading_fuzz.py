"""Damaged containers nested in containers: a zip holding a message whose attachment is a zip of
a table, a mailbox whose message attaches a web archive, a tar.gz holding a zip of a PDF. Each
is damaged in a fixed set of ways (cut short, bytes flipped or set, chunks repeated, swapped or
left out, sizes in headers made huge), at its outer layer or at one inside, the layers around it
rebuilt. Whatever the damage, reading gives documents or refuses the file with a reason, and
every document found in it is found again, by its steps, with exactly the bytes its hash names:
the original a reader downloads is the one indexed."""

from __future__ import annotations

import gzip
import hashlib
import io
import random
import re
import struct
import tarfile
import zipfile
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from app.ingest import Limits, SkipFile, file_format, load_all, member_bytes

MAX_BYTES = 20_000_000
CASES = 200
SEED = 20210604
TABLE = "name,place,year\n黎智英,香港,2020\nJoshua Wong,Hong Kong,2019\n".encode()
PAGE = (
    '<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8"><title>立場新聞</title></head>'
    "<body><article><h1>停止運作</h1><p>《立場新聞》今日宣布即時停止運作。</p><p>所有員工即時解僱。</p>"
    "</article></body></html>"
).encode()
STATEMENT = "Statement on the national security law.\n國家安全法聲明。\n".encode()
PAGE_URL = "https://www.thestandnews.com/politics/closure"
TEXT_URL = "https://www.thestandnews.com/files/statement.txt"


def statement_pdf() -> bytes:
    """A one-page PDF with a line of text and a title."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setTitle("Statement on the closure")
    page.drawString(72, 760, "Statement on the closure of Apple Daily")
    page.showPage()
    page.save()
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def tar_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1_600_000_000
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def message(subject: str, attachments: dict[str, tuple[bytes, str]]) -> bytes:
    """A message with a line of body and ``attachments`` (name -> (bytes, media type))."""
    mail = EmailMessage()
    mail["From"] = "Hong Kong Watch <info@hkw.example>"
    mail["To"] = "Editor <editor@example.org>"
    mail["Subject"] = subject
    mail["Date"] = "Fri, 04 Jun 2021 10:00:00 +0800"
    mail.set_content(f"{subject}: attached.\n")
    for name, (data, media_type) in attachments.items():
        main, sub = media_type.split("/")
        mail.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return bytes(mail)


def mailbox(messages: list[bytes]) -> bytes:
    envelope = b"From info@hkw.example Fri Jun  4 10:00:00 2021\n"
    return b"".join(envelope + body.replace(b"\nFrom ", b"\n>From ").rstrip(b"\n") + b"\n\n" for body in messages)


def web_archive(page: bytes) -> bytes:
    """An uncompressed WARC: a warcinfo record, ``page`` and a text file captured."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    writer.write_record(writer.create_warc_record("", "warcinfo", payload=io.BytesIO(b"{}")))
    for url, body, media_type in ((PAGE_URL, page, "text/html; charset=utf-8"), (TEXT_URL, STATEMENT, "text/plain")):
        http = StatusAndHeaders("200 OK", [("Content-Type", media_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": "2021-06-20"}
        )
        writer.write_record(record)
    return out.getvalue()


def same(data: bytes) -> bytes:
    return data


# Each nested file as layers: what its innermost document is, then each container made around
# the layer inside it. A damage hits one layer; the layers outside are made around what it left.
NESTED: dict[str, tuple[Callable[[], bytes], list[Callable[[bytes], bytes]]]] = {
    "bundle.zip": (
        lambda: TABLE,
        [
            lambda data: zip_of({"data/people.csv": data}),
            lambda data: message("Those arrested", {"people.zip": (data, "application/zip")}),
            lambda data: zip_of({"mail/arrests.eml": data}),
            same,
        ],
    ),
    "crawls.mbox": (
        lambda: PAGE,
        [
            web_archive,
            lambda data: gzip.compress(data, mtime=0),
            lambda data: message("The crawl", {"crawl.warc.gz": (data, "application/octet-stream")}),
            lambda data: mailbox([message("Hello", {}), data]),
            same,
        ],
    ),
    "reports.tar.gz": (
        statement_pdf,
        [
            lambda data: zip_of({"statement.pdf": data}),
            lambda data: tar_of({"bundle/docs.zip": data}),
            lambda data: gzip.compress(data, mtime=0),
            same,
        ],
    ),
}
# Each nested file's documents, whole: their steps from the file.
WHOLE = {
    "bundle.zip": [(), ("mail/arrests.eml",), ("mail/arrests.eml", "1"), ("mail/arrests.eml", "1", "data/people.csv")],
    "crawls.mbox": [(), ("1",), ("2",), ("2", "1"), ("2", "1", "2"), ("2", "1", "3")],
    "reports.tar.gz": [(), ("bundle/docs.zip",), ("bundle/docs.zip", "statement.pdf")],
}


def made(name: str, layer: int | None = None, damage: Callable[[bytes], bytes] = same) -> bytes:
    """The nested file ``name``, with ``damage`` done to the bytes of ``layer`` (0: the innermost)."""
    innermost, wrappers = NESTED[name]
    data = innermost()
    for index, wrap in enumerate(wrappers):
        if index == layer:
            data = damage(data)
        data = wrap(data)
    return data


def cut_short(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


def flipped(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 2, 8))):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def set_to(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    out[rng.randrange(len(out))] = rng.choice((0x00, 0xFF, 0x0A, 0x30, 0x39))
    return bytes(out)


def span(rng: random.Random, data: bytes) -> tuple[int, int]:
    start = rng.randrange(len(data))
    return start, min(len(data), start + rng.choice((1, 16, 512, 4096)))


def repeated(rng: random.Random, data: bytes) -> bytes:
    start, end = span(rng, data)
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[start:end] * rng.choice((1, 2, 50)) + data[at:]


def swapped(rng: random.Random, data: bytes) -> bytes:
    first, second = sorted((span(rng, data), span(rng, data)))
    if first[1] > second[0]:
        return data
    (a, b), (c, d) = first, second
    return data[:a] + data[c:d] + data[b:c] + data[a:b] + data[d:]


def left_out(rng: random.Random, data: bytes) -> bytes:
    start, end = span(rng, data)
    return data[:start] + data[end:]


# A zip's local headers, central directory entries and end of central directory, by their signatures.
_ZIP_LOCAL = re.compile(rb"PK\x03\x04")
_ZIP_CENTRAL = re.compile(rb"PK\x01\x02")
_ZIP_END = re.compile(rb"PK\x05\x06")


def huge_size(rng: random.Random, data: bytes) -> bytes:
    """A size, count or offset of a zip's headers, or a tar header's size, made huge or zero."""
    out = bytearray(data)
    fields = [(match.start() + offset, 4) for match in _ZIP_LOCAL.finditer(data) for offset in (18, 22)]
    fields += [(match.start() + offset, 4) for match in _ZIP_CENTRAL.finditer(data) for offset in (20, 24, 42)]
    fields += [(match.start() + offset, 2) for match in _ZIP_END.finditer(data) for offset in (8, 10)]
    if fields:
        at, width = rng.choice(fields)
        value = rng.choice((0xFFFFFFFF, 0x7FFFFFFF, 50_000_001, 0)) if width == 4 else rng.choice((0xFFFF, 0))
        out[at : at + width] = struct.pack("<I" if width == 4 else "<H", value & (1 << 8 * width) - 1)
        return bytes(out)
    headers = [at for at in range(0, len(data) - 511, 512) if data[at + 257 : at + 262] == b"ustar"]
    if not headers:
        return flipped(rng, data)
    at = rng.choice(headers)
    out[at + 124 : at + 136] = rng.choice((b"77777777777\x00", b"00000000000\x00", b"%011o\x00" % (1 << 32)))
    out[at + 148 : at + 156] = b" " * 8
    out[at + 148 : at + 156] = b"%06o\x00 " % sum(out[at : at + 512])
    return bytes(out)


DAMAGES = (cut_short, flipped, set_to, repeated, swapped, left_out, huge_size, huge_size)


def damaged_files() -> list[tuple[str, str, bytes]]:
    """``CASES`` damaged nested files, the same every run: (name, what was done, bytes)."""
    rng = random.Random(SEED)
    files = []
    for _ in range(CASES):
        name = rng.choice(sorted(NESTED))
        layers = len(NESTED[name][1])
        layer = rng.choice([layers - 1, layers - 1, *range(layers - 1)])  # the outer layer half the time
        damage = rng.choice(DAMAGES)
        data = made(name, layer, lambda data, damage=damage: damage(rng, data))
        files.append((name, f"layer {layer}: {damage.__name__}", data))
    return files


@pytest.fixture(scope="module")
def damaged() -> list[tuple[str, str, bytes]]:
    return damaged_files()


def read(tmp_path: Path, name: str, data: bytes, limits: Limits | None = None) -> list:
    """Every document the file ``name`` of ``data`` gives; ``SkipFile`` when it is refused."""
    path = tmp_path / name
    path.write_bytes(data)
    return list(load_all(path, name, MAX_BYTES, None, limits or Limits()))


def assert_found_again(data: bytes, name: str, documents: list) -> None:
    """Each document found in the file is its member, by its steps, with the bytes of its hash."""
    for document in documents:
        if document.within is None:
            assert document.hash == hashlib.sha256(data).hexdigest()
            continue
        member = member_bytes(data, file_format(name), document.within.steps)
        assert hashlib.sha256(member.data).hexdigest() == document.hash, document.id


@pytest.mark.parametrize("name", sorted(NESTED))
def test_a_nested_file_gives_every_document_it_holds_each_found_again(tmp_path, name):
    data = made(name)
    documents = read(tmp_path, name, data)
    assert [document.within.steps if document.within else () for document in documents] == WHOLE[name]
    assert not [warning for document in documents for warning in document.warnings]
    assert_found_again(data, name, documents)


@pytest.mark.parametrize("case", range(CASES))
def test_a_damaged_nested_file_is_read_or_refused_and_its_documents_found_again(tmp_path, damaged, case):
    name, damage, data = damaged[case]
    try:
        documents = read(tmp_path, name, data)
    except SkipFile as skip:
        assert skip.reason, damage
        return
    assert_found_again(data, name, documents)


def damaged_member_zip() -> bytes:
    """A zip of three statements whose first one's compressed data is damaged."""
    data = bytearray(zip_of({"a.txt": STATEMENT * 20, "b.txt": STATEMENT, "c.txt": TABLE}))
    data[35] = 0xFF  # the first byte of a.txt's deflate stream: a block type that does not exist
    return bytes(data)


def zip_entry_without_name() -> bytes:
    """A zip whose second entry's name is empty in its central directory."""
    data = zip_of({"b.txt": STATEMENT, "Q": STATEMENT})
    central = data.rindex(b"PK\x01\x02")
    data = data[: central + 28] + b"\x00\x00" + data[central + 30 : central + 46] + data[central + 47 :]
    end = data.index(b"PK\x05\x06")
    size = int.from_bytes(data[end + 12 : end + 16], "little") - 1
    return data[: end + 12] + size.to_bytes(4, "little") + data[end + 16 :]


def tar_with_negative_size() -> bytes:
    """A tar whose first header gives a negative size past any offset (base-256)."""
    data = bytearray(tar_of({"a.txt": STATEMENT, "b.txt": STATEMENT}))
    data[124:136] = b"\xff" + b"\x00" * 11
    data[148:156] = b" " * 8
    data[148:156] = b"%06o\x00 " % sum(data[:512])
    return bytes(data)


def damaged_xz_tar() -> bytes:
    """An xz-compressed tar of two statements, its compressed data damaged after the first header."""
    first = random.Random(SEED).randbytes(300_000).hex().encode()  # text that does not compress away
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:xz") as archive:
        for name, data in (("a.txt", first), ("b.txt", STATEMENT)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    data = bytearray(out.getvalue())
    at = len(data) * 3 // 4
    data[at : at + 64] = b"\xff" * 64
    return bytes(data)


def zip_refused_then_same_name() -> bytes:
    """A zip whose first ``a.txt`` is refused (encrypted) and whose second is a plain statement."""
    # Written as a.txt and a.txu (zipfile writes no two entries of one name), then renamed.
    data = zip_of({"a.txt": b"sealed", "a.txu": STATEMENT}).replace(b"a.txu", b"a.txt")
    central = data.index(b"PK\x01\x02")
    flags = int.from_bytes(data[central + 8 : central + 10], "little") | 0x1
    return data[: central + 8] + flags.to_bytes(2, "little") + data[central + 10 :]


def tar_link_then_same_name() -> bytes:
    """A tar whose first ``a.txt`` is a link (refused) and whose second is a plain statement."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        link = tarfile.TarInfo("a.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)
        info = tarfile.TarInfo("a.txt")
        info.size = len(STATEMENT)
        archive.addfile(info, io.BytesIO(STATEMENT))
    return out.getvalue()


def zip_empty_then_same_name() -> bytes:
    """A zip whose first ``a.txt`` is empty (not indexed) and whose second is a statement."""
    return zip_of({"a.txt": b"", "a.txu": STATEMENT}).replace(b"a.txu", b"a.txt")


def pdf_with_unknown_filter() -> bytes:
    """A PDF whose page's content stream names a filter no reader knows."""
    return statement_pdf().replace(b"/FlateDecode", b"/FlateDe0ode")


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("unnamed.zip", zip_entry_without_name),
        ("negative.tar", tar_with_negative_size),
        ("damaged.tar", damaged_xz_tar),
        ("filter.pdf", pdf_with_unknown_filter),
    ],
)
def test_a_broken_header_refuses_the_file_with_a_reason(tmp_path, name, make):
    try:
        read(tmp_path, name, make())
    except SkipFile as skip:
        assert skip.reason


def test_a_damaged_member_of_a_zip_leaves_the_members_after_it_read(tmp_path):
    documents = read(tmp_path, "statements.zip", damaged_member_zip())
    assert {document.id for document in documents} >= {"statements.zip/b.txt", "statements.zip/c.txt"}


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("sealed.zip", zip_refused_then_same_name),
        ("linked.tar", tar_link_then_same_name),
        ("empty.zip", zip_empty_then_same_name),
    ],
)
def test_a_name_a_refused_member_took_is_not_read_again(tmp_path, name, make):
    # The first member of a name claims it, as finding a member again by its name does: a later
    # one of the same name would be indexed under an id whose download is the first.
    data = make()
    documents = read(tmp_path, name, data)
    assert [document.name for document in documents if document.within] == []
    assert any("another member of the file has the same name" in warning for warning in documents[0].warnings)
    assert_found_again(data, name, documents)
