"""Long and pathological reports: seconds per MB and peak memory of one worker (issue 19).

    python -m benchmarks.long [--sizes 0.1,0.5,1,2] [--cases prose,line,nested,lines] [--profile CASE:MB]

Each case runs in a fresh process (one worker): the models are loaded and warmed up on 1 MB of other
reports (a worker in a batch has read reports before: its caches of lemmas, normal forms and parses
are warm; after 0.1 MB only, five texts of 0.1 MB cost 17.4 CPU s/MB, after 1 MB 13.6), then the worker's whole job on the generated
file runs once (`batch.process.process_file`: read, extract, write the JSON outputs); the process
reports the wall time of that run and its peak RSS (ru_maxrss, models included). Texts are built from the
project's fixtures (tests/fixtures/**/*.txt) and the seed, each copy with other numbers and years and
another city of the same declension (benchmarks.corpus), so caches do not see one text again and again.

Cases:
  prose   realistic report text of each size (MB of UTF-8); below 1 MB, the mean of up to 5 texts
          made from different fixtures
  line    the same text as one single line
  nested  numbered items nested 1 to N levels deep ("1.1.1 ... Пункт ...")
  lines   100k one-line paragraphs (short lines of prose)

The last line is machine-readable: `long: prose_spm=X (min..max) flat=X peak_mb@MB=X line/prose=X ...`.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.corpus import CITY_STEMS, _replace_stem, _vary_numbers

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "omsk-2021-international.txt"
MB = 1_000_000
WARM = 1_000_000  # bytes of other reports each worker reads first: a batch worker's caches, warm
SAMPLES = 5     # texts measured at a size below 1 MB (their mean)

RUN = r"""
import cProfile, gc, io, json, pstats, resource, sys, tempfile, time
from pathlib import Path
from batch.process import process_file
path, profile, warm = Path(sys.argv[1]), sys.argv[2] == "1", Path(sys.argv[3])
out_dir = Path(tempfile.mkdtemp(prefix="long-out-", dir=path.parent))
process_file(warm, out_dir, "long", force=True)   # a worker that has read a report before: models loaded, caches warm
gc.freeze()                        # and, as a worker (flows.pool.warm_up), the models out of the collector's view
base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
prof = cProfile.Profile() if profile else None
t0, c0 = time.perf_counter(), time.process_time()
if prof: prof.enable()
result = process_file(path, out_dir, "long", force=True)
if prof: prof.disable()
sec, cpu = time.perf_counter() - t0, time.process_time() - c0
out = {"sec": sec, "cpu": cpu, "bytes": path.stat().st_size, "base_mb": base_mb,
       "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
       "status": result.status, "error": result.error, "warnings": result.warnings}
if prof:
    s = io.StringIO()
    pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(35)
    pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(25)
    out["profile"] = s.getvalue()
print(json.dumps(out))
"""


def sources() -> list[str]:
    files = sorted((ROOT / "tests" / "fixtures").rglob("*.txt")) + ([SEED] if SEED.exists() else [])
    return [f.read_text(encoding="utf-8") for f in files]


def prose(size: int, seed: int = 7, first: int = 0) -> str:
    """Realistic report text of about `size` bytes: the sources in turn from `first`, each copy varied."""
    texts, parts, n, i = sources(), [], 0, first
    while n < size:
        rng = random.Random(seed * 7919 + i)
        t = texts[i % len(texts)]
        stem = next((c for c in CITY_STEMS if c in t), None)
        if stem and rng.random() < 0.75:
            t = _replace_stem(t, stem, rng.choice(CITY_STEMS[stem]))
        t = _vary_numbers(t, rng, rng.randint(-3, 3)).strip() + "\n\n"
        parts.append(t)
        n += len(t.encode())
        i += 1
    return "".join(parts)


def single_line(size: int) -> str:
    return re.sub(r"\s*\n\s*", " ", prose(size)).strip() + "\n"


def nested(levels: int = 400) -> str:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", prose(200_000)) if 40 < len(s) < 200 and "\n" not in s]
    return "".join(".".join(["1"] * k) + ". " + sentences[k % len(sentences)] + "\n" for k in range(1, levels + 1))


def short_lines(n: int = 100_000) -> str:
    words = prose(60 * n).split()
    rng, out, i = random.Random(3), [], 0
    for _ in range(n):
        k = rng.randint(3, 9)
        out.append(" ".join(words[i:i + k]))
        i = (i + k) % (len(words) - 10)
    return "\n".join(out) + "\n"


def run(text: str, folder: Path, name: str, profile: bool = False) -> dict:
    path = folder / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    warm = folder / "warm-up.txt"
    if not warm.exists():
        warm.write_text(prose(WARM, seed=1, first=3), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", RUN, str(path), "1" if profile else "0", str(warm)], cwd=folder,
                          capture_output=True, text=True,
                          env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    if proc.returncode:
        raise SystemExit(f"{name}: failed\n{proc.stderr[-3000:]}")
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    if r["status"] != "ok":
        raise SystemExit(f"{name}: {r['status']}: {r['error']}")
    r["spm"], r["cpu_spm"] = r["sec"] / (r["bytes"] / MB), r["cpu"] / (r["bytes"] / MB)
    return r


def _sampled(mb: float, folder: Path) -> dict:
    """Prose of `mb` MB: below 1 MB, the mean of several texts from different fixtures (one text of
    0.1 MB holds a few fixtures, and its cost per MB is theirs, not the size's), the highest peak."""
    n = max(1, min(SAMPLES, round(1 / mb)))
    step = len(sources()) // n
    runs = [run(prose(int(mb * MB), first=k * step), folder, f"prose-{mb}-{k}") for k in range(n)]
    out = {k: sum(r[k] for r in runs) / n for k in ("sec", "cpu", "bytes", "spm", "cpu_spm", "base_mb")}
    out["peak_mb"] = max(r["peak_mb"] for r in runs)
    out["samples"] = n
    return out


def _line(label: str, r: dict) -> str:
    return (f"{label}: {r['sec']:8.1f} s  {r['spm']:6.1f} s/MB  (CPU {r['cpu_spm']:5.1f} s/MB)  peak {r['peak_mb']:6.0f} MB"
            f"  (+{r['peak_mb'] - r['base_mb']:.0f} MB over the warm worker)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0.1,0.5,1,2", help="MB of prose, comma-separated")
    ap.add_argument("--cases", default="prose,line,nested,lines")
    ap.add_argument("--line-mb", type=float, default=5.0)
    ap.add_argument("--levels", type=int, default=400)
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--profile", default=None, help="CASE:MB, e.g. prose:1 — print a cProfile of that run only")
    a = ap.parse_args(argv)
    make = {"prose": prose, "line": single_line, "nested": lambda _: nested(a.levels),
            "lines": lambda _: short_lines(a.lines)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if a.profile:
            case, mb = a.profile.split(":")
            r = run(make[case](int(float(mb) * MB)), folder, case, profile=True)
            print(r.pop("profile"))
            print(json.dumps(r))
            return 0
        res: dict[str, dict] = {}
        cases = a.cases.split(",")
        if "prose" in cases:
            for mb in a.sizes.split(","):
                r = res[f"prose@{mb}"] = _sampled(float(mb), folder)
                print(_line(f"prose {mb:>5} MB ({r['samples']} texts)", r), flush=True)
        for case, arg in (("line", a.line_mb), ("nested", None), ("lines", None)):
            if case in cases:
                r = res[case] = run(make[case](int((arg or 0) * MB)), folder, case)
                print(_line(f"{case:>6} {r['bytes'] / MB:5.2f} MB", r), flush=True)
        spms = [r["spm"] for k, r in res.items() if k.startswith("prose")]
        cpu_spms = [r["cpu_spm"] for k, r in res.items() if k.startswith("prose")]
        summary = []
        if spms:
            ref = min(spms)
            summary += [f"prose_spm={sum(spms) / len(spms):.1f} ({min(spms):.1f}..{max(spms):.1f})",
                        f"flat={max(spms) / ref:.2f}", f"cpu_flat={max(cpu_spms) / min(cpu_spms):.2f}"]
            big = max((k for k in res if k.startswith("prose")), key=lambda k: float(k.split("@")[1]))
            summary.append(f"peak_mb@{big.split('@')[1]}={res[big]['peak_mb']:.0f}")
            summary += [f"{c}/prose={res[c]['spm'] / (sum(spms) / len(spms)):.2f}" for c in ("line", "nested", "lines")
                        if c in res]
        print("long: " + " ".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
