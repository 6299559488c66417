"""Does a worker get slower as a long run goes on? The same reports, extracted at the same moment by a
worker that has been through a run and by a fresh one (issue 19: cost per report flat from the first
reports of a run to the last).

    python -m benchmarks.drift CORPUS [--workers 2] [--last 500]

The flow hands the files out largest first, so in a run the last reports are the smallest: a fit of
seconds on size cannot tell a worker's slowing down from what small files cost, and this machine's
speed moves by 10-20 % from minute to minute, which falls on one part of a run and not another.
Here both are held fixed. In the flow's order, one worker's share of CORPUS is every --workers-th
file; an aged worker extracts that share except its last --last files; then it and a fresh worker
(each loaded as the pool's workers are, flows.pool.warm_up) extract those last files side by side,
one core each. Their CPU and wall seconds on the same files at the same time give

    drift: aged/fresh=X (cpu X)

1.00: the worker that has been through the run costs what a fresh one does on its last reports, so
cost per report is flat from the first reports to the last (a fresh worker is what the first
reports get).
"""
import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

from batch.inputs import collect
from batch.plan import make_batches


def _worker(role: str, files: list[str], probe: list[str], out: str, ready, results) -> None:
    """Load, extract `files`, then `probe` once both workers are at that point."""
    from batch.process import process_file
    from flows.pool import pin_threads, warm_up

    pin_threads()
    warm_up()
    t = time.perf_counter()
    for p in files:
        process_file(Path(p), Path(out), "drift", None, force=True)
    aged = time.perf_counter() - t
    ready.wait()
    wall, cpu = time.perf_counter(), time.process_time()
    for p in probe:
        process_file(Path(p), Path(out), "drift", None, force=True)
    results.put((role, len(files), aged, time.perf_counter() - wall, time.process_time() - cpu,
                 resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--workers", type=int, default=2, help="the run's workers: a worker's share is every N-th file")
    ap.add_argument("--last", type=int, default=500, help="the share's last files, extracted by both")
    a = ap.parse_args(argv)
    order = [str(p) for batch in make_batches(collect([a.corpus]), a.workers, guided=False) for p in batch]
    share = order[::a.workers]
    files, probe = share[:-a.last], share[-a.last:]
    ctx = multiprocessing.get_context("spawn")
    ready, results = ctx.Barrier(2), ctx.Queue()
    with tempfile.TemporaryDirectory(prefix="drift.") as tmp:
        procs = [ctx.Process(target=_worker, args=(role, todo, probe, f"{tmp}/{role}", ready, results))
                 for role, todo in (("aged", files), ("fresh", []))]
        for p in procs:
            p.start()
        got = {}
        for _ in procs:
            role, *rest = results.get()
            got[role] = rest
        for p in procs:
            p.join()
    n, aged_s, wall_a, cpu_a, rss_a = got["aged"]
    _, _, wall_f, cpu_f, rss_f = got["fresh"]
    print(f"drift: a worker's share of {a.corpus}: {len(share)} of {len(order)} files; the aged worker extracted "
          f"{n} of them in {aged_s:.0f} s, then both the last {len(probe)}: aged {wall_a:.1f} s "
          f"({cpu_a:.1f} s CPU, {rss_a:.0f} MB peak RSS), fresh {wall_f:.1f} s ({cpu_f:.1f} s CPU, {rss_f:.0f} MB)")
    print(f"drift: aged/fresh={wall_a / wall_f:.3f} (cpu {cpu_a / cpu_f:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
