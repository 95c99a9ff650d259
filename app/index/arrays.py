"""Named numpy arrays in one file, read back without copying (memory-mapped).

::

    ArrayFile --> Header, LayoutLength, Layout, Padding, (Array, Padding)^N, Footer

Header and Footer are every archive file's (``codec``): the format's name and version, and the
CRC32 of the bytes. LayoutLength is a uint64; Layout is JSON: each array's dtype, shape and
offset from the first array, and the file's ``meta``. Padding (zero bytes) makes each array
start at a multiple of 64 bytes from the file's start, so the arrays of a memory map are
aligned. A reader maps the file once and hands out views: opening a generation reads no array
into memory, and pages are read as the arrays are used.
"""

from __future__ import annotations

import contextlib
import json
import math
import mmap
import os
import struct
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from .codec import FOOTER_BYTES, LONGEST_HEADER, CheckedWriter, CorruptFile, Format, expect, read_footer, read_header

_ALIGN = 64
_LENGTH = struct.Struct("<Q")


def _aligned(offset: int) -> int:
    return -(-offset // _ALIGN) * _ALIGN


def write(path: Path, arrays: Mapping[str, np.ndarray], kind: Format, meta: Mapping | None = None) -> None:
    """Write ``arrays`` (and a small JSON-able ``meta``) to ``path`` as a file of the format ``kind``."""
    arrays = {name: np.ascontiguousarray(array) for name, array in arrays.items()}
    layout, offset = {}, 0
    for name, array in arrays.items():
        layout[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset}
        offset += _aligned(array.nbytes)
    header = json.dumps({"arrays": layout, "meta": dict(meta or {})}).encode("utf-8")
    writer = CheckedWriter(path, kind)
    try:
        writer.write(_LENGTH.pack(len(header)) + header)
        writer.write(bytes(_aligned(writer.tell()) - writer.tell()))
        for array in arrays.values():
            writer.write(array.tobytes())
            writer.write(bytes(_aligned(array.nbytes) - array.nbytes))
        writer.close()
    except BaseException:
        writer.abandon()
        path.unlink(missing_ok=True)
        raise


class ArrayFile(Mapping):
    """The arrays of a file made by ``write`` in the format ``kind``, as read-only views over
    a memory map. Its header, layout, length and footer are checked as it opens."""

    def __init__(self, path: Path, kind: Format) -> None:
        fd = os.open(path, os.O_RDONLY)
        try:
            size = os.fstat(fd).st_size
            self._map = mmap.mmap(fd, size, prot=mmap.PROT_READ) if size else None
        finally:
            os.close(fd)
        try:
            self._open(path, kind, size)
        except BaseException:
            self.close()
            raise

    def _open(self, path: Path, kind: Format, size: int) -> None:
        data = self._map if self._map is not None else b""
        found, end = read_header(path, data[:LONGEST_HEADER])
        expect(path, found, kind)
        read_footer(path, data[-FOOTER_BYTES:] if size >= FOOTER_BYTES else b"")
        (length,) = _LENGTH.unpack(data[end : end + _LENGTH.size])
        start = _aligned(end + _LENGTH.size + length)
        if start + FOOTER_BYTES > size:
            raise CorruptFile(path, "its layout runs past the end: truncated or damaged")
        try:
            header = json.loads(data[end + _LENGTH.size : end + _LENGTH.size + length])
            self.meta: dict = header["meta"]
            specs = [
                (name, np.dtype(spec["dtype"]), spec["shape"], spec["offset"])
                for name, spec in header["arrays"].items()
            ]
        except (ValueError, KeyError, TypeError):
            raise CorruptFile(path, "its layout is damaged") from None
        self._arrays: dict[str, np.ndarray] = {}
        buffer = memoryview(self._map)
        data_end = start
        for name, dtype, shape, offset in specs:
            count = math.prod(shape)
            begin = start + offset
            data_end = max(data_end, begin + _aligned(count * dtype.itemsize))
            if begin + count * dtype.itemsize > size - FOOTER_BYTES:
                raise CorruptFile(path, f"its array {name} runs past the end: truncated")
            view = np.frombuffer(buffer, dtype=dtype, count=count, offset=begin) if count else np.zeros(0, dtype)
            self._arrays[name] = view.reshape(shape)
        if data_end + FOOTER_BYTES != size:
            raise CorruptFile(path, f"it is {size} bytes where its layout needs {data_end + FOOTER_BYTES}")

    def __getitem__(self, name: str) -> np.ndarray:
        return self._arrays[name]

    def __iter__(self):
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)

    def release(self) -> None:
        """Drop the pages read so far from this process's memory; they stay in the system's
        cache, and the views stay good (a page is read again when next used). A long pass over
        many files (a merge) would otherwise hold every page it touched as its own."""
        if self._map is not None:
            self._map.madvise(mmap.MADV_DONTNEED)

    def close(self) -> None:
        """Let go of the map (views handed out must no longer be used)."""
        self._arrays = {}
        if self._map is not None:
            with contextlib.suppress(BufferError):  # a view still alive somewhere: the map goes with it
                self._map.close()
            self._map = None
