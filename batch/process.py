"""One file of a batch -> OUT/<report_id>.json with its reviewers' decisions applied, or a one-line error.

Bad input never stops a batch: each file gets its own status and error. Outputs are written to a
temporary file and renamed, so no half-written JSON is ever left behind.

A file is `unchanged` (not extracted again) when everything its result depends on is what the
ledger recorded: its content (sha256), the pipeline version, its reviews file (fingerprint) and the
environment (`environment()`: what the readers can do here, e.g. OCR); and its output is still the
one written (output_sha256). `force` redoes it anyway. `strict` names warning codes that fail a
file: its JSON is still written (reviewers can look at it), its status is `failed` and the error
names the codes.
"""
import time
from functools import lru_cache
from pathlib import Path

from batch.inputs import read_input
from batch.manifest import FileResult, capped
from pipeline.files import FileReadError, sha256_bytes, read_regular, write_atomic
from pipeline.ingest import IngestError
from pipeline.slug import is_report_id, report_id as file_report_id
from review.apply import apply_decisions
from review.decisions import UNREADABLE_CODE, Reviews, read_reviews, reviews_dir
from review.outputs import JSON_LIMIT, output_path, read_json
from review.store import save_machine


@lru_cache(maxsize=1)
def environment() -> str:
    """What the readers can do on this machine (OCR installed or not, ...): a result made without
    OCR is redone once it is there. '' until pipeline.ingest tells (ingest.environment())."""
    from pipeline import ingest

    return str(getattr(ingest, "environment", lambda: "")())


def file_version(version: str, reviews: str, env: str | None = None) -> str:
    """What a file's result depends on besides its content: the pipeline version, the fingerprint of
    the report's reviews file, the environment."""
    env = environment() if env is None else env
    return f"{version}+{reviews}" + (f"+env.{sha256_bytes(env.encode())[:8]}" if env else "")


def planned_id(path: Path, previous: dict | None) -> str:
    """The id the plan gave the file (`assigned_id` in the entry it hands over), else the one its
    ledger entry recorded, else the slug of its name."""
    p = previous or {}
    if is_report_id(p.get("assigned_id")):
        return p["assigned_id"]
    return p["report_id"] if is_report_id(p.get("report_id")) and not p.get("duplicate_of") else file_report_id(path)


def unchanged(path: Path, out_dir: Path, version: str, previous: dict | None, sha: str | None,
              report_id: str | None = None) -> FileResult | None:
    """The `unchanged` result for a file whose content (`sha`) and per-file version are what the last
    run recorded (`previous`, its ledger entry) and whose output is intact; else None."""
    if sha is None or (previous or {}).get("sha256") != sha:  # new or changed: nothing more to read
        return None
    report_id = report_id or planned_id(path, previous)
    reviews = read_reviews(reviews_dir(out_dir), report_id)
    return _unchanged(path, output_path(out_dir, report_id), file_version(version, reviews.fingerprint), previous,
                      sha, report_id)


def _unchanged(path: Path, output: Path, key: str, previous: dict | None, sha: str | None,
               report_id: str) -> FileResult | None:
    p = previous or {}
    if sha is None or p.get("sha256") != sha or p.get("pipeline_version") != key or p.get("report_id") != report_id \
            or p.get("status") not in ("ok", "unchanged") or p.get("duplicate_of"):
        return None
    intact = _intact(output, p, report_id, sha)
    if intact is None:
        return None
    warnings, output_sha = intact
    return FileResult(str(path), sha, "unchanged", report_id, str(output), None, 0.0, key,
                      review_messages=list(p.get("review_messages") or []), warnings=warnings, output_sha256=output_sha)


def _intact(output: Path, previous: dict, report_id: str, sha: str) -> tuple[list[str], str] | None:
    """(warning codes, output sha256) when the output on disk is the one the ledger recorded (or, for
    an entry of an older ledger without its hash, a report of this source under this id); else None."""
    try:
        data = read_regular(output, JSON_LIMIT)
    except FileReadError:
        return None
    output_sha = sha256_bytes(data)
    if previous.get("output_sha256"):
        ok = previous["output_sha256"] == output_sha and isinstance(previous.get("warnings"), list)
        return (list(previous["warnings"]), output_sha) if ok else None
    try:
        doc = read_json(output)
    except ValueError:
        return None
    if not isinstance(doc, dict) or doc.get("report_id") != report_id or (doc.get("source") or {}).get("sha256") != sha:
        return None
    return codes(w.get("code") for w in doc.get("warnings") or [] if isinstance(w, dict)), output_sha


def codes(values) -> list[str]:
    return [c for c in dict.fromkeys(values) if isinstance(c, str)]


def strictly(result: FileResult, strict: frozenset[str]) -> FileResult:
    """A result with a warning named in `strict` fails (its output stays written and recorded)."""
    hit = [w for w in result.warnings if w in strict]
    if hit and result.status in ("ok", "unchanged"):
        result.status = "failed"
        result.error = f"strict: warning{'s' if len(hit) > 1 else ''} {', '.join(hit)} (output kept: {result.output})"
    return result


def process_file(path: Path, out_dir: Path, version: str, previous: dict | None = None, *,
                 strict: frozenset[str] = frozenset(), force: bool = False) -> FileResult:
    """Extract one file unless it is unchanged (see the module's docstring); `previous` is its ledger
    entry, with the id the plan gave it."""
    started = time.perf_counter()
    path, out_dir = Path(path), Path(out_dir)
    report_id = planned_id(path, previous)
    sha, key = None, version
    try:
        data = read_input(path)
    except IngestError as e:  # a file that cannot be read claims no id
        return FileResult(str(path), None, "failed", None, None, _one_line(str(e)), _since(started), key)
    try:
        output = output_path(out_dir, report_id)
        sha = sha256_bytes(data)
        reviews = read_reviews(reviews_dir(out_dir), report_id)
        key = file_version(version, reviews.fingerprint)
        skipped = None if force else _unchanged(path, output, key, previous, sha, report_id)
        if skipped is not None:
            skipped.seconds = _since(started)
            return strictly(skipped, strict)
        from pipeline.extract import extract, to_json  # the NLP models load here, not for a skipped file

        machine = extract(path, data, report_id)
        machine_json = to_json(machine)
        save_machine(out_dir, machine_json, report_id)
        report, messages = _reviewed(machine, reviews)
        text = machine_json if report is machine else to_json(report)
        write_atomic(output, text)
        return strictly(FileResult(str(path), sha, "ok", report_id, str(output), None, _since(started), key,
                                   review_messages=capped(messages), warnings=codes(w.code for w in report.warnings),
                                   output_sha256=sha256_bytes(text)), strict)
    except IngestError as e:
        return FileResult(str(path), sha, "failed", report_id, None, _one_line(str(e)), _since(started), key)
    except Exception as e:  # a bug on one file must not stop the batch
        return FileResult(str(path), sha, "failed", report_id, None, _one_line(f"{type(e).__name__}: {e}"),
                          _since(started), key)


def _reviewed(report, reviews: Reviews):
    """The report with its reviews applied; a reviews file that cannot be read is a warning on it."""
    report, messages = apply_decisions(report, reviews.file.decisions)
    if reviews.problem:
        import models

        warning = models.Warning(code=UNREADABLE_CODE, message=f"{reviews.problem}; extracted without its reviews")
        report = report.model_copy(update={"warnings": [*report.warnings, warning]})
    return report, messages


def _one_line(message: str) -> str:
    return " ".join(message.split())[:500]


def _since(t: float) -> float:
    return round(time.perf_counter() - t, 3)
