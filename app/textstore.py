"""How a document's text and its token offsets are kept in the index: compressed, in chunks.

Highlighting needs, for a few token positions, where those tokens stand in the text, and the
text around them. Both are stored in chunks compressed on their own, so a snippet from a 5 MB
document decompresses one or two small chunks instead of the whole text, and the text is never
analysed again.
"""

from __future__ import annotations

import zlib
from array import array
from functools import lru_cache
from itertools import accumulate, pairwise

# Characters of text per compressed chunk, and token offsets per compressed block.
TEXT_CHUNK = 16_384
OFFSET_BLOCK = 4_096
_LEVEL = 1  # zlib: fast; the offsets compress to a third of a byte per token anyway


def pack_text(text: str) -> tuple[bytes, ...]:
    """``text`` in compressed chunks of ``TEXT_CHUNK`` characters."""
    return tuple(
        zlib.compress(text[start : start + TEXT_CHUNK].encode("utf-8"), _LEVEL)
        for start in range(0, max(len(text), 1), TEXT_CHUNK)
    )


def pack_offsets(starts: list[int]) -> tuple[bytes, ...]:
    """Token start offsets (increasing) in compressed blocks of ``OFFSET_BLOCK``: each block
    holds its first offset and then the gaps, which are small and compress well."""
    blocks = []
    for first in range(0, len(starts), OFFSET_BLOCK):
        block = starts[first : first + OFFSET_BLOCK]
        gaps = array("I", [block[0]])
        gaps.extend(later - earlier for earlier, later in pairwise(block))
        blocks.append(zlib.compress(gaps.tobytes(), _LEVEL))
    return tuple(blocks)


class StoredText:
    """A document's text read back from its chunks, decompressing only the chunks asked for.

    Supports ``len()``, ``text[i]`` and ``text[a:b]`` like a ``str``.
    """

    def __init__(self, chunks: tuple[bytes, ...], length: int) -> None:
        self._chunks = chunks
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
        joined = "".join(self._chunk(number) for number in range(first, last + 1))
        base = first * TEXT_CHUNK
        return joined[start - base : stop - base]

    def __str__(self) -> str:
        return self[0 : self._length]


class StoredOffsets:
    """Token start offsets read back block by block: ``offsets[position]``."""

    def __init__(self, blocks: tuple[bytes, ...]) -> None:
        self._blocks = blocks

    def __getitem__(self, position: int) -> int:
        block, index = divmod(position, OFFSET_BLOCK)
        if not 0 <= block < len(self._blocks):
            raise IndexError(position)
        return _decoded(self._blocks[block])[index]


@lru_cache(maxsize=256)
def _decoded(block: bytes) -> array:
    gaps = array("I")
    gaps.frombytes(zlib.decompress(block))
    return array("I", accumulate(gaps))


# -- A document as the index keeps it --------------------------------------------------------

# The title is indexed with the text, ahead of it, so a word of the title finds the document.
TITLE_SEPARATOR = "\n\n"


def indexed_content(title: str, text: str) -> str:
    """The string the index analyses: title, separator, text. Token offsets refer to it."""
    return f"{title}{TITLE_SEPARATOR}{text}"


class StoredDocument:
    """One document's stored fields: its record, its text and its token offsets.

    Offsets into the indexed content (title, separator, text) map to the title or the text
    with ``in_title`` and ``in_text``.
    """

    def __init__(self, stored: dict) -> None:
        self.record: dict = stored["record"]
        self.title: str = self.record["title"]
        self.text = StoredText(stored["body"], self.record["chars"])
        self.offsets = StoredOffsets(stored["offsets"])
        self.text_start = len(self.title) + len(TITLE_SEPARATOR)

    def content(self, start: int, end: int) -> str:
        """The indexed content from ``start`` to ``end``."""
        head = (self.title + TITLE_SEPARATOR)[start:end] if start < self.text_start else ""
        return head + self.text[max(start - self.text_start, 0) : max(end - self.text_start, 0)]
