"""Deploying for the public: the Kubernetes manifests render and hold what they promise, the
Compose file has its shape, and deploy/nginx.conf, run for real in front of two replicas of
`archive-search serve`, keeps their answers, outlasts slow clients, limits floods and fails over.

nginx runs from a temporary prefix on loopback ports, as the current user, with the project's
configuration changed only in its listen address, the replicas' addresses and its /tmp paths.
Without nginx these tests are skipped on a developer's machine and fail in CI (CI=1), where
.ci/run installs it.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import http.server
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import typing
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import yaml

from app.index.build import build
from app.web import SECURITY_HEADERS

from ..clients import SEARCH, TARGETS, Answer, SlowClients, flood, get, polite_traffic, statuses
from ..support import CORPUS_SIZE, ROOT, free_port, kubectl, read_only_view, running_server, stop_group, write_corpus

DEPLOY = ROOT / "deploy"
NGINX_CONF = DEPLOY / "nginx.conf"
INDEX_MOUNT = "/srv/archive/index"


# --- Kubernetes ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict]]:
    """`kubectl kustomize deploy/k8s`, by kind."""
    done = subprocess.run([kubectl(), "kustomize", str(DEPLOY / "k8s")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    objects: dict[str, list[dict]] = {}
    for item in yaml.safe_load_all(done.stdout):
        objects.setdefault(item["kind"], []).append(item)
    return objects


def one(rendered: dict[str, list[dict]], kind: str) -> dict:
    assert len(rendered.get(kind, [])) == 1, f"expected one {kind}, got {len(rendered.get(kind, []))}"
    return rendered[kind][0]


def pod_spec(rendered: dict[str, list[dict]], kind: str) -> dict:
    if kind == "CronJob":
        return one(rendered, kind)["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return one(rendered, kind)["spec"]["template"]["spec"]


def test_kustomize_renders_the_whole_deployment(rendered):
    assert set(rendered) == {
        "ConfigMap",
        "PersistentVolumeClaim",
        "Deployment",
        "Service",
        "CronJob",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
    }
    assert one(rendered, "HorizontalPodAutoscaler")["apiVersion"] == "autoscaling/v2"


@pytest.mark.parametrize("kind", ["Deployment", "CronJob"])
def test_replicas_and_the_index_job_run_unprivileged_on_a_read_only_root(rendered, kind):
    spec = pod_spec(rendered, kind)
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] == 10001
    assert spec["automountServiceAccountToken"] is False
    (container,) = spec["containers"]
    context = container["securityContext"]
    assert context["runAsNonRoot"] is True and context["runAsUser"] == 10001
    assert context["readOnlyRootFilesystem"] is True
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"]["drop"] == ["ALL"]
    for bound in ("requests", "limits"):
        assert set(container["resources"][bound]) == {"cpu", "memory"}
    # the root is read-only: /tmp is a volume of its own
    volumes = {volume["name"]: volume for volume in spec["volumes"]}
    tmp = next(mount for mount in container["volumeMounts"] if mount["mountPath"] == "/tmp")
    assert "emptyDir" in volumes[tmp["name"]]


def test_replicas_are_probed_on_healthz(rendered):
    (container,) = pod_spec(rendered, "Deployment")["containers"]
    assert container["command"][:2] == ["archive-search", "serve"] and "0.0.0.0" in container["command"]
    port_names = {port["name"]: port["containerPort"] for port in container["ports"]}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        check = container[probe]["httpGet"]
        assert check["path"] == "/healthz", probe
        assert check["port"] in port_names, probe
    # a replica busy with searches leaves the Service well before it is restarted
    readiness, liveness = container["readinessProbe"], container["livenessProbe"]
    assert (
        readiness["periodSeconds"] * readiness["failureThreshold"]
        < liveness["periodSeconds"] * liveness["failureThreshold"]
    )
    service = one(rendered, "Service")
    labels = one(rendered, "Deployment")["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] in port_names


def index_volume(rendered, kind: str) -> tuple[dict, dict]:
    """The mount of the index in ``kind``'s container, and the volume behind it."""
    spec = pod_spec(rendered, kind)
    (container,) = spec["containers"]
    mount = next(mount for mount in container["volumeMounts"] if mount["mountPath"] == INDEX_MOUNT)
    volume = next(volume for volume in spec["volumes"] if volume["name"] == mount["name"])
    return mount, volume


def test_replicas_read_the_index_that_the_cronjob_writes(rendered):
    mount, volume = index_volume(rendered, "Deployment")
    assert mount["readOnly"] is True
    assert volume["persistentVolumeClaim"]["readOnly"] is True
    claim = volume["persistentVolumeClaim"]["claimName"]
    writer_mount, writer_volume = index_volume(rendered, "CronJob")
    assert not writer_mount.get("readOnly") and not writer_volume["persistentVolumeClaim"].get("readOnly")
    assert writer_volume["persistentVolumeClaim"]["claimName"] == claim
    claims = {item["metadata"]["name"]: item for item in rendered["PersistentVolumeClaim"]}
    assert claims[claim]["spec"]["accessModes"] == ["ReadWriteMany"]  # replicas on every node
    cronjob = one(rendered, "CronJob")
    assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"  # one writer at a time
    (container,) = pod_spec(rendered, "CronJob")["containers"]
    assert "archive-search index" in " ".join(container["command"])
    # both read their settings from the same generated ConfigMap, which names this folder
    settings = one(rendered, "ConfigMap")
    assert settings["data"]["ARCHIVE_INDEX"] == INDEX_MOUNT
    for kind in ("Deployment", "CronJob"):
        (container,) = pod_spec(rendered, kind)["containers"]
        assert container["envFrom"] == [{"configMapRef": {"name": settings["metadata"]["name"]}}]


def test_replicas_on_other_nodes_rely_on_the_grace_period_and_the_ingress_address(rendered):
    settings = one(rendered, "ConfigMap")["data"]
    assert settings["ARCHIVE_READER_LOCKS"] == "0"  # no lock is visible across nodes
    assert float(settings["ARCHIVE_GENERATION_GRACE"]) >= 60  # far more than a replica takes to move on
    assert settings["ARCHIVE_FORWARDED_ALLOW_IPS"] == "*"  # the ingress names the client
    spec = pod_spec(rendered, "Deployment")
    (container,) = spec["containers"]
    documents = next(mount for mount in container["volumeMounts"] if mount["name"] == "documents")
    assert documents["readOnly"] is True and documents["mountPath"] == "/srv/archive/documents"


def test_disruptions_and_scaling_target_the_replicas(rendered):
    deployment = one(rendered, "Deployment")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    budget = one(rendered, "PodDisruptionBudget")
    assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
    autoscaler = one(rendered, "HorizontalPodAutoscaler")["spec"]
    assert autoscaler["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": deployment["metadata"]["name"],
    }
    assert [metric["resource"]["name"] for metric in autoscaler["metrics"]] == ["cpu"]
    # a node drained for maintenance still leaves a replica serving
    assert autoscaler["minReplicas"] > budget["spec"]["minAvailable"] >= 1
    assert "replicas" not in deployment["spec"]  # the autoscaler owns the count


# --- Docker Compose --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def mounts(service: dict) -> dict[str, dict]:
    return {volume["target"]: volume for volume in service["volumes"]}


def upstream_servers() -> list[tuple[str, int]]:
    """The replicas deploy/nginx.conf names in its upstream block."""
    block = re.search(r"upstream archive_search \{(.*?)\}", NGINX_CONF.read_text(encoding="utf-8"), re.S)
    return [(host, int(port)) for host, port in re.findall(r"^\s*server ([\w.-]+):(\d+)", block.group(1), re.M)]


def test_compose_builds_the_index_once_and_replicas_read_it(compose):
    services = compose["services"]
    index = services["index"]
    assert (DEPLOY / index["build"]["context"] / index["build"]["dockerfile"]).is_file()
    assert "archive-search index" in " ".join(index["command"]) and index["restart"] == "no"
    assert not mounts(index)[INDEX_MOUNT].get("read_only")  # the one writer
    assert mounts(index)["/srv/archive/documents"]["read_only"] is True
    replicas = {name: service for name, service in services.items() if "serve" in service.get("command", [])}
    assert len(replicas) >= 2
    for name, service in replicas.items():
        assert service["command"][-4:] == ["--host", "0.0.0.0", "--port", "8000"], name
        assert mounts(service)[INDEX_MOUNT] == {**mounts(index)[INDEX_MOUNT], "read_only": True}, name
        assert mounts(service)["/srv/archive/documents"]["read_only"] is True, name
        assert service["depends_on"]["index"]["condition"] == "service_completed_successfully", name
        assert "/healthz" in " ".join(service["healthcheck"]["test"]), name
        assert "ports" not in service, f"{name} must be reached only through the proxy"
        assert service["environment"]["ARCHIVE_FORWARDED_ALLOW_IPS"] == "*", f"{name}: the proxy names the client"
    for name, service in {"index": index, **replicas}.items():
        assert service["user"] == "10001:10001" and service["read_only"] is True, name
        assert service["cap_drop"] == ["ALL"], name
    # the proxy's upstream names exactly these replicas
    assert sorted(upstream_servers()) == sorted((name, 8000) for name in replicas)


def test_compose_publishes_only_the_proxy(compose):
    services = compose["services"]
    published = {name: service["ports"] for name, service in services.items() if "ports" in service}
    assert list(published) == ["proxy"]
    proxy = services["proxy"]
    assert proxy["image"].startswith("nginx:")
    (port,) = published["proxy"]
    listen = re.search(r"^\s*listen (\d+);", NGINX_CONF.read_text(encoding="utf-8"), re.M).group(1)
    assert port.rsplit(":", 1)[1] == listen
    conf = mounts(proxy)["/etc/nginx/nginx.conf"]
    assert (DEPLOY / conf["source"]).resolve() == NGINX_CONF and conf["read_only"] is True
    assert proxy["user"] != "0" and not proxy["user"].startswith("0:") and proxy["read_only"] is True
    assert "/healthz" in " ".join(proxy["healthcheck"]["test"])
    assert {proxy["depends_on"][name]["condition"] for name, _port in upstream_servers()} == {"service_healthy"}


# --- nginx -----------------------------------------------------------------------------------


def nginx_binary() -> str:
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and Path(candidate).exists():
            return candidate
    message = "nginx not found: install Debian's nginx package (.ci/run does)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def proxy_config(prefix: Path, port: int, replicas: list[int]) -> Path:
    """deploy/nginx.conf for this machine: loopback ports, and ``prefix`` in place of /tmp."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    servers = upstream_servers()
    assert len(servers) == len(replicas), f"{NGINX_CONF} names {len(servers)} replicas"
    for (host, inner), outer in zip(servers, replicas, strict=True):
        text, count = re.subn(rf"\bserver {re.escape(host)}:{inner}\b", f"server 127.0.0.1:{outer}", text)
        assert count == 1
    text, count = re.subn(r"^(\s*)listen \d+;", rf"\1listen 127.0.0.1:{port};", text, flags=re.M)
    assert count == 1
    text = re.sub(r"(?<=\s)/tmp/", f"{prefix}/", text)
    assert "/tmp/" not in text.replace(str(prefix), "")
    if os.geteuid() == 0:
        # nginx started by root hands its workers to "nobody" unless told otherwise; here they
        # stay with the current user, who can reach the temporary prefix.
        text = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n{text}"
    prefix.mkdir(parents=True, exist_ok=True)
    path = prefix / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


def test_nginx_accepts_the_configuration(tmp_path):
    nginx = nginx_binary()
    conf = proxy_config(tmp_path / "nginx", free_port(), [free_port(), free_port()])
    done = subprocess.run(
        [nginx, "-t", "-p", str(conf.parent), "-c", str(conf)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr
    assert "[warn]" not in done.stderr and "[emerg]" not in done.stderr, done.stderr


@contextlib.contextmanager
def running_proxy(prefix: Path, replicas: list[int]):
    """nginx with deploy/nginx.conf in front of ``replicas``; yields its port."""
    nginx = nginx_binary()
    port = free_port()
    conf = proxy_config(prefix, port, replicas)
    log = open(prefix / "nginx.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start: {(prefix / 'nginx.log').read_text(errors='replace')}")
            time.sleep(0.05)
        yield port
    finally:
        stop_group(process, timeout=15)
        log.close()


class Recorder(http.server.BaseHTTPRequestHandler):
    """A stand-in replica that says what reached it, and when."""

    seen: typing.ClassVar[list[dict]] = []

    def setup(self) -> None:
        self.accepted = time.monotonic()
        super().setup()

    def do_GET(self) -> None:
        body = b"x" * 8_000_000 if self.path == "/large" else b"{}"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        self.seen.append(
            {"path": self.path, "headers": dict(self.headers), "accepted": self.accepted, "written": time.monotonic()}
        )

    def log_message(self, *args) -> None:
        pass


@pytest.mark.slow
def test_replicas_see_whole_requests_and_the_clients_true_address(tmp_path):
    nginx_binary()
    replicas = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder) for _ in range(2)]
    for replica in replicas:
        threading.Thread(target=replica.serve_forever, daemon=True).start()
    Recorder.seen.clear()
    try:
        with running_proxy(tmp_path / "nginx", [replica.server_address[1] for replica in replicas]) as port:
            # a client that takes 1.5 s over its headers, and forges X-Forwarded-For
            with socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.7", 0)) as client:
                client.sendall(b"GET /slowly HTTP/1.1\r\nHost: archive.example\r\n")
                for _ in range(3):
                    time.sleep(0.5)
                    client.sendall(b"X-Padding: x\r\n")
                # taken before the last bytes leave: nothing can reach a replica before them
                finished = time.monotonic()
                client.sendall(b"X-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n")
                assert client.recv(100).startswith(b"HTTP/1.1 200")
            # a client that reads an 8 MB answer only after 2 s, through a small window
            with socket.socket() as reader:
                reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                reader.connect(("127.0.0.1", port))
                reader.sendall(b"GET /large HTTP/1.1\r\nHost: archive.example\r\nConnection: close\r\n\r\n")
                time.sleep(2)
                reading = time.monotonic()
                received = 0
                while chunk := reader.recv(1 << 20):
                    received += len(chunk)
    finally:
        for replica in replicas:
            replica.shutdown()
            replica.server_close()
    slowly, large = Recorder.seen
    # the replica's connection began only once the whole request was in
    assert slowly["accepted"] >= finished
    headers = slowly["headers"]
    assert headers["X-Forwarded-For"] == headers["X-Real-IP"] == "127.0.0.7"
    assert headers["X-Forwarded-Proto"] == "http" and headers["Host"] == "archive.example"
    # the replica was done with the large answer before the client began to read it
    assert large["written"] < reading
    assert received > 8_000_000


@dataclass
class Stack:
    port: int  # the proxy's
    replicas: list[tuple[str, subprocess.Popen]]  # each replica's base URL and its process
    log: Path  # nginx's error log

    def refusals(self, client: str) -> list[str]:
        """nginx's own lines for each request of ``client`` it refused by a limit."""
        lines = self.log.read_text(errors="replace").splitlines()
        return [line for line in lines if "limiting " in line and f"client: {client}," in line]


@contextlib.contextmanager
def running_stack(index: Path, documents: Path, prefix: Path, replicas: int = 2):
    """``replicas`` servers over ``index`` (two workers each) with nginx in front."""
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(running_server(index, documents, workers=2)) for _ in range(replicas)]
        port = stack.enter_context(running_proxy(prefix, [urlsplit(base).port for base, _process in servers]))
        yield Stack(port, servers, prefix / "nginx.log")


@pytest.fixture(scope="module")
def proxied(index_dir, corpus_dir, tmp_path_factory) -> Stack:
    """Two replicas over the session's test index behind nginx, for tests that only read."""
    nginx_binary()
    with running_stack(index_dir, corpus_dir, tmp_path_factory.mktemp("nginx")) as stack:
        yield stack


@pytest.mark.slow
def test_the_proxy_passes_the_apps_answers_unchanged(proxied):
    direct_base, _process = proxied.replicas[0]
    direct = get(urlsplit(direct_base).port, SEARCH)
    through = get(proxied.port, SEARCH)
    assert through.status == direct.status == 200
    assert through.headers["content-type"] == direct.headers["content-type"] == "application/json"
    assert through.json()["total"] == direct.json()["total"] > 0
    for name, value in SECURITY_HEADERS.items():
        assert through.headers[name.lower()] == value, name
    assert through.headers["server"] == "nginx"  # neither gunicorn nor nginx's version
    # the app's own errors pass through as the app made them
    missing = get(proxied.port, "/api/documents/no-such-document")
    assert missing.status == 404 and missing.headers["content-type"] == "application/json"
    assert "no-such-document" in missing.json()["error"]["message"]
    health = get(proxied.port, "/healthz")
    assert health.json() == {"ok": True, "documents": CORPUS_SIZE}


@pytest.mark.slow
def test_the_proxy_compresses_json_and_pages_when_asked(proxied):
    for target in (SEARCH, "/search?q=" + quote("人權")):
        plain = get(proxied.port, target)
        packed = get(proxied.port, target, headers={"Accept-Encoding": "gzip"})
        assert "content-encoding" not in plain.headers
        assert packed.headers["content-encoding"] == "gzip" and "Accept-Encoding" in packed.headers["vary"]
        assert len(packed.body) < len(plain.body) / 2
        unpacked = gzip.decompress(packed.body)
        if target == SEARCH:  # the same answer, but for the time it took
            assert {**json.loads(unpacked), "took_ms": 0} == {**plain.json(), "took_ms": 0}
        else:
            assert "<mark>人權</mark>" in unpacked.decode() and abs(len(unpacked) - len(plain.body)) < 50
        assert packed.headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]


@pytest.mark.slow
def test_hashed_static_files_are_cached_for_a_year(proxied):
    page = get(proxied.port, "/").body.decode()
    stylesheet = re.search(r'href="(/static/style\.css\?v=[0-9a-f]+)"', page).group(1)
    hashed = get(proxied.port, stylesheet)
    assert hashed.status == 200 and hashed.headers["content-type"].startswith("text/css")
    assert hashed.headers["cache-control"] == "public, max-age=31536000, immutable"
    unhashed = get(proxied.port, "/static/style.css")
    assert unhashed.status == 200 and unhashed.headers["cache-control"] == "no-cache"


@pytest.mark.slow
def test_long_chinese_queries_pass_and_oversized_requests_stop_at_the_proxy(proxied):
    longest = "/api/search?q=" + quote("香港人權" * 125)  # 500 characters: the app's limit
    assert len(longest) > 4000
    answer = get(proxied.port, longest)
    assert answer.status == 200, answer.body[:300]
    assert answer.json()["query"] == "香港人權" * 125
    too_long = get(proxied.port, "/api/search?q=" + "a" * 17_000)
    assert too_long.status == 414  # answered by nginx: no replica reads it
    with socket.create_connection(("127.0.0.1", proxied.port), timeout=10) as connection:
        connection.sendall(
            b"GET /api/search HTTP/1.1\r\nHost: archive\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n"
        )
        assert connection.recv(100).startswith(b"HTTP/1.1 413")
    with socket.create_connection(("127.0.0.1", proxied.port), timeout=10) as connection:
        connection.sendall(b"POST /api/search HTTP/1.1\r\nHost: archive\r\nContent-Length: 900\r\n\r\nq=")
        refused = connection.recv(4096)  # answered before the body: the method is refused
    assert refused.startswith(b"HTTP/1.1 405") and b"Allow: GET, HEAD" in refused
    assert b'"status": 405' in refused and b"Content-Type: application/json" in refused


@pytest.mark.slow
def test_slow_clients_hold_no_replica_and_are_cut_off(proxied):
    # 64 connections that never finish their request (in the request line, the headers or the
    # body); the odd ones trickle a byte every second, which does not extend their time. The
    # window is long enough that a trickler whose time each byte extended would still be open.
    with SlowClients(proxied.port, seconds=25) as slow:
        polite = polite_traffic(proxied.port, slow, TARGETS)
    in_head = {number: at for number, at in slow.closed.items() if number % 3 != 2}
    in_body = {number: at for number, at in slow.closed.items() if number % 3 == 2}
    answered_while_held = polite.while_held(len(in_head))
    print(
        f"\nslow connections: {slow.count}; those in their head closed by the proxy after "
        f"{min(in_head.values(), default=0):.1f} to {max(in_head.values(), default=0):.1f} s, those with a body "
        f"after {max(in_body.values(), default=0):.1f} s at most; normal requests meanwhile: {len(polite.answers)} "
        f"{statuses(polite.answers)}, {len(answered_while_held)} while the {len(in_head)} were held"
    )
    assert statuses(polite.answers) == {200: len(polite.answers)}
    assert len(answered_while_held) >= 20, "a normal request waited for slow connections to go"
    # client_header_timeout (10 s, trickling or not) closes every one still sending its head...
    assert len(in_head) == 43 and min(in_head.values()) >= 9
    # ...and a request with a body is refused (405, JSON) as soon as its head is read, long
    # before any head times out.
    assert len(in_body) == 21 and max(in_body.values()) < min(in_head.values())


@pytest.mark.slow
def test_a_flood_of_searches_from_one_address_is_limited(proxied):
    flooded, other = flood(proxied.port, "/api/search?q=re*", 50, "127.0.0.4", "127.0.0.5", SEARCH)
    counted = statuses(flooded)
    print(f"\nflood of 50 searches from one address: {counted}; another address meanwhile: {statuses(other)}")
    assert len(flooded) == 50 and set(counted) == {200, 429}
    # nginx's own account of each refusal: past the burst of 20 (the excess it logs is over 20),
    # or past 8 at a time, and nothing refused that it does not account for.
    refusals = proxied.refusals("127.0.0.4")
    excesses = [float(found) for line in refusals for found in re.findall(r"excess: ([0-9.]+)", line)]
    at_once = [line for line in refusals if 'limiting connections by zone "per_address"' in line]
    assert len(refusals) == counted[429] == len(excesses) + len(at_once)
    assert all(excess > 20 for excess in excesses)
    refused = next(answer for answer in flooded if answer.status == 429)
    assert refused.headers["content-type"] == "application/json"
    assert refused.json()["error"]["status"] == 429 and "Too many searches" in refused.json()["error"]["message"]
    assert refused.headers["retry-after"] == "1"
    assert [answer.status for answer in other] == [200] * 5
    # the search page answers a flood with a short page of its own
    pages: list[Answer] = []
    flooders = [
        threading.Thread(target=lambda: pages.append(get(proxied.port, "/search?q=rights", source="127.0.0.6")))
        for _ in range(40)
    ]
    for thread in flooders:
        thread.start()
    for thread in flooders:
        thread.join(timeout=60)
    refused_pages = [answer for answer in pages if answer.status == 429]
    assert {answer.status for answer in pages} == {200, 429} and refused_pages
    assert refused_pages[0].headers["content-type"] == "text/html; charset=utf-8"
    assert "Too many searches" in refused_pages[0].body.decode()


def load(port: int, stop: threading.Event, answers: list[Answer], source: str, targets: list[str]) -> None:
    """Requests one after another until ``stop`` (at most 3000)."""
    while not stop.is_set() and len(answers) < 3000:
        answers.append(get(port, targets[len(answers) % len(targets)], source=source))


@pytest.mark.slow
def test_the_proxy_fails_over_when_a_replica_is_killed(index_dir, corpus_dir, tmp_path):
    targets = ["/api/documents/udhr/udhr_eng", "/healthz", "/documents/udhr/udhr_cmn_hant?q=" + quote("人權")]
    with running_stack(index_dir, corpus_dir, tmp_path / "nginx") as stack:
        answers: list[list[Answer]] = [[] for _ in range(4)]
        stop = threading.Event()
        clients = [
            threading.Thread(target=load, args=(stack.port, stop, answers[n], f"127.0.1.{n + 1}", targets))
            for n in range(4)
        ]
        for client in clients:
            client.start()
        try:
            time.sleep(1.5)
            _base, victim = stack.replicas[0]
            killed = time.monotonic()
            os.killpg(victim.pid, signal.SIGKILL)  # the whole replica: gunicorn and its workers
            time.sleep(4)
        finally:
            stop.set()
            for client in clients:
                client.join(timeout=30)
        everything = sorted((answer for client in answers for answer in client), key=lambda answer: answer.started)
        before = [answer for answer in everything if answer.started + answer.seconds < killed]
        in_flight = [answer for answer in everything if answer.started <= killed <= answer.started + answer.seconds]
        after = [answer for answer in everything if answer.started > killed]
        answered = [answer.started + answer.seconds for answer in after if answer.status == 200]
        first_success = min(answered, default=killed)
        failed_in_flight = [answer.status for answer in in_flight if answer.status != 200]
        print(
            f"\nfailover: {len(before)} requests before the kill, {len(in_flight)} in flight "
            f"({len(failed_in_flight)} failed: {failed_in_flight}), "
            f"{len(after)} after ({dict(Counter(answer.status for answer in after))}); "
            f"first answer after the kill {1000 * (first_success - killed):.0f} ms after it, slowest after it "
            f"{1000 * max(answer.seconds for answer in after):.0f} ms"
        )
        # every request sent after the kill was answered: nginx took the other replica at once
        assert len(before) > 20 and len(after) > 20
        assert [answer.status for answer in after] == [200] * len(after)
        # with no replica left, the API still answers in its own shape
        _base, last = stack.replicas[1]
        os.killpg(last.pid, signal.SIGKILL)
        last.wait(timeout=10)
        down = get(stack.port, SEARCH, source="127.0.1.9")
        assert down.status == 502 and down.headers["content-type"] == "application/json"
        assert down.json()["error"]["status"] == 502


@pytest.mark.slow
def test_a_rebuild_under_load_is_served_whole_through_the_proxy(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write_corpus(docs, 300)
    build(docs, index)
    with (
        read_only_view(index, tmp_path / "index-ro") as (reading, read_only),
        running_stack(reading, docs, tmp_path / "nginx") as stack,
    ):
        outcomes: list[tuple[int, int | None, int | None]] = []
        stop = threading.Event()

        def client(source: str) -> None:
            while not stop.is_set() and len(outcomes) < 2000:
                found = get(stack.port, "/api/search?q=quokka&expand=0", source=source)
                health = get(stack.port, "/healthz", source=source)
                status = found.status if found.status != 200 else health.status
                total = found.json().get("total") if found.status == 200 else None
                documents = health.json().get("documents") if health.status == 200 else None
                outcomes.append((status, total, documents))
                time.sleep(0.2)  # under the search limit of each address

        threads = [threading.Thread(target=client, args=(f"127.0.2.{n + 1}",)) for n in range(4)]
        for thread in threads:
            thread.start()
        try:
            time.sleep(1)
            for number in range(20):
                (docs / f"new{number:02d}.txt").write_text(f"The quokka statement number {number}.", encoding="utf-8")
            command = [sys.executable, "-m", "app", "index", "--documents", str(docs), "--index", str(index)]
            subprocess.run(command, check=True, capture_output=True, timeout=120)
            time.sleep(1)
            subprocess.run([*command, "--full"], check=True, capture_output=True, timeout=120)
            time.sleep(1.5)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
        # both replicas follow the new generation: every answer now comes from it
        latest = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            latest = [
                (get(stack.port, "/api/search?q=quokka&expand=0", source="127.0.2.9").json()["total"]) for _ in range(4)
            ]
            if latest == [20] * 4:
                break
            time.sleep(0.5)
    print(
        f"\nrequests through the proxy during two rebuilds: {2 * len(outcomes)}, "
        f"failed: {sum(1 for outcome in outcomes if outcome[0] != 200)}; replicas read the index "
        f"{'from a read-only mount' if read_only else 'from the folder the builds write'}"
    )
    assert len(outcomes) > 40
    assert [outcome for outcome in outcomes if outcome[0] != 200] == []
    # each answer comes from one complete generation: the old or the new, never a mixture
    assert {total for _status, total, _documents in outcomes} <= {0, 20}
    assert {documents for _status, _total, documents in outcomes} <= {300, 320}
    assert latest == [20] * 4
