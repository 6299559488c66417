"""Rule data files (TOML), versioned with the code; `load(name)` reads one, `fingerprint()` hashes all."""
import hashlib
import tomllib
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    with open(HERE / f"{name}.toml", "rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """sha256 over every rule data file: a rule change changes it, and so re-runs affected files."""
    h = hashlib.sha256()
    for path in sorted(HERE.rglob("*")):
        if path.is_file() and path.suffix in {".toml", ".json", ".tsv", ".txt"}:
            h.update(path.relative_to(HERE).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()
