"""File helpers for the batch and the reviews: atomic writes and content hashes (no extraction here)."""
import hashlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, content: str) -> None:
    """Write `content` to a temporary file beside `path`, then rename it into place: a reader never
    sees a half-written file, and an interrupted write leaves the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256_file(path: Path) -> str | None:
    """The sha256 of a file's bytes, read in blocks; None when it cannot be read."""
    try:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None
