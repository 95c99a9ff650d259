"""What a search is asked and what it answers: plain dataclasses, rendered by the edges."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..highlight.snippets import Snippet
from ..highlight.spans import Marked, MetadataValue, Span, by_field
from .copies import Copies

SORTS = ("relevance", "-date", "date")
FACETS = ("lang", "year", "author", "tag")
# A filter by the glossary concepts a document names (``concept=jimmy-lai``): a document must
# name every concept chosen. Its counts are shown as a facet per group of categories.
CONCEPT = "concept"
FILTERS = (*FACETS, CONCEPT)
CONCEPT_FACETS = {
    "people": ("person",),
    "organisations": ("organisation", "institution"),
    "places": ("place",),
    "laws": ("law",),
    "events": ("event",),
    "topics": ("right", "persecution", "politics"),
}
# The value of the year facet (and of a year filter) for the documents without a date.
UNDATED = "undated"


@dataclass(frozen=True)
class SearchRequest:
    """A search as the user asked for it."""

    q: str
    page: int = 1
    per_page: int = 10
    lang: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    concept: tuple[str, ...] = ()
    sort: str = "relevance"
    expand: bool = True
    # The date range of the ``from`` and ``to`` parameters, as given (``2019``, ``2019-06``,
    # ``2019-06-04``; either may be empty), and whether only the characters as typed match.
    date_from: str = ""
    date_to: str = ""
    exact: bool = False
    # One result per group of copies (the best ranked), or every copy.
    dedupe: bool = True

    def filters(self) -> dict[str, tuple[str, ...]]:
        """The filters that are set, by parameter name: the facets' and the concepts'."""
        return {name: values for name in FILTERS if (values := getattr(self, name))}


@dataclass(frozen=True)
class Translation:
    """A glossary form a document matched for a part of the query: the words as the document
    writes them, the form searched, the part of the query as typed, and the concept."""

    words: tuple[str, ...]
    form: str
    typed: str
    concept: str


@dataclass
class Hit:
    """One document in the results: its title and a snippet, each with the query's matches."""

    id: str
    title: Marked
    snippet: Snippet
    score: float
    languages: list[dict]
    record: dict
    # Every searched metadata value, its matches marked, and where the query matched: title,
    # text, and the metadata's fields.
    metadata: list[MetadataValue] = field(default_factory=list)
    matched_in: tuple[str, ...] = ()
    # The translations it matched, and whether the words as typed matched too.
    translations: tuple[Translation, ...] = ()
    as_typed: bool = True
    # How many of the documents found in it (a mailbox's messages, a zip's files) match too.
    held_matched: int = 0
    # Its copies among the matches, shown with it rather than as results of their own.
    copies: Copies = field(default_factory=Copies)

    @property
    def translated_only(self) -> bool:
        """True when the document matched only through translations of the words typed."""
        return bool(self.translations) and not self.as_typed

    @property
    def metadata_matches(self) -> dict[str, list[MetadataValue]]:
        """Each metadata field the query matched in, with all its values (matches marked)."""
        return {name: values for name, values in by_field(self.metadata).items() if any(v.spans for v in values)}

    @property
    def page(self) -> int | None:
        """The PDF page the snippet comes from."""
        return self.snippet.page

    @property
    def page_name(self) -> str | None:
        """The name of the page the snippet comes from, where pages have names (a sheet's)."""
        names = self.record.get("page_names") or []
        return names[self.page - 1] if self.page and self.page <= len(names) else None

    @property
    def language_tags(self) -> list[str]:
        """The document's language tags, main first."""
        return [language["tag"] for language in self.languages]


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet, how many results have it, and whether it filters now; a concept's
    value is its id, with its name in each interface language."""

    value: str
    count: int
    selected: bool
    names: dict[str, str] | None = None


@dataclass(frozen=True)
class AlsoMatched:
    """Other forms a part of the query was searched as (another script, a translation)."""

    matched: str
    forms: tuple[str, ...]
    kind: str = "script"
    concept: str | None = None


@dataclass(frozen=True)
class TimelineBar:
    """A year or a month of the timeline: its label (``2019``, ``2019-06``), how many matches it
    holds, and the range it stands for, as the ``from`` and ``to`` parameters write it."""

    label: str
    count: int
    date_from: str
    date_to: str


@dataclass(frozen=True)
class Timeline:
    """The matches counted by ``unit`` (``year`` or ``month``), oldest first; the documents
    without a date, and (by month) those dated only by their year, counted apart."""

    unit: str
    bars: list[TimelineBar]
    undated: int
    year_only: int

    @property
    def highest(self) -> int:
        """The count of the tallest bar (what the bars are drawn against)."""
        return max((bar.count for bar in self.bars), default=0)


@dataclass
class SearchResult:
    """A page of results with everything the interfaces show around it."""

    request: SearchRequest
    total: int
    hits: list[Hit]
    took_ms: float
    # The documents matched: more than ``total`` when copies are shown once (a result per group).
    documents: int = 0
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # The filters applied, each value as the facets show it.
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    also_matched: list[AlsoMatched] = field(default_factory=list)
    suggestion: str | None = None
    # True when the query's matches came from the result cache, not a new evaluation.
    from_cache: bool = False
    # The matches by year or month (those the filters allow).
    timeline: Timeline | None = None

    @property
    def pages(self) -> int:
        """How many pages of results there are."""
        return max(1, -(-self.total // self.request.per_page))


@dataclass(frozen=True)
class PageText(Marked):
    """One page of a document's text with its matches; matches are numbered from ``first``
    across the whole document. ``number`` is the page (of a PDF, an image file), None for a
    text without pages. ``continued``: the page's first match is the end of one that began on
    the page before (a phrase across the page break), numbered there. ``ocr``: the text was
    recognised by OCR, with the mean ``confidence`` of its words (0 to 100, None when OCR gave
    none); ``image``: the page's picture is shown beside its text (a page OCR read, every page
    of an image file)."""

    number: int | None = None
    first: int = 1
    continued: bool = False
    ocr: bool = False
    confidence: float | None = None
    image: bool = False
    # The page's name, where pages have names (a workbook's sheets).
    name: str | None = None


@dataclass(frozen=True)
class Held:
    """A document found in another, as the other's page lists it: its id, title and name."""

    id: str
    title: str
    name: str


@dataclass(frozen=True)
class NamedConcept:
    """A glossary concept a document names: its id, its facet (``CONCEPT_FACETS``), how often
    the document names it and its name in each interface language; ``query`` finds it (its
    first form, which the glossary translates into every other)."""

    id: str
    facet: str
    count: int
    names: dict[str, str]
    query: str


@dataclass
class DocumentView:
    """One document with its metadata and, for a query, every match marked."""

    id: str
    record: dict
    text: str
    title: Marked
    pages: list[PageText]
    matches: int
    truncated: bool
    also_matched: list[AlsoMatched]
    # What reading the document's file warned of (metadata left out, and why).
    warnings: list[str] = field(default_factory=list)
    metadata: list[MetadataValue] = field(default_factory=list)
    # The request whose matches are marked (None: nothing marked), the matched runs of the
    # text (in its offsets), where it matched, and the translations it matched.
    request: SearchRequest | None = None
    spans: tuple[Span, ...] = ()
    matched_in: tuple[str, ...] = ()
    translations: tuple[Translation, ...] = ()
    # The documents found in it (attachments, members), the first ``MAX_HELD`` of them, and
    # how many there are.
    held: list[Held] = field(default_factory=list)
    held_total: int = 0
    # The glossary's concepts it names, by facet, the most named first, and its copies.
    named: list[NamedConcept] = field(default_factory=list)
    copies: Copies = field(default_factory=Copies)

    @property
    def metadata_fields(self) -> dict[str, list[MetadataValue]]:
        """The searched metadata by field, as the document wrote it, matches marked."""
        return by_field(self.metadata)

    @property
    def named_by_facet(self) -> dict[str, list[NamedConcept]]:
        """The concepts it names, in each facet that has any, in the order of ``CONCEPT_FACETS``."""
        grouped: dict[str, list[NamedConcept]] = {}
        for item in self.named:
            grouped.setdefault(item.facet, []).append(item)
        return grouped

    @property
    def pictured(self) -> bool:
        """True when the document's pages have images (a PDF's pages, an image file's)."""
        from ..ingest import PICTURED_FORMATS  # the readers' package, loaded for a document page only

        return self.record.get("format") in PICTURED_FORMATS

    @property
    def ocr(self) -> bool:
        """True when OCR recognised the text of any of its pages."""
        return any(page.ocr for page in self.pages)

    @property
    def matched_outside_text(self) -> bool:
        """True when the query matched the title or the metadata (whatever it found in the text)."""
        return bool(self.title.spans) or any(value.spans for value in self.metadata)
