"""Stable report ids from file names: Cyrillic transliterated, lower case, dashes."""
import re
from pathlib import Path

TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                     "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))


def slugify(name: str) -> str:
    s = "".join(TRANSLIT.get(ch, ch) for ch in name.lower())
    s = re.sub(r"[^a-z0-9._-]+", "-", s).strip("-._")
    return s or "report"


def report_id(path: str | Path) -> str:
    """A report file's id: the slug of its name without the extension; also its output's name."""
    return slugify(Path(path).stem)
