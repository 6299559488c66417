"""`city-reports`: extract, schema, eval."""
import atexit
import json
import os
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False, help="Turn Russian city annual reports into structured, comparable JSON.")
console = Console(stderr=True)
TABLE_ROWS = 50  # `extract` lists every file up to this many, else only the failed ones


def _quiet_prefect() -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")


@app.command()
def extract(paths: list[Path] = typer.Argument(None, help="Report files or folders (default raw_reports/)"),
            out: Path = typer.Option(Path("extracted"), "--out", help="Output folder"),
            workers: int = typer.Option(None, "--workers", help="Worker processes (default: every core)"),
            runner: str = typer.Option(None, "--runner", help="process (default) or dask"),
            address: str = typer.Option(None, "--address", help="Dask scheduler, e.g. tcp://10.0.0.5:8786")) -> None:
    """Extract every report file into OUT/<report_id>.json and write OUT/_manifest.json."""
    _quiet_prefect()
    from flows.extract import extract_reports

    paths = paths or [Path("raw_reports")]
    results = extract_reports([str(p) for p in paths], str(out), show_progress=sys.stderr.isatty(),
                              workers=workers, runner=runner, address=address)
    shown = results if len(results) <= TABLE_ROWS else [r for r in results if r.status == "failed"]
    if shown:  # a batch of hundreds: only its failures (every file is in the manifest)
        table = Table("file", "status", "report", "seconds", "error")
        for r in shown:
            style = {"ok": "green", "unchanged": "dim", "failed": "red"}[r.status]
            table.add_row(r.path, f"[{style}]{r.status}[/]", r.report_id or "", f"{r.seconds:.2f}", r.error or "")
        console.print(table)
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "unchanged", "failed")}
    console.print(f"{len(results)} files: {counts['ok']} ok, {counts['unchanged']} unchanged, {counts['failed']} failed; "
                  f"manifest {out / '_manifest.json'}")
    raise typer.Exit(1 if counts["failed"] else 0)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a report document."""
    from models import json_schema

    sys.stdout.write(json_schema())


@app.command("eval")
def evaluate(gold: list[Path] = typer.Argument(..., help="Gold files (*.gold.json)"),
             pred: Path = typer.Option(Path("extracted"), "--pred", help="Folder of extracted JSON"),
             as_json: bool = typer.Option(False, "--json", help="One JSON object per gold file")) -> None:
    """Score extracted reports against gold files with the shared referee's rules."""
    from benchmarks import referee
    from pipeline.slug import report_id

    missing = 0
    for g in gold:
        report = json.loads(g.read_text(encoding="utf-8")).get("report") or g.name.replace(".gold.json", "")
        p = pred / f"{report_id(report)}.json"
        if not p.exists():
            console.print(f"[red]{g}: no prediction {p}[/]")
            missing += 1
            continue
        if not as_json:
            print(f"== {g.name} vs {p}")
        referee.main([str(g), str(p)] + (["--json"] if as_json else []))
    raise typer.Exit(1 if missing else 0)


from pipeline import cli_batch, cli_review  # noqa: E402

cli_review.register(app)
cli_batch.register(app)


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


if __name__ == "__main__":
    main()
