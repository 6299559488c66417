"""The files a batch is given: folders walked, each file hashed, same-content duplicates found."""
import hashlib
import os
from pathlib import Path

from pipeline.files import sha256_file
from pipeline.ingest import MAX_BYTES, SUFFIXES, IngestError, read_bytes


def max_bytes() -> int:
    """The size limit for one file: CITY_REPORTS_MAX_BYTES, or 50 MiB."""
    return int(os.environ.get("CITY_REPORTS_MAX_BYTES", MAX_BYTES))


def _walk(folder: Path) -> list[Path]:
    """Every file below a folder, hidden files and manifests left out."""
    return sorted(f for f in folder.rglob("*") if not f.is_dir()
                  and not any(part.startswith((".", "_")) for part in f.relative_to(folder).parts))


def is_report(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def not_reports(paths: list[Path]) -> list[Path]:
    """Files below the folders named that are not reports (README.md, ...): `collect` leaves them out."""
    return [f for p in paths if p.is_dir() for f in _walk(p) if not is_report(f)]


def collect(paths: list[Path]) -> list[Path]:
    """Files named, and every report file below folders named (hidden files, manifests and files
    of other types left out: see not_reports). A file named explicitly is kept whatever its type."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += [f for f in _walk(p) if is_report(f)]
        else:
            out.append(p)
    seen, unique = set(), []
    for f in out:
        if f not in seen:
            seen.add(f)
            unique.append(f)
    return unique


def file_sha(path: Path) -> str | None:
    """sha256 of what process_file would read; None when it would fail to read it (size, type, I/O)."""
    try:
        return hashlib.sha256(read_bytes(path, max_bytes())).hexdigest()
    except (IngestError, OSError):
        return None


def duplicates(files: list[Path], shas: dict[Path, str | None] | None = None) -> dict[Path, Path]:
    """Later files whose content equals an earlier one's -> that earlier file (processed once).
    `shas` are the files' hashes where the caller has them already."""
    first: dict[str, Path] = {}
    out: dict[Path, Path] = {}
    for f in files:
        sha = shas[f] if shas is not None else sha256_file(f)
        if sha is None:
            continue
        if sha in first:
            out[f] = first[sha]
        else:
            first[sha] = f
    return out
