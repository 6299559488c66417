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


def _probe_fork():
    import gc
    import time

    from pipeline import nlp

    time.sleep(0.5)
    return os.getpid(), os.getppid(), nlp.models.cache_info().misses, gc.get_freeze_count()


def _probe():
    from pipeline import nlp

    return os.getpid(), nlp.models.cache_info().misses
