"""The query layer: from the text a user typed to every matching document and its score.

- ``parse``: the query language, its limits, and ``QueryError`` (what to change)
- ``nodes``: what a parsed query holds beyond Whoosh's nodes: phrases at given distances,
  ``Near``, the fields a query may name (``title:``), the characters each part was typed as
- ``dates``: ``date:`` ranges and the ``from``/``to`` parameters, at each document's precision
- ``near``: nearness, ``"a b"~5`` in any order, the closer scoring higher
- ``exact``: only the characters as typed (``exact=1``), confirmed in the text
- ``patterns``: prefixes and wildcards, expanded under the term limit
- ``expand``: the glossary's other names for a concept (across languages)
- ``phrase``: exact phrases, from the pair indexes and confirmed by positions, all candidates at once
- ``bm25``: the one relevance formula (Whoosh's BM25F)
- ``evaluate``: every match and its score, as operations on arrays of document keys
- ``hits``: a query's matches and their scores (``Hits``)
"""
