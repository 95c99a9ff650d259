"""``whoosh_internals.numeric_column`` reads a numeric column whole: the same values, in the
same order, as iterating Whoosh's own column reader, over segments, deletions and documents
added without a value."""

from __future__ import annotations

import random

import numpy as np
import pytest
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.writing import NO_MERGE

from app.index.whoosh_internals import numeric_column


@pytest.mark.parametrize("seed", range(8))
def test_a_column_read_whole_is_the_column_read_a_value_at_a_time(seed):
    rng = random.Random(seed)
    for typecode in ("I", "q"):
        ix = RamStorage().create_index(Schema(name=ID(stored=True), key=COLUMN(NumericColumn(typecode, default=7))))
        number = 0
        for _commit in range(rng.randint(1, 4)):
            with ix.writer() as writer:
                writer.mergetype = NO_MERGE
                for _ in range(rng.randint(0, 30)):
                    if rng.random() < 0.2:
                        writer.add_document(name=f"d{number}")  # no value: the column's default
                    else:
                        writer.add_document(name=f"d{number}", key=rng.randrange(2**31))
                    number += 1
            if number and rng.random() < 0.5:
                with ix.writer() as writer:
                    writer.mergetype = NO_MERGE
                    writer.delete_by_term("name", f"d{rng.randrange(number)}")
        with ix.reader() as reader:
            expected = list(reader.column_reader("key"))
            found = numeric_column(reader, "key")
            assert found.dtype == np.int64
            assert found.tolist() == expected
