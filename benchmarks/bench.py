"""`city-reports bench` / `make bench N=200`: the cost of our pipeline and of the flow, side by side.

One run builds a corpus of N varied reports from the fixtures and times, each phase in a fresh
process (imports, model loading and Prefect start-up included in its wall time):

  a   plain Natasha (segment + morphology + NER) over the texts: the anchor
  b   pipeline.extract.extract per file in a plain loop (JSON written like the product does)
  c1  the flow, cold, 1 worker process   (`python -m cli extract`, CITY_REPORTS_WORKERS=1)
  c2  the flow, cold, 2 worker processes
  d   the flow again over c2's output with nothing changed (every file `unchanged`)

and samples the RSS of the whole process tree (this process, every child, and the Prefect server
the flows talk to) every 0.1 s. All phases run on a snapshot of the code (the packages in CODE
copied at start), so edits made meanwhile cannot change the pipeline version between c and
d; BLAS is pinned to one thread in every phase. The last line is machine-readable:

  bench: pipeline/natasha=X speedup2=X flow/loop=X warm/cold=X peak_mb=X

With `--repeat K` (make bench: 5) the cold flow runs K times with each worker count, alternating
c1, c2, c1, c2, ... so that a slow or fast spell of the machine (timings here move by 10-15 % from
minute to minute) falls on both; the figures use the median wall time of each. Plain Natasha and the
loop run up to 3 times, alternating (a, b, a, b, ...); pipeline/natasha is the median of each
pair's ratio. Each flow phase also
prints when its first and last report appeared (start-up, steady rate, tail) and the CPU time of
the whole process tree.
"""
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from benchmarks.corpus import build_corpus

ROOT = Path(__file__).resolve().parent.parent
PHASES = ("a", "b", "c1", "c2", "d")
RUN = "run"  # the Sampler's key for the whole run, beside the phases
PAIRS = 3  # with --repeat, plain Natasha and the loop run this many times, alternating (a, b, a, b, ...)
CODE = ("cli", "flows", "batch", "review", "pipeline", "models")  # the product, as installed

BARS = {  # figure -> (limit, "max" | "min", what)
    "pipeline/natasha": (2.0, "max", "(b) per character <= 2.0x plain Natasha (a)"),
    "speedup2": (1.75, "min", "(c) 2 workers >= 1.75x the throughput of 1 worker"),
    "flow/loop": (1.15, "max", "(c) 1 worker <= 1.15x the plain loop (b), start-up included"),
    "warm/cold": (0.05, "max", "(d) unchanged re-run <= 5% of the cold run (c, 2 workers)"),
    "peak_mb": (1536, "max", "peak memory (PSS) of the whole run <= 1.5 GB"),
}

ANCHOR = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from pipeline import morph  # noqa: F401  (natasha 1.6 imports pymorphy2: pointed at pymorphy3)
from natasha import Doc, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter
segmenter, emb = Segmenter(), NewsEmbedding()
morph_tagger, ner_tagger = NewsMorphTagger(emb), NewsNERTagger(emb)
d = Doc("Глава города Омска встретился с делегацией."); d.segment(segmenter); d.tag_morph(morph_tagger); d.tag_ner(ner_tagger)
t1 = time.perf_counter()
chars = 0
for f in sorted(Path(sys.argv[1]).glob("*.txt")):
    text = f.read_text(encoding="utf-8")
    chars += len(text)
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_morph(morph_tagger)
    doc.tag_ner(ner_tagger)
t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "proc": t2 - t1, "chars": chars}))
"""

LOOP = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from pipeline.files import write_atomic
from pipeline.extract import extract, to_json
from flows.pool import warm_up
warm_up()  # the same built-in warm-up text the flow's workers extract first
t1 = time.perf_counter()
out = Path(sys.argv[2])
chars = 0
for f in sorted(Path(sys.argv[1]).glob("*.txt")):
    data = f.read_bytes()
    report = extract(f, data)  # its report id: pipeline.slug.report_id, as in the flow
    chars += len(data.decode("utf-8"))
    write_atomic(out / f"{report.report_id}.json", to_json(report))
t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "proc": t2 - t1, "chars": chars}))
"""


# ---------------------------------------------------------------- measuring

class Sampler(threading.Thread):
    """Peak memory of this process, all its descendants and any extra pids (a server), and the CPU
    time they use during a phase. Memory is summed two ways: RSS, which counts a page shared by
    several processes once in each (the fork server's models are shared by every worker forked
    from it), and PSS (every 2 s), which counts a shared page once, split between its sharers:
    the memory the run takes from the machine, the bar's figure. CPU: worker processes that end without being waited for (os._exit)
    never reach os.times(), so CPU is read from /proc while they run (every 0.5 s: the last half
    second of a process may be missed)."""

    def __init__(self, extra_pids=()):
        super().__init__(daemon=True)
        self.me = psutil.Process()
        self.extra = [int(p) for p in extra_pids]
        self.phase = None
        self.peaks: dict[str, int] = {}     # phase -> peak summed PSS; RUN: the whole run's
        self.rss_peaks: dict[str, int] = {}  # the same, summed RSS
        self.cpu: dict[int, float] = {}  # pid -> CPU seconds used, as last read
        self._halt = threading.Event()
        self._lock = threading.Lock()

    def run(self) -> None:
        procs, listed, tick = [], 0.0, 0
        while not self._halt.is_set():
            if time.monotonic() - listed > 0.5:  # listing the process tree scans /proc: not every sample,
                procs, listed = self._tree(), time.monotonic()  # or the sampler itself takes a core's 3 %
            self._add(self.rss_peaks, procs, lambda p: p.memory_info().rss)
            # PSS walks the page tables (smaps_rollup): a few ms a process, and of a core the 2-worker
            # run wants (every 0.3 s: 6 % of a core with three workers; the whole sampler took 3.2 %
            # with PSS every second, 2.1 % every 2 s); so every 2 s, and at a phase's first sample (a
            # phase of under a second has one too); the memory of a flow run is a plateau of seconds
            if tick % 10 == 0 or self.phase not in self.peaks:
                self._add(self.peaks, procs, lambda p: p.memory_full_info().pss)
            tick += 1
            self._halt.wait(0.2)

    def _add(self, peaks: dict[str, int], procs: list, read) -> None:
        total = 0
        for p in procs:
            try:
                total += read(p)
            except psutil.Error:
                pass
        for phase in (RUN, self.phase) if self.phase else (RUN,):
            peaks[phase] = max(peaks.get(phase, 0), total)

    def _tree(self) -> list:
        procs = [self.me] + self.me.children(recursive=True)
        for pid in self.extra:
            try:
                p = psutil.Process(pid)
                procs += [p] + p.children(recursive=True)
            except psutil.Error:
                pass
        procs = list({p.pid: p for p in procs if p.pid != self.me.pid}.values())
        with self._lock:
            for p in procs:
                try:
                    t = p.cpu_times()
                    self.cpu[p.pid] = t.user + t.system
                except psutil.Error:
                    pass
        return procs + [self.me]

    def cpu_now(self) -> dict[int, float]:
        self._tree()
        with self._lock:
            return dict(self.cpu)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _run(cmd: list[str], env: dict, sampler: Sampler, phase: str, cwd: Path, out_dir: Path | None = None) -> dict:
    sampler.phase = phase
    before = os.getloadavg()[0]
    cpu0 = sampler.cpu_now()
    started = time.time()
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    cpu1 = sampler.cpu_now()
    sampler.phase = None
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"bench: phase {phase} failed with exit status {proc.returncode}")
    out = {"wall": wall, "cpu": sum(c - cpu0.get(pid, 0.0) for pid, c in cpu1.items()), "loadavg": before}
    last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    if last.startswith("{"):
        out.update(json.loads(last))
    if out_dir is not None:
        out.update(_outputs_timeline(out_dir, started))
    return out


def _outputs_timeline(out_dir: Path, started: float) -> dict:
    """When the first and the last report JSON appeared, in seconds from the phase's start: the
    start-up, the steady part and the tail of a flow run."""
    times = sorted(p.stat().st_mtime - started for p in out_dir.glob("*.json") if not p.name.startswith("_"))
    if len(times) < 2:
        return {}
    return {"first_out": times[0], "last_out": times[-1], "steady": (len(times) - 1) / (times[-1] - times[0])}


def _statuses(out_dir: Path) -> dict:
    files = json.loads((out_dir / "_manifest.json").read_text(encoding="utf-8"))["files"]
    counts: dict[str, int] = {}
    for f in files:
        counts[f["status"]] = counts.get(f["status"], 0) + 1
    return counts


def _same_outputs(a: Path, b: Path) -> tuple[int, int]:
    same = total = 0
    for p in sorted(a.glob("*.json")):
        if p.name.startswith("_"):
            continue
        total += 1
        q = b / p.name
        if q.exists():
            x, y = json.loads(p.read_text(encoding="utf-8")), json.loads(q.read_text(encoding="utf-8"))
            x["pipeline"].pop("extracted_at", None)
            y["pipeline"].pop("extracted_at", None)
            same += x == y
    return same, total


def _snapshot(dest: Path) -> Path:
    """A copy of the code, compiled to bytecode as an installed package is (with
    PYTHONDONTWRITEBYTECODE set, every phase's processes would otherwise compile it again)."""
    for name in CODE:
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    compileall.compile_dir(dest, quiet=1)
    return dest


# ---------------------------------------------------------------- main

def main(n: int = 200, phases=PHASES, prefect: str = "server", workdir: Path | None = None, seed: int = 7,
         code: Path | None = None, repeat: int = 1) -> int:
    phases = [p.strip() for p in phases if p.strip()]
    unknown = set(phases) - set(PHASES)
    if unknown:
        raise SystemExit(f"bench: unknown phases {sorted(unknown)}; choose from {','.join(PHASES)}")
    if "d" in phases and "c2" not in phases:
        phases.insert(phases.index("d"), "c2")
    from flows import config, server

    tmp = None
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="city-reports-bench-")
        workdir = Path(tmp.name)
    workdir = Path(workdir).resolve()
    if workdir.exists():
        for name in ("corpus", "code", "out-b", "out-c1", "out-c2", "prefect"):
            shutil.rmtree(workdir / name, ignore_errors=True)
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / "corpus"
    info = build_corpus(n, corpus, seed)
    code = Path(code).resolve() if code else _snapshot(workdir / "code")  # --code: bench a candidate tree

    env = {k: v for k, v in os.environ.items() if not k.startswith("CITY_REPORTS_")}
    env.update({"PYTHONPATH": str(code), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": env.get("PREFECT_LOGGING_LEVEL", "WARNING")})
    extra_pids, own_server = [], False
    if prefect == "server":  # the set-up for many reports: a running server, else one started for the bench
        env["CITY_REPORTS_PREFECT_HOME"] = str(config.state_dir())
        st = server.status()
        if env.get("PREFECT_API_URL"):
            mode = f"PREFECT_API_URL={env['PREFECT_API_URL']} (not counted in memory)"
        elif st and st["healthy"]:
            mode = f"the running server {st['url']} (counted in memory)"
            extra_pids.append(st["pid"])
        else:
            env["CITY_REPORTS_PREFECT_HOME"] = os.environ["CITY_REPORTS_PREFECT_HOME"] = str(workdir / "prefect")
            own_server = True
            mode = "a server started for the bench (counted in memory, its start not timed)"
    elif prefect == "ephemeral":
        env.pop("PREFECT_API_URL", None)
        env["CITY_REPORTS_PREFECT_HOME"] = str(workdir / "prefect")  # no server file there
        mode = "ephemeral (every flow process starts a temporary API server)"
    else:
        raise SystemExit("bench: --prefect must be server or ephemeral")

    sampler = Sampler(extra_pids)
    sampler.start()
    if own_server:
        t = time.perf_counter()
        st = server.start(ui=False)
        sampler.extra.append(int(st["pid"]))  # started in the background by `prefect server start`: not a child
        mode += f": {st['url']}, up in {time.perf_counter() - t:.1f} s"

    print(f"bench: {n} reports from {info['sources']} fixture texts ({info['distinct']} distinct, "
          f"{info['chars']:,} characters, {info['chars'] / max(n, 1):,.0f} per report) in {corpus}")
    print(f"bench: {os.cpu_count()} CPUs, Prefect: {mode}; load average {os.getloadavg()[0]:.2f} at start")
    py = sys.executable
    res: dict[str, dict] = {}
    cold = {"c1": [], "c2": []}  # every cold flow run, by worker count
    paired = {"a": [], "b": []}  # every run of the anchor and of the loop
    order = list(phases)
    for group, times in ((paired, min(max(1, repeat), PAIRS)), (cold, max(1, repeat))):
        if any(p in group for p in order):
            at = min(i for i, p in enumerate(order) if p in group)
            alone = [p for p in order if p not in group]
            order = alone[:at] + [p for _ in range(times) for p in phases if p in group] + alone[at:]
    try:
        for phase in order:
            if phase == "a":
                res["a"] = _run([py, "-c", ANCHOR, str(corpus)], env, sampler, "a", workdir)
                paired["a"].append(res["a"])
            elif phase == "b":
                shutil.rmtree(workdir / "out-b", ignore_errors=True)
                (workdir / "out-b").mkdir()
                res["b"] = _run([py, "-c", LOOP, str(corpus), str(workdir / "out-b")], env, sampler, "b", workdir)
                paired["b"].append(res["b"])
            elif phase in cold:
                out = workdir / f"out-{phase}"
                shutil.rmtree(out, ignore_errors=True)
                run = _run([py, "-m", "cli", "extract", str(corpus), "--out", str(out)],
                           dict(env, CITY_REPORTS_WORKERS=phase[1]), sampler, phase, workdir, out)
                run["statuses"] = _statuses(out)
                cold[phase].append(run)
                res[phase] = dict(run, **{k: statistics.median(r[k] for r in cold[phase]) for k in ("wall", "steady")})
                _print_phase(phase, run, n, info["chars"], sampler)
                continue
            elif phase == "d":
                res["d"] = _run([py, "-m", "cli", "extract", str(corpus), "--out", str(workdir / "out-c2")],
                                dict(env, CITY_REPORTS_WORKERS="2"), sampler, "d", workdir)
                res["d"]["statuses"] = _statuses(workdir / "out-c2")
            _print_phase(phase, res[phase], n, info["chars"], sampler)
    finally:
        if own_server:
            server.stop()
        time.sleep(0.3)
        sampler.stop()
    if "b" in res and "c2" in res:
        same, total = _same_outputs(workdir / "out-b", workdir / "out-c2")
        print(f"bench: flow output equals loop output for {same}/{total} reports (extracted_at aside)")

    if max(len(runs) for runs in cold.values()) > 1:
        for phase, runs in cold.items():
            if runs:
                walls = ", ".join(f"{r['wall']:.1f}" for r in runs)
                print(f"bench: {phase} wall times {walls} s: median {res[phase]['wall']:.1f} s")
    if "c1" in res and "c2" in res:
        pairs = [a["wall"] / b["wall"] for a, b in zip(cold["c1"], cold["c2"])]
        print(f"bench: c1/c2 wall of each pair in turn: {', '.join(f'{x:.2f}' for x in pairs)}; between the first "
              f"and the last output, 2 workers write {res['c2']['steady'] / res['c1']['steady']:.2f}x the reports/s of 1 "
              "(medians; start-up and tail left out)")
    figures = _figures(res, sampler.peaks.get(RUN, 0))
    ratios = [_per_char(b) / _per_char(a) for a, b in zip(paired["a"], paired["b"])]
    if len(ratios) > 1:
        figures["pipeline/natasha"] = statistics.median(ratios)
        print(f"bench: b/a per character of each pair in turn: {', '.join(f'{x:.2f}' for x in ratios)}: median "
              f"{figures['pipeline/natasha']:.2f}")
    print(f"bench: peak of the whole run {sampler.peaks.get(RUN, 0) / 2**20:.0f} MB PSS, "
          f"{sampler.rss_peaks.get(RUN, 0) / 2**20:.0f} MB summed RSS "
          "(RSS counts the models the workers share with their fork server once in each)")
    print()
    print(f"{'bar':<62} {'measured':>9}  result")
    for key, (limit, kind, what) in BARS.items():
        v = figures.get(key)
        if v is None:
            print(f"{what:<62} {'n/a':>9}")
            continue
        ok = v <= limit if kind == "max" else v >= limit
        print(f"{what:<62} {v:>9.{0 if key == 'peak_mb' else 3}f}  {'PASS' if ok else 'FAIL'}")
    if tmp is not None:
        tmp.cleanup()
    print("bench: " + " ".join(f"{k}={_fmt(k, figures.get(k))}" for k in BARS))
    return 0


def _print_phase(phase: str, r: dict, n: int, chars: int, sampler: Sampler) -> None:
    label = {"a": "(a) plain Natasha", "b": "(b) pipeline loop", "c1": "(c) flow cold, 1 worker",
             "c2": "(c) flow cold, 2 workers", "d": "(d) flow unchanged, 2 workers"}[phase]
    line = f"{label:<32} wall {r['wall']:7.1f} s  {n / r['wall']:6.2f} reports/s  {chars / r['wall']:8.0f} chars/s"
    line += (f"  cpu {r['cpu']:6.1f} s  peak {sampler.peaks.get(phase, 0) / 2**20:5.0f} MB PSS"
             f" ({sampler.rss_peaks.get(phase, 0) / 2**20:.0f} MB summed RSS)  loadavg {r['loadavg']:.1f}")
    if "proc" in r:
        line += f"  [start+models {r['load']:.1f} s, processing {r['proc']:.1f} s = {r['chars'] / r['proc']:.0f} chars/s]"
    if "steady" in r:
        line += f"  [first output at {r['first_out']:.1f} s, last at {r['last_out']:.1f} s, {r['steady']:.2f} reports/s between]"
    if "statuses" in r:
        line += "  " + ", ".join(f"{v} {k}" for k, v in sorted(r["statuses"].items()))
    print(line, flush=True)


def _figures(res: dict, peak: int) -> dict:
    f: dict[str, float] = {"peak_mb": peak / 2**20}
    if "a" in res and "b" in res:
        f["pipeline/natasha"] = _per_char(res["b"]) / _per_char(res["a"])
    if "c1" in res and "c2" in res:
        f["speedup2"] = res["c1"]["wall"] / res["c2"]["wall"]
    if "c1" in res and "b" in res:
        f["flow/loop"] = res["c1"]["wall"] / res["b"]["wall"]
    if "d" in res and "c2" in res:
        f["warm/cold"] = res["d"]["wall"] / res["c2"]["wall"]
    return f


def _per_char(run: dict) -> float:
    return run["proc"] / run["chars"]


def _fmt(key: str, v) -> str:
    if v is None:
        return "n/a"
    return f"{v:.0f}" if key == "peak_mb" else f"{v:.2f}"


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--n", type=int, default=int(os.environ.get("N", 200)))
    ap.add_argument("--phases", default=",".join(PHASES))
    ap.add_argument("--prefect", default="server", choices=("server", "ephemeral"))
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--code", type=Path, help="a tree with the packages in CODE to bench instead of this one")
    ap.add_argument("--repeat", type=int, default=1, help="cold flow runs per worker count, alternating (medians)")
    a = ap.parse_args()
    sys.exit(main(a.n, a.phases.split(","), a.prefect, a.workdir, a.seed, a.code, a.repeat))
