"""`city-reports prune`: remove the outputs whose source file is gone (`orphaned` in the manifest)."""
from pathlib import Path

import typer

from cli.output import err, fail


def prune(extracted: Path = typer.Option(Path("extracted"), "--extracted", help="Folder of extracted JSON (default extracted/)"),
          dry_run: bool = typer.Option(False, "--dry-run", help="List what would be removed, remove nothing")) -> None:
    """Remove orphaned outputs (their source file is gone) and their manifest entries. Reviews are kept."""
    from batch.manifest import prune as run
    from review.outputs import MANIFEST

    if not (extracted / MANIFEST).is_file():
        fail(f"{extracted / MANIFEST} does not exist: nothing to prune (give the folder with --extracted)")
    gone = run(extracted, dry_run=dry_run)
    for e in gone:
        print(f"{'would remove' if dry_run else 'removed'} {extracted / (e['report_id'] + '.json')} (source {e['path']} is gone)")
    err.print(f"{len(gone)} orphaned output(s) {'to remove' if dry_run else 'removed'}; reviews kept", highlight=False)
