"""The service layer: what the interfaces ask of the engine, request in and plain data out.

- ``results``: the dataclasses (``SearchRequest``, ``SearchResult``, ``Hit``, ``DocumentView``)
- ``search``: ``search()``, ranking, hits and the script echo
- ``facets``: filters and facet counts
- ``suggest``: spelling suggestions
- ``documents``: one document with every match marked

A larger engine could sit behind these functions: nothing above them sees Whoosh.
"""
