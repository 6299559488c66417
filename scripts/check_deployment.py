"""Scripted check (CI): the team set-up end to end, on a throw-away server and folder.

0. `city-reports extract` with no server runs in Prefect's ephemeral mode;
1. `city-reports server start` starts a Prefect server in the background (`prefect server start
   --background`, the same Prefect home: a temporary folder);
2. `city-reports extract` finds it without PREFECT_API_URL and its flow run is recorded there, beside
   the ephemeral run of step 0 (one run history);
3. the project's prefect.yaml is deployed (`prefect deploy`) to a `process` work pool, a run of the
   `inbox` deployment is created and a `prefect worker` executes it: inbox/ -> extracted/;
4. a new report is dropped into inbox/ and the next run extracts only that one (the rest `unchanged`);
5. the server is stopped.

Nothing outside the temporary folder is touched. Exit status 0 when every step holds.
Run: .venv/bin/python scripts/check_deployment.py   (about 2-3 minutes on 2 cores)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FIXTURES = sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))


def sh(args, cwd, env, timeout=600, check=True) -> subprocess.CompletedProcess:
    t = time.perf_counter()
    p = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    print(f"  $ {' '.join(str(a) for a in args[:6])}{' …' if len(args) > 6 else ''}  "
          f"[exit {p.returncode}, {time.perf_counter() - t:.1f} s]", flush=True)
    if check and p.returncode != 0:
        raise SystemExit(f"FAILED: {args}\n{p.stdout[-2000:]}\n{p.stderr[-4000:]}")
    return p


def api(url: str, path: str, body: dict | None = None) -> dict | list:
    req = urllib.request.Request(url.rstrip("/") + path, method="POST" if body is not None else "GET",
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def statuses(out: Path) -> dict[str, str]:
    files = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))["files"]
    return {Path(f["path"]).name: f["status"] for f in files}


def run_deployment(url: str, dep_id: str, project: Path, env: dict, deadline_s: float = 420) -> dict:
    run = api(url, f"/deployments/{dep_id}/create_flow_run", {})
    print(f"  flow run {run['id']} created for the deployment", flush=True)
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        # a one-shot worker: picks up due runs (ours, or one the schedule made), runs them, exits
        sh([BIN / "prefect", "worker", "start", "--pool", "city-reports", "--run-once", "--limit", "1",
            "--type", "process"], project, env, timeout=600)
        state = api(url, f"/flow_runs/{run['id']}")["state"]
        if state["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            if state["type"] != "COMPLETED":
                raise SystemExit(f"FAILED: the deployment run ended {state['type']}: {state.get('message')}")
            return run
        time.sleep(1)
    raise SystemExit("FAILED: the deployment run did not finish in time")


def main() -> int:
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="city-reports-deploy-"))
    state, project = tmp / "prefect", tmp / "project"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API_", "CITY_REPORTS_"))}
    env.update({"CITY_REPORTS_PREFECT_HOME": str(state), "PREFECT_HOME": str(state),
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING",
                "CITY_REPORTS_REVIEWS": str(tmp / "reviews"), "CITY_REPORTS_WORKERS": "2"})
    # the project folder a team would deploy from: prefect.yaml, the flow entrypoint, an inbox
    project.mkdir(parents=True)
    shutil.copy(ROOT / "prefect.yaml", project / "prefect.yaml")
    shutil.copytree(ROOT / "flows", project / "flows", ignore=shutil.ignore_patterns("__pycache__"))
    (project / "inbox").mkdir()
    for f in FIXTURES[:2]:
        shutil.copy(f, project / "inbox" / f.name)
    cli = [sys.executable, "-m", "cli"]
    try:
        print("0. city-reports extract, ephemeral mode", flush=True)
        sh(cli + ["extract", "inbox", "--out", "extracted-ephemeral"], project, env)

        print("1. city-reports server start", flush=True)
        sh(cli + ["server", "start", "--no-ui", "--port", "4299"], project, env, timeout=300)
        info = json.loads((state / "city-reports-server.json").read_text(encoding="utf-8"))
        url = info["url"]
        sh(cli + ["server", "status"], project, env)

        print("2. city-reports extract finds the server", flush=True)
        sh(cli + ["extract", "inbox", "--out", "extracted-cli"], project, env)
        runs = api(url, "/flow_runs/filter", {"flows": {"name": {"any_": ["extract_reports"]}}})
        assert [r["state_type"] for r in runs] == ["COMPLETED"] * 2, runs  # the ephemeral run is there too
        assert {r["name"] for r in runs} == {"extract-inbox-2-files"}, runs
        assert set(statuses(project / "extracted-cli").values()) == {"ok"}

        print("3. prefect deploy (prefect.yaml) + a process worker", flush=True)
        penv = dict(env, PREFECT_API_URL=url)
        sh([BIN / "prefect", "work-pool", "create", "city-reports", "--type", "process"], project, penv)
        sh([BIN / "prefect", "--no-prompt", "deploy", "--all"], project, penv)
        dep = api(url, "/deployments/name/extract_reports/inbox")
        assert dep["work_pool_name"] == "city-reports", dep
        assert dep["schedules"] and dep["schedules"][0]["schedule"]["interval"] == 600, dep["schedules"]
        assert dep["parameters"]["paths"] == ["inbox"], dep["parameters"]
        run_deployment(url, dep["id"], project, penv)
        first = statuses(project / "extracted")
        assert first == {f.name: "ok" for f in FIXTURES[:2]}, first

        print("4. a new report in inbox/: only it is extracted", flush=True)
        shutil.copy(FIXTURES[2], project / "inbox" / FIXTURES[2].name)
        run_deployment(url, dep["id"], project, penv)
        second = statuses(project / "extracted")
        assert second == {**{f.name: "unchanged" for f in FIXTURES[:2]}, FIXTURES[2].name: "ok"}, second
    finally:
        print("5. city-reports server stop", flush=True)
        sh(cli + ["server", "stop"], project, env, check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"check_deployment: OK in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
