"""`city-reports eval`: score extracted reports against gold files with the shared referee's rules."""
import importlib
import json
from pathlib import Path

import typer

from cli.output import console, fail


def evaluate(gold: list[Path] = typer.Argument(..., help="Gold files (*.gold.json)"),
             extracted: Path = typer.Option(Path("extracted"), "--extracted", help="Folder of extracted JSON"),
             as_json: bool = typer.Option(False, "--json", help="One JSON object per gold file")) -> None:
    """Score extracted reports against gold files with the shared referee's rules."""
    from pipeline.slug import report_id

    for g in gold:
        if not g.is_file():
            fail(f"gold file {g} does not exist: give *.gold.json files")
    if not extracted.is_dir():
        fail(f"--extracted {extracted} is not a folder: give the folder `city-reports extract` wrote")
    referee = importlib.import_module("benchmarks.referee")  # by name: the product does not import benchmarks/
    missing = 0
    for g in gold:
        try:
            report = json.loads(g.read_text(encoding="utf-8")).get("report") or g.name.replace(".gold.json", "")
        except (ValueError, AttributeError):
            fail(f"gold file {g} is not a JSON object")
        p = extracted / f"{report_id(report)}.json"
        if not p.exists():
            console.print(f"[red]{g}: no prediction {p}[/]")
            missing += 1
            continue
        if not as_json:
            print(f"== {g.name} vs {p}")
        referee.main([str(g), str(p)] + (["--json"] if as_json else []))
    raise typer.Exit(1 if missing else 0)
