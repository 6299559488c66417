"""`city-reports extract`: report files -> OUT/<report_id>.json and OUT/_manifest.json, with a summary."""
import sys
from pathlib import Path

import typer
from rich.table import Table

from cli.output import console

TABLE_ROWS = 50  # `extract` lists every file up to this many, else only the failed ones


def extract(paths: list[Path] = typer.Argument(None, help="Report files or folders (default raw_reports/)"),
            out: Path = typer.Option(Path("extracted"), "--out", help="Output folder"),
            workers: int = typer.Option(None, "--workers", help="Worker processes (default: every core)"),
            runner: str = typer.Option(None, "--runner", help="process (default) or dask"),
            address: str = typer.Option(None, "--address", help="Dask scheduler, e.g. tcp://10.0.0.5:8786")) -> None:
    """Extract every report file into OUT/<report_id>.json and write OUT/_manifest.json."""
    from flows.config import quiet_defaults

    quiet_defaults()
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
