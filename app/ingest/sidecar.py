"""Metadata beside a file: ``report.pdf.meta.yaml`` (or ``.meta.yml``, ``.meta.json``) next to
``report.pdf``.

A sidecar holds the keys Markdown front matter holds (title, date, author, tags, url, language,
description) and wins over what the file says of itself, so a researcher can date or title a PDF
or a Word file without editing it; ``ocr:`` names the Tesseract models its file's scans are read
with (``[chi_tra, eng]``). A sidecar is never a document of its own. When a file has
more than one, the first of ``SIDECAR_SUFFIXES`` is read and a warning names the others.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from .encoding import UndecodableError, decode
from .extracted import Extracted, from_mapping
from .ocr import models
from .yamlmeta import ParsedYaml, parse_yaml

# The names a sidecar may have after its file's, the one read first when there are several.
SIDECAR_SUFFIXES = (".meta.yaml", ".meta.yml", ".meta.json")
SIDECAR_SUFFIX = SIDECAR_SUFFIXES[0]
# A sidecar is a few lines; anything much larger is not one, and is not read.
SIDECAR_MAX_BYTES = 1_000_000


def is_sidecar(name: str) -> bool:
    """True when the file called ``name`` is the metadata of another file."""
    return name.endswith(SIDECAR_SUFFIXES)


@dataclass
class Sidecar:
    """What a file's sidecar gave: which one it is, its bytes (hashed with the file's, so that
    editing only the sidecar re-indexes the document), its metadata, the warnings it raised, and
    the other sidecars beside it that were not read."""

    data: bytes | None = None
    metadata: Extracted | None = None
    warnings: list[str] = field(default_factory=list)
    suffix: str = SIDECAR_SUFFIX
    passed_over: tuple[str, ...] = ()
    # Why the sidecar cannot be read (a link, too large...), None when it can.
    problem: str | None = None
    # The OCR models its ``ocr:`` names for the file's scans (None: the archive's setting).
    ocr_languages: tuple[str, ...] | None = None

    def fingerprint_parts(self) -> list[bytes]:
        """What the file's fingerprint adds for its sidecars: the one read, by name and bytes,
        and the names of those passed over (their presence is a warning of the document)."""
        parts = [] if self.data is None else [b"\0" + self.suffix.encode() + b"\0" + self.data]
        return parts + [b"\0" + suffix.encode() + b"\0passed over" for suffix in self.passed_over]


def read_sidecar(path: str, relative: str) -> Sidecar:
    """The sidecar of the file at ``path`` (``relative`` names it in warnings); an empty
    ``Sidecar`` when there is none. A sidecar that cannot be read warns and is left out."""
    found = find_sidecar(path, relative)
    name = f"{relative}{found.suffix}"
    if found.problem is not None:
        found.warnings.append(f"sidecar {name} {found.problem}: not read")
    if found.data is None or found.problem is not None:
        return found
    try:
        text, _encoding = decode(found.data)
    except UndecodableError as error:
        found.warnings.append(f"sidecar {name} is not text ({error}): not read")
        return found
    parsed = _parse_json(text) if found.suffix.endswith(".json") else parse_yaml(text)
    if parsed.problem:
        found.warnings.append(f"sidecar {name} is {parsed.describe()}")
    found.metadata = from_mapping("", parsed.values)
    if parsed.values.get("ocr"):
        languages, problem = models(parsed.values["ocr"])
        if problem:
            found.warnings.append(f"sidecar {name}: ocr: {problem}: the archive's OCR models are used")
        found.ocr_languages = languages or None
    return found


def find_sidecar(path: str, relative: str = "") -> Sidecar:
    """The sidecar of the file at ``path`` as found on disk, not yet parsed: which one, its bytes
    (None when there is none or they cannot be had), why it cannot be read, and a warning naming
    the sidecars passed over (``relative`` names the file in it)."""
    present = [suffix for suffix in SIDECAR_SUFFIXES if os.path.lexists(f"{path}{suffix}")]
    if not present:
        return Sidecar()
    suffix, passed_over = present[0], tuple(present[1:])
    name = f"{relative}{suffix}"
    warnings = []
    if passed_over:
        others = " and ".join(f"{relative}{other}" for other in passed_over)
        verb = "is" if len(passed_over) == 1 else "are"
        warnings.append(f"{len(present)} sidecars for {relative}: {name} is read, {others} {verb} not")
    data, problem = _sidecar_bytes(f"{path}{suffix}")
    return Sidecar(data, None, warnings, suffix, passed_over, problem)


def _sidecar_bytes(sidecar_path: str) -> tuple[bytes | None, str | None]:
    """The bytes of the sidecar at ``sidecar_path`` (None when they cannot be had) and why they
    cannot be used (None when they can)."""
    # Documents linked from outside the archive are not followed; a sidecar cannot tell where
    # the archive ends, so it must be a file of its own.
    if os.path.islink(sidecar_path) or not os.path.isfile(sidecar_path):
        return None, "is not a regular file (a link?)"
    try:
        with open(sidecar_path, "rb") as handle:
            data = handle.read(SIDECAR_MAX_BYTES + 1)
    except OSError as error:
        return None, f"cannot be opened ({error.strerror or error})"
    if len(data) > SIDECAR_MAX_BYTES:
        return data, f"is over {SIDECAR_MAX_BYTES // 1000} kB"
    return data, None


def _parse_json(text: str) -> ParsedYaml:
    """A JSON sidecar's keys and values, or what is wrong with it (as YAML's are given)."""
    try:
        values = json.loads(text)
    except json.JSONDecodeError as error:
        return ParsedYaml(problem=f"not valid JSON ({error.msg} at line {error.lineno})")
    except (ValueError, RecursionError):  # a number too long to read, arrays nested too deep
        return ParsedYaml(problem="not valid JSON (too deeply nested or a number too long)")
    if not isinstance(values, dict):
        return ParsedYaml(problem="not a JSON object of keys to values")
    return ParsedYaml(values)
