"""A compressed file's bytes unpacked here, within the reading's limits: a tar in gzip, bzip2 or
xz is unpacked before tarfile sees it, because tarfile reads a header claiming gigabytes whole
(a few kilobytes of bzip2 can claim them) before any check of the bundle's runs."""

from __future__ import annotations

import bz2
import lzma
import zlib

from .errors import SkipFile
from .members import Limits

# Past this many bytes unpacked, the ratio to the packed bytes is checked (a member's too): a
# small file of repeated characters can compress a thousand to one and harm nobody.
RATIO_FROM_BYTES = 1 << 20
# What a compressed tar starts with, and how it is undone.
_COMPRESSIONS = (
    (b"\x1f\x8b", lambda: zlib.decompressobj(16 + zlib.MAX_WBITS)),
    (b"BZh", bz2.BZ2Decompressor),
    (b"\xfd7zXZ\x00", lzma.LZMADecompressor),
)


def unpacked(data: bytes, limits: Limits) -> bytes:
    """A tar's bytes with its compression undone here, within ``limits`` (tarfile would read a
    header claiming gigabytes whole, before any check of ours); ``SkipFile`` past them."""
    make = next((make for magic, make in _COMPRESSIONS if data.startswith(magic)), None)
    if make is None:
        return data
    bound = min(limits.max_bytes, max(RATIO_FROM_BYTES, limits.max_ratio * len(data)))
    try:
        plain = make().decompress(data, bound + 1)
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError) as error:
        raise SkipFile(f"unreadable tar file: {error}") from None
    if len(plain) > bound:
        raise SkipFile(f"unreadable tar file: it unpacks to more than {bound / 1e6:,.0f} MB (a bomb?)")
    return plain
