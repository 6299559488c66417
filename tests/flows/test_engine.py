"""flows.engine: the flow's batch task survives a dying worker; the Dask runner; the deployment in prefect.yaml."""
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT

FIXTURES = sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))


def _extract_or_die(items, out_dir, version):
    """run_batch, except that a file named die*.txt ends its worker process at once (as the OOM
    killer or a crash in native code would)."""
    from flows.pool import run_batch

    if any(Path(path).name.startswith("die") for path, _ in items):
        os._exit(1)
    return run_batch(items, out_dir, version)


def test_a_file_that_kills_its_worker_fails_alone(tmp_path):
    """The batch task retries file by file in fresh pools: only the file that kills a worker twice
    fails; the files around it, some of which died with the first pool, come out whole."""
    from flows.engine import extract_batch
    from flows.pool import WorkerPool

    class DyingPool(WorkerPool):
        @staticmethod
        def _submit(executor, items, out_dir, version):
            return [executor.submit(_extract_or_die, [item], out_dir, version) for item in items]

    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "die.txt").write_text("Отчёт, на котором процесс погибает", encoding="utf-8")
    shutil.copy(FIXTURES[0], src / "a.txt")
    items = [(str(src / name), None) for name in ("die.txt", "a.txt")]
    with DyingPool(1, warm=False) as pool:
        results = extract_batch.fn(items, str(out), "test", pool)
    assert [(Path(r.path).name, r.status) for r in results] == [("die.txt", "failed"), ("a.txt", "ok")]
    assert results[0].error == "worker process died while extracting this file"
    assert sorted(p.name for p in out.iterdir()) == ["a.json"]


@pytest.mark.slow
def test_dask_runner_on_a_local_cluster_of_two_worker_processes(prefect_server, tmp_path):
    """`--runner dask --address tcp://…`: the same flow on a Dask cluster (here 2 local worker processes)."""
    from distributed import Client, LocalCluster

    from flows.extract import extract_reports

    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for f in FIXTURES[:3]:
        shutil.copy(f, src / f.name)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        assert cluster.scheduler_address.startswith("tcp://")
        results = extract_reports([str(src)], str(out), runner="dask", address=cluster.scheduler_address)
        assert [r.status for r in results] == ["ok"] * 3, [r.error for r in results]
        loads = client.run(_models_loaded)
    assert len(loads) == 2
    assert all(n <= 1 for n in loads.values()) and sum(loads.values()) >= 1  # at most once per worker process
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    assert [f["status"] for f in manifest["files"]] == ["ok"] * 3
    again = extract_reports([str(src)], str(out), runner="dask", address="tcp://127.0.0.1:1")  # never contacted
    assert [r.status for r in again] == ["unchanged"] * 3


def _models_loaded() -> int:
    import sys as _sys

    nlp = _sys.modules.get("pipeline.nlp")
    return nlp.models.cache_info().misses if nlp else 0


def test_prefect_yaml_deploys_the_flow_on_a_schedule():
    import yaml

    from flows.engine import extract_reports_flow
    from prefect.flows import load_flow_from_entrypoint

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    (dep,) = [d for d in spec["deployments"] if d["name"] == "inbox"]
    flow = load_flow_from_entrypoint(str(ROOT / dep["entrypoint"]))
    assert flow.name == extract_reports_flow.name == "extract_reports"
    assert set(dep["parameters"]) <= set(flow.parameters.properties)
    assert dep["work_pool"]["name"] == "city-reports"
    assert dep["schedules"] and all(s.get("interval") or s.get("cron") for s in dep["schedules"])
    assert dep.get("concurrency_limit") == 1  # scheduled runs over one folder never overlap
