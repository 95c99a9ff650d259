"""What the index holds for each document: the fields, the format of the text's postings, and
how a ``Document`` becomes the values of those fields."""

from __future__ import annotations

import re
from collections import Counter

from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions

from ..analysis import Analysed, ArchiveAnalyzer, analyse
from ..ingest import Document
from ..languages import filter_terms
from . import gaps
from .textstore import indexed_content, pack_offsets, pack_text

# Bump when the schema or the analysis changes: an index of another version is rebuilt in full.
SCHEMA_VERSION = 6
# The field every query searches: title and text.
CONTENT = "content"


class ArchivePositions(Positions):
    """Positions stored as their gaps in the narrowest array that holds them (``gaps``): smaller
    than Whoosh's pickled gaps, and read and written by C loops on every phrase and highlight."""

    def encode(self, poslist: list[int]) -> bytes:
        """A posting's value: the type code, then the gaps."""
        return gaps.encode(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        """The positions of a posting."""
        return gaps.decode(valuestring)

    def decode_frequency(self, valuestring: bytes) -> int:
        """How many positions a posting holds."""
        return gaps.count(valuestring)

    def decode_weight(self, valuestring: bytes) -> float:
        """The posting's weight: its frequency, times the field's boost."""
        return self.decode_frequency(valuestring) * self.field_boost


class ArchiveText(TEXT):
    """The text field: positions for phrases; the analysis is done once by ``analyse``.

    ``index`` takes an ``Analysed`` text (what the build passes) and turns each term's positions
    into Whoosh postings directly; given a plain string it analyses it like any TEXT field.
    """

    def index(self, value, **kwargs):
        """(term bytes, frequency, weight, encoded positions) for each term of ``value``."""
        if not isinstance(value, Analysed):
            return super().index(value, **kwargs)
        encode = self.format.encode
        return [
            (term.encode("utf-8"), len(found), float(len(found)), encode(found))
            for term, found in value.positions.items()
        ]


def make_schema() -> Schema:
    """The fields of every document in the index."""
    content = ArchiveText(analyzer=ArchiveAnalyzer(), phrase=True, multitoken_query="phrase")
    content.format = ArchivePositions(field_boost=content.format.field_boost)
    return Schema(
        id=ID(unique=True),
        # Title and text, with positions for phrases. A word that analyses into several terms
        # (人權, Hong-Kong) is searched as the phrase of those terms.
        content=content,
        # Filters and facets: exact values.
        language=KEYWORD(commas=True, lowercase=False, scorable=False),
        lang=KEYWORD(commas=True, lowercase=False, scorable=False),
        year=KEYWORD(commas=True, lowercase=False, scorable=False),
        author=KEYWORD(commas=True, lowercase=False, scorable=False),
        tag=KEYWORD(commas=True, lowercase=False, scorable=False),
        # Sorting by date: undated documents sort after dated ones either way.
        date_key=NUMERIC(bits=64, sortable=True),
        has_date=NUMERIC(bits=8, sortable=True),
        # What results and document pages show; the text and where each token starts are
        # columns (textstore), read for one document without decompressing the others.
        record=STORED(),
        body=COLUMN(VarBytesColumn()),
        offsets=COLUMN(VarBytesColumn()),
        # The document's stable key in the Han pair index (Whoosh's numbers change on merges).
        key=COLUMN(NumericColumn("I")),
    )


def record_of(document: Document) -> dict:
    """The metadata stored with a document and shown with it."""
    return {
        "id": document.id,
        "path": document.path,
        "title": document.title,
        "languages": [{"tag": lang.tag, "share": lang.share} for lang in document.languages],
        "date": document.date,
        "author": document.author,
        "tags": document.tags,
        "url": document.url,
        "description": document.description,
        "format": document.format,
        "size": document.size,
        "hash": document.hash,
        "pages": document.pages,
        "chars": len(document.text),
    }


def fields_of(document: Document, key: int) -> tuple[dict, Counter[str]]:
    """The fields to index for ``document``, and its pairs of Han characters."""
    tags = [lang.tag for lang in document.languages]
    year = document.date[:4] if document.date and document.date[:4].isdigit() else ""
    digits = re.sub(r"\D", "", document.date or "")[:14].ljust(14, "0")
    analysed = analyse(indexed_content(document.title, document.text))
    fields = {
        "id": document.id,
        "key": key,
        CONTENT: analysed,
        "language": ",".join(tags),
        "lang": ",".join(filter_terms(tags)),
        "year": year,
        "author": ",".join(_facet_value(name) for name in _author_names(document.author)),
        "tag": ",".join(_facet_value(tag) for tag in document.tags),
        "date_key": int(digits) if document.date else 0,
        "has_date": 1 if document.date else 0,
        "record": record_of(document),
        "body": pack_text(document.text),
        "offsets": pack_offsets(analysed.starts),
    }
    return fields, analysed.pairs


def _author_names(author: str | None) -> list[str]:
    return [name.strip() for name in (author or "").split(";") if name.strip()]


def _facet_value(value: str) -> str:
    # Commas separate the values of a keyword field.
    return value.replace(",", " ").strip()
