"""flows.pool: worker processes that load the models once (forks of one warm process) and extract batches."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

FIXTURES = sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))


def test_worker_pool_loads_models_once_per_process():
    from flows.pool import WorkerPool

    items = [[(str(f), None)] for f in FIXTURES[:2]]
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"city-reports-pool-{os.getpid()}"
    try:
        with WorkerPool(2, warm=False) as pool:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(2) as threads:
                results = [r for rs in threads.map(lambda it: pool.run(it, str(out), "test"), items) for r in rs]
            probes = dict(pool.call(_probe) for _ in range(8))
        assert [r.status for r in results] == ["ok"] * 2, [r.error for r in results]
        assert all(n <= 1 for n in probes.values()) and sum(probes.values()) >= 1, probes  # at most once per worker
        assert os.getpid() not in probes
    finally:
        shutil.rmtree(out, ignore_errors=True)


def test_batches_started_early_are_collected_not_extracted_twice(tmp_path):
    """extract_reports starts the first batches before Prefect is up; the flow's task for the same
    batch takes that result instead of extracting the files again."""
    import time

    from flows.pool import WorkerPool

    src, out = tmp_path / "report.txt", tmp_path / "out"
    src.write_bytes(FIXTURES[0].read_bytes())
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    items = [(str(src), None)]
    with WorkerPool(1, warm=False) as pool:
        pool.start_early([items], str(out), "test")
        deadline = time.monotonic() + 120
        while not any(out.glob("*.json")) and time.monotonic() < deadline:
            time.sleep(0.2)
        src.write_text("Отчёт, изменённый после раннего старта", encoding="utf-8")
        [collected] = pool.run(items, str(out), "test")
        [again] = pool.run(items, str(out), "test")  # no early result left: extracted now
    assert (collected.status, collected.sha256) == ("ok", before)
    assert again.sha256 == hashlib.sha256(src.read_bytes()).hexdigest() != before


WARM_POOL = """
import json, os, sys
from concurrent.futures import ThreadPoolExecutor
from flows.pool import WorkerPool
from tests.flows.test_pool import _probe_fork
with WorkerPool(2, warm=True) as pool:
    pool.start_early([[(sys.argv[1], None)], [(sys.argv[2], None)]], sys.argv[3], "test")
    results = [r for path in sys.argv[1:3] for r in pool.run([(path, None)], sys.argv[3], "test")]
    with ThreadPoolExecutor(2) as calls:  # a probe holds its worker a moment: the other takes the next
        probes = {pid: rest for pid, *rest in calls.map(lambda _: pool.call(_probe_fork), range(4))}
print(json.dumps({"main": os.getpid(), "statuses": [r.status for r in results], "probes": probes}))
"""


def test_warm_workers_are_forks_of_one_process_that_loaded_the_models(tmp_path):
    """The models load once per run, in the fork server; both workers are its children and inherit them."""
    out = subprocess.run([sys.executable, "-c", WARM_POOL, str(FIXTURES[0]), str(FIXTURES[1]), str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    run = json.loads(out.stdout.strip().splitlines()[-1])
    assert run["statuses"] == ["ok", "ok"]
    probes = list(run["probes"].values())
    assert len(probes) == 2, probes  # two worker processes answered
    parents, loads, frozen = zip(*probes)
    assert len(set(parents)) == 1 and parents[0] != run["main"]  # forked by one other process...
    assert min(frozen) > 10_000  # ...which had loaded everything and frozen it (flows.preload)
    assert loads == (1, 1)  # the one load, inherited


RECYCLED_POOL = """
import json, sys
from flows.pool import WorkerPool
from tests.flows.test_pool import _probe_fork
with WorkerPool(1, warm=True, worker_files=2) as pool:
    results = pool.run([(path, None) for path in sys.argv[1:4]], sys.argv[4], "test")
    probes = [pool.call(_probe_fork) for _ in range(3)]
print(json.dumps({"statuses": [r.status for r in results], "probes": probes}))
"""


def test_a_worker_gives_way_to_a_fresh_fork_after_its_share_of_files(tmp_path):
    """worker_files=2, one worker: files 1-2 on the first worker, file 3 and a probe on the second,
    the next probes on a third; every one a fork of the warm server (the one model load inherited)."""
    files = [str(f) for f in (FIXTURES * 3)[:3]]
    out = subprocess.run([sys.executable, "-c", RECYCLED_POOL, *files, str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    run = json.loads(out.stdout.strip().splitlines()[-1])
    assert run["statuses"] == ["ok", "ok", "ok"]
    pids, parents, loads, _ = zip(*run["probes"])
    assert pids[0] != pids[1] == pids[2]
    assert len(set(parents)) == 1 and loads == (1, 1, 1)


def _probe_fork():
    import gc
    import time

    from pipeline import nlp

    time.sleep(0.5)
    return os.getpid(), os.getppid(), nlp.models.cache_info().misses, gc.get_freeze_count()


def _probe():
    from pipeline import nlp

    return os.getpid(), nlp.models.cache_info().misses


def _extract_or_misbehave(items, out_dir, version, options=None):
    """run_batch, except for files named to misbehave: die* ends its worker at once (as the OOM
    killer or a crash in native code would), slow* never finishes, hog* takes memory until stopped."""
    import time

    from flows.pool import run_batch

    name = Path(items[0][0]).name
    if name.startswith("die"):
        os._exit(1)
    if name.startswith("slow"):
        time.sleep(3600)
    if name.startswith("hog"):
        hoard = []
        while True:
            hoard.append(b"x" * (64 * 2**20))  # written, so resident
            time.sleep(0.01)
    return run_batch(items, out_dir, version, options)


def _misbehaving_pool(*args, **kw):
    from flows.pool import WorkerPool

    class MisbehavingPool(WorkerPool):
        def _submit(self, pool, items, out_dir, version, options):
            return [pool.schedule(_extract_or_misbehave, args=([item], out_dir, version, options),
                                  timeout=self.file_seconds) for item in items]

    return MisbehavingPool(*args, **kw)


def _batch(tmp_path, *names):
    src = tmp_path / "src"
    src.mkdir()
    for name in names:
        shutil.copy(FIXTURES[0], src / name)
    return [(str(src / name), None) for name in names]


def _outcomes(results):
    return [(Path(r.path).name, r.status) for r in results]


def test_a_file_that_kills_its_worker_fails_alone(tmp_path):
    """Only the file whose worker died fails; the file after it gets a new worker; no retries."""
    items = _batch(tmp_path, "die.txt", "a.txt")
    with _misbehaving_pool(1) as pool:
        results = pool.run(items, str(tmp_path / "out"), "test")
    assert _outcomes(results) == [("die.txt", "failed"), ("a.txt", "ok")]
    assert results[0].error == "worker process died while extracting this file (exit status 1)"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["_machine", "a.json"]


def test_a_file_over_the_time_bound_fails_alone_and_the_batch_goes_on(tmp_path):
    """One worker: the slow file holds it until the bound, then a new worker extracts the next file.
    (Warm workers: the models load before a worker takes its first file, outside the bound.)"""
    items = _batch(tmp_path, "slow.txt", "a.txt")
    seen = []
    with _misbehaving_pool(1, warm=True, file_seconds=8) as pool:
        results = pool.run(items, str(tmp_path / "out"), "test", on_result=seen.append)
    assert _outcomes(results) == [("slow.txt", "failed"), ("a.txt", "ok")]
    assert results[0].error.startswith("stopped after 8 s, the time bound per file (CITY_REPORTS_FILE_SECONDS)")
    assert sorted(Path(r.path).name for r in seen) == ["a.txt", "slow.txt"]  # progress heard of both


def test_a_worker_over_its_memory_budget_is_stopped_and_only_its_file_fails(tmp_path):
    """Two workers: the one that takes memory is stopped at the budget; the files of the other worker
    and the file after the hog (on a new worker) come out whole."""
    items = _batch(tmp_path, "hog.txt", "a.txt", "b.txt")
    with _misbehaving_pool(2, worker_mb=2500) as pool:
        results = pool.run(items, str(tmp_path / "out"), "test")
    assert _outcomes(results) == [("hog.txt", "failed"), ("a.txt", "ok"), ("b.txt", "ok")]
    assert results[0].error == "stopped: its worker passed 2500 MB, the memory budget per worker (CITY_REPORTS_WORKER_MB)"
