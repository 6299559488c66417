"""`city-reports compare`: tables across reports (CSV, Parquet, DuckDB) and an HTML overview with charts."""
import importlib.util
from pathlib import Path

import typer

from cli.output import err, fail


def compare(extracted: Path = typer.Option(Path("extracted"), "--extracted", help="The folder of extracted report JSON to read"),
            out: Path = typer.Option(Path("compare"), "--out", help="The folder to write the tables and the overview to"),
            csv_bom: bool = typer.Option(True, "--csv-bom/--no-csv-bom",
                                         help="CSV in UTF-8 with a byte-order mark (Excel) or without")) -> None:
    """Tables across reports (CSV, Parquet, DuckDB; docs/compare-tables.md) and overview.html with charts."""
    if not extracted.is_dir():
        fail(f"--extracted {extracted} is not a folder: give the folder `city-reports extract` wrote")
    if out.exists() and not out.is_dir():
        fail(f"--out {out} is a file, not a folder: give a folder for the tables")
    if out.resolve() == extracted.resolve():
        fail(f"--out {out} is the --extracted folder: give another folder for the tables")
    if any(importlib.util.find_spec(m) is None for m in ("duckdb", "pyarrow", "plotly")):
        fail("compare needs the compare extra (DuckDB, pyarrow, plotly): make compare "
             "(or .venv/bin/pip install --no-deps --require-hashes -r requirements-compare.lock)")
    from review.compare import CompareError, compare as run

    try:
        summary = run(extracted, out, csv_bom=csv_bom)
    except CompareError as e:
        fail(str(e))
    for line in summary.problems:
        err.print(f"warning: {line}", highlight=False)
    rows = ", ".join(f"{name} {n}" for name, n in summary.counts.items())
    err.print(f"{summary.counts['reports']} reports compared into {out}/ (CSV, Parquet, compare.duckdb, overview.html); "
              f"rows: {rows}", highlight=False)
