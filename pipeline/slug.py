"""Report ids from file names: Cyrillic transliterated, accents dropped, lower case, dashes.

An id is also a file name (OUT/<report_id>.json, the reviews' <report_id>.json), so every id read
from outside (an argument, a JSON file, a manifest, a git revision) is checked with `check_report_id`
before a path is built from it.
"""
import hashlib
import re
import unicodedata
from pathlib import Path

TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                     "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))
REPORT_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")  # as models.Report.report_id
MAX_LEN = 100  # with ".json" and a temporary file's prefix and suffix, well under 255 bytes


def slugify(name: str) -> str:
    """A file name's slug. A name with nothing to spell in Latin letters or digits (北京, ★) gets
    `report-` and a hash of the name, so two such names do not share an id."""
    s = "".join(TRANSLIT.get(ch, ch) for ch in name.lower())
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()  # Köln -> koln
    s = re.sub(r"[^a-z0-9._-]+", "-", s).strip("-._")
    if not s:
        return f"report-{_hash(name)}"
    if len(s) > MAX_LEN:
        s = f"{s[:MAX_LEN - 9].rstrip('-._')}-{_hash(s)}"
    return s


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def report_id(path: str | Path) -> str:
    """A report file's id: the slug of its name without the extension; also its output's name.
    (A batch qualifies it when another file has it already: batch.ids.)"""
    return slugify(Path(path).stem)


def is_report_id(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_LEN + 20 and REPORT_ID.fullmatch(value) is not None


def check_report_id(value: object) -> str:
    """`value` when it is a report id (lower-case letters, digits, '.', '_', '-'; no '/'); ValueError
    with a one-line message otherwise."""
    if not is_report_id(value):
        shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
        raise ValueError(f"{shown} is not a report id (lower-case Latin letters, digits, '.', '_' and '-', "
                         f"starting with a letter or digit)")
    return value
