"""How a document's text, its token offsets and the concepts it names are kept in the index:
compressed, the text and offsets in chunks.

Highlighting needs, for a few token positions, where those tokens stand in the text, and the
text around them. Both are stored in chunks compressed on their own, so a snippet from a 5 MB
document decompresses one or two small chunks instead of the whole text, and the text is never
analysed again.

Each chunk of text is kept as UTF-16 (two bytes a Chinese character, not three) or, where that
is no shorter (English), as UTF-8, compressed with zlib; a byte before it says which. Token
offsets are kept as runs: a run of Han characters is one run of consecutive positions and
characters, so only where each run starts is stored (``Analysed.run_positions``/``run_starts``),
as varints (``varint``) before zlib: most gaps are a byte, where four bytes each left zlib a
third more to store.

A document's record (its metadata) is JSON compressed with a preset dictionary of its field
names, so a record of 550 bytes of names and values keeps about 320: each is compressed alone
(a result reads one), too short for zlib to find the names repeated within it.

The glossary concepts a document names, and how often, are a column of their own rather than
part of its stored record: only its page lists them, while every result and every copy shown
beside one reads the record (unpickling 68 concepts took three quarters of reading a record).
"""

from __future__ import annotations

import itertools
import json
import zlib
from array import array

import numpy as np

from . import varint
from .content import SEPARATOR, metadata_parts, metadata_tail, metadata_values

# Characters of text per compressed chunk, and runs of tokens per compressed block.
TEXT_CHUNK = 16_384
OFFSET_BLOCK = 4_096
_TEXT_LEVEL = 6
_OFFSET_LEVEL = 6
_CONCEPTS_LEVEL = 6
_RECORD_LEVEL = 9
# A chunk's first byte: the encoding of the text compressed after it.
_ENCODINGS = ("utf-16-le", "utf-8")
# The preset dictionary of records: the names of a record's fields as ``schema.record_of``
# writes them, the most common last (zlib codes a nearer match in fewer bits). Changing it changes
# the format: every stored record is read with it (bump ``schema.SCHEMA_VERSION``).
_RECORD_DICTIONARY = json.dumps(
    [
        {"page": 0, "confidence": 0.0},
        ["recipients", "captured", "captures", "page_names", "name", "media_type", "parent", "within"],
        {"tag": "zh-Hans", "share": 0.0},
        {"tag": "en", "share": 0.0},
        {
            "id": "",
            "path": "",
            "title": "",
            "languages": [{"tag": "zh-Hant", "share": 0.0}],
            "date": "",
            "author": "",
            "tags": [],
            "url": "https://",
            "description": None,
            "format": "",
            "size": 0,
            "hash": "",
            "pages": [],
            "ocr": [],
            "chars": 0,
        },
    ],
    separators=(",", ":"),
).encode("utf-8")


def pack_text(text: str) -> bytes:
    """``text`` in compressed chunks of ``TEXT_CHUNK`` characters, as one blob."""
    return _blob(_pack_chunk(text[start : start + TEXT_CHUNK]) for start in range(0, max(len(text), 1), TEXT_CHUNK))


def _pack_chunk(chunk: str) -> bytes:
    """One chunk: its encoding's number, then its bytes in that encoding compressed."""
    wide = chunk.encode(_ENCODINGS[0], "surrogatepass")
    narrow = chunk.encode(_ENCODINGS[1], "surrogatepass")
    number, data = (1, narrow) if len(narrow) <= len(wide) else (0, wide)
    return bytes((number,)) + zlib.compress(data, _TEXT_LEVEL)


def _unpack_chunk(chunk: memoryview) -> str:
    """What ``_pack_chunk`` was given."""
    return zlib.decompress(chunk[1:]).decode(_ENCODINGS[chunk[0]], "surrogatepass")


def pack_record(record: dict) -> bytes:
    """A document's record, compressed (JSON: strings, numbers, lists and dicts of them)."""
    compressor = zlib.compressobj(_RECORD_LEVEL, zdict=_RECORD_DICTIONARY)
    # A name of a file undecodable as UTF-8 holds lone surrogates (os.fsdecode): kept as they are.
    plain = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=_plain)
    encoded = plain.encode("utf-8", "surrogatepass")
    return compressor.compress(encoded) + compressor.flush()


def _plain(value):
    """A numpy number as Python's (a count or a share a reader worked out with numpy)."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"a record holds {type(value).__name__}, which JSON cannot keep")


def unpack_record(blob: bytes) -> dict:
    """What ``pack_record`` was given."""
    decompressor = zlib.decompressobj(zdict=_RECORD_DICTIONARY)
    return json.loads((decompressor.decompress(blob) + decompressor.flush()).decode("utf-8", "surrogatepass"))


def pack_offsets(run_positions: list[int], run_starts: list[int]) -> bytes:
    """Where each run of tokens starts (its first position and character, both increasing), in
    compressed blocks of ``OFFSET_BLOCK`` runs, as one blob led by each block's first position.
    A block holds its runs' positions as gaps, then their characters as gaps (varints)."""
    positions = np.asarray(run_positions, dtype=np.int64)
    starts = np.asarray(run_starts, dtype=np.int64)
    blocks, firsts = [], positions[::OFFSET_BLOCK].tolist()
    for first in range(0, positions.size, OFFSET_BLOCK):
        block = slice(first, first + OFFSET_BLOCK)
        gaps = np.concatenate([np.diff(positions[block], prepend=0), np.diff(starts[block], prepend=0)])
        blocks.append(zlib.compress(varint.encode(gaps), _OFFSET_LEVEL))
    return array("I", [len(firsts), *firsts]).tobytes() + _blob(blocks)


def pack_concepts(named: list[tuple[str, int]]) -> bytes:
    """The concepts a document names, (id, how often) each, compressed: JSON ``[[id, count], ...]``;
    no bytes for none."""
    if not named:
        return b""
    encoded = json.dumps([[concept, count] for concept, count in named], ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(encoded.encode("utf-8"), _CONCEPTS_LEVEL)


def unpack_concepts(blob: bytes) -> list[tuple[str, int]]:
    """What ``pack_concepts`` was given."""
    if not blob:
        return []
    return [(concept, count) for concept, count in json.loads(zlib.decompress(blob))]


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

    @property
    def chunks_read(self) -> list[int]:
        """The chunks decompressed so far, in the order they were first asked for: a snippet of
        a large document reads only the chunks around its matches."""
        return list(self._cache)

    def _chunk(self, number: int) -> str:
        text = self._cache.get(number)
        if text is None:
            text = self._cache[number] = _unpack_chunk(self._chunks[number])
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
        view = memoryview(blob)
        count = array("I", view[:4].tobytes())[0] if blob else 0
        # As numpy's, once: searchsorted would convert an array of Python's on every call.
        self._firsts = np.frombuffer(view[4 : 4 + 4 * count].tobytes(), dtype=np.uint32).astype(np.int64)
        self._blocks = _parts(bytes(view[4 + 4 * count :])) if blob else []
        self._decoded: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def _block(self, number: int) -> tuple[np.ndarray, np.ndarray]:
        block = self._decoded.get(number)
        if block is None:
            gaps = varint.decode(zlib.decompress(self._blocks[number])).astype(np.int64)
            half = gaps.size // 2
            block = self._decoded[number] = (np.cumsum(gaps[:half]), np.cumsum(gaps[half:]))
        return block

    def __getitem__(self, position: int) -> int:
        number = int(np.searchsorted(self._firsts, position, side="right")) - 1
        if number < 0:
            raise IndexError(position)
        positions, starts = self._block(number)
        run = int(np.searchsorted(positions, position, side="right")) - 1
        return int(starts[run] + position - positions[run])

    def many(self, positions: np.ndarray) -> np.ndarray:
        """The start offsets of the tokens at ``positions`` (increasing), at once."""
        found = np.empty(positions.size, dtype=np.int64)
        if not positions.size:
            return found
        blocks = np.searchsorted(self._firsts, positions, side="right") - 1
        if blocks[0] < 0:
            raise IndexError(int(positions[0]))
        # The positions increase, so those of one block are a stretch of them (most often all).
        cuts = (np.flatnonzero(np.diff(blocks)) + 1).tolist() if blocks[0] != blocks[-1] else []
        for begin, end in itertools.pairwise([0, *cuts, positions.size]):
            run_positions, run_starts = self._block(int(blocks[begin]))
            wanted = positions[begin:end]
            runs = np.searchsorted(run_positions, wanted, side="right") - 1
            found[begin:end] = run_starts[runs] + wanted - run_positions[runs]
        return found


# -- A document as the index keeps it --------------------------------------------------------


class StoredDocument:
    """One document as stored: its record, its text, its token offsets and the concepts it names
    (the last three are columns of the index, read without decompressing anything else).

    Offsets into the indexed content (title, text, searched metadata: ``content``) map to the
    title, the text (from ``text_start``) or a metadata value (``metadata``, from
    ``metadata_start``).
    """

    def __init__(self, record: dict, body: bytes, offsets: bytes, concepts: bytes = b"") -> None:
        self.record = record
        self.title: str = record["title"]
        self.text = StoredText(body, record["chars"])
        self.offsets = StoredOffsets(offsets)
        self.text_start = len(self.title) + len(SEPARATOR)
        self.text_end = self.text_start + len(self.text)
        values = metadata_values(record)
        self.metadata = metadata_parts(self.text_end, values)
        self.metadata_start = self.metadata[0].start if self.metadata else None
        self._tail = metadata_tail(values)
        self._concepts = concepts

    @property
    def concepts(self) -> list[tuple[str, int]]:
        """The glossary concepts the document names: (id, how often), as the build found them."""
        return unpack_concepts(self._concepts)

    def content(self, start: int, end: int) -> str:
        """The indexed content from ``start`` to ``end``."""
        if self.text_start <= start and end <= self.text_end:  # most spans: inside the text
            return self.text[start - self.text_start : end - self.text_start]
        head = (self.title + SEPARATOR)[start:end] if start < self.text_start else ""
        text = self.text[max(start - self.text_start, 0) : max(min(end, self.text_end) - self.text_start, 0)]
        return head + text + self._tail[max(start - self.text_end, 0) : max(end - self.text_end, 0)]
