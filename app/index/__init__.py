"""The index layer: what is stored for each document, and how generations are built and read.

- ``schema``: the fields, the format of the text's postings, and a Document's field values
- ``gaps``: increasing integers as small gaps (positions, pair keys)
- ``textstore``: the original text and token offsets, in compressed chunks
- ``hanpairs``: the Han pair index (which documents hold each pair of adjacent characters)
- ``manifest``: every indexed file's id, key, hash, size and time, per generation
- ``generations``: the index folder: the writer lock, publishing, clean-up
- ``readers``: the live generation as servers read it
- ``plan``, ``adding``, ``build``, ``workers``, ``report``: a build, from the files to the report
- ``whoosh_internals``: the one adapter over Whoosh's private API
"""
