"""Highlighting: where a query matched, as spans over the original text (no HTML here).

- ``units``: what the query looks for (terms and phrases; patterns expanded)
- ``spans``: where each unit matched in a document, from the postings and stored offsets;
  ``Marked``, a text with its matched runs
- ``snippets``: the stretch of text that shows the most of the query

The edges render a ``Marked`` text as HTML (``<mark>``), JSON or terminal text (``app.render``).
"""
