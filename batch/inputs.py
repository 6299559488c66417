"""The files a batch is given: folders walked, each file read (bounded, regular files only) and
hashed, same-content duplicates found."""
import os
from pathlib import Path

from pipeline.files import FileReadError, check_zip, env_limit, read_regular, sha256_bytes
from pipeline.ingest import MAX_BYTES, SUFFIXES, IngestError

MAX_BYTES_ENV = "CITY_REPORTS_MAX_BYTES"
UNPACKED = 10  # a zip container (DOCX, ODT) may unpack to 10 times the size limit, no more


def max_bytes() -> int:
    """The size limit for one file: CITY_REPORTS_MAX_BYTES (bytes, or 10MB, 50MiB, ...), else 50 MiB;
    SettingError (one line) for a value that is no size."""
    return env_limit(MAX_BYTES_ENV, MAX_BYTES)


def collect(paths: list[Path]) -> list[Path]:
    """Files named, and every entry below folders named, sorted (hidden names and `_` names such as
    the manifest and `_reviews/` left out, and files of other types: see not_reports). Links to
    folders are listed, not followed (no loop): they fail as the other entries that are not regular
    files do. A file named explicitly is kept whatever its type."""
    out: list[Path] = []
    for p in paths:
        out += [f for f in _walk(p) if not _other_type(f)] if p.is_dir() else [p]
    return list(dict.fromkeys(out))


def is_report(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def _other_type(path: Path) -> bool:
    return path.is_file() and not is_report(path)


def not_reports(paths: list[Path]) -> list[Path]:
    """Files below the folders named that are not reports (README.md, ...): `collect` leaves them out."""
    return [f for p in paths if p.is_dir() for f in _walk(p) if _other_type(f)]


def _walk(root: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        names = [d for d in dirs if not d.startswith((".", "_"))]
        dirs[:] = [d for d in names if not os.path.islink(os.path.join(folder, d))]
        found += [Path(folder) / f for f in files if not f.startswith((".", "_"))]
        found += [Path(folder) / d for d in names if d not in dirs]  # links to folders: listed, never followed
    return sorted(found)


def read_input(path: Path) -> bytes:
    """The bytes of an input file: a supported suffix, a regular file (or a link to one), within the
    size limit, no zip bomb; IngestError with a one-line message otherwise. Nothing blocks or reads
    forever."""
    if path.suffix.lower() not in SUFFIXES:
        raise IngestError(f"unsupported file type {path.suffix or '(none)'}: expected one of {', '.join(SUFFIXES)}")
    limit = max_bytes()
    try:
        data = read_regular(path, limit)
        check_zip(data, UNPACKED * limit)
    except FileReadError as e:
        raise IngestError(str(e)) from None
    return data


def file_sha(path: Path) -> str | None:
    """sha256 of what process_file would read; None when it cannot read it (type, size, kind, I/O)."""
    try:
        return sha256_bytes(read_input(path))
    except IngestError:
        return None


def duplicates(files: list[Path], shas: dict[Path, str | None] | None = None,
               keep: set[Path] = frozenset()) -> dict[Path, Path]:
    """Files whose content equals another one's -> that one (processed once). The one processed is
    a file in `keep` (it has an output already: a copy must not move it), else the first in order.
    `shas` are the files' hashes where the caller has them already."""
    groups: dict[str, list[Path]] = {}
    for f in files:
        sha = shas[f] if shas is not None else file_sha(f)
        if sha is not None:
            groups.setdefault(sha, []).append(f)
    out: dict[Path, Path] = {}
    for group in groups.values():
        first = next((f for f in group if f in keep), group[0])
        out.update({f: first for f in group if f != first})
    return out
