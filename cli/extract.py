"""`city-reports extract`: report files -> OUT/<report_id>.json and OUT/_manifest.json, with a summary.

Everything it is given is checked before Prefect starts and before OUT is created: a mistake is
one line on stderr and exit status 2. Progress: a bar on a terminal, else a plain line now and then.
"""
import importlib.util
import re
import sys
from enum import Enum
from pathlib import Path

import typer

from cli.output import console, fail, note

TABLE_ROWS = 50  # `extract` lists every file up to this many, else only the failed ones
CODE = re.compile(r"[a-z][a-z0-9_]*")
OUT = Path("extracted")  # --out's default
STYLE = {"ok": "green", "with warnings": "yellow", "unchanged": "dim", "failed": "red", "orphaned": "magenta"}


class Runner(str, Enum):
    process = "process"
    dask = "dask"


def extract(paths: list[Path] = typer.Argument(None, help="Report files or folders (default raw_reports/)"),
            out: Path = typer.Option(OUT, "--out", help="Output folder"),
            workers: int = typer.Option(None, "--workers", min=1,
                                        help="Worker processes (default: every core)"),
            runner: Runner = typer.Option(None, "--runner",
                                          help="process (default): a pool on this machine; dask: a Dask cluster"),
            address: str = typer.Option(None, "--address",
                                        help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --runner dask)"),
            force: bool = typer.Option(False, "--force", help="Extract every file again, even those unchanged"),
            strict: str = typer.Option(None, "--strict", metavar="CODES",
                                       help="Warning codes that fail a file, comma-separated (e.g. no_year,no_city)")) -> None:
    """Extract every report file into OUT/<report_id>.json and write OUT/_manifest.json.

    From the environment: CITY_REPORTS_WORKERS, CITY_REPORTS_RUNNER, CITY_REPORTS_DASK_ADDRESS (the
    options' defaults), CITY_REPORTS_FILE_SECONDS (the time bound per file, default 600) and
    CITY_REPORTS_WORKER_MB (the memory budget per worker, default fitted to this machine) and
    CITY_REPORTS_WORKER_FILES (files a worker reads before a fresh one takes its place, default 5000)."""
    from flows.config import ConfigError, check_environment, runner_and_address

    paths = paths or [Path("raw_reports")]
    from batch.plan import check_settings
    from pipeline.files import SettingError

    try:
        runner_name, address = runner_and_address(runner.value if runner else None, address)
        check_environment()
        check_settings(out)
    except (ConfigError, SettingError) as e:
        fail(str(e))
    if runner_name == "dask" and importlib.util.find_spec("prefect_dask") is None:
        fail("--runner dask needs the dask extra: make dask (or .venv/bin/pip install -r requirements-dask.lock)")
    codes = _codes(strict)
    _inputs(paths, out)

    from flows.extract import run_extraction

    progress = "bar" if sys.stderr.isatty() else "lines"
    run = run_extraction([str(p) for p in paths], str(out), progress, workers=workers, runner=runner_name,
                         address=address, force=force, strict=codes)
    _report(run, out)


def load_early(args: list[str]) -> None:
    """Before the options are parsed and checked (0.3 s here): when this run will surely load the
    models (`surely_loads`), start the workers' fork server loading them now."""
    if surely_loads(args):
        from flows.pool import start_warm_server

        start_warm_server()


def surely_loads(args: list[str]) -> bool:
    """Whether `extract ARGS` will load the models: the process runner, and --force or an output
    folder without a manifest yet (every file is new). A wrong guess costs one load on another
    core; the checks and the plan still decide what runs."""
    given, rest = {}, iter(args)
    for arg in rest:
        name, eq, value = arg.partition("=")
        if name in ("--out", "--runner", "--address"):
            given[name] = value if eq else next(rest, "")
        elif arg in ("--force", "--help", "-h"):
            given["--help" if arg == "-h" else arg] = ""
    from flows.config import ConfigError, runner_and_address
    from review.outputs import MANIFEST

    try:
        runner, _ = runner_and_address(given.get("--runner"), given.get("--address"))
    except ConfigError:
        return False
    if runner != "process" or "--help" in given:
        return False
    return "--force" in given or not (Path(given.get("--out") or OUT) / MANIFEST).exists()


def _codes(strict: str | None) -> frozenset[str]:
    codes = frozenset(c.strip() for c in (strict or "").split(",") if c.strip())
    bad = sorted(c for c in codes if not CODE.fullmatch(c))
    if bad:
        fail(f"--strict takes warning codes such as no_year,no_city, not {', '.join(map(repr, bad))}")
    return codes


def _inputs(paths: list[Path], out: Path) -> None:
    """A mistake in the paths, or in OUT, ends the command here; files that are not reports are noted."""
    from batch.inputs import collect, not_reports
    from pipeline.ingest import SUFFIXES

    for p in paths:
        if not p.exists():
            fail(f"{p} does not exist: give report files or folders of them (default raw_reports/)")
    for folder in (out, *out.parents):
        if folder.exists() and not folder.is_dir():
            fail(f"--out {out}: {folder} is a file, not a folder: give a folder for the outputs")
    skipped = not_reports(paths)
    listed = ", ".join(str(f) for f in skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5 else "")
    if not collect(paths):
        fail(f"nothing to do: {', '.join(map(str, paths))} holds no report files ({', '.join(SUFFIXES)})"
             + (f"; not reports: {listed}" if skipped else ""))
    if skipped:
        note(f"skipped {len(skipped)} file{'s' if len(skipped) > 1 else ''} that {'are' if len(skipped) > 1 else 'is'} "
             f"not a report ({', '.join(SUFFIXES)}): {listed}")


def _report(run, out: Path) -> None:
    from rich.table import Column, Table
    from rich.text import Text

    from flows.summary import outcome, summarise

    results = run.results
    for notice in run.notices:
        note(notice)
    summary = summarise(results)
    shown = results if len(results) <= TABLE_ROWS else [r for r in results if r.status == "failed"]
    if shown:  # a batch of hundreds: only its failures (every file is in the manifest)
        table = Table(Column("file", overflow="fold"), "status", Column("report", overflow="fold"), "warnings",
                      "seconds", Column("error", overflow="fold"))
        for r in shown:
            o = outcome(r)
            table.add_row(Text(r.path), Text(o, style=STYLE.get(o, "")), Text(r.report_id or ""),
                          Text(_short(r.warnings)), f"{r.seconds:.2f}", Text(r.error or ""))
        console.print(table)
    if summary.warnings:
        console.print("warnings: " + "; ".join(f"{c} {n} file{'s' if n > 1 else ''} (e.g. {summary.examples[c]})"
                                               for c, n in summary.warnings.most_common()), markup=False, highlight=False)
    console.print(f"{summary.text()}; manifest {out / '_manifest.json'}", markup=False, highlight=False)
    if run.page:
        console.print(f"Prefect flow run: {run.page}", markup=False, highlight=False)
    raise typer.Exit(1 if summary.counts["failed"] else 0)


def _short(codes: list[str], n: int = 3) -> str:
    return ", ".join(codes[:n]) + (f" +{len(codes) - n}" if len(codes) > n else "")
