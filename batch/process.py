"""One file of a batch -> OUT/<report_id>.json with its reviewers' decisions applied, or a one-line error.

Bad input never stops a batch: each file gets its own status and error. Outputs are written to a
temporary file and renamed, so no half-written JSON is ever left behind.
"""
import hashlib
import time
from pathlib import Path

from batch.inputs import max_bytes
from batch.manifest import FileResult
from pipeline.files import write_atomic
from pipeline.ingest import IngestError, read_bytes
from pipeline.slug import report_id as file_report_id
from review.apply import apply_reviews
from review.decisions import default_dir, reviews_fingerprint


def file_version(version: str, report_id: str) -> str:
    """The pipeline version and the report's reviews file: a new reviewer decision re-runs that file."""
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
    return FileResult(str(path), sha, "unchanged", report_id, str(output), None, 0.0, version,
                      warnings=list(previous.get("warnings") or []))


def process_file(path: Path, out_dir: Path, version: str, previous: dict | None = None, *,
                 strict: frozenset[str] = frozenset(), force: bool = False) -> FileResult:
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
        from pipeline.extract import extract, to_json  # the NLP models load here, not for a skipped file

        report = extract(path, data, report_id)
        report, review_messages = apply_reviews(report, default_dir())
        write_atomic(output, to_json(report))
        return FileResult(str(path), sha, "ok", report_id, str(output), None, _since(started), version,
                          review_messages=review_messages, warnings=sorted({w.code for w in report.warnings}))
    except IngestError as e:
        return FileResult(str(path), sha, "failed", report_id, None, str(e), _since(started), version)
    except Exception as e:  # a bug on one file must not stop the batch
        return FileResult(str(path), sha, "failed", report_id, None, f"{type(e).__name__}: {e}", _since(started), version)


def _since(t: float) -> float:
    return round(time.perf_counter() - t, 3)
