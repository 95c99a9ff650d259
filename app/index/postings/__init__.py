"""The postings beside Whoosh's segment: for each term, the keys of the documents holding it and
how often, in one stream, and its positions in another, so a term query reads no positions.

- ``encode``: the byte layout of a term's postings (blocks of keys, frequencies, positions, skips)
- ``docblocks``: a block's keys as varint gaps or, where that is smaller, a bitmap
- ``dictionary``: a part's term dictionary (memory-mapped), written and read; the grammar of a
  part's files
- ``part``: a part open for reading: its dictionary and reads from its streams
- ``writing``: writing a part; ``buffer``: documents in, sorted runs out
- ``merge``: joining parts: keys and frequencies blocked afresh, positions copied
- ``terms``: a generation's terms across its parts, the decoded postings of common terms kept
"""
