"""`city-reports compare`: tables across reports (CSV, DuckDB) and an HTML overview with charts."""
from pathlib import Path

import typer

from cli.output import err, fail


def compare(src: Path = typer.Argument(Path("extracted"), help="Folder of extracted report JSON"),
            out: Path = typer.Option(Path("compare"), "--out", help="Output folder")) -> None:
    """Tables across reports (CSV and DuckDB) and an HTML overview with charts."""
    from review.compare import compare as run
    from review.diff import DiffError

    try:
        tables = run(src, out)
    except DiffError as e:
        fail(str(e))
    for name, rows in tables.items():
        err.print(f"{out / (name + '.csv')}: {len(rows)} rows", highlight=False)
    err.print(f"{out / 'compare.duckdb'}, {out / 'overview.html'}", highlight=False)
