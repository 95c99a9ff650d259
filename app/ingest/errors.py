"""The one way a file refuses to be ingested."""


class SkipFile(Exception):
    """This file cannot be indexed; the message says why, for the report."""

    @property
    def reason(self) -> str:
        """The reason, as the report prints it."""
        return str(self)
