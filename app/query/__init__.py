"""The query layer: from the text a user typed to every matching document and its score.

- ``parse``: the query language, its limits, and ``QueryError`` (what to change)
- ``patterns``: prefixes and wildcards, expanded under the term limit
- ``expand``: the glossary's other names for a concept (across languages)
- ``phrase``: exact phrases; phrases of Han characters through the Han pair index
- ``positions``: term positions in a document, and where a phrase's words stand in a row
- ``bm25``: the one relevance formula (Whoosh's BM25F)
- ``evaluate``: every match and its score, in one pass over the postings
- ``matchers``: documents with known scores, for Whoosh's collectors
"""
