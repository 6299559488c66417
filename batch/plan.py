"""What a run has to do, decided in the calling process without Prefect and without NLP models.

Every input file is hashed once. A file is left out of the work when
- its content equals an earlier input's (a duplicate: it gets the earlier file's result),
- its report id (the slug of its name) is an earlier input's, with other content (`2021/omsk.txt`
  and `2022/omsk.txt`, `omsk.txt` and `omsk.pdf`): it fails with a message instead of overwriting
  that file's output, or
- `batch.process.process_file` would skip it: same sha256 and pipeline version as in the previous
  manifest, status ok/unchanged there, output still present -> status `unchanged`.
The rest (`todo`) goes to worker processes in batches (flows/). Nothing imported here loads Natasha.
"""
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from batch.inputs import collect, duplicates, file_sha
from batch.manifest import FileResult, duplicate_result, load_manifest, write_manifest
from batch.process import unchanged
from pipeline.slug import report_id
from pipeline.version import pipeline_version


@dataclass
class Plan:
    out_dir: Path
    version: str
    files: list[Path]                   # every input file, in input order
    previous: dict[str, dict]           # the last manifest, by path
    shas: dict[Path, str | None]
    dups: dict[Path, Path]              # a later file with the same content -> the first one
    done: dict[str, FileResult] = field(default_factory=dict)  # results so far, by path
    todo: list[Path] = field(default_factory=list)

    @property
    def fresh(self) -> list[Path]:
        """Files in `todo` that are new or changed: not just a retry of a file that failed last time
        on the same content and pipeline version (those usually fail again, before any NLP runs)."""
        out = []
        for f in self.todo:
            prev = self.previous.get(str(f)) or {}
            if not (prev.get("status") == "failed" and prev.get("sha256") == self.shas.get(f)
                    and str(prev.get("pipeline_version") or "").startswith(self.version)):
                out.append(f)
        return out

    def items(self, batch: list[Path]) -> list[tuple[str, dict | None]]:
        """(path, previous manifest entry) pairs: the arguments process_file needs per file."""
        return [(str(p), self.previous.get(str(p))) for p in batch]

    def record(self, results: list[FileResult]) -> None:
        for r in results:
            self.done[r.path] = r

    def results(self) -> list[FileResult]:
        """Results in input order; duplicates take their original's result."""
        out = []
        for f in self.files:
            if f in self.dups:
                original = self.done.get(str(self.dups[f]))
                if original is not None:
                    out.append(duplicate_result(f, original))
                    continue
            r = self.done.get(str(f))
            if r is None:  # never ran (a crashed batch is recorded as failed, so this is a bug guard)
                r = FileResult(str(f), self.shas.get(f), "failed", report_id(f), None, "not processed", 0.0,
                               self.version)
            out.append(r)
        return out

    def checkpoint(self) -> None:
        """Write the manifest as it stands: finished files, and the previous entries of pending ones.

        A run killed half-way therefore resumes where it stopped: finished files come back `unchanged`.
        """
        files = []
        for f in self.files:
            r = self.done.get(str(f))
            if r is not None:
                files.append(asdict(r))
            elif str(f) in self.previous:
                files.append(self.previous[str(f)])
        write_manifest(self.out_dir, files)

    def finish(self) -> list[FileResult]:
        results = self.results()
        write_manifest(self.out_dir, results)
        return results


def make_plan(paths: list[str], out_dir: str, *, force: bool = False, strict: frozenset[str] = frozenset()) -> Plan:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = collect([Path(p) for p in paths])
    version = pipeline_version()
    previous = load_manifest(out)
    shas = {f: file_sha(f) for f in files}
    dups = duplicates(files, shas)
    plan = Plan(out, version, files, previous, shas, dups)
    owners: dict[str, Path] = {}  # report id -> the file that writes OUT/<report id>.json in this run
    for f in files:
        if f in dups:
            continue
        rid = report_id(f)
        if rid in owners:  # another text under the same name: fail it rather than overwrite
            plan.done[str(f)] = FileResult(str(f), shas[f], "failed", rid, None,
                                           f"{owners[rid]} in this run has the same report id {rid!r} "
                                           "(the output's name): rename one of the two", 0.0, version)
            continue
        owners[rid] = f
        r = unchanged(f, out, version, previous.get(str(f)), shas[f])
        if r is None:
            plan.todo.append(f)
        else:
            plan.done[str(f)] = r
    return plan


def make_batches(todo: list[Path], workers: int, max_batch: int = 20, guided: bool = True) -> list[list[Path]]:
    """Coarse batches, largest files first, at most `max_batch` files each.

    guided (for runners whose workers take whole batches, Dask): each batch takes about
    1/(2*workers) of what is left, so batches shrink towards the end and no worker idles long while
    another finishes a big one. Not guided (the process pool, which hands out a batch's files one by
    one): equal batches of about 1/(2*workers) of the files, no tail of tiny ones, since every task
    costs Prefect (its client and its server) some CPU that the workers want.
    """
    order = sorted(todo, key=_size, reverse=True)
    batches, i = [], 0
    while i < len(order):
        left = len(order) - i if guided else len(order)
        size = max(1, min(max_batch, math.ceil(left / (2 * workers))))
        batches.append(order[i:i + size])
        i += size
    return batches


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0
