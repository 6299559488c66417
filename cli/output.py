"""Where the commands talk: standard error (standard output is for results), and how they fail.

Off a terminal (a pipe, a log file, cron) lines are never wrapped or cut at 80 columns: every file
name stays whole on its line."""
import sys

import typer
from rich.console import Console
from rich.text import Text

WIDTH = None if sys.stderr.isatty() else 100_000
console = Console(stderr=True, width=WIDTH)  # extract, eval: tables and summaries
err = Console(stderr=True, soft_wrap=True)  # diff, compare, review: one message a line


def error(message: str, status: int = 2) -> int:
    """One line saying what is wrong and what to do; returns the exit status (2: bad arguments or
    input; 1 means "different" or "failed")."""
    err.print(Text.assemble(("error:", "red"), " ", message))
    return status


def fail(message: str) -> None:
    """`error`, then exit with its status."""
    raise typer.Exit(error(message))


def note(message: str) -> None:
    err.print(Text.assemble(("note:", "yellow"), " ", message))
