"""File helpers for the batch and the reviews (no extraction here):

- reads that are bounded and take regular files only (a FIFO, a device or a link to one is refused
  before anything is read, so nothing hangs or reads forever),
- atomic writes whose files get the modes the umask allows, with temporary names that tell which
  process wrote them, so that a later run removes what a killed one left (`sweep_temp`),
- paths built from a name (a report id) checked to stay inside their folder,
- size limits read from the environment, checked with a one-line error.
"""
import hashlib
import os
import re
import socket
import stat
import tempfile
import time
from pathlib import Path


class FileReadError(Exception):
    """A file that cannot be read: a one-line message."""


class SettingError(ValueError):
    """A setting from the environment that makes no sense: a one-line message naming it."""


class PathError(ValueError):
    """A path built from a name that would leave its folder."""


# ---- reading ----

KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
         (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in KINDS if test(mode)), "not a regular file")


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file (or of a link to one), at most `limit` of them.

    Anything else is refused before it is opened for reading, and again on the opened descriptor (the
    name could have been swapped in between): a FIFO would block, /dev/zero would never end."""
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise FileReadError("cannot read file: " + ("broken symbolic link" if path.is_symlink()
                                                    else "no such file")) from None
    except OSError as e:
        raise FileReadError(f"cannot read file: {e.strerror or e}") from None
    _check(path, st, limit)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise FileReadError(f"cannot read file: {e.strerror or e}") from None
    try:
        _check(path, os.fstat(fd), limit)
        chunks, size = [], 0
        while size <= limit:
            block = os.read(fd, min(1 << 20, limit + 1 - size))
            if not block:
                break
            chunks.append(block)
            size += len(block)
    except OSError as e:
        raise FileReadError(f"cannot read file: {e.strerror or e}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise FileReadError(f"file too large: more than {limit} bytes (the limit)")
    return b"".join(chunks)


def _check(path: Path, st: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        link = " behind a symbolic link" if path.is_symlink() else ""
        raise FileReadError(f"not a regular file: {_kind(st.st_mode)}{link}; only regular files are read")
    if st.st_size > limit:
        raise FileReadError(f"file too large: {st.st_size} bytes, limit {limit}")


ZIP_RATIO = 200  # a member that unpacks to more than 200 times its packed size (and over 1 MiB) is a bomb


def check_zip(data: bytes, limit: int) -> None:
    """For a zip container (DOCX, ODT, ...): FileReadError when its members would unpack to more than
    `limit` bytes in all, or one of them far beyond what documents compress to (a zip bomb), before
    any reader unpacks them. Python's zipfile never unpacks more than a member's declared size, so
    the declared sizes bound what a reader can get. Anything that is no zip is left to the reader."""
    import io
    import zipfile

    if not data.startswith(b"PK\x03\x04"):
        return
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return  # the reader says what is wrong with it
    total = sum(m.file_size for m in members)
    if total > limit:
        raise FileReadError(f"zip bomb: the parts unpack to {total} bytes, limit {limit}")
    for m in members:
        if m.file_size > 1 << 20 and m.file_size > ZIP_RATIO * max(m.compress_size, 1):
            raise FileReadError(f"zip bomb: {m.filename[:80]!r} unpacks to {m.file_size} bytes "
                                f"from {m.compress_size}")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- writing ----

_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:32] or "host"
_TEMP = re.compile(r"^\..+\.(?P<host>[A-Za-z0-9-]+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp$")
_ANY_TEMP = re.compile(r"^\..+\.tmp$")


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write `content` to a temporary file beside `path`, then rename it into place: a reader never
    sees a half-written file, and an interrupted write leaves the old one. The file's mode is what
    the umask allows (as `open` would give), not the temporary file's 0600."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{_HOST}.{os.getpid()}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~umask())
        with (os.fdopen(fd, "wb") if isinstance(content, bytes) else os.fdopen(fd, "w", encoding="utf-8")) as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def umask() -> int:
    """The process's umask, read without changing it where Linux tells it (os.umask would set it
    for a moment, under other threads' feet)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def sweep_temp(folder: Path, max_age: float = 86400.0) -> list[Path]:
    """Remove temporary files that killed writers left in `folder`: those of a process of this
    machine that is gone, and any older than `max_age` seconds (another machine's, or nameless).
    A live writer's file is never touched. Returns what was removed."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for e in entries:
        if not _ANY_TEMP.match(e.name) or not e.is_file(follow_symlinks=False):
            continue
        m = _TEMP.match(e.name)
        try:
            stale = (m and m["host"] == _HOST and not _alive(int(m["pid"]))) or now - e.stat().st_mtime > max_age
            if stale:
                os.unlink(e.path)
                removed.append(Path(e.path))
        except OSError:
            continue
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---- names and settings ----

def inside(folder: Path, name: str) -> Path:
    """folder/name, refused (PathError) unless it is a plain name whose path stays in `folder`."""
    path = Path(folder) / name
    if not name or name in (".", "..") or os.sep in name or (os.altsep and os.altsep in name) or "\0" in name \
            or os.path.normpath(os.path.abspath(path.parent)) != os.path.normpath(os.path.abspath(folder)):
        raise PathError(f"{name!r} would leave the folder {folder}")
    return path


UNITS = {"": 1, "k": 1000, "m": 1000 ** 2, "g": 1000 ** 3, "ki": 1024, "mi": 1024 ** 2, "gi": 1024 ** 3}


def env_limit(name: str, default: int) -> int:
    """A size in bytes from the environment variable `name` (default when unset or empty):
    a positive whole number, optionally with a unit (10MB, 50MiB, 200k). SettingError otherwise."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    m = re.fullmatch(r"(\d+)\s*([kmg]i?)?b?", raw, flags=re.IGNORECASE)
    value = int(m[1]) * UNITS[(m[2] or "").lower()] if m else 0
    if value < 1:
        raise SettingError(f"{name}={raw!r}: expected a size in bytes above 0, e.g. {default} or 50MiB")
    return value
