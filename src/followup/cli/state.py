"""What every click command shares, in a module that imports no command (no cycles)."""

from __future__ import annotations

import click

from followup.app.context import Context
from followup.cli.render import announce
from followup.domain.limits import ID_MAX


class State:
    """The --home option, and the service context opened only by commands that need it."""

    def __init__(self, home: str | None) -> None:
        self.home = home
        self._ctx: Context | None = None

    @property
    def ctx(self) -> Context:
        if self._ctx is None:
            from followup.bootstrap import open_context

            self._ctx = announce(open_context(self.home))
        return self._ctx

    @property
    def reader(self) -> Context:
        """The context of a command that only reads: it never creates the home or the
        database (bootstrap.open_context's create=False)."""
        if self._ctx is None:
            from followup.bootstrap import open_context

            self._ctx = announce(open_context(self.home, create=False))
        return self._ctx

    @property
    def settings_home(self) -> str | None:
        """Where this command's settings live (in server mode with FOLLOWUP_USER, theirs)."""
        from followup.bootstrap import settings_home

        found = settings_home(self.home)
        return None if found is None else str(found)


pass_state = click.make_pass_decorator(State)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
# Every interview, application or note id on the command line: the store's ids are 64-bit,
# so a bigger number is a usage error (exit 2) here, not an overflow deep in the database.
ID = click.IntRange(1, ID_MAX)
