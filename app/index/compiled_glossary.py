"""The glossary as a generation's build read and analysed it, kept with the generation.

A search process needs the glossary's concepts and each form's index terms: reading
``terms.yaml`` and analysing its forms took 0.18 s of a command-line search's start, where this
file is read in about a millisecond. It is only a copy: a process whose ``terms.yaml`` is not the
one the generation was built with (its SHA-256 differs) reads the file as before (and the next
build rebuilds the index in full).

::

    GLOSSARY (ArrayFile "glossary" 1) --> arrays, meta
    concepts   uint8   the concepts, as JSON: a list of mappings of ``Concept``'s fields
    forms      uint8   every form, UTF-8, each ended by a NUL
    counts     int32   per form, how many terms it has
    positions  int32   per term, its position in its form
    terms      uint8   every term, UTF-8, each ended by a NUL, forms' terms in the order of ``forms``
    meta: {"glossary": SHA-256 of the glossary file, "schema": the index's schema version}
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np

from .. import glossary
from . import arrays
from .codec import Format
from .schema import SCHEMA_VERSION

GLOSSARY = "glossary.arrays"
GLOSSARY_FORMAT = Format("glossary", 1)


def write_compiled(generation: Path) -> None:
    """Write the glossary as this process reads it into ``generation``, unless it holds it (a
    file linked from the generation before, which is never rewritten)."""
    target = generation / GLOSSARY
    if target.exists():
        return
    compiled = glossary.Compiled.of(glossary.load())
    forms = list(compiled.placed)
    placed = [compiled.placed[form] for form in forms]
    data = {
        "concepts": _bytes(json.dumps(compiled.concepts, ensure_ascii=False)),
        "forms": _joined(forms),
        "counts": np.array([len(pairs) for pairs in placed], dtype=np.int32),
        "positions": np.array([position for pairs in placed for position, _term in pairs], dtype=np.int32),
        "terms": _joined([term for pairs in placed for _position, term in pairs]),
    }
    arrays.write(target, data, GLOSSARY_FORMAT, {"glossary": glossary.fingerprint(), "schema": SCHEMA_VERSION})


def use_compiled(generation: Path) -> bool:
    """Let this process's glossary be the one ``generation`` keeps, when it has one built from
    the same glossary file and schema; True if so."""
    path = generation / GLOSSARY
    if not path.exists():
        return False
    held = arrays.ArrayFile(path, GLOSSARY_FORMAT)
    try:
        fingerprint = glossary.fingerprint()
        if held.meta.get("glossary") != fingerprint or held.meta.get("schema") != SCHEMA_VERSION:
            return False
        concepts = json.loads(held["concepts"].tobytes().decode("utf-8"))
        forms = _split(held["forms"])
        terms = iter(zip(held["positions"].tolist(), _split(held["terms"]), strict=True))
        counts = held["counts"].tolist()
        placed = {form: list(itertools.islice(terms, count)) for form, count in zip(forms, counts, strict=True)}
    finally:
        held.close()
    glossary.use_compiled(fingerprint, glossary.Compiled(concepts, placed))
    return True


def _bytes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _joined(strings: list[str]) -> np.ndarray:
    return _bytes("".join(f"{string}\0" for string in strings))


def _split(data: np.ndarray) -> list[str]:
    return data.tobytes().decode("utf-8").split("\0")[:-1]
