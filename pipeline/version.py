"""The pipeline version: the package version and a hash of what makes an extraction.

That is the extraction code and its rule data (pipeline/: the stages, ingest, rules/) and the schema
(models/) — nothing else: a change to the command line, the batch, the flows, the diff or the
reviews' code does not re-run a report (a new reviewer's decision re-runs its own report: batch.process).
Cheap to compute (no NLP models are loaded), so an unchanged file is skipped without them.
"""
import hashlib
from functools import lru_cache
from pathlib import Path

from pipeline import __version__

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pipeline", "models")
SUFFIXES = (".py", ".toml", ".json", ".tsv")
NOT_EXTRACTION = ("pipeline/files.py", "pipeline/version.py", "models/diff.schema.json")  # in SOURCES, not in it


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    h = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            name = path.relative_to(ROOT).as_posix()
            if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts \
                    and name not in NOT_EXTRACTION:
                h.update(name.encode())
                h.update(path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"
