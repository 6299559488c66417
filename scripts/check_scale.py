"""Scripted check (CI, `make check-scale`): the flow on a Dask cluster of two hosts, for real.

1. two network namespaces, host A (192.0.2.1) and host B (192.0.2.2), joined by a veth pair and
   nothing else (no route out: no traffic leaves them; the addresses are TEST-NET-1, RFC 5737);
2. on host A a Prefect server and a Dask scheduler; a Dask worker on each host (one thread each);
3. on host A `city-reports extract --runner dask --address tcp://192.0.2.1:8786`, then the same
   files with the local process pool; both workers must have extracted files;
4. the outputs of the two runs must be identical apart from `pipeline` (the time of extraction);
5. every process it started is stopped and both namespaces are removed, whatever happened.

Inputs and outputs reach the workers through a shared path (README, "Running at scale"): the
workers open the same absolute paths as the flow, here because the namespaces share one filesystem,
on real hosts through a shared mount. Needs root (ip netns) and iproute2; about 2 minutes on 2 cores.
Run: .venv/bin/python scripts/check_scale.py
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
INPUTS = sorted((ROOT / "tests/fixtures/reports").glob("*.txt")) + sorted((ROOT / "tests/fixtures/news").glob("*.txt"))[:5]
HOSTS = {"a": "192.0.2.1", "b": "192.0.2.2"}
SCHEDULER = f"tcp://{HOSTS['a']}:8786"
API = f"http://{HOSTS['a']}:4200/api"


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


class Hosts:
    """The two namespaces and every process started in them; `close` removes it all."""

    def __init__(self, tag: str):
        self.ns = {h: f"crscale-{tag}-{h}" for h in HOSTS}
        self.procs: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def create(self) -> None:
        veth = {h: f"crs{os.getpid() % 100000}{h}" for h in HOSTS}
        for h in HOSTS:
            ip("netns", "add", self.ns[h])
        ip("link", "add", veth["a"], "type", "veth", "peer", "name", veth["b"])
        for h, addr in HOSTS.items():
            ip("link", "set", veth[h], "netns", self.ns[h])
            self.run(h, ["ip", "addr", "add", f"{addr}/24", "dev", veth[h]])
            self.run(h, ["ip", "link", "set", veth[h], "up"])
            self.run(h, ["ip", "link", "set", "lo", "up"])
        routes = self.run("a", ["ip", "route"]).stdout.strip().splitlines()
        assert routes == [f"192.0.2.0/24 dev {veth['a']} proto kernel scope link src {HOSTS['a']}"], routes

    def run(self, host: str, cmd: list, env: dict | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
        p = subprocess.run(["ip", "netns", "exec", self.ns[host], *map(str, cmd)], env=env, cwd=ROOT,
                           capture_output=True, text=True, timeout=timeout)
        if p.returncode not in (0, 1) or (p.returncode == 1 and cmd[0] == "ip"):
            raise SystemExit(f"FAILED on host {host}: {' '.join(map(str, cmd))}\n{p.stdout[-2000:]}\n{p.stderr[-3000:]}")
        return p

    def start(self, host: str, name: str, cmd: list, env: dict, log_dir: Path) -> None:
        log = log_dir / f"{name}.log"
        self.logs.append(log)
        with open(log, "wb") as f:
            self.procs.append(subprocess.Popen(["ip", "netns", "exec", self.ns[host], *map(str, cmd)], env=env,
                                               cwd=ROOT, stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT,
                                               start_new_session=True))  # its own process group, stopped whole

    def close(self) -> None:
        for p in reversed(self.procs):
            _stop(p)
        for ns in self.ns.values():
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)  # its end of the veth goes with it


def _stop(p: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(p.pid, sig)
        except ProcessLookupError:
            return
        try:
            p.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def wait_for(what: str, check, hosts: Hosts, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    tails = "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-1500:]}" for log in hosts.logs)
    raise SystemExit(f"FAILED: {what} not ready within {seconds:.0f} s\n{tails}")


def outputs(folder: Path) -> dict:
    out = {}
    for p in sorted(folder.glob("*.json")):
        if p.name != "_manifest.json":
            doc = json.loads(p.read_text(encoding="utf-8"))
            doc.pop("pipeline")
            out[p.name] = doc
    return out


PROBE = """
import json, sys
from distributed import Client
with Client(sys.argv[1], timeout=30) as c:
    print(json.dumps(c.run(lambda: __import__("sys").modules["pipeline.nlp"].models.cache_info().misses
                           if "pipeline.nlp" in __import__("sys").modules else 0)))
"""


def main() -> int:
    started = time.perf_counter()
    if shutil.which("ip") is None or os.geteuid() != 0:
        raise SystemExit("check_scale needs root and iproute2 (apt-get install iproute2)")
    tmp = Path(tempfile.mkdtemp(prefix="city-reports-scale-"))
    src, logs = tmp / "shared" / "inbox", tmp / "logs"
    src.mkdir(parents=True)
    logs.mkdir()
    for f in INPUTS:
        shutil.copy(f, src / f.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CITY_REPORTS_", "DASK_"))}
    env.update({"PREFECT_HOME": str(tmp / "prefect"), "PREFECT_API_URL": API, "DO_NOT_TRACK": "1",
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING",
                "CITY_REPORTS_REVIEWS": str(tmp / "reviews"), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                "PYTHONPATH": str(ROOT)})
    hosts = Hosts(f"{os.getpid()}")
    try:
        print(f"1. hosts {HOSTS['a']} ({hosts.ns['a']}) and {HOSTS['b']} ({hosts.ns['b']}) on a veth pair", flush=True)
        hosts.create()
        print("2. Prefect server and Dask scheduler on host a, a Dask worker on each host", flush=True)
        hosts.start("a", "prefect-server", [BIN / "prefect", "server", "start", "--host", HOSTS["a"], "--port", "4200",
                                            "--analytics-off", "--no-ui"], env, logs)
        hosts.start("a", "scheduler", [BIN / "dask", "scheduler", "--host", HOSTS["a"], "--port", "8786",
                                       "--no-dashboard"], env, logs)
        for h in HOSTS:
            hosts.start(h, f"worker-{h}", [BIN / "dask", "worker", SCHEDULER, "--host", HOSTS[h], "--name", f"host-{h}",
                                           "--nworkers", "1", "--nthreads", "1", "--no-dashboard"], env, logs)
        wait_for("the Prefect server", lambda: hosts.run("a", [sys.executable, "-c", (
            f"import urllib.request; urllib.request.urlopen('{API}/health', timeout=2)")], env).returncode == 0, hosts)
        wait_for("two Dask workers", lambda: len(json.loads(hosts.run("a", [sys.executable, "-c", PROBE, SCHEDULER],
                                                                       env).stdout or "{}")) == 2, hosts)

        print(f"3. city-reports extract --runner dask --address {SCHEDULER} ({len(INPUTS)} files)", flush=True)
        t = time.perf_counter()
        dask_run = hosts.run("a", [sys.executable, "-m", "cli", "extract", src, "--out", tmp / "shared" / "out-dask",
                                   "--runner", "dask", "--address", SCHEDULER], env)
        print(f"   exit {dask_run.returncode} in {time.perf_counter() - t:.0f} s; "
              f"{dask_run.stderr.strip().splitlines()[-2] if dask_run.stderr.strip() else ''}", flush=True)
        assert dask_run.returncode == 0, dask_run.stderr[-3000:]
        loads = json.loads(hosts.run("a", [sys.executable, "-c", PROBE, SCHEDULER], env).stdout)
        print(f"   model loads per worker: {loads}", flush=True)
        assert sorted(a.split("://")[1].rsplit(":", 1)[0] for a in loads) == sorted(HOSTS.values()), loads
        assert all(n >= 1 for n in loads.values()), f"a worker extracted nothing: {loads}"
        t = time.perf_counter()
        local = hosts.run("a", [sys.executable, "-m", "cli", "extract", src, "--out", tmp / "shared" / "out-local",
                                "--workers", "2"], env)
        print(f"   the same files with the local pool: exit {local.returncode} in {time.perf_counter() - t:.0f} s", flush=True)
        assert local.returncode == 0, local.stderr[-3000:]

        print("4. the outputs are identical apart from `pipeline`", flush=True)
        a, b = outputs(tmp / "shared" / "out-dask"), outputs(tmp / "shared" / "out-local")
        assert len(a) == len(INPUTS) and sorted(a) == sorted(b), (sorted(a), sorted(b))
        differ = [name for name in a if a[name] != b[name]]
        assert not differ, f"outputs differ: {differ}"
    finally:
        print("5. stopping every process and removing the namespaces", flush=True)
        hosts.close()
        left = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        shutil.rmtree(tmp, ignore_errors=True)
    assert not any(ns in left for ns in hosts.ns.values()), left
    print(f"check_scale: OK in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
