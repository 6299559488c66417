"""The Prefect flow `extract_reports`: coarse tasks (a batch of files each) over worker processes.

Measured facts it is built around (2 cores, Prefect 3.9): a task costs ~6 ms on the thread runner and
150-250 ms on the process and Dask runners; threads give no speed-up on CPU-bound NLP (the GIL). So:

- runner="process" (default): batch tasks run on Prefect's ThreadPoolTaskRunner (cheap tasks) and each
  hands its batch, file by file, to a pool of `workers` processes (flows.pool); the models load once.
- runner="dask": the same batch tasks go through prefect-dask's DaskTaskRunner, to a cluster at
  `address` or to a temporary LocalCluster of `workers` single-threaded worker processes; each Dask
  worker process extracts its batches itself and keeps its models between batches.

The flow plans first (batch.plan): unchanged files are skipped in this process without loading
Natasha, and it writes the manifest after every batch, so a killed run resumes where it stopped.
Deployments (prefect.yaml) use this flow as their entrypoint.
"""
from concurrent.futures.process import BrokenProcessPool
from contextlib import nullcontext
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from rich.progress import Progress

from batch.inputs import file_sha
from batch.manifest import FileResult
from batch.plan import make_batches, make_plan
from flows.config import default_workers, running_server
from flows.pool import WorkerPool, run_batch, take
from pipeline.slug import report_id

RUNNERS = ("process", "dask")


@task(name="extract-batch", cache_policy=NO_CACHE, persist_result=False, retries=0)
def extract_batch(items: list[tuple[str, dict | None]], out_dir: str, version: str,
                  pool: WorkerPool | None = None) -> list[FileResult]:
    """Extract a batch: in the run's worker pool (process runner) or in this process (a Dask worker)."""
    if pool is None:
        return run_batch(items, out_dir, version)
    try:
        return pool.run(items, out_dir, version)
    except BrokenProcessPool:
        pass
    # A worker died (a crash in native code, the OOM killer, a kill): retry file by file in a new pool
    # so that only the file that kills a worker twice fails.
    results = []
    for item in items:
        for attempt in (1, 2):
            try:
                results += pool.run([item], out_dir, version)
                break
            except BrokenProcessPool:
                if attempt == 2:
                    results.append(_failed(item[0], version, "worker process died while extracting this file"))
    return results


def _failed(path: str, version: str, error: str) -> FileResult:
    p = Path(path)
    return FileResult(path, file_sha(p), "failed", report_id(p), None, error, 0.0, version)


@flow(name="extract_reports", log_prints=False, persist_result=False, retries=0)
def extract_reports_flow(paths: list[str], out_dir: str = "extracted", show_progress: bool = False,
                         workers: int | None = None, runner: str = "process",
                         address: str | None = None) -> list[FileResult]:
    """Extract report files into OUT/<report_id>.json and write OUT/_manifest.json; results in input order."""
    if runner not in RUNNERS:
        raise ValueError(f"runner must be one of {', '.join(RUNNERS)}, not {runner!r}")
    workers = workers or default_workers()
    plan = make_plan(paths, out_dir)
    if plan.todo:
        pool = (take(workers) or WorkerPool(workers, warm=bool(plan.fresh))) if runner == "process" else None
        with Progress(disable=not show_progress, transient=True) as progress, _task_runner(runner, workers, address) as tr, \
                (pool if pool is not None else nullcontext()):
            slots = _dask_slots(tr) if runner == "dask" else workers
            bar = progress.add_task("extracting", total=len(plan.files), completed=len(plan.files) - len(plan.todo))
            futures = {}
            for batch in make_batches(plan.todo, slots, guided=runner == "dask"):
                params = {"items": plan.items(batch), "out_dir": str(plan.out_dir), "version": plan.version,
                          "pool": pool}
                futures[tr.submit(extract_batch, params)] = batch
            for future in as_completed(list(futures)):
                batch = futures[future]
                try:
                    results = future.result()
                except Exception as e:  # the task itself failed (a lost Dask worker, ...): its files fail
                    error = f"batch task failed: {type(e).__name__}: {e}".replace("\n", " ")
                    results = [_failed(str(p), plan.version, error) for p in batch]
                plan.record(results)
                plan.checkpoint()
                progress.advance(bar, len(batch))
    return plan.finish()


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


def run(paths: list[str], out_dir: str, show_progress: bool, workers: int, runner: str,
        address: str | None) -> list[FileResult]:
    """Run the flow against the configured API: PREFECT_API_URL / a profile, else the server
    `city-reports server` started, else Prefect's ephemeral mode (with a start-up timeout fit for a
    busy machine).

    A run started here sends no flow-run heartbeats unless PREFECT_FLOWS_HEARTBEAT_FREQUENCY is set:
    Prefect's heartbeat thread sleeps in whole seconds and the end of every flow waits for it (half
    a second on average, measured). Deployment runs (prefect.yaml) do not come through here and keep
    Prefect's default, which zombie-run automations rely on."""
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
    with temporary_settings(updates=updates, set_defaults={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        results = extract_reports_flow(paths, out_dir, show_progress, workers, runner, address)
        _send_events()
    return results


def _send_events() -> None:
    """Wait until the run's events have reached the API, as Prefect's own task runners do: the
    drain at exit then finds none left (and does not warn that it is still sending them)."""
    from prefect.events.worker import EventsWorker

    if EventsWorker._instances:  # only when one exists: instance() would otherwise start one
        EventsWorker.instance().wait_until_empty()
