"""Where the commands talk: standard error (standard output is for results), and how they fail."""
import typer
from rich.console import Console

console = Console(stderr=True)  # extract, eval: tables and summaries
err = Console(stderr=True, soft_wrap=True)  # diff, compare, review: one message a line


def fail(message: str) -> None:
    """An error message and exit status 2 (bad arguments or input; 1 means "different" or "failed")."""
    err.print(f"[red]error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(2)
