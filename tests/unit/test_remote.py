"""app/remote.py's HTTP/1.0 reading of a server's answer, held to http.client's reading of the
same bytes; what it sends; the answers it refuses (too many headers, not HTTP, cut short, in
chunks); and a server asked over TLS."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app import remote

from ..support import needs_openssl


@dataclass
class Script:
    """What the stand-in server writes back on each connection (piece by piece, each written on
    its own), and the requests it was sent."""

    pieces: list[bytes]
    requests: list[bytes] = field(default_factory=list)


@contextmanager
def raw_server(script: Script, tls: ssl.SSLContext | None = None) -> Iterator[int]:
    """A loopback server that reads a request's head, writes ``script``'s pieces and closes; its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _address = listener.accept()
            except OSError:
                return
            try:
                if tls is not None:
                    connection = tls.wrap_socket(connection, server_side=True)
                with connection:
                    received = b""
                    while b"\r\n\r\n" not in received and (piece := connection.recv(4096)):
                        received += piece
                    script.requests.append(received)
                    for piece in script.pieces:
                        connection.sendall(piece)
            except OSError:
                connection.close()  # the client went away, or refused the certificate

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes the accept that waits
        listener.close()
        thread.join(timeout=10)


def _answer(status: str, headers: list[tuple[str, str]], body: bytes, length: bool = True) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{name}: {value}" for name, value in headers)]
    if length:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


PAGE = json.dumps({"query": "人權", "total": 1, "results": [{"title": "國家安全"}]}, ensure_ascii=False).encode()
ROWS = b"id,title\r\n" + b"".join(f"doc-{n},title {n}\r\n".encode() for n in range(20_000))
ANSWERS = {
    "a page, its length given": [_answer("200 OK", [("Content-Type", "application/json")], PAGE)],
    "headers in any case": [_answer("200 OK", [("content-TYPE", "text/csv"), ("X-Archive-Total", "7")], b"a,b\r\n")],
    "no length, to the close": [_answer("200 OK", [("Content-Type", "text/csv")], ROWS, length=False)],
    "written in small pieces": [bytes([byte]) for byte in _answer("200 OK", [("Server", "x")], PAGE)],
    "a long body": [_answer("200 OK", [("X-Archive-Total", "20000")], ROWS)],
    "more bytes than its length": [_answer("200 OK", [("Content-Length", "4")], b"abcdefgh", length=False)],
}


def _read_by_http_client(port: int) -> tuple[int, str, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/api/search?q=x")
        response = connection.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, response.reason, headers, response.read()
    finally:
        connection.close()


def _read_by_remote(port: int) -> tuple[int, str, dict[str, str], bytes]:
    with remote.answer(f"http://127.0.0.1:{port}", "/api/search", [("q", "x")]) as response:
        body = b"".join(iter(lambda: response.read(1000), b""))
        return response.status, response.reason, response.headers, body


@pytest.mark.parametrize("pieces", ANSWERS.values(), ids=ANSWERS.keys())
def test_an_answer_reads_as_http_client_reads_it(pieces):
    with raw_server(Script(pieces)) as port:
        assert _read_by_remote(port) == _read_by_http_client(port)


@pytest.mark.parametrize(
    "status, body, said",
    [
        ("400 BAD REQUEST", json.dumps({"error": {"message": "q: too long"}}).encode(), "q: too long"),
        ("404 NOT FOUND", b"<html>not here</html>", "answered 404 NOT FOUND"),
        ("503 Service Unavailable", b"", "answered 503 Service Unavailable"),
    ],
)
def test_a_refusal_has_http_client_s_status_and_the_server_s_message(status, body, said):
    with raw_server(Script([_answer(status, [("Content-Type", "application/json")], body)])) as port:
        expected = _read_by_http_client(port)
        with pytest.raises(remote.ServerError) as refused:
            _read_by_remote(port)
    assert refused.value.status == expected[0]
    assert said in str(refused.value)


def test_the_request_is_http_1_0_under_the_server_s_path_and_names_the_host():
    script = Script([_answer("200 OK", [], PAGE)])
    with raw_server(script) as port:
        remote.search(f"http://127.0.0.1:{port}/archive/", [("q", "人權"), ("year", "2019")])
    lines = script.requests[0].decode("ascii").split("\r\n")
    assert lines[0] == "GET /archive/api/search?q=%E4%BA%BA%E6%AC%8A&year=2019 HTTP/1.0"
    assert f"Host: 127.0.0.1:{port}" in lines
    assert "Accept: application/json" in lines


def test_a_path_in_another_script_is_sent_escaped():
    script = Script([_answer("200 OK", [], PAGE)])
    with raw_server(script) as port:
        remote.search(f"http://127.0.0.1:{port}/檔案/", [("q", "x")])
    assert script.requests[0].startswith(b"GET /%E6%AA%94%E6%A1%88/api/search?q=x HTTP/1.0\r\n")


@pytest.mark.parametrize(
    "pieces, said",
    [
        ([b"HTTP/1.1 200 OK\r\n" + b"X-Filler: " + b"x" * 100_000], "sent more than 64 KB of headers"),
        ([b"SSH-2.0-OpenSSH_9.2\r\n\r\n"], "did not answer in HTTP"),
        ([_answer("200 OK", [("Content-Length", "100")], b"{}", length=False)], "98 bytes of its answer did not come"),
        ([], "it closed the connection"),
        ([_answer("200 OK", [("Transfer-Encoding", "chunked")], b"2\r\n{}\r\n0\r\n\r\n", length=False)], "in chunks"),
    ],
    ids=["endless headers", "not HTTP", "cut short", "closed at once", "in chunks"],
)
def test_an_answer_that_is_not_a_whole_http_answer_is_refused_and_named(pieces, said):
    with raw_server(Script(pieces)) as port, pytest.raises(remote.ServerError) as refused:
        remote.search(f"http://127.0.0.1:{port}", [("q", "x")])
    assert said in str(refused.value)
    assert f"127.0.0.1:{port}" in str(refused.value)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> Path:
    """A self-signed certificate for 127.0.0.1, with its key in the same file."""
    needs_openssl()
    pem = tmp_path_factory.mktemp("tls") / "server.pem"
    names = ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(pem), "-out", str(pem)]
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", *names],
        check=True,
        capture_output=True,
    )
    return pem


def test_a_server_asked_over_tls_answers_when_its_certificate_is_trusted(certificate, monkeypatch):
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(certificate)
    script = Script([_answer("200 OK", [("Content-Type", "application/json")], PAGE)])
    with raw_server(script, tls) as port:
        with pytest.raises(remote.ServerError) as refused:
            remote.search(f"https://127.0.0.1:{port}", [("q", "x")])
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
        answered = remote.search(f"https://127.0.0.1:{port}", [("q", "x")])
    assert "certificate verify failed" in str(refused.value)
    assert answered == json.loads(PAGE)
