"""The `city-reports` typer app (its commands, in the order `--help` lists them) and `main`.

`main` runs the app in click's non-standalone mode so that every usage error (an unknown option, a
value that is not one of the choices, a number out of range, a bad environment value) is one line
on stderr and exit status 2, as the commands' own checks are (cli.output.fail); bare `city-reports`
(and a group without its command) shows the help.
"""
import atexit
import os
import sys

import typer
from typer._click import exceptions as click  # typer 0.29 carries its own click

from cli.bench import bench
from cli.compare import compare
from cli.diff import diff
from cli.eval import evaluate
from cli.extract import extract
from cli.output import error
from cli.prune import prune
from cli.review import app as review
from cli.schema import diff_schema, schema
from cli.server import server

app = typer.Typer(add_completion=False, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]},
                  help="Turn Russian city annual reports into structured, comparable JSON.")
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


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        from pipeline.version import pipeline_version

        typer.echo(f"city-reports {version('city-reports')} (pipeline {pipeline_version()})")
        raise typer.Exit(0)


@app.callback()
def _options(show_version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                               help="Show the version and the pipeline version, then exit")) -> None:
    """Turn Russian city annual reports into structured, comparable JSON."""


def run(args: list[str] | None = None) -> int:
    """The app on `args` (default sys.argv[1:]); returns the exit status."""
    command = typer.main.get_command(app)
    try:
        status = command.main(args=args, prog_name="city-reports", standalone_mode=False)
        return status if isinstance(status, int) else 0
    except click.NoArgsIsHelpError as e:
        typer.echo(e.ctx.get_help())
        return 0
    except click.UsageError as e:
        where = e.ctx.command_path if e.ctx else "city-reports"
        return error(f"{_one_line(e.format_message())} (see {where} --help)")
    except click.ClickException as e:
        return error(_one_line(e.format_message()), e.exit_code)
    except typer.Abort:
        return error("aborted", 130)


def _one_line(message: str) -> str:
    return " ".join(message.replace("Value error, ", "").split())


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
    if sys.argv[1:2] == ["extract"]:
        from cli.extract import load_early

        load_early(sys.argv[2:])
    try:
        status = run()
    except SystemExit as e:
        code.append(e.code if isinstance(e.code, int) else 0 if e.code is None else 1)
        raise
    code.append(status)
    sys.exit(status)
