"""No injected markup: hostile documents and queries never come back as something a browser runs."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.index.build import build
from app.web import create_app

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">click</a>',
    "</textarea><script>alert(1)</script>",
    "<iframe src=javascript:alert(1)></iframe>",
    "' onmouseover='alert(1)",
    "<scr<script>ipt>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<style>@import 'javascript:alert(1)';</style>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "{{7*7}} ${7*7}",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


_SCRIPTED = ("javascript:", "data:", "vbscript:")


class _Audit(HTMLParser):
    """Collects what in a page a browser would run."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            scheme = (value or "").strip().lower()
            if name in ("href", "src", "action", "formaction", "xlink:href") and scheme.startswith(_SCRIPTED):
                self.problems.append(f"<{tag} {name}={value}>")
        if tag == "script" and (dict(attrs).get("src") or "").split("?")[0] != "/static/app.js":
            self.problems.append("<script> that is not the app's own")
        if tag in _NEVER_IN_OUR_PAGES:
            self.problems.append(f"<{tag}> from content")


# Elements the app's templates never write: found in a page, they came from content.
_NEVER_IN_OUR_PAGES = {
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "style",
    "img",
    "base",
    "frame",
    "frameset",
    "applet",
}


def executable(html: str) -> list[str]:
    audit = _Audit()
    audit.feed(html)
    return audit.problems


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """An archive whose every field carries a payload."""
    folder = tmp_path_factory.mktemp("hostile")
    documents = folder / "docs"
    documents.mkdir()
    for number, payload in enumerate(PAYLOADS):
        quoted = payload.replace("\\", "\\\\").replace('"', '\\"')
        (documents / f"note{number:02d}.md").write_text(
            f'---\ntitle: "zebra {quoted}"\nauthor: "{quoted}"\ntags: ["{quoted}", zebra]\n'
            f'url: "{quoted}"\ndescription: "{quoted}"\n---\nzebra statement {payload} on human rights\n',
            encoding="utf-8",
        )
        (documents / f"page{number:02d}.html").write_text(
            f"<html><head><title>zebra {payload.replace('<', '&lt;')}</title>"
            f'<meta name="author" content="{payload.replace(chr(34), "&quot;")}"></head>'
            f"<body><p>zebra page {payload.replace('<', '&lt;')}</p>{payload}</body></html>",
            encoding="utf-8",
        )
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(documents / "report.pdf"))
    pdf.setTitle("zebra <script>alert(1)</script>")
    pdf.setAuthor("<img src=x onerror=alert(1)>")
    pdf.drawString(72, 720, "zebra report <b onmouseover=alert(1)>bold</b>")
    pdf.showPage()
    pdf.save()
    (documents / "links.md").write_text(
        "---\ntitle: zebra links\nurl: javascript:alert(document.cookie)\n---\nzebra with a bad source link\n",
        encoding="utf-8",
    )
    (documents / "good-link.md").write_text(
        "---\ntitle: zebra good link\nurl: https://example.org/statement\n---\nzebra with a good source link\n",
        encoding="utf-8",
    )
    build(documents, folder / "index")
    return folder


@pytest.fixture(scope="module")
def hostile_client(hostile):
    app = create_app({"INDEX": str(hostile / "index")})
    return app.test_client()


def document_ids(client) -> list[str]:
    body = client.get("/api/search", query_string={"q": "zebra", "per_page": 100, "expand": "0"}).get_json()
    return [result["id"] for result in body["results"]]


def test_results_pages_show_payloads_as_text(hostile_client):
    assert len(document_ids(hostile_client)) == 2 * len(PAYLOADS) + 3
    for page in (1, 2, 3, 4):
        html = hostile_client.get("/search", query_string={"q": "zebra", "page": page}).get_data(as_text=True)
        assert executable(html) == [], page


def test_document_pages_show_payloads_as_text(hostile_client):
    for doc_id in document_ids(hostile_client):
        html = hostile_client.get(f"/documents/{doc_id}", query_string={"q": "zebra"}).get_data(as_text=True)
        assert executable(html) == [], doc_id


def test_source_links_only_for_http_and_https(hostile_client):
    bad = hostile_client.get("/documents/links").get_data(as_text=True)
    assert 'href="javascript' not in bad and "Source" not in bad.split("<dl")[1].split("</dl>")[0]
    good = hostile_client.get("/documents/good-link").get_data(as_text=True)
    assert 'href="https://example.org/statement"' in good


@pytest.mark.parametrize("payload", PAYLOADS)
def test_queries_come_back_as_text(hostile_client, payload):
    for path in ("/search", "/documents/note00"):
        html = hostile_client.get(path, query_string={"q": f"zebra {payload}"}).get_data(as_text=True)
        assert executable(html) == [], (path, payload)
    body = hostile_client.get("/api/search", query_string={"q": f"zebra {payload}"})
    assert body.mimetype == "application/json"
    assert body.headers["X-Content-Type-Options"] == "nosniff"


def test_snippets_hold_no_markup_but_mark(hostile_client):
    body = hostile_client.get("/api/search", query_string={"q": "zebra", "per_page": 100}).get_json()
    for result in body["results"]:
        bare = result["snippet"].replace("<mark>", "").replace("</mark>", "")
        assert "<" not in bare and ">" not in bare


def test_matched_metadata_holds_no_markup_but_mark(hostile_client):
    """Authors, tags and descriptions that carry a payload and match the query: shown as text."""
    body = hostile_client.get("/api/search", query_string={"q": "alert", "per_page": 100}).get_json()
    matches = [match for result in body["results"] for match in result["metadata_matches"]]
    assert {match["field"] for match in matches} == {"author", "tags", "description"}
    for match in matches:
        bare = match["html"].replace("<mark>", "").replace("</mark>", "")
        assert "<" not in bare and ">" not in bare
    for page in (1, 2, 3):
        html = hostile_client.get("/search", query_string={"q": "alert", "page": page}).get_data(as_text=True)
        assert executable(html) == [], page
        assert "matched-metadata" in html


def test_error_messages_and_suggestions_are_escaped(hostile_client):
    html = hostile_client.get("/search", query_string={"q": "*<script>alert(1)</script>"}).get_data(as_text=True)
    assert executable(html) == []
    assert "&lt;script&gt;" in html
    html = hostile_client.get("/search", query_string={"q": "zebre<img src=x onerror=alert(1)>"}).get_data(as_text=True)
    assert executable(html) == []


def test_pages_carry_the_security_headers(hostile_client):
    headers = hostile_client.get("/search", query_string={"q": "zebra"}).headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy and headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "no-referrer"
