"""The service layer: what the interfaces ask of the engine, request in and plain data out.

- ``results``: the dataclasses (``SearchRequest``, ``SearchResult``, ``Hit``, ``DocumentView``)
- ``params``: a search's parameters by name, checked by the one set of rules the pages, the API
  and the command line share
- ``search``: ``search()``, ranking, hits and the warm-up of a generation
- ``cache``: recent evaluations, kept per generation and bounded in entries and bytes
- ``facets``: filters and facet counts, the concepts the matches name among them
- ``tally``: a facet's counts among any set of documents, common values as bitmaps
- ``copies``: one result per group of copies, and what tells each copy apart
- ``timeline``: the matches counted by year or month, the undated apart
- ``suggest``: spelling suggestions
- ``marks``: what a search marks in a document (its title, text and metadata, the translations
  that matched), the one marking of the results' snippets and the document page, and what the
  query was also searched as (its other scripts, its translations)
- ``documents``: one document with every match of a search marked, as its result marked it, the
  concepts it names and its copies
- ``candidates``: names the archive mentions often that the glossary lacks, read from the index
- ``batch``: a list of queries, each searched as ``search()`` searches it, within its bounds
- ``export``: every match of a search, not a page, as the rows of an export (a chunk at a time,
  within ``EXPORT_MAX``), and the newest of them as a feed's entries

A larger engine could sit behind these functions: nothing above them sees Whoosh.
"""
