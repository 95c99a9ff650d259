"""Increasing integers stored as the gaps between them, in the narrowest array that holds them.

Term positions in a document and the document keys of a Han pair are both increasing lists whose
gaps are small: a byte each, mostly. The encoded form is a one-byte array type code followed by
the gaps; encoding and decoding are C loops (``array``, ``accumulate``).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from itertools import accumulate
from operator import sub


def encode(values: Sequence[int]) -> bytes:
    """``values`` (not decreasing) as a type code and the gaps between them."""
    gaps = array("I", values[:1])
    gaps.extend(map(sub, values[1:], values[:-1]))
    top = max(gaps)
    code = "B" if top < 0x100 else "H" if top < 0x10000 else "I"
    return code.encode("ascii") + (array(code, gaps) if code != "I" else gaps).tobytes()


def decode(encoded: bytes) -> list[int]:
    """The values of a string made by ``encode``."""
    gaps = array(chr(encoded[0]))
    gaps.frombytes(encoded[1:])
    return list(accumulate(gaps))


def count(encoded: bytes) -> int:
    """How many values a string made by ``encode`` holds, without decoding it."""
    return (len(encoded) - 1) // array(chr(encoded[0])).itemsize
