"""One FileResult per input file, and the run manifest OUT/_manifest.json that lists them."""
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.files import write_atomic

MANIFEST = "_manifest.json"


@dataclass
class FileResult:
    path: str
    sha256: str | None
    status: str  # ok | failed | unchanged | orphaned
    report_id: str | None
    output: str | None
    error: str | None
    seconds: float
    pipeline_version: str | None = None
    duplicate_of: str | None = None  # the same content was processed under this path
    review_messages: list[str] = field(default_factory=list)  # reviewers' decisions that no longer apply
    warnings: list[str] = field(default_factory=list)  # the distinct warning codes of the file's output


def duplicate_result(path: Path, original: FileResult) -> FileResult:
    """The record of a file whose content was already processed under another path."""
    return FileResult(str(path), original.sha256, original.status, original.report_id, original.output,
                      original.error, 0.0, original.pipeline_version, duplicate_of=original.path,
                      warnings=original.warnings)


def load_manifest(out_dir: Path) -> dict[str, dict]:
    """The last run's entries by path; empty when there is no readable manifest."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return {f["path"]: f for f in data.get("files", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_manifest(out_dir: Path, entries: list[FileResult | dict]) -> Path:
    """Write the manifest: results, or entries kept as they were in the last one (a checkpoint)."""
    path = out_dir / MANIFEST
    files = [asdict(e) if isinstance(e, FileResult) else e for e in entries]
    write_atomic(path, json.dumps({"files": files}, ensure_ascii=False, indent=2) + "\n")
    return path
