"""The `city-reports` typer app (its commands, in the order `--help` lists them) and `main`."""
import atexit
import os
import sys

import typer

from cli.bench import bench
from cli.compare import compare
from cli.diff import diff
from cli.eval import evaluate
from cli.extract import extract
from cli.prune import prune
from cli.review import app as review
from cli.schema import diff_schema, schema
from cli.server import server

app = typer.Typer(add_completion=False, help="Turn Russian city annual reports into structured, comparable JSON.")
app.command()(extract)
app.command()(schema)
app.command("eval")(evaluate)
app.command("diff")(diff)
app.command("diff-schema")(diff_schema)
app.command()(compare)
app.command()(prune)
app.command()(server)
app.command()(bench)
app.add_typer(review, name="review")  # groups are listed after the commands anyway


def main() -> None:
    """The `city-reports` command: the app, then an exit that skips tearing down the heap.

    Registered before anything else, the handler runs after every other exit handler (Prefect's
    event drain, logging's, multiprocessing's): the run is complete and flushed, and freeing
    Prefect's and the pipeline's objects one by one would only add about a second to every run."""
    code: list[int] = []

    def exit_now() -> None:
        if code:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code[0])

    atexit.register(exit_now)
    try:
        app()
    except SystemExit as e:
        code.append(e.code if isinstance(e.code, int) else 0 if e.code is None else 1)
        raise
