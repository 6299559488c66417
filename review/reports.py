"""Report JSON as the review commands read it: a file, a folder of them, a folder at a git revision.

Reads are bounded, ids are checked (a crafted `report_id` never names a file), and in a folder a
file that cannot be used is reported in one line and left out while the rest is read.
"""
import json
import re
import sys
from pathlib import Path
from typing import Literal

from pipeline.files import FileReadError, read_regular
from pipeline.slug import check_report_id
from review.outputs import JSON_LIMIT

CATEGORIES = ("places", "persons", "organisations", "dates", "quantities", "events", "tasks")  # a report's item lists
Category = Literal["places", "persons", "organisations", "dates", "quantities", "events", "tasks"]
REVISION = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./@{}~^:+-]{0,199}")  # what `--rev` takes: no option, no space


class DiffError(Exception):
    """Input that cannot be diffed (exit status 2)."""


def parse_report(text: str | bytes, where: str) -> dict:
    try:
        doc = json.loads(text)
    except UnicodeDecodeError as e:
        raise DiffError(f"{where}: not UTF-8 ({e.reason} at byte {e.start})") from None
    except ValueError as e:
        raise DiffError(f"{where}: not JSON ({_one_line(e)})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("report_id"), str):
        raise DiffError(f"{where}: not a report document (no report_id)")
    try:
        check_report_id(doc["report_id"])
    except ValueError as e:
        raise DiffError(f"{where}: {e}") from None
    for cat in CATEGORIES:
        if not isinstance(doc.get(cat, []), list):
            raise DiffError(f"{where}: {cat} is not a list")
    return doc


def _one_line(e: Exception) -> str:
    return " ".join(str(e).split())[:300]


def report_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith((".", "_")))


def load_side(path: Path, problems: list[str] | None = None) -> dict[str, tuple[str, dict]]:
    """A JSON file or a folder of them -> report_id -> (path, document).

    A file that cannot be used (damaged JSON, not a report, a crafted report_id, a second file with
    the same report_id) raises DiffError when it is the file asked for; in a folder it is listed in
    `problems` (one line each; printed to standard error as a warning when no list is given) and
    the rest is read."""
    if path.is_dir():
        files = report_files(path)
    elif path.is_file():
        files = [path]
    else:
        raise DiffError(f"{path}: no such file or folder")
    out: dict[str, tuple[str, dict]] = {}
    for f in files:
        try:
            _add(out, str(f), load_file(f))
        except DiffError as e:
            if not path.is_dir():
                raise
            _problem(problems, str(e))
    return out


def _add(out: dict[str, tuple[str, dict]], where: str, doc: dict) -> None:
    if doc["report_id"] in out:
        raise DiffError(f"{where}: report_id {doc['report_id']!r} is also {out[doc['report_id']][0]}'s; left out")
    out[doc["report_id"]] = (where, doc)


def _problem(problems: list[str] | None, message: str) -> None:
    if problems is None:
        print(f"warning: {message}", file=sys.stderr)
    else:
        problems.append(message)


def load_file(f: Path) -> dict:
    try:
        data = read_regular(f, JSON_LIMIT)
    except FileReadError as e:
        raise DiffError(f"{f}: {e}") from None
    return parse_report(data, str(f))


def load_rev(rev: str, folder: Path, problems: list[str] | None = None) -> dict[str, tuple[str, dict]]:
    """The report files of `folder` as committed at git revision `rev` (git ls-tree + git show);
    damaged ones go to `problems`, as in load_side."""
    import subprocess

    def git(*args: str) -> str:
        try:
            r = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise DiffError(f"git: {e}") from None
        if r.returncode:
            raise DiffError(f"git {' '.join(args)}: {_one_line(r.stderr.decode(errors='replace'))}")
        return r.stdout.decode("utf-8", errors="replace")

    if not REVISION.fullmatch(rev or ""):
        raise DiffError(f"{rev!r}: not a git revision (a name, a hash, HEAD~2, ...; no spaces, no leading '-')")
    if not folder.is_dir():
        raise DiffError(f"{folder}: no such folder")
    try:
        git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except DiffError:
        raise DiffError(f"{rev}: not a git revision (in {folder})") from None
    out: dict[str, tuple[str, dict]] = {}
    for name in git("ls-tree", "--name-only", "--end-of-options", rev, "--", ".").splitlines():
        if name.endswith(".json") and not name.startswith((".", "_")) and "/" not in name:
            where = f"{rev}:{folder.as_posix().rstrip('/')}/{name}"
            try:
                _add(out, where, parse_report(git("show", "--end-of-options", f"{rev}:./{name}"), where))
            except DiffError as e:
                _problem(problems, str(e))
    return out
