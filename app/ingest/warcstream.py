"""A WARC's bytes as warcio reads them, unpacked within the reading's limits.

Gzip is undone here, a block at a time and one gzip member after another (a ``.warc.gz`` holds a
member per record, or the whole file in one), so that every block is counted against the limits
(the bytes unpacked, the ratio of a member) before warcio parses it: warcio would inflate a
record whole. Where the compressed data ends early or is damaged, the stream says so.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from .members import Limits

_GZIP_MAGIC = b"\x1f\x8b"

_BLOCK = 1 << 16

# Below a megabyte no compression ratio is dangerous, and a short record of repeated bytes
# (a blank page, padding) compresses far better than text does.
RATIO_FLOOR = 1 << 20


class Limit(Exception):
    """Reading went past a limit: the rest of the archive is not read."""


@dataclass
class Budget:
    """What one reading of an archive has spent: bytes unpacked, records read."""

    limits: Limits
    unpacked: int = 0
    records: int = 0

    def spend(self, size: int) -> None:
        """Count ``size`` more bytes unpacked; ``Limit`` past the limit."""
        self.unpacked += size
        if self.unpacked > self.limits.max_bytes:
            raise Limit(f"the web archive unpacks to more than {mb(self.limits.max_bytes)} (the limit)")

    def record(self) -> None:
        """Count one more record read; ``Limit`` past the limit."""
        self.records += 1
        most = self.limits.max_members * 10
        if self.records > most:
            raise Limit(f"the web archive holds more than {most} records (the limit)")


def mb(size: int) -> str:
    """A size in megabytes, as the reasons give it."""
    if size < 100_000:
        return f"{size:,} bytes"
    return f"{size / 1e6:.1f} MB" if size < 10e6 else f"{size / 1e6:.0f} MB"


class Unpacked:
    """A WARC's bytes as warcio reads them: gunzipped here, a block at a time, each block
    counted against the limits (the bytes unpacked, the ratio of a gzip member) before warcio
    sees it. Where the compressed data ends early or is damaged, ``damage`` says so."""

    def __init__(self, source: Callable[[], BinaryIO], budget: Budget) -> None:
        # Opened at the first read, inside warcio's, so that a WARC of a WACZ that cannot be
        # opened breaks as any other damage does.
        self._open = source
        self._source: BinaryIO | None = None
        self._budget = budget
        self._pending = b""
        self._gzip = False
        self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
        self._member_in = self._member_out = 0
        # Whether the file's bytes have all been read.
        self.ended = False
        self.consumed = 0
        self.produced = 0
        self.head = b""
        self.damage: str | None = None

    def tell(self) -> int:
        """How many bytes it has given."""
        return self.produced

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` more bytes of the WARC (b"" at its end)."""
        size = _BLOCK if size is None or size < 0 else max(size, 1)
        if self._source is None:
            self._source = self._open()
            self._pending = self._source.read(_BLOCK)
            self._gzip = self._pending.startswith(_GZIP_MAGIC)
        while not self.ended:
            block = self._inflated(size) if self._gzip else self._plain(size)
            if block:
                self.produced += len(block)
                self._budget.spend(len(block))
                if len(self.head) < 200:
                    self.head += block[: 200 - len(self.head)]
                return block
        return b""

    def _plain(self, size: int) -> bytes:
        """The next bytes of an uncompressed WARC."""
        if not self._pending:
            self._pending = self._source.read(_BLOCK)
        block, self._pending = self._pending[:size], self._pending[size:]
        self.consumed += len(block)
        self.ended = not block
        return block

    def _inflated(self, size: int) -> bytes:
        """The next bytes of a gzipped WARC, one gzip member after another."""
        if not self._pending:
            self._pending = self._source.read(_BLOCK)
            if not self._pending:
                self.ended = True
                if self._member_in:
                    self.damage = f"its compressed data ends inside a record, at byte {self.consumed}"
                return b""
        before = len(self._pending)
        try:
            block = self._inflate.decompress(self._pending, size)
        except zlib.error as error:
            self.ended = True
            self.damage = f"its compressed data is damaged at byte {self.consumed} ({error})"
            return b""
        ended = self._inflate.eof
        rest = self._inflate.unused_data if ended else self._inflate.unconsumed_tail
        used = before - len(rest)
        self.consumed += used
        self._member_in += used
        self._member_out += len(block)
        self._check_ratio()
        if ended:
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
            self._member_in = self._member_out = 0
        self._pending = rest
        return block

    def _check_ratio(self) -> None:
        """``Limit`` when the gzip member being read unpacks to more than the ratio allows."""
        ratio = self._budget.limits.max_ratio
        if self._member_out > RATIO_FLOOR and self._member_out > ratio * self._member_in:
            raise Limit(
                f"a compressed record unpacks to more than {ratio} times its size (the limit; a compression bomb?)"
            )
