"""The extracted folder, report by report: one JSON in memory at a time.

Left out, each with one line in `problems`: a file that is not a readable report (damaged JSON, no
report_id, a category that is not a list), a second file with a report_id already read. Left out
silently: reports whose source file is gone (the folder's `_manifest.json` marks them `orphaned`).
"""
from collections.abc import Iterator
from pathlib import Path

from review.outputs import orphaned_ids
from review.reports import DiffError, load_file, report_files


class CompareError(Exception):
    """Input `compare` cannot work on (exit status 2)."""


class Reports:
    """The reports of a folder; iterate as often as needed (each pass reads the files again)."""

    def __init__(self, folder: Path):
        if not folder.is_dir():
            raise CompareError(f"{folder}: no such folder")
        self.folder = folder
        self.names = [p.name for p in report_files(folder)]   # names, not Paths: a few bytes each however many
        self.gone = orphaned_ids(folder)
        self.problems: list[str] = []
        self._skip: set[str] = set()
        self._passes = 0

    def __iter__(self) -> Iterator[dict]:
        first, seen = self._passes == 0, set()
        self._passes += 1
        for name in self.names:
            if name in self._skip:
                continue
            path = self.folder / name
            try:
                doc = load_file(path)  # bounded read, checked report_id
            except DiffError as e:
                self._drop(first, path, f"{e}; left out")
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
        self._skip.add(path.name)
        if first:
            self.problems.append(message)
