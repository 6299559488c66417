"""`city-reports compare`: tables across reports (CSV, DuckDB) and an HTML overview with charts."""
import importlib.util
from pathlib import Path

import typer

from cli.output import err, fail


def compare(extracted: Path = typer.Option(Path("extracted"), "--extracted", help="Folder of extracted report JSON"),
            out: Path = typer.Option(Path("compare"), "--out", help="Output folder")) -> None:
    """Tables across reports (CSV and DuckDB) and an HTML overview with charts."""
    if not extracted.is_dir():
        fail(f"--extracted {extracted} is not a folder: give the folder `city-reports extract` wrote")
    if out.exists() and not out.is_dir():
        fail(f"--out {out} is a file, not a folder: give a folder for the tables")
    if any(importlib.util.find_spec(m) is None for m in ("duckdb", "matplotlib")):
        fail("compare needs the compare extra (DuckDB, matplotlib): make compare "
             "(or .venv/bin/pip install -r requirements-compare.lock)")
    from review.compare import compare as run
    from review.diff import DiffError

    try:
        tables = run(extracted, out)
    except DiffError as e:
        fail(str(e))
    for name, rows in tables.items():
        err.print(f"{out / (name + '.csv')}: {len(rows)} rows", highlight=False)
    err.print(f"{out / 'compare.duckdb'}, {out / 'overview.html'}", highlight=False)
