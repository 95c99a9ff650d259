"""Writing a part: its streams as the encoded postings come, its dictionary at the end
(``dictionary``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..codec import CheckedWriter
from .dictionary import STREAMS, STREAMS_FORMAT, DictionaryWriter
from .encode import Encoded
from .part import files


class PartWriter:
    """Writes a part a slice of terms at a time: each slice's bytes go to the streams file as
    they come, and its dictionary blocks are kept (small) until ``close`` writes them."""

    def __init__(self, stem: Path, keys: tuple[int, int]) -> None:
        self.stem = stem
        self.keys = keys
        dictionary_file, streams_file = files(stem)
        self._dictionary_file = dictionary_file
        self._streams = CheckedWriter(streams_file, STREAMS_FORMAT)
        self._dictionary = DictionaryWriter()

    def add(self, group: str, encoded: Encoded) -> None:
        """Append ``encoded``, whose terms all come after those added to ``group`` before."""
        if not len(encoded.terms):
            return
        bases = []
        for stream in STREAMS:
            bases.append(self._streams.tell())
            self._streams.write(getattr(encoded, stream))
        self._dictionary.add(group, encoded, np.array(bases, dtype=np.int64))

    def close(self) -> None:
        """Write the dictionary: the part is complete."""
        self._streams.close()
        self._dictionary.write(self._dictionary_file, self.keys)

    def abandon(self) -> None:
        """Stop writing and remove what was written."""
        self._streams.abandon()
        for path in files(self.stem):
            path.unlink(missing_ok=True)
