"""How a document's text and its token offsets are kept in the index: compressed, in chunks.

Highlighting needs, for a few token positions, where those tokens stand in the text, and the
text around them. Both are stored in chunks compressed on their own, so a snippet from a 5 MB
document decompresses one or two small chunks instead of the whole text, and the text is never
analysed again.
"""

from __future__ import annotations

import zlib
from array import array
from itertools import accumulate, pairwise

# Characters of text per compressed chunk, and token offsets per compressed block.
TEXT_CHUNK = 16_384
OFFSET_BLOCK = 4_096
_LEVEL = 1  # zlib: fast; the offsets compress to a third of a byte per token anyway


def pack_text(text: str) -> bytes:
    """``text`` in compressed chunks of ``TEXT_CHUNK`` characters, as one blob."""
    return _blob(
        zlib.compress(text[start : start + TEXT_CHUNK].encode("utf-8"), _LEVEL)
        for start in range(0, max(len(text), 1), TEXT_CHUNK)
    )


def pack_offsets(starts: list[int]) -> bytes:
    """Token start offsets (increasing) in compressed blocks of ``OFFSET_BLOCK``, as one blob:
    each block holds its first offset and then the gaps, which are small and compress well."""
    blocks = []
    for first in range(0, len(starts), OFFSET_BLOCK):
        block = starts[first : first + OFFSET_BLOCK]
        gaps = array("I", [block[0]])
        gaps.extend(later - earlier for earlier, later in pairwise(block))
        blocks.append(zlib.compress(gaps.tobytes(), _LEVEL))
    return _blob(blocks)


def _blob(parts) -> bytes:
    """Parts joined behind a header of their sizes: count, then each size (uint32)."""
    parts = list(parts)
    header = array("I", [len(parts), *(len(part) for part in parts)])
    return header.tobytes() + b"".join(parts)


def _parts(blob: bytes) -> list[memoryview]:
    """The parts of a blob made by ``_blob``, without copying them."""
    if not blob:
        return []
    view = memoryview(blob)
    count = array("I", view[:4].tobytes())[0]
    sizes = array("I", view[4 : 4 + 4 * count].tobytes())
    parts, position = [], 4 + 4 * count
    for size in sizes:
        parts.append(view[position : position + size])
        position += size
    return parts


class StoredText:
    """A document's text read back from its chunks, decompressing only the chunks asked for.

    Supports ``len()``, ``text[i]`` and ``text[a:b]`` like a ``str``.
    """

    def __init__(self, blob: bytes, length: int) -> None:
        self._chunks = _parts(blob)
        self._length = length
        self._cache: dict[int, str] = {}

    def __len__(self) -> int:
        return self._length

    def _chunk(self, number: int) -> str:
        text = self._cache.get(number)
        if text is None:
            text = self._cache[number] = zlib.decompress(self._chunks[number]).decode("utf-8")
        return text

    def __getitem__(self, key: int | slice) -> str:
        if isinstance(key, int):
            if key < 0:
                key += self._length
            if not 0 <= key < self._length:
                raise IndexError(key)
            return self._chunk(key // TEXT_CHUNK)[key % TEXT_CHUNK]
        start, stop, step = key.indices(self._length)
        if step != 1:
            raise ValueError("StoredText slices have no step")
        if start >= stop:
            return ""
        first, last = start // TEXT_CHUNK, (stop - 1) // TEXT_CHUNK
        base = first * TEXT_CHUNK
        if first == last:
            return self._chunk(first)[start - base : stop - base]
        joined = "".join(self._chunk(number) for number in range(first, last + 1))
        return joined[start - base : stop - base]

    def __str__(self) -> str:
        return self[0 : self._length]


class StoredOffsets:
    """Token start offsets read back block by block: ``offsets[position]``."""

    def __init__(self, blob: bytes) -> None:
        self._blocks = _parts(blob)
        self._decoded: dict[int, array] = {}

    def __getitem__(self, position: int) -> int:
        number, index = divmod(position, OFFSET_BLOCK)
        block = self._decoded.get(number)
        if block is None:
            if not 0 <= number < len(self._blocks):
                raise IndexError(position)
            gaps = array("I")
            gaps.frombytes(zlib.decompress(self._blocks[number]))
            block = self._decoded[number] = array("I", accumulate(gaps))
        return block[index]


# -- A document as the index keeps it --------------------------------------------------------

# The title is indexed with the text, ahead of it, so a word of the title finds the document.
TITLE_SEPARATOR = "\n\n"


def indexed_content(title: str, text: str) -> str:
    """The string the index analyses: title, separator, text. Token offsets refer to it."""
    return f"{title}{TITLE_SEPARATOR}{text}"


class StoredDocument:
    """One document as stored: its record, its text and its token offsets (the last two are
    columns of the index, read without decompressing anything else).

    Offsets into the indexed content (title, separator, text) map to the title or the text
    with ``in_title`` and ``in_text``.
    """

    def __init__(self, record: dict, body: bytes, offsets: bytes) -> None:
        self.record = record
        self.title: str = record["title"]
        self.text = StoredText(body, record["chars"])
        self.offsets = StoredOffsets(offsets)
        self.text_start = len(self.title) + len(TITLE_SEPARATOR)

    def content(self, start: int, end: int) -> str:
        """The indexed content from ``start`` to ``end``."""
        head = (self.title + TITLE_SEPARATOR)[start:end] if start < self.text_start else ""
        return head + self.text[max(start - self.text_start, 0) : max(end - self.text_start, 0)]
