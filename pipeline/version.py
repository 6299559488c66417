"""The pipeline version: the package version and a hash of the code and the rule data.

Cheap to compute (no NLP models are loaded), so an unchanged file is skipped without them; any
change to a stage or a rule file gives a new version and re-runs the files.
"""
import hashlib
from functools import lru_cache
from pathlib import Path

from pipeline import __version__

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pipeline", "models")


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    h = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".toml", ".json", ".tsv"} and "__pycache__" not in path.parts:
                h.update(path.relative_to(ROOT).as_posix().encode())
                h.update(path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"
