"""A simulated corpus through the flow (issue 19): per-report cost and peak memory by size bucket, and
whether the cost per report stays flat from the first reports of the run to the last.

    python -m benchmarks.many --n 10000 --max-mb 4 --small-mb 0.06 --long-share 0.005   # the issue's corpus (25-39 min here)
    python -m benchmarks.many --n 300 --max-mb 0.3                      # a few minutes

The N reports are realistic text (benchmarks.long.prose: the fixtures and the seed, varied). Their
sizes are log-uniform from 2 KB to --small-mb, except a share (--long-share) of long reports,
log-uniform from --small-mb to --max-mb: a city's corpus is mostly releases and report excerpts, with
a few whole annual reports. They run through `city-reports extract` (the flow, a pool of --workers
processes) while the memory of the whole process tree (PSS and RSS) is sampled every second.
Per-file seconds come from the run's _manifest.json, the order the files finished in from their
outputs' times. Prints one line per size bucket, then per tenth of the run in the
order the files finished: the seconds its reports took against what the run's own fit of seconds on
size (a + b * bytes) expects for them (1.00: as the run's average; the flow reads the largest files
first, so sizes alone differ from tenth to tenth), and its wall-clock throughput; then
`many: first/last=X spread=X peak_mb=X`. That ratio mixes a worker's slowing down with what the
fit misses on small files and with the machine's slow spells: benchmarks.drift measures the first
alone.
"""
import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from benchmarks.long import MB, prose, sources

BUCKETS = [(0, 10_000), (10_000, 100_000), (100_000, 1_000_000), (1_000_000, 10 ** 12)]


def build(n: int, max_mb: float, folder: Path, seed: int = 11, small_mb: float | None = None,
          long_share: float = 0.0) -> None:
    rng, k = random.Random(seed), len(sources())
    small_mb = min(small_mb or max_mb, max_mb)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        lo, hi = (small_mb, max_mb) if rng.random() < long_share else (0.002, small_mb)
        size = int(math.exp(rng.uniform(math.log(lo * MB), math.log(hi * MB))))
        (folder / f"{i:05d}.txt").write_text(prose(size, seed=seed + i, first=i % k), encoding="utf-8")


def _sample(pid: int, peak: list, stop: threading.Event) -> None:
    """peak[0]: the process tree's summed PSS (a page the workers share with their fork server counted
    once); peak[1]: its summed RSS (counted once in each process)."""
    while not stop.is_set():
        try:
            procs = [psutil.Process(pid)] + psutil.Process(pid).children(recursive=True)
            peak[0] = max(peak[0], sum(p.memory_full_info().pss for p in procs))
            peak[1] = max(peak[1], sum(p.memory_info().rss for p in procs))
        except psutil.Error:
            pass
        time.sleep(1.0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--max-mb", type=float, default=0.3)
    ap.add_argument("--small-mb", type=float, default=None, help="the other reports' largest size (default --max-mb)")
    ap.add_argument("--long-share", type=float, default=0.0, help="share of long reports, --small-mb to --max-mb")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=None)
    a = ap.parse_args(argv)
    work = a.workdir or Path(tempfile.mkdtemp(prefix="many."))
    if not (work / "in").exists():
        build(a.n, a.max_mb, work / "in", small_mb=a.small_mb, long_share=a.long_share)
    cli = Path(sys.executable).with_name("city-reports")
    env = {**os.environ, "CITY_REPORTS_REVIEWS": str(work / "no-reviews"), "OPENBLAS_NUM_THREADS": "1"}
    t0, peak, stop = time.perf_counter(), [0, 0], threading.Event()
    proc = subprocess.Popen([str(cli), "extract", str(work / "in"), "--out", str(work / "out"), "--workers", str(a.workers)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    threading.Thread(target=_sample, args=(proc.pid, peak, stop), daemon=True).start()
    _, err = proc.communicate()
    stop.set()
    wall = time.perf_counter() - t0
    files = json.loads((work / "out" / "_manifest.json").read_text(encoding="utf-8"))["files"]
    rows = sorted((_finished(f), Path(f["path"]).stat().st_size, f["seconds"] or 0.0, f["status"])
                  for f in files)
    failed = [r for r in rows if r[3] not in ("ok", "unchanged")]
    print(f"{len(rows)} reports, {sum(r[1] for r in rows) / MB:.1f} MB, wall {wall:.0f} s with {a.workers} workers, "
          f"peak {peak[0] / 2 ** 20:.0f} MB PSS ({peak[1] / 2 ** 20:.0f} MB summed RSS) of the process tree, "
          f"{len(failed)} failed" + (f": {err[-300:]}" if proc.returncode else ""))
    for lo, hi in BUCKETS:
        inside = [r for r in rows if lo <= r[1] < hi]
        if inside:
            print(f"  size {lo / 1000:>6.0f}-{min(hi, 10 ** 9) / 1000:<7.0f} KB: {len(inside):5d} reports, "
                  f"{sum(r[2] for r in inside) / len(inside):7.2f} s/report, "
                  f"{sum(r[2] for r in inside) / (sum(r[1] for r in inside) / MB):6.1f} s/MB")
    per_byte, fixed = statistics.linear_regression([r[1] for r in rows], [r[2] for r in rows])
    print(f"  fit: {fixed * 1000:.0f} ms + {per_byte * MB:.1f} s/MB per report")
    tenth, ratios = max(1, len(rows) // 10), []
    for k in range(0, len(rows) - tenth + 1, tenth):
        part = rows[k:k + tenth]
        ratios.append(sum(r[2] for r in part) / sum(fixed + per_byte * r[1] for r in part))
        span = part[-1][0] - (rows[k - 1][0] if k else part[0][0])
        print(f"  finished {k:5d}-{k + len(part) - 1:<5d}: {ratios[-1]:5.2f} of the fit, "
              f"{sum(r[1] for r in part) / MB:6.1f} MB in {span:6.0f} s")
    print(f"many: first/last={ratios[-1] / ratios[0]:.2f} spread={max(ratios) / min(ratios):.2f} "
          f"peak_mb={peak[0] / 2 ** 20:.0f} (corpus in {work})")
    return 0


def _finished(entry: dict) -> float:
    """When a file's output was written (its mtime); the run's end for a file without one."""
    try:
        return Path(entry["output"]).stat().st_mtime
    except (KeyError, TypeError, OSError):
        return float("inf")


if __name__ == "__main__":
    sys.exit(main())
