"""The table's rows as columns (``index.rows``): what goes in comes out, across a pickle (how a
build worker sends them) and into the table, values and facets by key."""

from __future__ import annotations

import pickle
import random
import shutil

import numpy as np

from app.index import copies
from app.index import rows as rows_module
from app.index.arrays import ArrayFile
from app.index.build import build
from app.index.generations import current_generation
from app.index.rows import FACET_FIELDS, SECTIONS, DocumentRow, Rows
from app.index.table import TABLE, TABLE_FORMAT, write_table

from ..support import DATA


def _rows(first_key: int, count: int, seed: int) -> list[DocumentRow]:
    rng = random.Random(seed)
    made = []
    for key in range(first_key, first_key + count):
        facets = {
            "lang": rng.sample(["en", "zh", "zh-hant", "zh-hans"], rng.randint(0, 2)),
            "author": [f"author {rng.randrange(40)}" for _ in range(rng.randint(0, 3))],
            "tag": [f"標籤{rng.randrange(900)}" for _ in range(rng.randint(0, 4))],
            "year": [str(rng.randrange(1990, 2026))] if rng.random() < 0.7 else [],
        }
        facets = {name: list(dict.fromkeys(values)) for name, values in facets.items()}
        signed = rng.random() < 0.8
        signature = np.array([rng.randrange(2**16) for _ in range(copies.PERMUTATIONS)], dtype=np.uint16)
        made.append(
            DocumentRow(
                key,
                rng.randrange(1, 10_000),
                rng.randrange(10**13),
                rng.random() < 0.5,
                facets,
                parent=rng.choice([-1, key - 1]) if key > first_key else -1,
                sections=tuple(rng.randrange(2**32) for _ in SECTIONS),
                content_hash=rng.randrange(2**64),
                fingerprint=copies.Fingerprint(signature if signed else None, 100),
            )
        )
    return made


def _columns(rows: Rows) -> dict:
    found = {name: rows.column(name).tolist() for name in ("key", "length", "date", "dated", "parent", "sections")}
    found.update({name: rows.column(name).tolist() for name in ("content_hash", "signature", "signed")})
    for name in FACET_FIELDS:
        keys, numbers = rows.pairs(name)
        values = rows.values(name)
        found[name] = [(key, values[number]) for key, number in zip(keys.tolist(), numbers.tolist(), strict=True)]
    return found


def test_rows_keep_every_value_added_and_cross_a_pickle_unchanged():
    rows = Rows()
    made = _rows(0, 3000, seed=1)  # past the first capacity and many facet pairs: the columns grow
    for row in made:
        rows.append(row)
    assert rows.count == 3000
    assert rows.column("length").tolist() == [row.length for row in made]
    assert rows.column("sections").tolist() == [list(row.sections) for row in made]
    assert rows.column("signed").tolist() == [int(row.fingerprint.signature is not None) for row in made]
    tags = [(row.key, tag) for row in made for tag in row.facets["tag"]]
    keys, numbers = rows.pairs("tag")
    assert [(key, rows.values("tag")[number]) for key, number in zip(keys, numbers, strict=True)] == tags
    copied = pickle.loads(pickle.dumps(rows))
    assert _columns(copied) == _columns(rows)
    copied.append(_rows(3000, 1, seed=2)[0])  # one sent on can still be added to
    assert copied.count == 3001 and copied.column("key")[-1] == 3000


def test_the_table_holds_each_documents_values_from_batches_of_rows(tmp_path):
    first, second = _rows(0, 700, seed=3), _rows(700, 500, seed=4)
    batches = []
    for made in (first, second):
        batch = Rows()
        for row in made:
            batch.append(row)
        batches.append(pickle.loads(pickle.dumps(batch)))
    every = first + second
    live = np.array([row.key for row in every if row.key % 7], dtype=np.int64)
    write_table(tmp_path, batches, live, live * 3, None)
    table = ArrayFile(tmp_path / TABLE, TABLE_FORMAT)
    assert table["length"].tolist() == [row.length for row in every]
    assert table["date"].tolist() == [row.date for row in every]
    assert table["parent"].tolist() == [row.parent for row in every]
    assert table["tags_from"].tolist() == [row.sections[2] for row in every]
    assert table["live"].tolist() == [int(bool(row.key % 7)) for row in every]
    assert table["docnum"][live].tolist() == (live * 3).tolist()
    for name in ("author", "tag", "year", "lang"):
        values = table.meta["facets"][name]
        pairs = zip(table[f"{name}.key"].tolist(), table[f"{name}.value"].tolist(), strict=True)
        found = [(key, values[number]) for key, number in pairs]
        assert found == [(row.key, value) for row in every for value in row.facets[name]]
    table.close()


def _filled(rows: Rows, made: list[DocumentRow]) -> Rows:
    for row in made:
        rows.append(row)
    return rows


def test_rows_written_out_as_they_fill_read_back_as_kept_and_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(rows_module, "ROWS_CHUNK", 256)
    made = _rows(0, 3000, seed=5)
    kept = _filled(Rows(), made)
    spilled = _filled(Rows(spill=tmp_path / "part-1-0"), made)
    written = sorted(tmp_path.iterdir())
    assert len(written) == 3000 // 256  # each full chunk, the last rows still held
    assert len(spilled._columns["key"]) == 256  # memory holds one chunk, however many are added
    assert _columns(spilled) == _columns(kept)
    sent = pickle.loads(pickle.dumps(spilled))  # how a worker sends them: the files named, not read
    assert len(pickle.dumps(spilled)) < len(pickle.dumps(kept)) / 5
    assert _columns(sent) == _columns(kept)
    sent.discard()
    assert not list(tmp_path.iterdir())


def test_a_table_of_rows_written_out_is_the_table_of_rows_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(rows_module, "ROWS_CHUNK", 256)
    first, second = _rows(0, 1500, seed=6), _rows(1500, 700, seed=7)
    live = np.array([key for key in range(2200) if key % 5], dtype=np.int64)
    tables = {}
    for name, spill in (("kept", None), ("spilled", tmp_path / "part")):
        batches = [
            _filled(Rows(spill=spill and spill.with_name(f"part-{n}")), made) for n, made in enumerate((first, second))
        ]
        (tmp_path / name).mkdir()
        write_table(tmp_path / name, batches, live, live * 2, None)
        table = ArrayFile(tmp_path / name / TABLE, TABLE_FORMAT)
        tables[name] = ({key: np.array(table[key]) for key in table}, table.meta)
        table.close()
    kept, spilled = tables["kept"], tables["spilled"]
    assert kept[1] == spilled[1]
    assert sorted(kept[0]) == sorted(spilled[0])
    for key, array in kept[0].items():
        assert np.array_equal(array, spilled[0][key]), key


def test_a_build_whose_rows_are_written_out_makes_the_same_table_and_leaves_no_file_of_them(tmp_path, monkeypatch):
    documents = tmp_path / "documents"
    shutil.copytree(DATA / "corpus", documents)
    build(documents, tmp_path / "kept")
    monkeypatch.setattr(rows_module, "ROWS_CHUNK", 4)
    monkeypatch.setattr(rows_module, "_FIRST_CAPACITY", 4)  # a chunk written out every four documents
    build(documents, tmp_path / "spilled")
    tables = {}
    for name in ("kept", "spilled"):
        generation = current_generation(tmp_path / name)
        assert not [path.name for path in generation.iterdir() if ".rows" in path.name]
        table = ArrayFile(generation / TABLE, TABLE_FORMAT)
        tables[name] = ({key: np.array(table[key]) for key in table}, table.meta)
        table.close()
    assert tables["kept"][1] == tables["spilled"][1]
    assert tables["kept"][0]["length"].size > 8
    for key, array in tables["kept"][0].items():
        assert np.array_equal(array, tables["spilled"][0][key]), key
