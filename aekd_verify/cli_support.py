"""What every subcommand shares: exit codes and the guard that turns errors into messages."""

from __future__ import annotations

import sys
from functools import wraps

import click

from .errors import AekdError

EXIT_OK, EXIT_NOT_OPTIMAL, EXIT_BAD_INPUT, EXIT_INFEASIBLE = 0, 1, 2, 3


def guard(fn):
    """Turn every :class:`AekdError` into a one-line message and its exit code (no traceback)."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except AekdError as exc:
            click.echo(f"aekd-verify: error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper
