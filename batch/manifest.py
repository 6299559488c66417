"""One FileResult per input file, and the output folder's ledger OUT/_manifest.json that keeps them.

The manifest is a ledger, not a run's log: a run writes its files' entries over theirs and keeps
every other entry (a run over a subset never wipes the rest). An entry whose source file is gone
becomes `orphaned`: its output stays (and its id stays taken) until `city-reports prune` removes
it; `compare` leaves it out. Entries are keyed by `source`, the file's path relative to the output
folder, so the same file is the same entry whatever folder a command was started in.
"""
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.files import write_atomic
from pipeline.slug import is_report_id
from review.outputs import MANIFEST, ORPHANED, manifest_entries, output_path

MAX_MESSAGES = 20  # review messages kept per entry; the rest are counted


@dataclass
class FileResult:
    path: str
    sha256: str | None
    status: str  # ok | failed | unchanged | orphaned
    report_id: str | None
    output: str | None
    error: str | None
    seconds: float
    pipeline_version: str | None = None  # the pipeline, the report's reviews and the environment it ran with
    duplicate_of: str | None = None  # the same content was processed under this path
    review_messages: list[str] = field(default_factory=list)  # reviewers' decisions that no longer apply
    warnings: list[str] = field(default_factory=list)  # the distinct warning codes of the output, in order
    output_sha256: str | None = None  # of the output as written: a damaged or edited output is redone


def capped(messages: list[str]) -> list[str]:
    """At most MAX_MESSAGES messages, and a count of the others."""
    if len(messages) <= MAX_MESSAGES:
        return messages
    return messages[:MAX_MESSAGES] + [f"... and {len(messages) - MAX_MESSAGES} more (city-reports review list)"]


def duplicate_result(path: Path, original: FileResult) -> FileResult:
    """The record of a file whose content was already processed under another path."""
    return FileResult(str(path), original.sha256, original.status, original.report_id, original.output,
                      original.error, 0.0, original.pipeline_version, duplicate_of=original.path,
                      warnings=list(original.warnings), output_sha256=original.output_sha256)


def source_key(path: str | Path, out_dir: Path) -> str:
    """A file's ledger key: its path relative to the output folder."""
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(out_dir))).as_posix()


def source_path(key: str, out_dir: Path) -> Path:
    return Path(os.path.normpath(os.path.join(os.path.abspath(out_dir), key)))


def load_ledger(out_dir: Path) -> dict[str, dict]:
    """The ledger's entries by source key; empty when there is no readable manifest. (An entry of an
    older manifest, without `source`, is keyed by its path as seen from here.)"""
    out = {}
    for e in manifest_entries(out_dir):
        key = e.get("source") if isinstance(e.get("source"), str) else source_key(e["path"], out_dir)
        out[key] = e
    return out


def load_manifest(out_dir: Path) -> dict[str, dict]:
    """The ledger's entries by path (as each run gave it)."""
    return {e["path"]: e for e in load_ledger(out_dir).values()}


def holds_output(entry: dict) -> bool:
    """The entry owns OUT/<its report_id>.json (a duplicate points at another entry's)."""
    return bool(entry.get("output")) and is_report_id(entry.get("report_id")) and not entry.get("duplicate_of")


def merge(out_dir: Path, previous: dict[str, dict], results: list[FileResult]) -> tuple[list[dict], list[FileResult]]:
    """The new ledger: `results` over the previous entries; an entry left whose file is gone is
    orphaned when it owns an output still on disk, and dropped otherwise. Returns the entries
    (sorted by source) and the orphaned ones as results."""
    entries = {k: {**e, "source": k} for k, e in previous.items()}
    for r in results:
        key = source_key(r.path, out_dir)
        entries[key] = {**asdict(r), "source": key}
    done = {source_key(r.path, out_dir) for r in results}
    orphans = []
    for key in sorted(set(entries) - done):
        e = entries[key]
        if os.path.lexists(source_path(key, out_dir)):
            continue
        if holds_output(e) and output_path(out_dir, e["report_id"]).exists():
            entries[key] = e = {**e, "status": ORPHANED, "error": None, "seconds": 0.0}
            orphans.append(result_of(e))
        else:
            del entries[key]
    return [entries[k] for k in sorted(entries)], orphans


def result_of(entry: dict) -> FileResult:
    """A ledger entry as a FileResult (fields it lacks take their defaults)."""
    fields = FileResult.__dataclass_fields__
    required = ("path", "sha256", "status", "report_id", "output", "error", "seconds")
    return FileResult(**{k: entry.get(k) for k in required},
                      **{k: entry[k] for k in fields if k not in required and entry.get(k) is not None})


def write_manifest(out_dir: Path, entries: list[dict | FileResult]) -> Path:
    """Write the ledger as given (entries, or results: they get their source key)."""
    path = Path(out_dir) / MANIFEST
    files = [e if isinstance(e, dict) else {**asdict(e), "source": source_key(e.path, out_dir)} for e in entries]
    write_atomic(path, json.dumps({"files": files}, ensure_ascii=False, indent=2) + "\n")
    return path


def prune(out_dir: Path, dry_run: bool = False) -> list[dict]:
    """Remove the outputs of orphaned entries whose file is still gone, and their entries. Nothing
    else: never another output, never a reviews file. Returns the entries removed."""
    previous = load_ledger(out_dir)
    entries, _ = merge(out_dir, previous, [])
    gone = [e for e in entries if e.get("status") == ORPHANED and not os.path.lexists(source_path(e["source"], out_dir))]
    if dry_run:
        return gone
    for e in gone:
        output_path(out_dir, e["report_id"]).unlink(missing_ok=True)
    if gone or entries != list(previous.values()):
        write_manifest(out_dir, [e for e in entries if e not in gone])
    return gone
