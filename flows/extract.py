"""`extract_reports`: what `city-reports extract` calls. Cheap when nothing changed.

It plans in the calling process first (batch.plan: hash every file, compare with the last manifest;
no Prefect, no NLP models). When every file is unchanged (or a duplicate of one), it writes the
manifest and returns at once: no Prefect import, no API server, no worker processes. Otherwise it
runs the Prefect flow `extract_reports` (flows.engine.extract_reports_flow), which re-plans (cheap)
and extracts the rest in coarse batch tasks over worker processes.

The Prefect flow object is `flows.engine.extract_reports_flow` (also exported here), the entrypoint
of the deployments in prefect.yaml.
"""
from dataclasses import dataclass, field

from batch.manifest import FileResult
from batch.plan import make_batches, make_plan
from flows.config import pool_bounds, quiet_defaults, runner_and_address, workers as default_workers


@dataclass
class Run:
    results: list[FileResult]   # one per file, in input order
    flow_run_id: str | None = None  # None: no flow ran (nothing to extract)
    page: str | None = None     # where to see the flow run (its page in the Prefect UI)
    notices: list[str] = field(default_factory=list)  # for the user (batch.plan.Plan.notices)


def extract_reports(paths: list[str], out_dir: str = "extracted", progress: str = "off", *,
                    workers: int | None = None, runner: str | None = None, address: str | None = None,
                    force: bool = False, strict: frozenset[str] = frozenset()) -> list[FileResult]:
    """Extract report files (or folders) into OUT/<report_id>.json and OUT/_manifest.json.

    progress: bar | lines | off (flows.progress). workers: worker processes (default:
    CITY_REPORTS_WORKERS, else every core this process may use). runner: "process" (default; a
    process pool inside coarse Prefect tasks) or "dask" (prefect-dask; CITY_REPORTS_RUNNER).
    address: a Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies "dask"; CITY_REPORTS_DASK_ADDRESS);
    without it "dask" starts a local cluster of `workers` processes. force: extract every file
    again. strict: warning codes that fail a file. Returns one FileResult per file, in input order.
    """
    return run_extraction(paths, out_dir, progress, workers=workers, runner=runner, address=address,
                          force=force, strict=strict).results


def run_extraction(paths: list[str], out_dir: str = "extracted", progress: str = "off", *,
                   workers: int | None = None, runner: str | None = None, address: str | None = None,
                   force: bool = False, strict: frozenset[str] = frozenset()) -> Run:
    """extract_reports, with the flow run's page in the Prefect UI."""
    runner, address = runner_and_address(runner, address)
    workers = default_workers(workers)
    plan = make_plan(paths, out_dir, force=force, strict=strict)
    if not plan.todo:
        return Run(plan.finish(), notices=plan.notices)
    quiet_defaults()
    from flows import pool

    options = {"strict": strict, "force": force}
    if runner == "process":  # models load and the first batches run on the worker cores while
        # Prefect starts up here; the flow makes the same batches and takes these results
        early = pool.prestart(workers, warm=bool(plan.fresh), **pool_bounds(workers))
        early.start_early([plan.items(b) for b in make_batches(plan.todo, workers, guided=False)[:workers]],
                          str(plan.out_dir), plan.version, options)
    try:
        from flows.engine import run

        return Run(*run([str(p) for p in paths], str(out_dir), progress=progress, workers=workers, runner=runner,
                        address=address, force=force, strict=sorted(strict)), notices=plan.notices)
    finally:
        pool.discard()


def __getattr__(name: str):
    if name == "extract_reports_flow":  # the Prefect flow, imported only when asked for
        from flows.engine import extract_reports_flow

        return extract_reports_flow
    raise AttributeError(name)
