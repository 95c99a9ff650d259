"""A batch search through deploy/nginx.conf: the proxy lets POST through to /batch and
/api/batch, with a body as large as BATCH_BYTES, and still refuses POST everywhere else before
its body is read. nginx runs as tests/system/test_deploy.py runs it."""

from __future__ import annotations

import http.client
import json
from urllib.parse import quote, urlencode

import pytest

from app import config

from ..clients import get
from .test_deploy import nginx_binary, running_stack

pytestmark = pytest.mark.slow


def post(port: int, target: str, body: bytes, content_type: str, method: str = "POST"):
    """(status, headers, body) of one request with a body, straight to ``port``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, target, body=body, headers={"Content-Type": content_type, "Connection": "close"})
        response = connection.getresponse()
        return response.status, {name.lower(): value for name, value in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def stack(index_dir, corpus_dir, tmp_path_factory):
    nginx_binary()
    with running_stack(index_dir, corpus_dir, tmp_path_factory.mktemp("nginx-batch")) as running:
        yield running


def test_a_batch_is_answered_through_the_proxy_as_the_searches_are(stack):
    body = json.dumps({"queries": ["人權", "Jimmy Lai", "zebrafishxyz"], "labels": ["rights"]}).encode()
    status, headers, answer = post(stack.port, "/api/batch", body, "application/json")
    assert status == 200 and headers["content-type"] == "application/json"
    answers = json.loads(answer)["answers"]
    for item in answers:
        single = get(stack.port, "/api/search?q=" + quote(item["query"])).json()
        assert item["total"] == single["total"], item["query"]
    assert answers[0]["total"] > 0 and answers[0]["label"] == "rights"
    assert [item["query"] for item in json.loads(answer)["no_results"]] == ["zebrafishxyz"]
    # a list as CSV, the answer as CSV
    status, headers, answer = post(stack.port, "/api/batch?format=csv", "query,label\n人權,r\n".encode(), "text/csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert answer.decode("utf-8").startswith("\ufeffline,query,label,total")


def test_the_batch_page_is_posted_through_the_proxy(stack):
    form = urlencode({"queries": "人權\nzebrafishxyz\n", "expand": "1"}).encode()
    status, headers, page = post(stack.port, "/batch", form, "application/x-www-form-urlencoded")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "zebrafishxyz" in page.decode() and 'class="batch-table"' in page.decode()


@pytest.mark.parametrize("target", ["/api/search", "/search", "/", "/api/documents/udhr/udhr_eng", "/batch/x"])
def test_a_post_anywhere_else_is_refused_before_its_body(stack, target):
    status, headers, body = post(stack.port, target, b"q=rights", "application/x-www-form-urlencoded")
    assert status == 405 and headers["allow"] == "GET, HEAD"
    assert json.loads(body)["error"]["status"] == 405


def test_other_methods_are_refused_at_the_batch_too(stack):
    status, headers, _body = post(stack.port, "/api/batch", b"{}", "application/json", method="PUT")
    assert status == 405 and headers["allow"] == "POST"
    status, headers, _body = post(stack.port, "/batch", b"", "text/plain", method="DELETE")
    assert status == 405 and headers["allow"] == "GET, HEAD, POST"


def test_a_list_larger_than_batch_bytes_stops_at_the_proxy(stack):
    limit = config.setting("BATCH_BYTES").default
    status, headers, body = post(stack.port, "/api/batch", b"a\n" * (limit // 2 + 1), "text/plain")
    assert status == 413 and headers["content-type"] == "application/json"
    assert f"{limit:,} bytes (BATCH_BYTES)" in json.loads(body)["error"]["message"]
    status, headers, page = post(stack.port, "/batch", b"queries=" + b"a" * limit, "application/x-www-form-urlencoded")
    assert status == 413 and "清單超出批次搜尋的上限" in page.decode()
