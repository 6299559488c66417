"""Running at scale: skipping without models, rule changes, worker processes, Dask, prefect.yaml, bench corpus."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from flows.plan import file_sha, make_batches, make_plan, pipeline_version
from pipeline.batch import FileResult, file_version, process_file, unchanged
from tests.conftest import ROOT, SEED

FIXTURES = sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))


def _fake_extract(monkeypatch):
    """process_file without NLP: an extraction that always fails, so 'not skipped' shows as failed."""
    fake = types.ModuleType("pipeline.extract")

    def extract(path, data, report_id=None):
        raise RuntimeError("extraction ran")

    fake.extract, fake.to_json = extract, lambda report: "{}"
    monkeypatch.setitem(sys.modules, "pipeline.extract", fake)


def test_plan_skips_exactly_what_process_file_skips(tmp_path, monkeypatch):
    """flows.plan decides in the main process what process_file would skip; the two must agree."""
    _fake_extract(monkeypatch)
    monkeypatch.setenv("CITY_REPORTS_REVIEWS", str(tmp_path / "reviews"))
    out = tmp_path / "out"
    out.mkdir()
    version = pipeline_version()
    files, previous = {}, {}
    for name in ("same", "edited", "rules", "no-output", "failed-before", "reviewed"):
        f = files[name] = tmp_path / f"{name}.txt"
        f.write_text(f"Отчёт {name}", encoding="utf-8")
        (out / f"{name}.json").write_text("{}", encoding="utf-8")
        previous[name] = {"path": str(f), "sha256": hashlib.sha256(f.read_bytes()).hexdigest(), "status": "ok",
                          "pipeline_version": file_version(version, name), "output": str(out / f"{name}.json")}
    files["edited"].write_text("Отчёт изменён", encoding="utf-8")
    previous["rules"]["pipeline_version"] = file_version("0.1.0+rules-before", "rules")
    (out / "no-output.json").unlink()
    previous["failed-before"]["status"] = "failed"
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "reviewed.json").write_text('{"report_id": "reviewed"}', encoding="utf-8")
    decided = {}
    for name, f in files.items():
        planned = unchanged(f, out, version, previous[name], file_sha(f))
        actual = process_file(f, out, version, previous[name])
        assert (planned is not None) == (actual.status == "unchanged"), (name, planned, actual)
        if planned is not None:
            assert (planned.path, planned.sha256, planned.report_id, planned.output, planned.pipeline_version) == \
                   (actual.path, actual.sha256, actual.report_id, actual.output, actual.pipeline_version)
        else:
            assert actual.error == "RuntimeError: extraction ran", (name, actual)
        decided[name] = planned is not None
    assert decided == {"same": True, "edited": False, "rules": False, "no-output": False, "failed-before": False,
                       "reviewed": False}
    assert unchanged(files["same"], out, version, None, file_sha(files["same"])) is None


def test_unchanged_rerun_loads_neither_natasha_nor_prefect(tmp_path):
    """A re-run with nothing changed: manifest rewritten, every file `unchanged`, in about a second."""
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    for f in FIXTURES[:3]:
        shutil.copy(f, src / f.name)
    code = f"""
import json, sys, time
from pathlib import Path
from flows.plan import pipeline_version
from pipeline.batch import FileResult, file_version, write_manifest
from pipeline.slug import slugify
import hashlib
src, out = Path({str(src)!r}), Path({str(out)!r})
v = pipeline_version()
results = []
for f in sorted(src.iterdir()):
    rid = slugify(f.stem)
    (out / f"{{rid}}.json").write_text("{{}}", encoding="utf-8")
    results.append(FileResult(str(f), hashlib.sha256(f.read_bytes()).hexdigest(), "ok", rid, str(out / f"{{rid}}.json"),
                              None, 1.0, file_version(v, rid)))
write_manifest(out, results)
t = time.perf_counter()
from flows.extract import extract_reports
again = extract_reports([str(src)], str(out))
print(json.dumps({{"statuses": [r.status for r in again], "seconds": time.perf_counter() - t,
                  "loaded": sorted(m for m in ("natasha", "prefect", "pipeline.extract", "pipeline.nlp", "slovnet")
                                   if m in sys.modules)}}))
"""
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["statuses"] == ["unchanged"] * 3
    assert got["loaded"] == []
    assert got["seconds"] < 5
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    assert [f["status"] for f in manifest["files"]] == ["unchanged"] * 3


def test_a_rule_change_reruns_the_files(tmp_path):
    """The pipeline version covers pipeline/rules/*: editing a rule file makes every file due again."""
    code = tmp_path / "code"
    for name in ("pipeline", "models", "flows"):
        shutil.copytree(ROOT / name, code / name, ignore=shutil.ignore_patterns("__pycache__"))
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    shutil.copy(FIXTURES[0], src / FIXTURES[0].name)
    probe = f"""
import json, hashlib
from pathlib import Path
from flows.plan import make_plan, pipeline_version
from pipeline.batch import FileResult, file_version, write_manifest, load_manifest
src, out = Path({str(src)!r}), Path({str(out)!r})
f = next(src.iterdir())
if not load_manifest(out):
    (out / "{FIXTURES[0].stem}.json").parent.mkdir(exist_ok=True)
    (out / "{FIXTURES[0].stem}.json").write_text("{{}}")
    write_manifest(out, [FileResult(str(f), hashlib.sha256(f.read_bytes()).hexdigest(), "ok", "{FIXTURES[0].stem}",
                                    str(out / "{FIXTURES[0].stem}.json"), None, 1.0,
                                    file_version(pipeline_version(), "{FIXTURES[0].stem}"))])
plan = make_plan([str(src)], str(out))
print(json.dumps({{"version": plan.version, "todo": [str(p) for p in plan.todo]}}))
"""

    def run():
        p = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                           env={**os.environ, "PYTHONPATH": str(code)})
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout.strip().splitlines()[-1])

    before = run()
    assert before["todo"] == []
    rule = code / "pipeline" / "rules" / "places.toml"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# a rule edit\n", encoding="utf-8")
    after = run()
    assert after["version"] != before["version"]
    assert after["todo"] == [str(src / FIXTURES[0].name)]


def test_batches_are_coarse_and_end_small():
    todo = [Path(f"/nonexistent/{i}.txt") for i in range(200)]
    batches = make_batches(todo, 2)
    assert sum(map(len, batches)) == 200 and sorted(p for b in batches for p in b) == sorted(todo)
    assert max(map(len, batches)) == 20 and len(batches) < 25
    assert batches[-1] == batches[-1][:1]
    assert make_batches([], 2) == []
    even = make_batches(todo, 2, guided=False)  # the process pool shares out each batch file by file
    assert [len(b) for b in even] == [20] * 10 and sorted(p for b in even for p in b) == sorted(todo)
    assert [len(b) for b in make_batches(todo[:10], 2, guided=False)] == [3, 3, 3, 1]


def test_two_texts_under_one_report_id_fail_instead_of_overwriting(tmp_path):
    """Yearly folders reuse names (2021/omsk.txt, 2022/omsk.txt): the first keeps OUT/omsk.json, the
    second fails with a message; the same text twice stays a duplicate, not a failure."""
    src = tmp_path / "src"
    for year, fixture in (("2021", FIXTURES[0]), ("2022", FIXTURES[1]), ("2023", FIXTURES[0])):
        (src / year).mkdir(parents=True)
        shutil.copy(fixture, src / year / "omsk.txt")
    plan = make_plan([str(src)], str(tmp_path / "out"))
    first, second, copy = (src / y / "omsk.txt" for y in ("2021", "2022", "2023"))
    assert plan.todo == [first] and plan.dups == {copy: first}
    clash = plan.done[str(second)]
    assert clash.status == "failed" and clash.output is None and str(first) in clash.error


def test_checkpoint_keeps_finished_files_for_a_killed_run(tmp_path, monkeypatch):
    monkeypatch.setenv("CITY_REPORTS_REVIEWS", str(tmp_path / "reviews"))
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for f in FIXTURES[:3]:
        shutil.copy(f, src / f.name)
    plan = make_plan([str(src)], str(out))
    assert len(plan.todo) == 3 and plan.fresh == plan.todo
    first = plan.todo[0]
    (out / f"{first.stem}.json").write_text("{}", encoding="utf-8")
    plan.record([FileResult(str(first), plan.shas[first], "ok", first.stem, str(out / f"{first.stem}.json"), None, 1.0,
                            file_version(pipeline_version(), first.stem))])
    plan.checkpoint()  # what a run killed now leaves behind
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    assert [f["path"] for f in manifest["files"]] == [str(first)]
    resumed = make_plan([str(src)], str(out))
    assert resumed.todo == plan.todo[1:] and [r.status for r in resumed.done.values()] == ["unchanged"]


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
from tests.test_scale import _probe_fork
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


def _probe_fork():
    import gc
    import time

    from pipeline import nlp

    time.sleep(0.5)
    return os.getpid(), os.getppid(), nlp.models.cache_info().misses, gc.get_freeze_count()


def _probe():
    from pipeline import nlp

    return os.getpid(), nlp.models.cache_info().misses


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


def test_bench_corpus_is_varied(tmp_path):
    sys.path.insert(0, str(ROOT))
    from benchmarks.bench import build_corpus

    info = build_corpus(24, tmp_path / "corpus")
    assert info["files"] == info["distinct"] == 24
    names = sorted(p.name for p in (tmp_path / "corpus").iterdir())
    assert len({n.split("-")[1] for n in names}) >= 6  # cities vary
    texts = [p.read_text(encoding="utf-8") for p in (tmp_path / "corpus").iterdir()]
    assert len({len(t) for t in texts}) >= 20
    assert SEED.read_text(encoding="utf-8") not in texts
