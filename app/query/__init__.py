"""The query layer: from the text a user typed to every matching document and its score.

- ``parse``: the query language, its limits, and ``QueryError`` (what to change)
- ``patterns``: prefixes and wildcards, expanded under the term limit
- ``expand``: the glossary's other names for a concept (across languages)
- ``phrase``: exact phrases, from the pair indexes and confirmed by positions, all candidates at once
- ``bm25``: the one relevance formula (Whoosh's BM25F)
- ``evaluate``: every match and its score, as operations on arrays of document keys
"""
