"""The index layer: what is stored for each document, and how generations are built and read.

- ``schema``: what Whoosh keeps of a document, and a Document's field values
- ``content``: the one string analysed for a document (title, text, then its metadata, apart)
- ``textstore``: the original text and token offsets, in compressed chunks
- ``postings``: the postings beside Whoosh's segment, ids and frequencies apart from positions
  (``encode`` the byte layout, ``dictionary`` a part's dictionary and the grammar of its files,
  ``part`` a part's reads, ``writing``, ``buffer``, ``merge``, ``terms`` a generation's terms)
- ``varint``: integers as variable-length bytes; ``arrays``: named arrays in one mapped file
- ``codec``: the header (format, version) and footer (CRC32) of every file the archive writes;
  ``checksums``: a generation's list of its files with their checksums, and the checks of it
- ``packing``: a key and a position (or two numbers) in one int64, and the indexes of runs
- ``table``: by document key: live, Whoosh's number, length, date, facet values and copy groups
- ``rows``: the table's rows of the documents a writer adds, kept as columns until it is written
- ``copies``: exact and near copies, by content hash and MinHash signature; ``grouping``: grouped
  at each build, a stretch of rows at a time
- ``compiled_glossary``: the glossary as the build analysed it, kept with each generation for searches
- ``manifest``: every indexed file's id, key, hash, size, time and warnings, per generation
- ``generations``: the index folder: the writer lock, publishing (sealed), the grace period,
  clean-up
- ``readers``: the live generation as servers read it
- ``watch``: the documents folder watched, each change indexed where it happened
- ``plan``, ``adding``, ``build``, ``new_generation``, ``workers``, ``report``: a build, from the
  files to the report (``new_generation``: writing the generation, a step at a time)
- ``whoosh_internals``: the one adapter over Whoosh's private API
"""
