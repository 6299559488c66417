"""Legacy Word (.doc) reports through a Debian converter: antiword, else catdoc.

Neither is a Python package: `apt-get install antiword` (or `catdoc`). Without them a .doc fails
with a one-line error that names the package. antiword fails on some small or odd files ("text
stream too small", crashes); catdoc is tried next. Tables come out as antiword draws them
("|cell|cell|" rows) and are read back as tables.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .raw import IngestError, RawText

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
INSTALL = "apt-get install antiword (or catdoc)"
_COMMANDS = {"antiword": ["-m", "UTF-8.txt", "-w", "0"], "catdoc": ["-d", "utf-8", "-w"]}
_ROW = re.compile(r"^\|(.*)\|$")


def converters() -> list[str]:
    """The converters found on PATH, in the order they are tried."""
    return [name for name in _COMMANDS if shutil.which(name)]


def read_doc(data: bytes) -> RawText:
    data = bytes(data)
    if not data.startswith(OLE):
        raise IngestError("not a Word .doc file: no OLE2 signature at the start")
    found = converters()
    if not found:
        raise IngestError(f"cannot read .doc: no converter installed ({INSTALL})")
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.doc"
        path.write_bytes(data)
        for name in found:
            try:
                res = subprocess.run([shutil.which(name), *_COMMANDS[name], str(path)], capture_output=True, timeout=120)
            except (OSError, subprocess.SubprocessError) as exc:
                errors.append(f"{name}: {' '.join(str(exc).split())[:120]}")
                continue
            text = res.stdout.decode("utf-8", errors="replace")
            if res.returncode == 0 and text.strip():
                return _raw(text)
            why = " ".join(res.stderr.decode("utf-8", errors="replace").split())[:120] or f"exit status {res.returncode}"
            errors.append(f"{name}: {why}")
    raise IngestError(f"cannot read .doc: {'; '.join(errors)}")


def _raw(text: str) -> RawText:
    raw = RawText(text="", format="doc", reflowed=True)  # one line per paragraph (-w 0, -w)
    out: list[str] = []
    rows: list[list[str]] = []
    for line in text.replace("\r", "").split("\n") + [""]:
        m = _ROW.match(line.strip())
        if m:
            rows.append([c.strip() for c in m.group(1).split("|")])
            continue
        if rows:
            out += ["", raw.add_table(rows, header_rows=int(len(rows) > 1)), ""]
            rows = []
        out.append(line)
    raw.text = "\n".join(out)
    return raw
