"""flows.engine: a run with a bad file as Prefect records it; the Dask runner; the deployment in prefect.yaml."""
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT

FIXTURES = sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))


def _folder(path: Path, files: list[Path]) -> Path:
    path.mkdir()
    for f in files:
        shutil.copy(f, path / f.name)
    return path


@pytest.mark.slow
def test_dask_runner_on_a_local_cluster_of_two_worker_processes(prefect_server, tmp_path):
    """`--runner dask --address tcp://…`: the same flow on a Dask cluster (here 2 local worker processes)."""
    from distributed import Client, LocalCluster

    from flows.extract import extract_reports

    src, out = _folder(tmp_path / "src", FIXTURES[:3]), tmp_path / "out"
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


@pytest.mark.slow
def test_a_run_with_a_bad_file_ends_failed_with_a_table_of_every_file_and_a_log_line_naming_it(prefect_server, tmp_path):
    """Read back through the Prefect client: the flow run's state, name, artifacts and log lines."""
    import time

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, LogFilter, LogFilterFlowRunId
    from prefect.client.schemas.objects import StateType

    from flows.extract import run_extraction

    src, out = _folder(tmp_path / "inbox", FIXTURES[:2]), tmp_path / "out"
    (src / "broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    run = run_extraction([str(src)], str(out), workers=1)
    assert [r.status for r in run.results] == ["failed", "ok", "ok"]
    with get_client(sync_client=True) as client:
        flow_run = client.read_flow_run(run.flow_run_id)
        assert flow_run.state.type == StateType.FAILED and flow_run.state.message == "1 of 3 files failed"
        assert flow_run.name == "extract-inbox-3-files"
        artifacts = {a.key: a for a in client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run.id])))}
        table = artifacts["extract-files"].data
        rows = json.loads(table) if isinstance(table, str) else table
        assert sorted((Path(r["file"]).name, r["status"]) for r in rows) == [
            ("broken.txt", "failed"), (FIXTURES[0].name, "ok"), (FIXTURES[1].name, "ok")]
        assert "1 failed" in artifacts["extract-summary"].data
        deadline, errors = time.monotonic() + 30, []
        while not errors and time.monotonic() < deadline:  # log lines reach the API in the background
            logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run.id])))
            errors = [lg.message for lg in logs if lg.level >= 40]
            time.sleep(0.5)
    assert errors == [f"failed: {src / 'broken.txt'}: binary content: NUL bytes in a text file"]
