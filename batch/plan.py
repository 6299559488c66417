"""What a run has to do, decided in the calling process without Prefect and without NLP models.

Settings are checked first (a bad CITY_REPORTS_MAX_BYTES is a SettingError before anything runs),
temporary files a killed run left in the output folder are removed, then every input is read once
(bounded, regular files only) and hashed. A file is left out of the work when
- it cannot be read (unsupported type, not a regular file, too large, I/O): it fails here with its
  own message and gets no report id,
- its content equals another input's (a duplicate: it gets that file's result; the file that keeps
  the output is the one that had it, or whose id has reviews, so a new copy never moves an output
  or its reviews), or
- `batch.process.process_file` would skip it (`unchanged`, unless `force`).
Ids are given by batch.ids (unique, stable, recorded in the ledger). The rest (`todo`) goes to
worker processes in batches (flows/): `items()` hands each file with its ledger entry (which carries
its id), `options` the keyword arguments of process_file. Nothing imported here loads Natasha.
"""
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

from batch.ids import assign
from batch.inputs import collect, duplicates, max_bytes, read_input
from batch.manifest import FileResult, duplicate_result, holds_output, load_ledger, merge, source_key, \
    source_path, write_manifest
from batch.process import strictly, unchanged
from pipeline.files import sha256_bytes, sweep_temp
from pipeline.ingest import IngestError
from pipeline.slug import is_report_id, report_id
from pipeline.version import pipeline_version
from review.decisions import legacy_notice, review_path, reviews_dir
from review.decisions import max_bytes as review_max_bytes

CHECKPOINT_SHARE = 0.02  # of a run's time that `checkpoint(due=True)` may take


@dataclass
class Plan:
    out_dir: Path
    version: str
    files: list[Path]                   # every input file, in input order
    previous: dict[str, dict]           # the ledger, by source key
    shas: dict[Path, str | None]
    dups: dict[Path, Path]              # a file with the same content as another -> that one
    ids: dict[Path, str] = field(default_factory=dict)  # report ids (none for a file that cannot be read)
    force: bool = False
    strict: frozenset[str] = frozenset()
    done: dict[str, FileResult] = field(default_factory=dict)  # results so far, by path
    todo: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # for the user: reviews left in ./reviews, temp files removed
    orphans: list[FileResult] = field(default_factory=list)  # set by finish()
    written: tuple[float, float] = (0.0, 0.0)  # when the last checkpoint ended (monotonic), and its seconds

    def prev(self, f: Path) -> dict | None:
        return self.previous.get(source_key(f, self.out_dir))

    @property
    def fresh(self) -> list[Path]:
        """Files in `todo` that are new or changed: not just a retry of a file that failed last time
        on the same content and pipeline version (those usually fail again, before any NLP runs)."""
        out = []
        for f in self.todo:
            prev = self.prev(f) or {}
            if not (prev.get("status") == "failed" and prev.get("sha256") == self.shas.get(f)
                    and str(prev.get("pipeline_version") or "").startswith(self.version)):
                out.append(f)
        return out

    @property
    def options(self) -> dict:
        """The keyword arguments of batch.process.process_file for this run."""
        return {"strict": self.strict, "force": self.force}

    def items(self, batch: list[Path]) -> list[tuple[str, dict]]:
        """(path, entry) pairs, the arguments process_file needs per file: the entry is the file's
        ledger entry (none under `force`) with the id this plan gave it (`assigned_id`)."""
        return [(str(p), {**({} if self.force else self.prev(p) or {}), "assigned_id": self.ids[p]}) for p in batch]

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
                r = FileResult(str(f), self.shas.get(f), "failed", self.ids.get(f), None, "not processed", 0.0,
                               self.version)
            out.append(r)
        return out

    def checkpoint(self, due: bool = False) -> None:
        """Write the ledger as it stands: finished files over the previous entries (pending files
        keep theirs). A run killed half-way resumes where it stopped: finished files come back
        `unchanged`. With `due` (the flow, after each batch), only once the time since the last
        checkpoint is 1/CHECKPOINT_SHARE times what that one took: a checkpoint writes every entry,
        so one after every batch would make a big run quadratic (0.8 s a checkpoint at 10,000 files)."""
        start = time.monotonic()
        end, seconds = self.written
        if due and start - end < seconds / CHECKPOINT_SHARE:
            return
        write_manifest(self.out_dir, merge(self.out_dir, self.previous, list(self.done.values()))[0])
        end = time.monotonic()
        self.written = (end, end - start)

    def finish(self) -> list[FileResult]:
        """Write the ledger; this run's results in input order, then the outputs orphaned (their
        source is gone; status `orphaned`)."""
        results = self.results()
        entries, self.orphans = merge(self.out_dir, self.previous, results)
        write_manifest(self.out_dir, entries)
        return results + self.orphans


def check_settings(out_dir: str | Path) -> Path:
    """The batch's and the reviews' settings from the environment (CITY_REPORTS_MAX_BYTES,
    CITY_REPORTS_MAX_REVIEW_BYTES, CITY_REPORTS_REVIEWS): SettingError with one line for a value
    that makes no sense. Returns the reviews folder of `out_dir`."""
    max_bytes(), review_max_bytes()
    return reviews_dir(Path(out_dir))


def make_plan(paths: list[str], out_dir: str, *, force: bool = False, strict: frozenset[str] = frozenset()) -> Plan:
    out = Path(out_dir)
    reviews = check_settings(out)  # first: a one-line SettingError before anything is read or written
    out.mkdir(parents=True, exist_ok=True)
    swept = sweep_temp(out) + sweep_temp(reviews)
    files = collect([Path(p) for p in paths])
    previous = load_ledger(out)
    plan = Plan(out, pipeline_version(), files, previous, {}, {}, force=force, strict=frozenset(strict))
    if swept:
        plan.notices.append(f"removed {len(swept)} temporary file(s) a killed run left in {out}")
    plan.notices += [n for n in [legacy_notice(out)] if n]
    errors = {}
    for f in files:
        try:
            plan.shas[f] = sha256_bytes(read_input(f))
        except IngestError as e:
            plan.shas[f], errors[f] = None, str(e)
    entries = {f: plan.prev(f) or {} for f in files}
    recorded = {f: e["report_id"] for f, e in entries.items() if is_report_id(e.get("report_id")) and not e.get("duplicate_of")}
    keep = {f for f, e in entries.items() if holds_output(e)}
    reviewed = {f for f in files if f not in recorded and review_path(reviews, report_id(f)).exists()}
    plan.dups = duplicates(files, plan.shas, keep | reviewed)
    mine = {source_key(f, out) for f in files}
    held = {e["report_id"]: source_path(k, out) for k, e in previous.items() if k not in mine and holds_output(e)}
    plan.ids = assign([f for f in files if f not in plan.dups and f not in errors], recorded, held, keep)
    for f in files:
        if f in errors:
            plan.done[str(f)] = FileResult(str(f), None, "failed", None, None, errors[f], 0.0, plan.version)
        elif f in plan.dups:
            plan.ids[f] = plan.ids[plan.dups[f]]
        else:
            r = None if force else unchanged(f, out, plan.version, entries[f], plan.shas[f], plan.ids[f])
            if r is None:
                plan.todo.append(f)
            else:
                plan.done[str(f)] = strictly(r, plan.strict)
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
