"""How much of a request the server's worker reads before a thread takes it: a head and a body
within the limit of its address (``app/web/worker.py``), decided from the bytes alone."""

from __future__ import annotations

import pytest

from app.web.worker import MAX_BODY, body_limit, request_state

BATCH_BYTES = 1_048_576


def head(line: str, length: int | None = None, chunked: bool = False) -> bytes:
    """A request head with its request line, a Content-Length or chunked encoding."""
    fields = [line, "Host: a"]
    if length is not None:
        fields.append(f"Content-Length: {length}")
    if chunked:
        fields.append("Transfer-Encoding: chunked")
    return ("\r\n".join(fields) + "\r\n\r\n").encode()


@pytest.mark.parametrize(
    "line", ["POST /api/batch HTTP/1.1", "POST /batch HTTP/1.1", "POST /api/batch?format=csv HTTP/1.1"]
)
def test_a_batch_search_may_send_up_to_batch_bytes(line):
    assert body_limit(head(line), BATCH_BYTES) == (BATCH_BYTES, "batch_too_large")
    body = b"x" * (MAX_BODY * 4)
    whole = head(line, len(body)) + body
    assert request_state(whole, 0, BATCH_BYTES)[0] == "whole"
    assert request_state(whole[:-1], 0, BATCH_BYTES)[0] == "partial"
    assert request_state(head(line, BATCH_BYTES + 1), 0, BATCH_BYTES)[0] == "too large"


@pytest.mark.parametrize(
    "line",
    ["POST /api/search HTTP/1.1", "GET /api/batch HTTP/1.1", "POST /batch/x HTTP/1.1", "POST /api/batchx HTTP/1.1"],
)
def test_every_other_request_may_send_at_most_max_body(line):
    assert body_limit(head(line), BATCH_BYTES) == (MAX_BODY, "body_too_large")
    assert request_state(head(line, MAX_BODY) + b"x" * MAX_BODY, 0, BATCH_BYTES)[0] == "whole"
    assert request_state(head(line, MAX_BODY + 1), 0, BATCH_BYTES)[0] == "too large"


def test_a_body_of_unknown_length_is_refused_and_a_head_trickled_in_is_waited_for():
    assert request_state(head("POST /api/batch HTTP/1.1", chunked=True), 0, BATCH_BYTES)[0] == "too large"
    whole = head("GET /healthz HTTP/1.1")
    state, searched = "partial", 0
    for end in range(1, len(whole)):
        state, searched = request_state(whole[:end], searched, BATCH_BYTES)
        assert state == "partial"
    assert request_state(whole, searched, BATCH_BYTES)[0] == "whole"
