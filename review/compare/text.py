"""Sentences and clauses of a report's text, and the labels the tables and the overview share."""
import re
import tomllib
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"(]?[А-ЯЁA-Z0-9])|\n+")
CLAUSE_END = re.compile(r"[,;:.!?()\n]|\s[-–—]\s")
YEAR = re.compile(r"^(?:19|20)\d\d$")


@lru_cache(maxsize=None)
def data(name: str) -> dict:
    """review/compare/<name>.toml"""
    with open(HERE / f"{name}.toml", "rb") as f:
        return tomllib.load(f)


def label(group: str, value: str | None) -> str | None:
    """The Russian label of a value (labels.toml); the value itself when there is none."""
    return None if value is None else data("labels")[group].get(value, value)


def sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if text[start:m.start()].strip():
            out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def sentence_at(text: str, pos: int, limit: int = 400) -> str:
    """The sentence around offset `pos` (at most `limit` characters)."""
    for a, b in sentences(text):
        if a <= pos < b:
            return text[a:b].strip()[:limit]
    return ""


def clause_at(text: str, start: int, end: int) -> str:
    """The clause around text[start:end]: from the last , ; : . ( or dash before it to the next after."""
    left = max((m.end() for m in CLAUSE_END.finditer(text, max(0, start - 200), start)), default=max(0, start - 200))
    m = CLAUSE_END.search(text, end, end + 200)
    return text[left:m.start() if m else min(len(text), end + 200)].strip()


def topic(report_id: str, year: int | None) -> str:
    """The part of the id after the year ("tver-2021-international" -> международная деятельность)."""
    parts = report_id.split("-")
    at = next((i for i, p in enumerate(parts) if YEAR.match(p) and (year is None or int(p) == year)), None)
    raw = "-".join(parts[at + 1:]) if at is not None else ""
    return label("topics", raw) if raw else ""
