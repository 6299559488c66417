"""`city-reports compare` over N reports: seconds and peak memory per N, to show both stay flat in N.

    .venv/bin/python -m benchmarks.compare_many --n 200,1000,5000

The reports are tests/review/compare/many.py's (the frozen corpus copied, each copy another city
variant and year). Each N runs `city-reports compare` in a fresh process, one after the other; its
peak is the process's own maximum resident set (what `/usr/bin/time -v` reports), read from
wait4. One line per N, then `compare_many: peak_ratio=X` (the last N's peak over the first's).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.review.compare.many import write_many


def run(n: int, work: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MB) of one compare over n reports."""
    write_many(work / f"in-{n}", n)
    cli = Path(sys.executable).with_name("city-reports")
    with open(work / f"compare-{n}.log", "w") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(cli), "compare", "--extracted", str(work / f"in-{n}"), "--out", str(work / f"out-{n}")],
                                stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"compare over {n} reports failed ({proc.returncode}): {(work / f'compare-{n}.log').read_text()[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024   # ru_maxrss: kilobytes on Linux


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", default="200,1000", help="report counts, comma-separated")
    ap.add_argument("--workdir", type=Path, default=None, help="where the reports and outputs go (default: a temporary folder)")
    a = ap.parse_args(argv)
    counts = [int(x) for x in a.n.split(",")]
    with tempfile.TemporaryDirectory(prefix="compare-many.") as tmp:
        work = a.workdir or Path(tmp)
        peaks = []
        for n in counts:
            wall, cpu, peak = run(n, work)
            peaks.append(peak)
            print(f"{n:6d} reports: {wall:6.1f} s wall, {cpu:6.1f} s CPU, peak {peak:6.1f} MB "
                  f"({peak / peaks[0]:.3f} of the first)", flush=True)
    print(f"compare_many: peak_ratio={peaks[-1] / peaks[0]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
