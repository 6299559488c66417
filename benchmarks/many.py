"""A simulated corpus through the flow (issue 19): per-report cost and peak memory by size bucket, and
whether the cost per report stays flat from the first reports of the batch to the last.

    python -m benchmarks.many --n 10000 --max-mb 4 --workers 2     # the issue's corpus (days here)
    python -m benchmarks.many --n 300 --max-mb 0.3                 # what this machine runs in minutes

The N reports are realistic text (benchmarks.long.prose: the fixtures and the seed, varied), their
sizes log-uniform from 2 KB to --max-mb; they run through `city-reports extract` (the flow, a pool of
--workers processes) while the memory of the whole process tree (PSS and RSS) is sampled every 0.3 s. Per-file seconds
come from the run's _manifest.json. Prints one line per size bucket and per tenth of the batch (in
the order the files were named: 00000-… first), then `many: first/last=X peak_mb=X`.
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from benchmarks.long import MB, prose, sources

BUCKETS = [(0, 10_000), (10_000, 100_000), (100_000, 1_000_000), (1_000_000, 10 ** 12)]


def build(n: int, max_mb: float, folder: Path, seed: int = 11) -> None:
    rng, k = random.Random(seed), len(sources())
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        size = int(math.exp(rng.uniform(math.log(2_000), math.log(max_mb * MB))))
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
        time.sleep(0.3)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--max-mb", type=float, default=0.3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=None)
    a = ap.parse_args(argv)
    work = a.workdir or Path(tempfile.mkdtemp(prefix="many."))
    build(a.n, a.max_mb, work / "in")
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
    rows = sorted(((Path(f["path"]).name, Path(f["path"]).stat().st_size, f["seconds"] or 0.0, f["status"]) for f in files))
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
    tenth = max(1, len(rows) // 10)
    spm = []
    for k in range(0, len(rows), tenth):
        part = rows[k:k + tenth]
        spm.append(sum(r[2] for r in part) / (sum(r[1] for r in part) / MB))
        print(f"  reports {k:5d}-{k + len(part) - 1:<5d}: {spm[-1]:6.1f} s/MB")
    print(f"many: first/last={spm[-1] / spm[0]:.2f} peak_mb={peak[0] / 2 ** 20:.0f} (corpus in {work})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
