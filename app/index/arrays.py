"""Named numpy arrays in one file, read back without copying (memory-mapped).

The file is a JSON header (each array's dtype, shape and offset), then the arrays' bytes, each
aligned to 64 bytes. A reader maps the file once and hands out views: opening a generation
reads no array into memory, and pages are read as the arrays are used.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import struct
from collections.abc import Mapping
from pathlib import Path

import numpy as np

_MAGIC = b"ARCHARR1"
_ALIGN = 64


def write(path: Path, arrays: Mapping[str, np.ndarray], meta: Mapping | None = None) -> None:
    """Write ``arrays`` (and a small JSON-able ``meta``) to ``path``."""
    layout, offset = {}, 0
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        layout[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset}
        offset += -(-array.nbytes // _ALIGN) * _ALIGN
    header = json.dumps({"arrays": layout, "meta": dict(meta or {})}).encode("utf-8")
    start = -(-(len(_MAGIC) + 8 + len(header)) // _ALIGN) * _ALIGN
    with open(path, "wb") as handle:
        handle.write(_MAGIC + struct.pack("<Q", len(header)) + header)
        handle.write(b"\0" * (start - handle.tell()))
        for name, array in arrays.items():
            data = np.ascontiguousarray(array).tobytes()
            handle.seek(start + layout[name]["offset"])
            handle.write(data)
        handle.truncate(start + offset)


class ArrayFile(Mapping):
    """The arrays of a file made by ``write``, as read-only views over a memory map."""

    def __init__(self, path: Path) -> None:
        fd = os.open(path, os.O_RDONLY)
        try:
            size = os.fstat(fd).st_size
            self._map = mmap.mmap(fd, size, prot=mmap.PROT_READ) if size else None
        finally:
            os.close(fd)
        if self._map is None or self._map[: len(_MAGIC)] != _MAGIC:
            raise ValueError(f"{path} is not an array file")
        (length,) = struct.unpack("<Q", self._map[len(_MAGIC) : len(_MAGIC) + 8])
        header = json.loads(self._map[len(_MAGIC) + 8 : len(_MAGIC) + 8 + length])
        start = -(-(len(_MAGIC) + 8 + length) // _ALIGN) * _ALIGN
        self.meta: dict = header["meta"]
        self._arrays: dict[str, np.ndarray] = {}
        buffer = memoryview(self._map)
        for name, spec in header["arrays"].items():
            dtype = np.dtype(spec["dtype"])
            count = int(np.prod(spec["shape"], dtype=np.int64))
            begin = start + spec["offset"]
            view = np.frombuffer(buffer, dtype=dtype, count=count, offset=begin) if count else np.zeros(0, dtype)
            self._arrays[name] = view.reshape(spec["shape"])

    def __getitem__(self, name: str) -> np.ndarray:
        return self._arrays[name]

    def __iter__(self):
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)

    def close(self) -> None:
        """Let go of the map (views handed out must no longer be used)."""
        self._arrays = {}
        if self._map is not None:
            with contextlib.suppress(BufferError):  # a view still alive somewhere: the map goes with it
                self._map.close()
            self._map = None
