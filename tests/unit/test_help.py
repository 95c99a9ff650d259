"""The search help (/help): every example is a search that finds documents of the archive's own
documents/, every section and example is on the page in each interface language, each linked to
its search, and every refusal a search can meet is explained with its message."""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from markupsafe import escape

from app.query.parse import QueryError
from app.service.params import search_request
from app.service.search import search
from app.web import i18n
from app.web.help import EXAMPLES, REFUSALS, SECTIONS, refusal_values, words
from app.web.help_examples import BY_SECTION

from ..support import ROOT

UIS = i18n.UI_LANGUAGES
HELP_LINK = {"en": "Search help", "zh-Hant": "搜尋說明", "zh-Hans": "搜索说明"}


class _Links(HTMLParser):
    """Every link of a page: its address and its text; and every element's id."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self._open: list[list] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if "id" in found:
            self.ids.add(found["id"])
        if tag == "a":
            self._open.append([found.get("href", ""), ""])

    def handle_data(self, data):
        for link in self._open:
            link[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            href, text = self._open.pop()
            self.links.append((href, text.strip()))


def _page(client, **query) -> tuple[str, _Links]:
    response = client.get("/help", query_string=query)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    parsed = _Links()
    parsed.feed(text)
    return text, parsed


def _shown(words: str) -> str:
    """``words`` as a page writes them: escaped, each `backquoted` part as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(words)))


def _asked(example) -> dict[str, str]:
    return {"q": example.q, **dict(example.params)}


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e.q} {e.params}" for e in EXAMPLES])
def test_every_example_finds_a_document_of_the_archive(archive_app, example):
    response = archive_app.test_client().get("/api/search", query_string=_asked(example))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["total"] >= 1, f"{example.q!r} finds nothing in documents/"


def test_the_examples_cover_the_whole_language():
    typed = " ".join(f"{e.q} {e.params}" for e in EXAMPLES)
    for part in ("title:", "author:", "tag:", "text:", '"', " OR ", "-", "*", "date:", "..", "~", "NEAR/"):
        assert part in typed, part
    assert {"exact", "expand", "from", "to"} <= {name for e in EXAMPLES for name, _value in e.params}
    assert [section.key for section in SECTIONS] == list(BY_SECTION)


@pytest.mark.parametrize("ui", UIS)
def test_the_page_holds_every_section_and_example_linked_to_its_search(client, ui):
    text, page = _page(client, ui=ui)
    assert f'<html lang="{ui}">' in text
    assert f"<h1>{HELP_LINK[ui]}</h1>" in text
    number = UIS.index(ui)
    for section in SECTIONS:
        assert section.key in page.ids
        assert f">{escape(section.title[number])}</h2>" in text
        for paragraph in section.paragraphs:
            # The paragraph's words, its `code` shown as code.
            assert _shown(paragraph[number]) in text
    searches = [
        (text, dict(parse_qsl(urlsplit(href).query))) for href, text in page.links if urlsplit(href).path == "/search"
    ]
    for example in EXAMPLES:
        assert (example.q, {**_asked(example), "ui": ui}) in searches, f"{example.q!r} is no link to its search"
        assert _shown(example.finds[number]) in text
    assert "refusals" in page.ids


def test_an_example_link_keeps_no_interface_language_when_none_was_asked_for(client):
    _text, page = _page(client)
    first = next(href for href, text in page.links if text == EXAMPLES[0].q)
    assert dict(parse_qsl(urlsplit(first).query)) == _asked(EXAMPLES[0])


def test_the_browser_language_chooses_the_help_language(client):
    text = client.get("/help", headers={"Accept-Language": "zh-HK,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="zh-Hant">' in text and "<h1>搜尋說明</h1>" in text


@pytest.mark.parametrize("ui", UIS)
def test_the_search_form_links_the_help_in_its_language(client, ui):
    for path, query in (("/", {}), ("/search", {"q": "torture"}), ("/documents/udhr/udhr_eng", {})):
        parsed = _Links()
        parsed.feed(client.get(path, query_string={**query, "ui": ui}).get_data(as_text=True))
        assert (f"/help?ui={ui}", HELP_LINK[ui]) in parsed.links, path


def _raised_keys() -> set[str]:
    """The message keys the query and the parameters of a search are refused with."""
    keys: set[str] = set()
    for path in [*(ROOT / "app" / "query").glob("*.py"), ROOT / "app" / "service" / "params.py"]:
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r'\b(?:QueryError|PatternError|SearchTimeout)\(\s*"([a-z_]+)"', text))
    return keys | {"search_timeout", "too_many_searches"}


def test_every_refusal_a_search_can_meet_is_explained():
    explained = {refusal.key for refusal in REFUSALS}
    assert {"date_invalid", "date_backwards", "query_unreadable", "exact_invalid"} <= explained
    missing = _raised_keys() - explained
    assert not missing, f"refusals the help does not explain: {sorted(missing)}"


@pytest.mark.parametrize("ui", UIS)
def test_the_page_shows_each_refusal_with_its_message_in_its_language(client, app, ui):
    text, page = _page(client, ui=ui)
    for refusal in REFUSALS:
        assert f"refusal-{refusal.key}" in page.ids
        message = i18n.message(refusal.key, ui, refusal_values(refusal, app.config))
        assert str(escape(message)) in text, refusal.key
        assert str(escape(refusal.means[UIS.index(ui)])) in text, refusal.key


TRIGGERED = [refusal for refusal in REFUSALS if refusal.trigger]


@pytest.mark.parametrize("refusal", TRIGGERED, ids=[refusal.key for refusal in TRIGGERED])
def test_a_refusal_s_request_is_refused_with_that_message(archive_app, refusal):
    asked = {name: [value] for name, value in refusal.trigger}
    live = archive_app.extensions["archive_index"]
    with pytest.raises(QueryError) as raised:
        search(live, search_request(asked, archive_app.config), max_chars=500, max_terms=256)
    assert raised.value.key == refusal.key
    response = archive_app.test_client().get("/api/search", query_string=dict(refusal.trigger))
    assert response.status_code == 400
    # The page it links to says the message, in the interface language.
    page = archive_app.test_client().get("/search", query_string={**dict(refusal.trigger), "ui": "zh-Hans"})
    assert page.status_code == 400 and 'role="alert"' in page.get_data(as_text=True)


def _fields(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name}


def test_every_word_of_the_help_is_in_all_three_languages():
    for name, entry in words().items():
        assert len(entry) == 3, name
        assert all(isinstance(text, str) and text.strip() for text in entry), name
        assert all(re.search(r"[\u3400-\u9fff]", text) for text in entry[1:]), name
        # As much shown as typed in every language.
        assert len({text.count("`") for text in entry}) == 1, name
        assert not any(_fields(text) for text in entry), name
