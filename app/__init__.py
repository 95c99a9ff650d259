"""archive-search: a bilingual search service for an archive of human-rights documents.

The package is layered; each layer imports only the layers below it (a test keeps it so)::

    web/, cli.py    HTTP pages, the JSON API, the server, the command line (cli_help.py, cli_search.py,
                    cli_batch.py, cli_glossary.py; remote.py: asking a running server instead)
    render.py       results as HTML, JSON and terminal text (the edges share it)
    terminal_text.py    a page of results as terminal text, from the API's answer
    export_formats.py   an export's rows as CSV, JSON Lines and RIS, and a search as an Atom feed
    batch_formats.py    a batch search's answers as JSON, CSV and terminal text
    service/        search(), the document view, facets, suggestions: request in, dataclasses out
    highlight/      where a query matched, as spans over the original text, and snippets
    query/          parse and validate, glossary expansion, phrases, BM25, evaluation
    index/          schema, postings, the Han pair index, text store, manifest, generations, build
    analysis/       text -> terms: scripts, Chinese folding, English stemming
    ingest/         file -> Documents: one reader per format, the documents a file holds,
                    encodings, languages
    glossary/, languages.py, config.py, messages.py, version.py, tables_text.py   data,
                    settings, the words of every refusal and a table's cell divider, read by any
                    layer

Importing this package does nothing; see docs/architecture.md for the map.
"""
