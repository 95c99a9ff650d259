"""What the index holds for each document, and how a ``Document`` becomes it.

Whoosh's index holds each document's id (to find it), its stored record, its text, token
offsets and the concepts it names (``textstore``) and its key; the postings of its text are in
the parts (``postings``), and what searches filter, count and sort by is in the table
(``table``). The ``content`` field is in the schema for the query parser, which analyses a query
with the field's analyzer; no document gives it a value, so Whoosh writes no postings for it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, ID, TEXT, Schema

from ..analysis import Analysed, ArchiveAnalyzer, analyse
from ..glossary.naming import Named, namer
from ..languages import filter_terms
from .content import SEPARATOR, indexed_content, metadata_parts, metadata_tail, metadata_values
from .copies import fingerprint
from .rows import NO_POSITION, DocumentRow
from .textstore import pack_concepts, pack_offsets, pack_record, pack_text

if TYPE_CHECKING:  # the ingest package is the build's, not a search's: not loaded to search
    from ..ingest import Document

# Bump when the schema, the analysis or a format changes: an index of another version is rebuilt.
SCHEMA_VERSION = 22
# The field every query searches: title, text and the metadata a reader may type (``content``).
CONTENT = "content"


def make_schema() -> Schema:
    """The fields of every document in Whoosh's index."""
    return Schema(
        id=ID(unique=True),
        # The file a document was read from: removing or changing it removes every document it held.
        root=ID(),
        # What queries are parsed against: a word that analyses into several terms (人權,
        # Hong-Kong) is searched as the phrase of those terms.
        content=TEXT(analyzer=ArchiveAnalyzer(), phrase=True, multitoken_query="phrase"),
        # What results and document pages show: the record (the metadata), the text, where
        # tokens start and the concepts named are columns (``textstore``'s formats), read for
        # one document without decompressing the others. Each writes where its values start:
        # Whoosh otherwise works them out from their lengths in a Python loop each time a
        # process opens the column (25 ms for 60,000 documents).
        record=COLUMN(_column()),
        body=COLUMN(_column()),
        offsets=COLUMN(_column()),
        concepts=COLUMN(_column()),
        # The document's stable key: the postings and the table are by key.
        key=COLUMN(NumericColumn("I")),
    )


def _column() -> VarBytesColumn:
    return VarBytesColumn(write_offsets_cutoff=0)


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
        # The pages OCR read, with the mean confidence of their words.
        "ocr": [{"page": page.page, "confidence": page.confidence} for page in document.ocr],
        "chars": len(document.text),
        # Only what a document has of these is stored: most have none of them.
        **{name: value for name, value in _found_in(document).items() if value},
    }


def _found_in(document: Document) -> dict:
    """A message's recipients, a capture's times, a workbook's sheets, and for a document found
    in another: that document, its own name and type, and the way to its bytes from the file
    (whose hash and size say whether the file is still the one read)."""
    return {
        "recipients": document.recipients,
        "captured": document.captured,
        "captures": document.captures,
        "page_names": document.page_names,
        "name": document.name if document.parent else None,
        "media_type": document.media_type,
        "parent": _parent(document),
        "within": _within(document),
    }


def _parent(document: Document) -> dict | None:
    parent = document.parent
    return None if parent is None else {"id": parent.id, "title": parent.title, "relation": parent.relation}


def _within(document: Document) -> dict | None:
    within = document.within
    return None if within is None else {"hash": within.hash, "size": within.size, "steps": list(within.steps)}


def fields_of(document: Document, key: int, parent: int | None = None) -> tuple[dict, Analysed, DocumentRow]:
    """What the index keeps of ``document``: Whoosh's fields, its analysed text (for the
    postings) and its row of the table (``parent``: the key of the document it was found in)."""
    record = record_of(document)
    metadata = metadata_values(record)
    analysed = analyse(indexed_content(document.title, document.text, metadata))
    # Relevance is normalised by the length of the title and text alone: a word of the metadata
    # counts as a word of the text does, but no metadata lengthens a document, so its score for
    # words found only in its text is what it would be without metadata.
    length = analysed.length - analyse(metadata_tail(metadata)).length
    # The glossary's concepts it names, where a search would find them: in its title, text or metadata.
    named = namer().named(analysed)
    fields = {
        "id": document.id,
        "root": document.path,
        "key": key,
        "record": pack_record(record),
        "body": pack_text(document.text),
        "offsets": pack_offsets(analysed.run_positions, analysed.run_starts),
        "concepts": pack_concepts([(item.concept, item.count) for item in named]),
    }
    row = row_of(document, key, length, parent, sections_of(analysed, document.title, document.text, metadata), named)
    row = replace(row, content_hash=int(document.hash[:16], 16), fingerprint=fingerprint(document.text))
    return fields, analysed, row


def sections_of(analysed: Analysed, title: str, text: str, metadata) -> tuple[int, ...]:
    """The positions where the text, the metadata, the tags and what follows them start in the
    ``analysed`` string of ``title``, ``text`` and ``metadata`` (``table.SECTIONS``)."""
    text_start = len(title) + len(SEPARATOR)
    meta_start = text_start + len(text)
    parts = metadata_parts(meta_start, metadata)
    end = meta_start + sum(len(SEPARATOR) + len(part.value) for part in parts)
    tags_start = next((part.start for part in parts if part.field != "author"), end)
    after_tags = next((part.start for part in parts if part.field not in ("author", "tags")), end)
    starts = np.asarray(analysed.run_starts, dtype=np.int64)
    positions = analysed.run_positions

    def position_at(char: int) -> int:
        # The first token at or after ``char``: a run never spans a part's separator.
        run = int(np.searchsorted(starts, char, side="left"))
        return positions[run] if run < len(positions) else NO_POSITION

    return tuple(position_at(char) for char in (text_start, meta_start, tags_start, after_tags))


def row_of(
    document: Document,
    key: int,
    length: int,
    parent: int | None = None,
    sections: tuple[int, ...] | None = None,
    named: list[Named] | None = None,
) -> DocumentRow:
    """The table's row for ``document``: length (what relevance normalises by), date, and its
    values of each facet (``named``: the concepts it names)."""
    tags = [lang.tag for lang in document.languages]
    year = document.date[:4] if document.date and document.date[:4].isdigit() else ""
    digits = re.sub(r"\D", "", document.date or "")[:14].ljust(14, "0")
    facets = {
        "lang": filter_terms(tags),
        "language": tags,
        "year": [year] if year else [],
        "author": [_facet_value(name) for name in _author_names(document.author)],
        "tag": [_facet_value(tag) for tag in document.tags],
        "concept": [item.concept for item in named or ()],
    }
    facets = {name: [value for value in dict.fromkeys(values) if value] for name, values in facets.items()}
    date = int(digits) if document.date else 0
    row = DocumentRow(key, length, date, bool(document.date), facets, -1 if parent is None else parent)
    return row if sections is None else replace(row, sections=sections)


def _author_names(author: str | None) -> list[str]:
    return [name.strip() for name in (author or "").split(";") if name.strip()]


def _facet_value(value: str) -> str:
    # The values were once stored comma-separated: a comma in one reads as a space.
    return value.replace(",", " ").strip()
