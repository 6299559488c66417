"""The `extract_reports` flow: one task per report file, then the run manifest.

Prefect runs in its local ephemeral mode unless PREFECT_API_URL points at a server.
"""
from pathlib import Path

from prefect import flow, task
from rich.progress import Progress

from pipeline.batch import FileResult, collect, load_manifest, process_file, write_manifest
from pipeline.extract import pipeline_version


@task(name="extract-report", retries=0)
def extract_report(path: str, out_dir: str, version: str, previous: dict | None) -> FileResult:
    return process_file(Path(path), Path(out_dir), version, previous)


@flow(name="extract_reports", log_prints=False)
def extract_reports(paths: list[str], out_dir: str = "extracted", show_progress: bool = False) -> list[FileResult]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = collect([Path(p) for p in paths])
    previous = load_manifest(out)
    version = pipeline_version()
    results: list[FileResult] = []
    with Progress(disable=not show_progress, transient=True) as progress:
        bar = progress.add_task("extracting", total=len(files))
        for f in files:
            results.append(extract_report(str(f), str(out), version, previous.get(str(f))))
            progress.advance(bar)
    write_manifest(out, results)
    return results
