"""A rich progress bar shared by the long-running commands (battery, proofs, report, train)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

__all__ = ["progress_bar", "console"]

#: progress and tables go to stderr so stdout stays machine-readable; off a terminal
#: (CI logs, pipes) the tables get room instead of the default 80 columns
console = Console(stderr=True, width=None if sys.stderr.isatty() else 170)


@contextmanager
def progress_bar(title: str, *, enabled: bool = True) -> Iterator[Callable[[str, int, int], None]]:
    """Yield ``update(label, done, total)`` driving one progress bar on stderr."""
    if not enabled:
        yield lambda label, done, total: None
        return
    with Progress(TextColumn("[bold]{task.fields[title]}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                  transient=False) as bar:
        task = bar.add_task("", total=None, title=title)

        def update(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        yield update
