"""An output folder, as every command sees it:

    OUT/<report_id>.json   one report (the path is built only from a checked id: `output_path`)
    OUT/_manifest.json     the batch's ledger, one entry per source file (batch/manifest.py writes it)
    OUT/_reviews/          the reviewers' decisions (review/decisions.py)

`compare` leaves out the reports whose source is gone (entries with status `orphaned`), and the
batch reads the ledger back through `manifest_entries`. Reads are bounded (JSON_LIMIT).
"""
import json
from pathlib import Path

from pipeline.files import FileReadError, PathError, inside, read_regular
from pipeline.slug import check_report_id, is_report_id

MANIFEST = "_manifest.json"
ORPHANED = "orphaned"
JSON_LIMIT = 1 << 30  # an output or a manifest larger than 1 GiB is not read


def output_path(out_dir: Path, report_id: str) -> Path:
    """OUT/<report_id>.json; ValueError unless the id is a report id whose file stays in OUT."""
    try:
        return inside(Path(out_dir), f"{check_report_id(report_id)}.json")
    except PathError as e:
        raise ValueError(str(e)) from None


def read_json(path: Path) -> object:
    """A JSON file's content (bounded, regular files only); ValueError with a one-line message."""
    try:
        data = read_regular(path, JSON_LIMIT)
    except FileReadError as e:
        raise ValueError(str(e)) from None
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise ValueError(f"not UTF-8 ({e.reason} at byte {e.start})") from None
    except ValueError as e:
        raise ValueError(f"not JSON ({e})") from None


def manifest_entries(out_dir: Path) -> list[dict]:
    """The manifest's entries (dicts with at least a string `path`); none when there is no readable one."""
    try:
        data = read_json(Path(out_dir) / MANIFEST)
    except ValueError:
        return []
    files = data.get("files") if isinstance(data, dict) else None
    return [f for f in files if isinstance(f, dict) and isinstance(f.get("path"), str)] if isinstance(files, list) else []


def orphaned_ids(out_dir: Path) -> set[str]:
    """Report ids whose source file is gone (the manifest says `orphaned`): kept on disk, not compared."""
    return {e["report_id"] for e in manifest_entries(out_dir)
            if e.get("status") == ORPHANED and is_report_id(e.get("report_id"))}
