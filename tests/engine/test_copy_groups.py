"""The copies of an incremental build are grouped as a full build groups them: the new documents
against the groups' first members, the others as they were, unless a first member went away."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.index import copies, grouping
from app.index.arrays import ArrayFile
from app.index.copies import fingerprint
from app.index.rows import DocumentRow, Rows
from app.index.table import TABLE, TABLE_FORMAT, write_table
from app.query.hits import Hits
from app.service.copies import CopyIndex, one_per_group

WORDS = [
    "court",
    "bail",
    "judge",
    "police",
    "vigil",
    "alliance",
    "statement",
    "press",
    "freedom",
    "assembly",
    "election",
    "law",
]


def _texts(rng: random.Random, count: int) -> list[str]:
    """Articles, a third of them near copies of an earlier one (a few words changed)."""
    texts: list[str] = []
    for _ in range(count):
        if texts and rng.random() < 0.35:
            words = rng.choice(texts).split()
            for _edit in range(rng.randint(0, 3)):
                words[rng.randrange(len(words))] = rng.choice(WORDS)
        else:
            words = [rng.choice(WORDS) + str(rng.randrange(60)) for _ in range(40)]
        texts.append(" ".join(words))
    return texts


def _row(key: int, text: str) -> DocumentRow:
    return DocumentRow(key, 40, 0, False, content_hash=hash(text) & (2**63 - 1), fingerprint=fingerprint(text))


def _groups(folder: Path, rows: list[DocumentRow], live: list[int], base: ArrayFile | None) -> ArrayFile:
    folder.mkdir()
    batch = Rows()
    for row in rows:
        batch.append(row)
    write_table(folder, [batch], np.array(live, dtype=np.int64), np.array(live, dtype=np.int64), base)
    return ArrayFile(folder / TABLE, TABLE_FORMAT)


def test_incremental_grouping_is_the_full_grouping(tmp_path, monkeypatch):
    group_copies = grouping.group_copies
    sizes: list[int] = []

    def counted(keys, *given, **options):
        sizes.append(len(keys))
        return group_copies(keys, *given, **options)

    monkeypatch.setattr(grouping, "group_copies", counted)
    rng = random.Random(5)
    texts = _texts(rng, 400)
    rows = {key: _row(key, text) for key, text in enumerate(texts[:150])}
    live = sorted(rows)
    table = _groups(tmp_path / "gen-0", list(rows.values()), live, None)
    grouped_alone = 0
    for step in range(1, 9):
        # Some documents go away (a first member among them now and then), new ones come.
        gone = set(rng.sample(live, 6))
        added = range(max(rows) + 1, max(rows) + 1 + 30)
        new_rows = [_row(key, texts[key]) for key in added]
        rows.update({row.key: row for row in new_rows})
        live = sorted((set(live) - gone) | set(added))
        incremental = _groups(tmp_path / f"gen-{step}", new_rows, live, table)
        grouped_alone += sizes[-1] < len(live)
        full = _groups(tmp_path / f"full-{step}", [rows[key] for key in live], live, None)
        assert np.array_equal(np.asarray(incremental["copy.group"])[live], np.asarray(full["copy.group"])[live])
        assert np.allclose(np.asarray(incremental["copy.similarity"])[live], np.asarray(full["copy.similarity"])[live])
        table.close()
        full.close()
        table = incremental
    table.close()
    # Both ways were taken: the new documents with the first members alone, and every document
    # again after a first member went away.
    assert 0 < grouped_alone < 8


def test_a_new_exact_copy_of_a_member_joins_that_members_group(tmp_path):
    # A leads; B is near A and joins it; L is nearer B than A is, but not near A, so it leads
    # a group of its own. C, a new exact copy of B, joins B's group (A's), not L's.
    rng = np.random.default_rng(2)
    a = rng.integers(0, 2**16, copies.PERMUTATIONS, dtype=np.uint16)
    b, changed = a.copy(), rng.permutation(copies.PERMUTATIONS)
    b[changed[:60]] ^= 1
    near_b = b.copy()
    near_b[changed[60:100]] ^= 2
    assert grouping.similarity(b, a) >= grouping.THRESHOLD > grouping.similarity(near_b, a)
    assert grouping.similarity(near_b, b) > grouping.similarity(b, a)

    def row(key: int, signature: np.ndarray, content: int) -> DocumentRow:
        return DocumentRow(key, 40, 0, False, content_hash=content, fingerprint=copies.Fingerprint(signature, 100))

    first = [row(0, a, 1), row(1, b, 2), row(2, near_b, 3)]
    table = _groups(tmp_path / "gen-0", first, [0, 1, 2], None)
    assert np.asarray(table["copy.group"]).tolist() == [0, 0, 2]
    incremental = _groups(tmp_path / "gen-1", [row(3, b, 2)], [0, 1, 2, 3], table)
    full = _groups(tmp_path / "full", [*first, row(3, b, 2)], [0, 1, 2, 3], None)
    assert np.asarray(incremental["copy.group"]).tolist() == np.asarray(full["copy.group"]).tolist() == [0, 0, 2, 0]
    for opened in (table, incremental, full):
        opened.close()


@pytest.mark.parametrize("seed", range(6))
def test_rows_decided_a_stretch_at_a_time_are_decided_as_all_at_once(seed):
    rng = np.random.default_rng(seed)
    # Few distinct signatures, each slightly varied: many pairs shared by many bands, many groups.
    bases = rng.integers(0, 4, size=(12, copies.PERMUTATIONS), dtype=np.uint16)
    matrix = bases[rng.integers(0, 12, size=900)]
    flips = rng.random(matrix.shape) < rng.choice([0.05, 0.3])
    matrix[flips] = rng.integers(0, 4, size=int(flips.sum()), dtype=np.uint16)
    args = (matrix, grouping.THRESHOLD, grouping.BANDS, grouping.ROWS)
    leader, agree = grouping._leaders(*args, most_pairs=1 << 40)
    assert (leader != np.arange(len(matrix))).sum() > 100
    for most_pairs in (1, 97, 5000):
        found = grouping._leaders(*args, most_pairs=most_pairs)
        assert np.array_equal(found[0], leader) and np.array_equal(found[1], agree)


def test_keys_given_in_any_order_are_grouped_alike():
    # Rows in key order are grouped as they are; others are put in key order first.
    rng = random.Random(11)
    texts = _texts(rng, 300)
    texts[40] = "short"  # too short to sign: grouped by its hash alone
    prints = [fingerprint(text) for text in texts]
    signatures, has = grouping.signatures(prints)
    hashes = [hash(text) for text in texts]
    keys = np.arange(len(texts), dtype=np.int64) * 3
    ordered = grouping.group_copies(keys, hashes, signatures, has)
    assert not has[40] and (ordered.sizes > 1).sum() > 50, "near copies were found"
    shuffle = np.array(rng.sample(range(len(texts)), len(texts)))
    shuffled = grouping.group_copies(keys[shuffle], [hashes[i] for i in shuffle], signatures[shuffle], has[shuffle])
    assert _by_key(shuffled) == _by_key(ordered)


def _by_key(found: grouping.CopyGroups) -> dict[int, tuple[int, float]]:
    """Each key's group and similarity."""
    rows = zip(found.keys.tolist(), found.group.tolist(), found.similarity.tolist(), strict=True)
    return {key: (group, similar) for key, group, similar in rows}


class _Generation:
    """What ``one_per_group`` reads of a generation: its copy index, as a memo."""

    def __init__(self, index: CopyIndex) -> None:
        self.index = index

    def memo(self, _name, _factory):
        return self.index


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_the_copy_shown_is_the_first_by_words_as_typed_then_score_then_key(data):
    size = data.draw(st.integers(min_value=1, max_value=60))
    group = np.array(data.draw(st.lists(st.integers(0, size - 1), min_size=size, max_size=size)), dtype=np.int64)
    in_group = np.bincount(group, minlength=size)[group] > 1
    index = CopyIndex(group, in_group, np.zeros(0, np.int64), np.zeros(0, np.int64))
    keys = np.array(sorted(data.draw(st.sets(st.integers(0, size - 1), min_size=1))), dtype=np.int64)
    # Few distinct scores, so that ties are common.
    scores = np.array(data.draw(st.lists(st.sampled_from([0.5, 1.0, 2.25]), min_size=keys.size, max_size=keys.size)))
    untyped = np.array(data.draw(st.lists(st.booleans(), min_size=keys.size, max_size=keys.size)))
    kept = one_per_group(_Generation(index), Hits(keys, scores), untyped, scores)
    best: dict[int, tuple] = {}
    for place, key in enumerate(keys.tolist()):
        owner = int(group[key]) if in_group[key] else -1 - key
        rank = (bool(untyped[place]), -float(scores[place]), key)
        best[owner] = min(best.get(owner, rank), rank)
    assert kept.keys.tolist() == sorted(rank[2] for rank in best.values())
    assert kept.scores.tolist() == [float(scores[np.searchsorted(keys, key)]) for key in kept.keys.tolist()]
