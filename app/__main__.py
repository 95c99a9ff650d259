"""``python -m app``: the same commands as ``archive-search``."""

from .cli import main

main()
