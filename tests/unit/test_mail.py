"""E-mail in the archive: messages (.eml) in the charsets Hong Kong and mainland mail comes in,
their attachments as documents of their own, mailboxes (.mbox) and Outlook messages (.msg)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import mailbox
import struct
from email.message import Message
from email.mime.image import MIMEImage
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest

from app.index.build import build
from app.ingest import SkipFile, load_all
from app.ingest.mail import read_eml, read_mbox, read_msg
from app.ingest.members import Limits, find

from ..support import DATA, built, serving

SUBJECT = "關於羈留人士探訪安排"
NOTICE = "各位家屬：\n\n懲教署宣布，羈留人士的探訪安排將於下星期一起恢復，家屬須預先登記。\n\n> 上次通知：探訪暫停。\n"
SCHEDULE = "星期一至五 上午九時至下午五時\n".encode("big5")
OUTLOOK = DATA / "mail" / "chinese-traditional.msg"


def word(text: str, charset: str) -> str:
    """``text`` as an RFC 2047 encoded word, as a mail program in Hong Kong writes it."""
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def headed(message: Message, subject: str = "Visits", sender: str = "Desk <desk@example.org>") -> Message:
    message["Subject"] = subject
    message["From"] = sender
    message["Date"] = "Fri, 04 Jun 2021 09:30:00 +0800"
    return message


def attached(data: bytes, name: str, subtype: str = "plain") -> MIMEText:
    part = MIMEText("", subtype)
    part.set_payload(base64.encodebytes(data).decode())
    part.replace_header("Content-Transfer-Encoding", "base64")
    part.add_header("Content-Disposition", "attachment", filename=name)
    return part


def correctional_notice() -> bytes:
    """A Big5 notice from the Correctional Services Department with a timetable attached."""
    message = MIMEMultipart()
    headed(message, word(SUBJECT, "big5"), f"{word('懲教署', 'big5')} <enquiry@csd.gov.hk>")
    message["To"] = f"{word('陳大文', 'big5')} <tm.chan@example.org>, desk@example.org"
    message["Cc"] = '"Legal Team" <legal@example.org>'
    message.attach(MIMEText(NOTICE, "plain", "big5"))  # base64, as Python sends Big5
    message.attach(attached(SCHEDULE, "timetable.txt"))
    return message.as_bytes()


def test_a_big5_message_reads_with_its_headers_body_and_attachment():
    data = correctional_notice()
    assert b"Content-Transfer-Encoding: base64" in data and SUBJECT.encode("utf-8") not in data
    contents = read_eml(data, Limits())
    found = contents.extracted
    assert found.title == SUBJECT
    assert found.author == "懲教署 <enquiry@csd.gov.hk>"
    assert found.date.date() == dt.date(2021, 6, 4)
    assert found.recipients == ["陳大文 <tm.chan@example.org>", "desk@example.org", "Legal Team <legal@example.org>"]
    assert "羈留人士的探訪安排將於下星期一起恢復" in found.text
    assert "> 上次通知：探訪暫停。" in found.text  # the quoted reply stays
    [member] = contents.members
    assert (member.step, member.name, member.data, member.media_type) == ("1", "timetable.txt", SCHEDULE, "text/plain")


def test_an_attachment_is_found_again_by_its_step_with_its_exact_bytes():
    assert find(correctional_notice(), read_eml, "1", Limits()).data == SCHEDULE
    with pytest.raises(SkipFile, match="no member '2'"):
        find(correctional_notice(), read_eml, "2", Limits())


def test_an_attachment_is_a_document_of_its_own_below_its_message(tmp_path):
    (tmp_path / "notice.eml").write_bytes(correctional_notice())
    documents = list(load_all(tmp_path / "notice.eml", "mail/notice.eml", 10_000_000))
    assert [document.id for document in documents] == ["mail/notice", "mail/notice.eml/1"]
    assert documents[0].title == SUBJECT and documents[0].date == "2021-06-04"
    assert "上午九時" in documents[1].text


def test_quoted_printable_utf8():
    part = Message()
    part["Content-Type"] = 'text/plain; charset="utf-8"'
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part.set_payload(
        "Caf=C3=A9 =E2=80=94 =E4=BA=BA=E6=AC=8A=E8=A7=80=E5=AF=9F=EF=BC=9A=E6=8E=A2=E8=A8=AA=\n"
        "=E5=AE=89=E6=8E=92=E6=81=A2=E5=BE=A9=E3=80=82\n"
    )
    headed(part, "=?utf-8?q?Caf=C3=A9_=E6=8E=A2=E8=A8=AA?=")
    found = read_eml(part.as_bytes(), Limits()).extracted
    assert found.title == "Café 探訪"
    assert found.text == "Café — 人權觀察：探訪安排恢復。"


def test_gb18030_body_and_subject():
    text = "惩教署宣布探访安排恢复，㐀与𠮷亦在其中。"
    found = read_eml(
        headed(MIMEText(text, "plain", "gb18030"), word("探访安排", "gb18030")).as_bytes(), Limits()
    ).extracted
    assert (found.title, found.text) == ("探访安排", text)


def test_a_big5_body_declared_gb2312_reads_as_big5():
    part = headed(MIMEText(NOTICE, "plain", "big5"), word(SUBJECT, "big5"))
    part.set_param("charset", "gb2312")
    found = read_eml(part.as_bytes(), Limits()).extracted
    assert "羈留人士的探訪安排將於下星期一起恢復" in found.text


def test_undeclared_big5_bytes_in_headers_and_body_read_as_big5():
    data = (
        b"From: " + "懲教署".encode("big5") + b" <enquiry@csd.gov.hk>\nSubject: " + SUBJECT.encode("big5") + b"\n"
        b"Date: Fri, 04 Jun 2021 09:30:00 +0800\nContent-Type: text/plain\n"
        b"Content-Transfer-Encoding: 8bit\n\n" + NOTICE.encode("big5")
    )
    found = read_eml(data, Limits()).extracted
    assert found.title == SUBJECT  # the body's encoding, Big5, is the headers' too
    assert found.author == "懲教署 <enquiry@csd.gov.hk>"
    assert "家屬須預先登記" in found.text


def test_an_attachment_named_in_raw_big5_bytes_is_named_as_the_body_reads():
    data = (
        b"From: enquiry@csd.gov.hk\nSubject: Visits\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain\n\n"
        + NOTICE.encode("big5")
        + b"\n"
        b'--XX\nContent-Type: text/plain\nContent-Disposition: attachment; filename="'
        + "探訪時間表.txt".encode("big5")
        + b'"\n\n'
        + SCHEDULE
        + b"\n--XX--\n"
    )
    [member] = read_eml(data, Limits()).members
    assert (member.name, member.data) == ("探訪時間表.txt", SCHEDULE)


def test_the_plain_and_html_versions_of_one_body_are_read_once():
    message = headed(MIMEMultipart("alternative"))
    message.attach(MIMEText("Visits resume on Monday.\n", "plain"))
    message.attach(MIMEText("<p>Visits resume on <b>Monday</b>.</p>", "html"))
    contents = read_eml(message.as_bytes(), Limits())
    assert contents.extracted.text == "Visits resume on Monday."
    assert list(contents.members) == []


def test_an_html_body_reads_as_its_page_and_its_images_are_not_documents():
    message = headed(MIMEMultipart("related"))
    page = "<html><head><style>p {color: red}</style></head><body><p>Visits <b>resume</b> Monday.</p>"
    reply = "<blockquote>Earlier: visits were suspended.</blockquote>"
    message.attach(MIMEText(page + reply + "<img src='cid:logo'></body></html>", "html", "utf-8"))
    logo = MIMEImage(b"\x89PNG\r\n\x1a\n" + bytes(32), "png")
    logo["Content-ID"] = "<logo>"
    message.attach(logo)
    contents = read_eml(message.as_bytes(), Limits())
    assert contents.extracted.text == "Visits resume Monday.\n\nEarlier: visits were suspended."
    assert list(contents.members) == []


def test_a_forwarded_message_is_an_attachment_that_reads_as_a_message():
    original = headed(MIMEText("The report on the visits.\n"), "Report", "Monitor <monitor@example.org>")
    message = headed(MIMEMultipart(), "Fwd: Report")
    message.attach(MIMEText("See the report below.\n"))
    message.attach(MIMEMessage(original))
    [member] = read_eml(message.as_bytes(), Limits()).members
    assert (member.step, member.kind, member.name) == ("1", "eml", "attachment-1.eml")
    forwarded = read_eml(member.data, Limits()).extracted
    assert (forwarded.title, forwarded.author, forwarded.text) == (
        "Report",
        "Monitor <monitor@example.org>",
        "The report on the visits.",
    )


def many_attachments(count: int) -> bytes:
    message = headed(MIMEMultipart())
    message.attach(MIMEText("Files attached."))
    for number in range(count):
        message.attach(attached(f"file {number}\n".encode(), f"file-{number}.txt"))
    return message.as_bytes()


def test_attachments_past_the_limit_are_refused_once_naming_it():
    members = list(read_eml(many_attachments(5), Limits(max_members=3)).members)
    assert [member.name for member in members] == ["file-0.txt", "file-1.txt", "file-2.txt", "file-3.txt"]
    assert members[-1].reason == "past the 3 attachments a message may hold: not read" and not members[-1].data
    assert all(member.reason is None for member in members[:3])


def test_an_attachment_too_large_is_refused_with_its_size_and_the_limit():
    members = list(read_eml(many_attachments(2), Limits(max_member_bytes=4)).members)
    assert [member.reason for member in members] == ["too large (7 bytes; the limit is 4 bytes)"] * 2
    members = list(read_eml(many_attachments(3), Limits(max_bytes=10)).members)
    assert [member.reason for member in members] == [
        None,
        "past the 10 bytes a message's attachments may unpack to: not read",
    ]


def test_an_attachment_name_is_decoded_and_made_safe():
    message = headed(MIMEMultipart())
    message.attach(MIMEText("Files attached."))
    message.attach(attached(b"a", "../../時間表\x01.txt"))
    message.attach(attached(b"b", word("探訪時間表.txt", "big5")))
    nameless = MIMEText("", "csv")
    nameless.add_header("Content-Disposition", "attachment")
    message.attach(nameless)
    names = [member.name for member in read_eml(message.as_bytes(), Limits()).members]
    assert names == ["時間表.txt", "探訪時間表.txt", "attachment-3.csv"]


def test_not_a_message_is_refused_with_why():
    with pytest.raises(SkipFile, match="not an e-mail message"):
        read_eml(b"%PDF-1.7\n1 0 obj\n", Limits())
    with pytest.raises(SkipFile, match="not an e-mail message: no From, To, Subject or Date header"):
        read_eml(b"Title: a note\n\nSome text.\n", Limits())
    deep = b"From: a@example.org\nContent-Type: multipart/mixed; boundary=b0\n\n" + b"".join(
        b"--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n" % (level, level + 1) for level in range(3000)
    )
    with pytest.raises(SkipFile, match="nest too deeply"):
        read_eml(deep, Limits())


def three_message_mailbox(tmp_path) -> tuple[bytes, list[Message]]:
    """A mailbox written by Python's ``mailbox``, which escapes a body's "From " lines."""
    messages = [
        headed(MIMEText("First notice.\n"), "First", "Desk <desk@example.org>"),
        headed(MIMEText("From the detention centre, a letter.\n\nFrom now on, visits resume.\n"), "Second"),
        headed(
            MIMEText(NOTICE, "plain", "big5"), word(SUBJECT, "big5"), f"{word('懲教署', 'big5')} <enquiry@csd.gov.hk>"
        ),
    ]
    box = mailbox.mbox(tmp_path / "box.mbox")
    for message in messages:
        box.add(message)
    box.close()
    return (tmp_path / "box.mbox").read_bytes(), messages


def test_each_message_of_a_mailbox_is_a_member_that_reads_as_it(tmp_path):
    data, messages = three_message_mailbox(tmp_path)
    assert b"\n>From the detention centre" in data and b"\n\n>From now on" in data
    contents = read_mbox(data, Limits())
    members = list(contents.members)
    assert [(member.step, member.name, member.kind) for member in members] == [
        ("1", "1.eml", "eml"),
        ("2", "2.eml", "eml"),
        ("3", "3.eml", "eml"),
    ]
    second = read_eml(members[1].data, Limits()).extracted
    assert second.title == "Second"
    assert second.text == "From the detention centre, a letter.\n\nFrom now on, visits resume."
    assert read_eml(members[2].data, Limits()).extracted.title == SUBJECT
    assert [read_eml(member.data, Limits()).extracted.text for member in members] == [
        read_eml(message.as_bytes(), Limits()).extracted.text for message in messages
    ]
    assert contents.extracted.title is None
    assert contents.extracted.text.splitlines() == [
        "2021-06-04 · Desk <desk@example.org> · First",
        "2021-06-04 · Desk <desk@example.org> · Second",
        f"2021-06-04 · 懲教署 <enquiry@csd.gov.hk> · {SUBJECT}",
    ]


def test_a_from_line_escaped_twice_keeps_one_escape():
    data = b"From desk@example.org Fri Jun  4 09:30:00 2021\nSubject: Quoting\n\n>>From the letter.\n"
    [member] = read_mbox(data, Limits()).members
    assert member.data == b"Subject: Quoting\n\n>From the letter.\n"


def test_messages_past_the_mailbox_limit_are_refused_once(tmp_path):
    data, _messages = three_message_mailbox(tmp_path)
    members = list(read_mbox(data, Limits(max_members=2)).members)
    assert [member.reason for member in members] == [None, None, "past the 2 messages a mailbox may hold: not read"]


def test_not_a_mailbox_is_refused():
    with pytest.raises(SkipFile, match='not a mailbox: it does not start with a "From " line'):
        read_mbox(correctional_notice(), Limits())


def test_an_outlook_message_in_big5_reads_as_chinese():
    contents = read_msg(OUTLOOK.read_bytes(), Limits())
    found = contents.extracted
    assert found.title == "Alfresco MSG format testing ( MSG 格式測試 )"
    assert found.author == "Tests Chang@FT (張毓倫)"
    assert found.date.date() == dt.date(2011, 3, 29)
    assert found.recipients == ["Tests Chang@FT (張毓倫) <tests.chang@fengttt.com>"]
    assert "中文測試" in found.text and "豐泰產業工會" in found.text
    assert list(contents.members) == []


def utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def outlook_message(writer, folder: list[str], strings: dict[int, str], attachments=(), recipients=()) -> None:
    """Write an Outlook message's streams (MS-OXMSG): its Unicode strings, its recipients, its
    attachments (a name and bytes, or a message of its own) and its property stream."""

    def properties(path: list[str], header: bytes, values: list[tuple[int, bytes]]) -> None:
        writer.addEntry(
            [*path, "__properties_version1.0"],
            header + b"".join(struct.pack("<II", tag, 6) + value.ljust(8, b"\0") for tag, value in values),
        )

    for tag, text in strings.items():
        writer.addEntry([*folder, f"__substg1.0_{tag:04X}001F"], utf16(text))
    for number, (name, address, kind) in enumerate(recipients):
        recipient = [*folder, f"__recip_version1.0_#{number:08X}"]
        writer.addEntry([*recipient, "__substg1.0_3001001F"], utf16(name))
        writer.addEntry([*recipient, "__substg1.0_39FE001F"], utf16(address))
        properties(recipient, bytes(8), [(0x0C150003, struct.pack("<I", kind))])
    for number, attachment in enumerate(attachments):
        place = [*folder, f"__attach_version1.0_#{number:08X}"]
        if isinstance(attachment, dict):
            outlook_message(writer, [*place, "__substg1.0_3701000D"], attachment)
            method = 5  # an embedded message
        else:
            writer.addEntry([*place, "__substg1.0_3707001F"], utf16(attachment[0]))
            writer.addEntry([*place, "__substg1.0_37010102"], attachment[1])
            method = 1  # by value
        properties(place, bytes(8), [(0x37050003, struct.pack("<I", method))])
    counts = struct.pack("<IIII", len(recipients), len(attachments), len(recipients), len(attachments))
    sent = struct.pack("<Q", (1622770200 + 11644473600) * 10_000_000)  # 2021-06-04 01:30 UTC
    properties(folder, bytes(8) + counts + (bytes(8) if not folder else b""), [(0x00390040, sent)])


def built_outlook_message(attachments) -> bytes:
    from extract_msg.ole_writer import OleWriter

    writer = OleWriter()
    for stream in ("00020102", "00030102", "00040102"):
        writer.addEntry(["__nameid_version1.0", f"__substg1.0_{stream}"], b"")
    strings = {
        0x001A: "IPM.Note",
        0x0037: SUBJECT,
        0x1000: "探訪安排將於下星期一起恢復。",
        0x0C1A: "懲教署",
        0x5D01: "enquiry@csd.gov.hk",
    }
    recipients = [
        ("陳大文", "tm.chan@example.org", 1),
        ("Legal Team", "legal@example.org", 2),
        ("Hidden", "bcc@example.org", 3),
    ]
    outlook_message(writer, [], strings, attachments, recipients)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_outlook_message_gives_its_attachments_and_a_message_it_holds():
    forwarded = {0x001A: "IPM.Note", 0x0037: "Original notice", 0x1000: "The notice itself."}
    data = built_outlook_message([("timetable.txt", SCHEDULE), forwarded])
    contents = read_msg(data, Limits())
    found = contents.extracted
    assert (found.title, found.author, found.text) == (
        SUBJECT,
        "懲教署 <enquiry@csd.gov.hk>",
        "探訪安排將於下星期一起恢復。",
    )
    assert found.recipients == ["陳大文 <tm.chan@example.org>", "Legal Team <legal@example.org>"]  # not Bcc
    assert found.date.date() == dt.date(2021, 6, 4)
    first, second = contents.members
    assert (first.step, first.name, first.data) == ("1", "timetable.txt", SCHEDULE)
    assert (second.step, second.name, second.kind) == ("2", "attachment-2.msg", "msg")
    inner = read_msg(second.data, Limits()).extracted
    assert (inner.title, inner.text) == ("Original notice", "The notice itself.")
    assert find(data, read_msg, "1", Limits()).data == SCHEDULE


def test_outlook_attachments_past_the_limit_are_refused_once():
    data = built_outlook_message([(f"file-{number}.txt", b"file") for number in range(4)])
    members = list(read_msg(data, Limits(max_members=2)).members)
    assert [member.reason for member in members] == [None, None, "past the 2 attachments a message may hold: not read"]


def test_a_broken_or_foreign_outlook_file_is_refused_with_why():
    with pytest.raises(SkipFile, match=r"^unreadable Outlook message: "):
        read_msg(OUTLOOK.read_bytes()[:6000], Limits())
    with pytest.raises(SkipFile, match=r"^unreadable Outlook message: not an OLE compound file$"):
        read_msg(b"PK\x03\x04" + bytes(2000), Limits())
    with pytest.raises(SkipFile, match=r"^not an e-mail message"):
        read_eml(OUTLOOK.read_bytes(), Limits())


# In the archive, end to end: a message found by its words in both scripts and by its sender
# and recipients, its attachment a document of its own linked both ways and downloaded as its
# bytes, each message of a mailbox a document, and a changed message reading the mailbox again.


def write_mailbox(path: Path, bodies: list[str]) -> None:
    """A mailbox of one message per body, each titled by its number (a new one: ``mailbox``
    would add to the messages already there)."""
    path.unlink(missing_ok=True)
    box = mailbox.mbox(path)
    for number, body in enumerate(bodies, 1):
        box.add(headed(MIMEText(body), f"Message {number}"))
    box.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("mail")
    (folder / "mail").mkdir()
    (folder / "mail" / "visits.eml").write_bytes(correctional_notice())
    write_mailbox(folder / "desk.mbox", ["The vigil was banned.", "Visits resume on Monday.", "羈押令已經延長。"])
    return folder, built(folder, tmp_path_factory.mktemp("index"))


@pytest.fixture()
def client(archive):
    with serving(archive[1], archive[0]) as test_client:
        yield test_client


def search(client, q: str) -> list[dict]:
    return client.get("/api/search", query_string={"q": q}).get_json()["results"]


def test_a_message_is_found_in_both_scripts_with_its_headers(client):
    for query in ("懲教署宣布", "惩教署宣布", "羁留人士"):
        assert [hit["id"] for hit in search(client, query)][:1] == ["mail/visits"], query
    [hit] = [hit for hit in search(client, "懲教署宣布") if hit["id"] == "mail/visits"]
    assert (hit["title"], hit["author"], hit["date"]) == (SUBJECT, "懲教署 <enquiry@csd.gov.hk>", "2021-06-04")
    assert hit["recipients"] == ["陳大文 <tm.chan@example.org>", "desk@example.org", "Legal Team <legal@example.org>"]
    # To and Cc are searched as the message's metadata.
    assert [hit["id"] for hit in search(client, "legal@example.org")] == ["mail/visits"]
    assert [hit["id"] for hit in search(client, "陈大文")] == ["mail/visits"]


def test_an_attachment_is_found_and_linked_to_its_message(client):
    [hit] = search(client, "上午九時")
    assert hit["id"] == "mail/visits.eml/1"
    assert hit["parent"] == {"id": "mail/visits", "title": SUBJECT, "relation": "attachment"}
    assert hit["date"] == "2021-06-04"  # an attachment is dated by its message
    page = client.get("/documents/mail/visits.eml/1").get_data(as_text=True)
    assert f'<dd class="parent"><a href="/documents/mail/visits">{SUBJECT}</a></dd>' in page
    assert ">Attached to</dt>" in page
    message = client.get("/api/documents/mail/visits").get_json()
    assert (message["held_total"], message["held"][0]["id"]) == (1, "mail/visits.eml/1")
    assert "羈留人士的探訪安排將於下星期一起恢復" in message["text"] and NOTICE.splitlines()[-1] in message["text"]


def test_an_attachments_download_is_exactly_its_bytes(client):
    answer = client.get("/originals/mail/visits.eml/1")
    assert answer.status_code == 200 and answer.data == SCHEDULE
    assert answer.headers["Content-Disposition"] == 'attachment; filename="timetable.txt"'
    assert answer.headers["Content-Type"] == "text/plain; charset=Big5-HKSCS"


def test_each_message_of_a_mailbox_is_a_document(client):
    assert [hit["id"] for hit in search(client, "vigil banned")] == ["desk.mbox/1"]
    assert [hit["id"] for hit in search(client, "羁押令")] == ["desk.mbox/3"]
    box = client.get("/api/documents/desk").get_json()
    assert [item["title"] for item in box["held"]] == ["Message 1", "Message 2", "Message 3"]
    assert client.get("/originals/desk.mbox/2").data.endswith(b"Visits resume on Monday.\n")


def test_changing_one_message_reads_the_mailbox_again(tmp_path):
    folder, index = tmp_path / "docs", tmp_path / "index"
    folder.mkdir()
    write_mailbox(folder / "desk.mbox", ["The vigil was banned.", "Visits resume on Monday."])
    assert build(folder, index).documents == 3
    write_mailbox(folder / "desk.mbox", ["The vigil was banned.", "Visits are cancelled."])
    report = build(folder, index)
    assert (report.count("changed"), report.documents) == (1, 3)
    with serving(index, folder) as client:
        assert search(client, "resume") == []
        assert [hit["id"] for hit in search(client, "cancelled")] == ["desk.mbox/2"]
