"""The version of archive-search: read by packaging (pyproject.toml), the CLI and the API."""

__version__ = "0.1.0"
