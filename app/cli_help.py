"""The help of the ``archive-search`` command: Click's, its lines broken between words only, and
each command listed with the whole first line of its help; and its group, which reads a
command's module only when the command is run or listed."""

from __future__ import annotations

from importlib import import_module

import click

# Stands for "-" while help text is wrapped, so that lines break between words only (never
# inside zh-Hant or --no-translations).
_UNBROKEN_HYPHEN = "\u2011"


class _HelpFormatter(click.HelpFormatter):
    """Click's help, its lines broken between words only."""

    def write_text(self, text: str) -> None:
        """Write a paragraph of help."""
        start = len(self.buffer)
        super().write_text(text.replace("-", _UNBROKEN_HYPHEN))
        self._restore_hyphens(start)

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        """Write options or commands, each with its help."""
        start = len(self.buffer)
        rows = [(term, text.replace("-", _UNBROKEN_HYPHEN)) for term, text in rows]
        super().write_dl(rows, col_max, col_spacing)
        self._restore_hyphens(start)

    def _restore_hyphens(self, start: int) -> None:
        self.buffer[start:] = [part.replace(_UNBROKEN_HYPHEN, "-") for part in self.buffer[start:]]


class _Context(click.Context):
    formatter_class = _HelpFormatter


class _WholeFirstLine:
    """A command or a group listed with the whole first line of its help (click would cut it with "...")."""

    short_help: str | None
    help: str | None

    def get_short_help_str(self, limit: int = 45) -> str:
        """The command's line in the list of commands: the first paragraph of its help."""
        return self.short_help or (self.help or "").strip().split("\n\n")[0].replace("\n", " ")


class _Command(_WholeFirstLine, click.Command):
    context_class = _Context


class HelpGroup(_WholeFirstLine, click.Group):
    """The command group, its help and its commands' help broken between words; its groups
    (``archive-search glossary``) are of this class too."""

    context_class = _Context
    command_class = _Command
    group_class = type

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs) -> None:
        """A group whose ``lazy_commands`` (name: module, relative to this package) are
        registered when their module is imported, the first time one is asked for or listed."""
        super().__init__(*args, **kwargs)
        self._lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, those not yet imported included, in order."""
        return sorted({*super().list_commands(ctx), *self._lazy_commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """The command ``name``, its module imported first if it is one of the lazy commands."""
        module = self._lazy_commands.pop(name, None)
        if module:
            import_module(module, __package__)  # its decorators register it on this group
        return super().get_command(ctx, name)
