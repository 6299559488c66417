"""The extracted folder, report by report: one JSON in memory at a time.

Left out, each with one line in `problems`: a file that is not a readable report (damaged JSON, no
report_id, a category that is not a list), a second file with a report_id already read. Left out
silently: reports whose source file is gone (the folder's `_manifest.json` marks them `orphaned`).
"""
import json
from collections.abc import Iterator
from pathlib import Path

MANIFEST = "_manifest.json"
ORPHANED = "orphaned"
LISTS = ("places", "persons", "organisations", "dates", "quantities", "events", "tasks")


class CompareError(Exception):
    """Input `compare` cannot work on (exit status 2)."""


def report_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith((".", "_")))


def orphaned(folder: Path) -> set[str]:
    """Report ids whose source is gone, from the manifest (none when there is no readable manifest)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    files = data.get("files") if isinstance(data, dict) else None
    return {f["report_id"] for f in files or [] if isinstance(f, dict) and f.get("status") == ORPHANED
            and isinstance(f.get("report_id"), str)} if isinstance(files, list) else set()


def parse(path: Path) -> dict:
    """One report document; ValueError with a one-line reason."""
    try:
        doc = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as e:
        raise ValueError(f"cannot be read ({e.strerror or e})") from None
    except UnicodeDecodeError as e:
        raise ValueError(f"not UTF-8 ({e.reason} at byte {e.start})") from None
    except ValueError as e:
        raise ValueError(f"not JSON ({e})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("report_id"), str):
        raise ValueError("not a report document (no report_id)")
    for cat in LISTS:
        if not isinstance(doc.get(cat) or [], list):
            raise ValueError(f"{cat} is not a list")
    return doc


class Reports:
    """The reports of a folder; iterate as often as needed (each pass reads the files again)."""

    def __init__(self, folder: Path):
        if not folder.is_dir():
            raise CompareError(f"{folder}: no such folder")
        self.folder = folder
        self.files = report_files(folder)
        self.gone = orphaned(folder)
        self.problems: list[str] = []
        self._skip: set[Path] = set()
        self._passes = 0

    def __iter__(self) -> Iterator[dict]:
        first, seen = self._passes == 0, set()
        self._passes += 1
        for path in self.files:
            if path in self._skip:
                continue
            try:
                doc = parse(path)
            except ValueError as e:
                self._drop(first, path, f"{path}: {e}; left out")
                continue
            rid = doc["report_id"]
            if rid in self.gone:
                continue
            if rid in seen:
                self._drop(first, path, f"{path}: report_id {rid!r} again; left out")
                continue
            seen.add(rid)
            yield doc

    def _drop(self, first: bool, path: Path, message: str) -> None:
        self._skip.add(path)
        if first:
            self.problems.append(message)
