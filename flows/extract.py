"""`extract_reports`: what `city-reports extract` calls. Cheap when nothing changed.

It plans in the calling process first (batch.plan: hash every file, compare with the last manifest;
no Prefect, no NLP models). When every file is unchanged (or a duplicate of one), it writes the
manifest and returns at once: no Prefect import, no API server, no worker processes. Otherwise it
runs the Prefect flow `extract_reports` (flows.engine.extract_reports_flow), which re-plans (cheap)
and extracts the rest in coarse batch tasks over worker processes.

The Prefect flow object is `flows.engine.extract_reports_flow` (also exported here), the entrypoint
of the deployments in prefect.yaml.
"""
import os

from batch.manifest import FileResult
from batch.plan import make_batches, make_plan
from flows.config import ADDRESS_ENV, RUNNER_ENV, default_workers, quiet_defaults


def extract_reports(paths: list[str], out_dir: str = "extracted", show_progress: bool = False, *,
                    workers: int | None = None, runner: str | None = None,
                    address: str | None = None) -> list[FileResult]:
    """Extract report files (or folders) into OUT/<report_id>.json and OUT/_manifest.json.

    workers: worker processes (default: CITY_REPORTS_WORKERS, else every core this process may use).
    runner: "process" (default; a process pool inside coarse Prefect tasks) or "dask" (prefect-dask;
        CITY_REPORTS_RUNNER). address: a Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies "dask";
        CITY_REPORTS_DASK_ADDRESS); without it "dask" starts a local cluster of `workers` processes.
    Returns one FileResult per file, in input order.
    """
    address = address or os.environ.get(ADDRESS_ENV) or None
    runner = runner or os.environ.get(RUNNER_ENV) or ("dask" if address else "process")
    if runner not in ("process", "dask"):
        raise ValueError(f"runner must be process or dask, not {runner!r}")
    workers = workers or default_workers()
    plan = make_plan(paths, out_dir)
    if not plan.todo:
        return plan.finish()
    quiet_defaults()
    from flows import pool

    if runner == "process":  # models load and the first batches run on the worker cores while
        # Prefect starts up here; the flow makes the same batches and takes these results
        early = pool.prestart(workers, warm=bool(plan.fresh))
        early.start_early([plan.items(b) for b in make_batches(plan.todo, workers, guided=False)[:workers]],
                          str(plan.out_dir), plan.version)
    try:
        from flows.engine import run

        return run([str(p) for p in paths], str(out_dir), show_progress, workers, runner, address)
    finally:
        pool.discard()


def __getattr__(name: str):
    if name == "extract_reports_flow":  # the Prefect flow, imported only when asked for
        from flows.engine import extract_reports_flow

        return extract_reports_flow
    raise AttributeError(name)
