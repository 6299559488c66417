"""The Prefect flow `extract_reports`: coarse tasks (a batch of files each) over worker processes.

Measured facts it is built around (2 cores, Prefect 3.9): a task costs ~6 ms on the thread runner and
150-250 ms on the process and Dask runners; threads give no speed-up on CPU-bound NLP (the GIL). So:

- runner="process" (default): batch tasks run on Prefect's ThreadPoolTaskRunner (cheap tasks) and each
  hands its batch, file by file, to a pool of `workers` processes (flows.pool); the models load once.
  Every file has a time bound and every worker a memory budget (flows.config); a file that passes
  one fails alone.
- runner="dask": the same batch tasks go through prefect-dask's DaskTaskRunner, to a cluster at
  `address` or to a temporary LocalCluster of `workers` single-threaded worker processes; each Dask
  worker process extracts its batches itself and keeps its models between batches. The files and
  the output folder must be at the same path on every Dask worker (README, "Running at scale").

The flow plans first (batch.plan): unchanged files are skipped in this process without loading
Natasha, and it writes the manifest after every batch, so a killed run resumes where it stopped.
It ends Failed when a file failed; its run logger and artifacts say which (flows.artifacts).
Deployments (prefect.yaml) use this flow as their entrypoint.
"""
from contextlib import nullcontext
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.states import Completed, Failed
from prefect.task_runners import ThreadPoolTaskRunner

from batch.inputs import collect
from batch.manifest import FileResult
from batch.plan import make_batches, make_plan
from flows import artifacts
from flows.config import RUNNERS, pool_bounds, running_server, workers as default_workers
from flows.pool import WorkerPool, failed, run_batch, take
from flows.progress import Progress


@task(name="extract-batch", cache_policy=NO_CACHE, persist_result=False, retries=0)
def extract_batch(items: list[tuple[str, dict | None]], out_dir: str, version: str, options: dict | None = None,
                  pool: WorkerPool | None = None, progress: Progress | None = None) -> list[FileResult]:
    """Extract a batch: in the run's worker pool (process runner) or in this process (a Dask worker)."""
    if pool is None:
        return run_batch(items, out_dir, version, options)
    return pool.run(items, out_dir, version, options, on_result=progress.file if progress else None)


def run_name() -> str:
    """`extract-<folder>-<N>-files`: the folder (or first file) given and how many files it holds."""
    from prefect.runtime import flow_run

    paths = flow_run.parameters.get("paths") or []
    first = Path(paths[0]).name if paths else "nothing"
    more = f"+{len(paths) - 1}" if len(paths) > 1 else ""
    return f"extract-{first}{more}-{len(collect([Path(p) for p in paths]))}-files"


@flow(name="extract_reports", flow_run_name=run_name, log_prints=False, persist_result=False, retries=0)
def extract_reports_flow(paths: list[str], out_dir: str = "extracted", progress: str = "log",
                         workers: int | None = None, runner: str = "process", address: str | None = None,
                         force: bool = False, strict: list[str] | None = None):
    """Extract report files into OUT/<report_id>.json and write OUT/_manifest.json; results in input order.

    progress: bar | lines | log | off (flows.progress). force: extract every file again, unchanged or
    not. strict: warning codes that fail a file. Ends Failed when any file failed."""
    if runner not in RUNNERS:
        raise ValueError(f"runner must be one of {', '.join(RUNNERS)}, not {runner!r}")
    logger = get_run_logger()
    workers = default_workers(workers)
    strict_codes = frozenset(strict or ())
    plan = make_plan(paths, out_dir, force=force, strict=strict_codes)
    options = {"strict": strict_codes, "force": force}
    shown = Progress(progress, write=logger.info if progress == "log" else None)
    if plan.todo:
        pool = None
        if runner == "process":
            pool = take(workers) or WorkerPool(workers, warm=bool(plan.fresh), **pool_bounds(workers))
        with _task_runner(runner, workers, address) as tr, (pool if pool is not None else nullcontext()):
            slots = _dask_slots(tr) if runner == "dask" else workers
            shown.start(len(plan.files), len(plan.files) - len(plan.todo), since=pool.created if pool else None)
            futures = {}
            for batch in make_batches(plan.todo, slots, guided=runner == "dask"):
                params = {"items": plan.items(batch), "out_dir": str(plan.out_dir), "version": plan.version,
                          "options": options, "pool": pool, "progress": shown if pool is not None else None}
                futures[tr.submit(extract_batch, params)] = batch
            for future in as_completed(list(futures)):
                batch = futures[future]
                shown_already = pool is not None  # the pool reports each file as it finishes
                try:
                    results = future.result()
                except Exception as e:  # the task itself failed (a lost Dask worker, ...): its files fail
                    error = f"batch task failed: {type(e).__name__}: {e}".replace("\n", " ")
                    results, shown_already = [failed(item, plan.version, error) for item in plan.items(batch)], False
                if not shown_already:
                    for r in results:
                        shown.file(r)
                plan.record(results)
                plan.checkpoint(due=True)
            shown.close()
    results = plan.finish()
    summary = artifacts.publish(results, logger, out_dir)
    bad = summary.counts["failed"]
    if bad:
        return Failed(message=f"{bad} of {len(results)} files failed", data=results)
    return Completed(message=summary.counts_text(), data=results)


def _dask_slots(tr) -> int:
    """Worker threads in the Dask cluster: batches are sized for them, not for this machine's cores."""
    return max(1, sum(tr.client.nthreads().values()))


def _task_runner(runner: str, workers: int, address: str | None):
    if runner == "dask":
        from prefect_dask import DaskTaskRunner

        if address:
            return DaskTaskRunner(address=address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None})
    return ThreadPoolTaskRunner(max_workers=workers + 1)  # one batch queued ahead keeps every worker busy


def run(paths: list[str], out_dir: str, *, progress: str, workers: int, runner: str, address: str | None,
        force: bool = False, strict: list[str] | None = None) -> tuple[list[FileResult], str, str]:
    """Run the flow against the configured API: PREFECT_API_URL / a profile, else the server
    `city-reports server` started, else Prefect's ephemeral mode (with a start-up timeout fit for a
    busy machine). Returns the results, the flow run's id and where to see it (flows.artifacts.run_page).

    A run started here sends no flow-run heartbeats unless PREFECT_FLOWS_HEARTBEAT_FREQUENCY is set:
    Prefect's heartbeat thread sleeps in whole seconds and the end of every flow waits for it (half
    a second on average, measured). Deployment runs (prefect.yaml) do not come through here and keep
    Prefect's default, which zombie-run automations rely on. The run's log lines go to the API only:
    the command line prints its own table and summary."""
    from prefect.settings import (PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
                                  PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, get_current_settings,
                                  temporary_settings)

    updates = {}
    if not get_current_settings().api.url:
        url = running_server()
        if url:
            updates[PREFECT_API_URL] = url
        else:
            updates[PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS] = max(
                90, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
    with temporary_settings(updates=updates, set_defaults={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}), \
            artifacts.api_only_logs():
        state = extract_reports_flow(paths, out_dir, progress, workers, runner, address, force, strict,
                                     return_state=True)
        results = state.result(raise_on_failure=False)
        run_id = str(state.state_details.flow_run_id)
        page = artifacts.run_page(run_id)
        _send_events()
    if isinstance(results, BaseException):  # the flow itself broke (not a file): as any program would
        raise results
    return results, run_id, page


def _send_events() -> None:
    """Wait until the run's events have reached the API, as Prefect's own task runners do: the
    drain at exit then finds none left (and does not warn that it is still sending them)."""
    from prefect.events.worker import EventsWorker

    if EventsWorker._instances:  # only when one exists: instance() would otherwise start one
        EventsWorker.instance().wait_until_empty()
