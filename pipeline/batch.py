"""A batch of report files -> extracted/<report_id>.json and a run manifest; plain functions.

Bad input never stops a batch: each file gets its own status and one-line error. Outputs are
written to a temporary file and renamed, so no half-written JSON is ever left behind.
"""
import hashlib
import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.ingest import MAX_BYTES, SUFFIXES, IngestError, read_bytes
from pipeline.slug import report_id as file_report_id

MANIFEST = "_manifest.json"


@dataclass
class FileResult:
    path: str
    sha256: str | None
    status: str  # ok | failed | unchanged
    report_id: str | None
    output: str | None
    error: str | None
    seconds: float
    pipeline_version: str | None = None
    duplicate_of: str | None = None  # the same content was processed under this path
    review_messages: list[str] = field(default_factory=list)  # reviewers' decisions that no longer apply


def max_bytes() -> int:
    """The size limit for one file: CITY_REPORTS_MAX_BYTES, or 50 MiB."""
    return int(os.environ.get("CITY_REPORTS_MAX_BYTES", MAX_BYTES))


def content_hash(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


def duplicates(files: list[Path], shas: dict[Path, str | None] | None = None) -> dict[Path, Path]:
    """Later files whose content equals an earlier one's -> that earlier file (processed once).
    `shas` are the files' hashes where the caller has them already."""
    first: dict[str, Path] = {}
    out: dict[Path, Path] = {}
    for f in files:
        sha = shas[f] if shas is not None else content_hash(f)
        if sha is None:
            continue
        if sha in first:
            out[f] = first[sha]
        else:
            first[sha] = f
    return out


def duplicate_result(path: Path, original: FileResult) -> FileResult:
    """The record of a file whose content was already processed under another path."""
    return FileResult(str(path), original.sha256, original.status, original.report_id, original.output,
                      original.error, 0.0, original.pipeline_version, duplicate_of=original.path)


def collect(paths: list[Path]) -> list[Path]:
    """Files named, and every file below folders named (hidden files and manifests left out)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if not f.is_dir() and not any(part.startswith((".", "_")) for part in f.relative_to(p).parts))
        else:
            out.append(p)
    seen, unique = set(), []
    for f in out:
        if f not in seen:
            seen.add(f)
            unique.append(f)
    return unique


def load_manifest(out_dir: Path) -> dict[str, dict]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return {f["path"]: f for f in data.get("files", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_atomic(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_version(version: str, report_id: str) -> str:
    """The pipeline version and the report's reviews file: a new reviewer decision re-runs that file."""
    from pipeline.reviews import default_dir, reviews_fingerprint

    return f"{version}+{reviews_fingerprint(default_dir(), report_id)}"


def unchanged(path: Path, out_dir: Path, version: str, previous: dict | None, sha: str | None) -> FileResult | None:
    """The `unchanged` result for a file whose content (`sha`) and per-file version are what the last
    run recorded (`previous`, its manifest entry) and whose output is still there; else None."""
    report_id = file_report_id(path)
    output = out_dir / f"{report_id}.json"
    version = file_version(version, report_id)
    if sha is None or not previous or previous.get("sha256") != sha or previous.get("pipeline_version") != version \
            or previous.get("status") not in ("ok", "unchanged") or not output.exists():
        return None
    return FileResult(str(path), sha, "unchanged", report_id, str(output), None, 0.0, version)


def process_file(path: Path, out_dir: Path, version: str, previous: dict | None = None) -> FileResult:
    """Extract one file unless its content and the pipeline version are what the last run saw."""
    started = time.perf_counter()
    report_id = file_report_id(path)
    output = out_dir / f"{report_id}.json"
    sha, base_version, version = None, version, file_version(version, report_id)
    try:
        data = read_bytes(path, max_bytes())
        sha = hashlib.sha256(data).hexdigest()
        skipped = unchanged(path, out_dir, base_version, previous, sha)
        if skipped is not None:
            skipped.seconds = _since(started)
            return skipped
        from pipeline.extract import extract, to_json
        from pipeline.reviews import apply_reviews, default_dir

        report = extract(path, data, report_id)
        report, review_messages = apply_reviews(report, default_dir())
        write_atomic(output, to_json(report))
        return FileResult(str(path), sha, "ok", report_id, str(output), None, _since(started), version,
                          review_messages=review_messages)
    except IngestError as e:
        return FileResult(str(path), sha, "failed", report_id, None, str(e), _since(started), version)
    except Exception as e:  # a bug on one file must not stop the batch
        return FileResult(str(path), sha, "failed", report_id, None, f"{type(e).__name__}: {e}", _since(started), version)


def write_manifest(out_dir: Path, results: list[FileResult]) -> Path:
    path = out_dir / MANIFEST
    write_atomic(path, json.dumps({"files": [asdict(r) for r in results]}, ensure_ascii=False, indent=2) + "\n")
    return path


def _since(t: float) -> float:
    return round(time.perf_counter() - t, 3)


__all__ = ["FileResult", "MANIFEST", "SUFFIXES", "collect", "duplicate_result", "duplicates", "file_version", "load_manifest",
           "process_file", "unchanged", "write_atomic", "write_manifest"]
