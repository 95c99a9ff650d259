"""Writing a part: its streams as the encoded postings come, its dictionary at the end."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import varint
from ..arrays import write
from .encode import COLUMNS, Encoded
from .part import DICT_BLOCK, GROUPS, STREAMS, files


class PartWriter:
    """Writes a part a slice of terms at a time: each slice's bytes go to the streams file as
    they come, and its dictionary blocks are kept (small) until ``close`` writes them."""

    def __init__(self, stem: Path, keys: tuple[int, int]) -> None:
        self.stem = stem
        self.keys = keys
        arrays_file, streams_file = files(stem)
        self._arrays_file = arrays_file
        self._streams = open(streams_file, "wb")  # noqa: SIM115 - closed in close()
        self._offset = 0
        self._blocks: dict[str, list[dict[str, np.ndarray]]] = {group: [] for group in GROUPS}
        self._postings = dict.fromkeys(GROUPS, 0)

    def add(self, group: str, encoded: Encoded) -> None:
        """Append ``encoded``, whose terms all come after those added to ``group`` before."""
        if not len(encoded.terms):
            return
        bases = []
        for stream in STREAMS:
            data = getattr(encoded, stream)
            bases.append(self._offset)
            self._streams.write(data)
            self._offset += len(data)
        self._blocks[group].append(_dictionary(group, encoded, np.array(bases, dtype=np.int64)))
        self._postings[group] += int(encoded.columns["count"].sum())

    def close(self) -> None:
        """Write the dictionary: the part is complete."""
        self._streams.close()
        arrays: dict[str, np.ndarray] = {}
        for group in GROUPS:
            arrays.update(_joined(group, self._blocks[group]))
        write(self._arrays_file, arrays, {"keys": list(self.keys), "postings": self._postings})

    def abandon(self) -> None:
        """Stop writing and remove what was written."""
        self._streams.close()
        for path in files(self.stem):
            path.unlink(missing_ok=True)


def write_part(stem: Path, groups: dict[str, Encoded], keys: tuple[int, int]) -> None:
    """Write the encoded groups as the part ``stem`` holding documents ``keys[0]`` to ``keys[1]``."""
    writer = PartWriter(stem, keys)
    for group in GROUPS:
        if group in groups:
            writer.add(group, groups[group])
    writer.close()


def _joined(group: str, slices: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The dictionary arrays of a group from those of its slices."""
    if not slices:
        slices = [_dictionary(group, None, np.zeros(len(STREAMS), np.int64))]
    rows_offset, text_offset = 0, 0
    blocks, texts = [], []
    for number, found in enumerate(slices):
        bounds = found[f"{group}.block"].astype(np.int64) + rows_offset
        blocks.append(bounds if number == len(slices) - 1 else bounds[:-1])
        rows_offset = int(bounds[-1])
        if group != "han":
            text_bounds = found[f"{group}.text_block"].astype(np.int64) + text_offset
            texts.append(text_bounds if number == len(slices) - 1 else text_bounds[:-1])
            text_offset = int(text_bounds[-1])
    joined = {
        f"{group}.rows": np.concatenate([found[f"{group}.rows"] for found in slices]),
        f"{group}.block": np.concatenate(blocks).astype(np.uint64),
        f"{group}.base": np.concatenate([found[f"{group}.base"] for found in slices]),
        f"{group}.bytes": np.concatenate([found[f"{group}.bytes"] for found in slices]),
    }
    if group == "han":
        joined["han.first"] = np.concatenate([found["han.first"] for found in slices])
    else:
        joined[f"{group}.text"] = np.concatenate([found[f"{group}.text"] for found in slices])
        joined[f"{group}.text_block"] = np.concatenate(texts).astype(np.uint64)
    return joined


def _dictionary(group: str, encoded: Encoded | None, bases: np.ndarray) -> dict[str, np.ndarray]:
    """The dictionary arrays of one slice of a group: per block its first term, where its rows
    are, and where its terms' bytes start in each stream."""
    if encoded is None:
        count = 0
        terms = np.zeros(0, np.int64) if group == "han" else np.zeros(0, object)
        columns = np.zeros((0, len(COLUMNS)), np.int64)
        lengths = {stream: np.zeros(0, np.int64) for stream in STREAMS}
    else:
        count = len(encoded.terms)
        terms = encoded.terms
        columns = np.column_stack([encoded.columns[name] for name in COLUMNS]).astype(np.int64)
        lengths = {stream: encoded.columns[stream] for stream in STREAMS}
    block_starts = np.arange(0, count, DICT_BLOCK)
    if group == "han":
        codes = np.asarray(terms, dtype=np.int64)
        deltas = codes - np.repeat(codes[block_starts], np.diff(np.r_[block_starts, count]))
        rows = np.column_stack([deltas, columns]) if count else np.zeros((0, len(COLUMNS) + 1), np.int64)
    else:
        rows = columns
    values = rows.reshape(-1)
    row_sizes = varint.sizes(values).reshape(count, -1).sum(axis=1) if count else np.zeros(0, np.int64)
    row_offsets = np.r_[0, np.cumsum(row_sizes)]
    stream_offsets = np.zeros((count + 1, len(STREAMS)), dtype=np.int64)
    for index, stream in enumerate(STREAMS):
        stream_offsets[1:, index] = np.cumsum(lengths[stream])
    block_bounds = np.r_[block_starts, count]
    arrays = {
        f"{group}.rows": np.frombuffer(varint.encode(values), dtype=np.uint8),
        f"{group}.block": row_offsets[block_bounds].astype(np.uint64),
        f"{group}.base": (stream_offsets[block_starts] + bases).astype(np.uint64).reshape(-1, len(STREAMS)),
        # How many bytes of the streams each block's terms take (merges cut their work by it).
        f"{group}.bytes": np.diff(stream_offsets[block_bounds].sum(axis=1)).astype(np.uint64),
    }
    if group == "han":
        arrays["han.first"] = np.asarray(terms, dtype=np.int64)[block_starts]
    else:
        texts = ["\n".join(terms[start : start + DICT_BLOCK]).encode("utf-8") for start in block_starts]
        arrays[f"{group}.text"] = np.frombuffer(b"".join(texts), dtype=np.uint8)
        arrays[f"{group}.text_block"] = np.r_[0, np.cumsum([len(text) for text in texts])].astype(np.uint64)
    return arrays
