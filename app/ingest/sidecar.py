"""Metadata beside a file: ``report.pdf.meta.yaml`` next to ``report.pdf``.

A sidecar holds the keys Markdown front matter holds (title, date, author, tags, url, language,
description) and wins over what the file says of itself, so a researcher can date or title a PDF
or a Word file without editing it. A sidecar is never a document of its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .encoding import UndecodableError, decode
from .extracted import Extracted, from_mapping
from .yamlmeta import parse_yaml

SIDECAR_SUFFIX = ".meta.yaml"
# A sidecar is a few lines; anything much larger is not one, and is not read.
SIDECAR_MAX_BYTES = 1_000_000


def is_sidecar(name: str) -> bool:
    """True when the file called ``name`` is the metadata of another file."""
    return name.endswith(SIDECAR_SUFFIX)


@dataclass
class Sidecar:
    """What a file's sidecar gave: its bytes (hashed with the file's, so that editing only the
    sidecar re-indexes the document), its metadata, and the warnings it raised."""

    data: bytes | None = None
    metadata: Extracted | None = None
    warnings: list[str] = field(default_factory=list)


def read_sidecar(path: str, relative: str) -> Sidecar:
    """The sidecar of the file at ``path`` (``relative`` names it in warnings); an empty
    ``Sidecar`` when there is none. A sidecar that cannot be read warns and is left out."""
    name = f"{relative}{SIDECAR_SUFFIX}"
    data, reason = _sidecar_bytes(path)
    if reason is not None:
        return Sidecar(data, warnings=[f"sidecar {name} {reason}: not read"])
    if data is None:
        return Sidecar()
    try:
        text, _encoding = decode(data)
    except UndecodableError as error:
        return Sidecar(data, warnings=[f"sidecar {name} is not text ({error}): not read"])
    parsed = parse_yaml(text)
    warnings = [f"sidecar {name} is {parsed.describe()}"] if parsed.problem else []
    return Sidecar(data, from_mapping("", parsed.values), warnings)


def sidecar_data(path: str) -> bytes | None:
    """The sidecar bytes that ``read_sidecar`` hashes with the file at ``path`` (None: none)."""
    return _sidecar_bytes(path)[0]


def _sidecar_bytes(path: str) -> tuple[bytes | None, str | None]:
    """The bytes of the sidecar of ``path`` (None when there is none) and why they cannot be
    used (None when they can)."""
    sidecar_path = f"{path}{SIDECAR_SUFFIX}"
    if not os.path.lexists(sidecar_path):
        return None, None
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
