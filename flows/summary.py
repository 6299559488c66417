"""What a run amounts to, for people: counts by outcome, warnings by code, the cities and years
covered. Plain data (no Prefect): the command line prints it, the flow logs it and makes artifacts."""
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

OUTCOMES = ("ok", "with warnings", "unchanged", "failed", "orphaned")
HEAD_BYTES = 1 << 16  # the city and the year come before the text in a report's JSON
CITY = re.compile(r'"city":\s*(null|\{[^{}]*\})')
YEAR = re.compile(r'"year":\s*(null|-?\d+)')


def outcome(result) -> str:
    """ok | with warnings | unchanged | failed | orphaned: the word the summary counts a file under."""
    if result.status in ("ok", "unchanged") and result.warnings:
        return "with warnings"
    return result.status


@dataclass
class Summary:
    files: int = 0
    counts: Counter = field(default_factory=Counter)     # outcome -> files
    warnings: Counter = field(default_factory=Counter)   # warning code -> files
    examples: dict = field(default_factory=dict)         # warning code -> the first file with it
    cities: Counter = field(default_factory=Counter)     # city name -> reports (None: not found)
    years: Counter = field(default_factory=Counter)      # year -> reports (None: not found)

    def counts_text(self) -> str:
        words = [f"{self.counts[o]} {o}" for o in OUTCOMES if self.counts[o] or o != "orphaned"]
        return f"{self.files} files: " + ", ".join(words)

    def coverage_text(self) -> str:
        if not self.cities and not self.years:
            return ""
        cities = sorted((c for c in self.cities if c), key=lambda c: (-self.cities[c], c))
        shown = ", ".join(f"{c} ({self.cities[c]})" if self.cities[c] > 1 else c for c in cities[:12])
        if len(cities) > 12:
            shown += f" and {len(cities) - 12} more"
        years = sorted(y for y in self.years if y is not None)
        span = (str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}") if years else "none"
        text = f"{len(cities)} cities: {shown or 'none'}; years {span}"
        missing = [f"{n} without a {what}" for what, n in (("city", self.cities[None]), ("year", self.years[None])) if n]
        return text + (f" ({', '.join(missing)})" if missing else "")

    def text(self) -> str:
        coverage = self.coverage_text()
        return self.counts_text() + (f"; {coverage}" if coverage else "")


def summarise(results: list) -> Summary:
    s = Summary(files=len(results))
    for r in results:
        s.counts[outcome(r)] += 1
        for code in r.warnings:
            s.warnings[code] += 1
            s.examples.setdefault(code, r.path)
        if r.status in ("ok", "unchanged") and r.output and not r.duplicate_of:
            city, year = city_and_year(Path(r.output))
            s.cities[city] += 1
            s.years[year] += 1
    return s


def city_and_year(output: Path) -> tuple[str | None, int | None]:
    """The reporting city's name and the year of an extracted report, read from the head of its JSON
    (the whole file only when the head does not have them)."""
    try:
        with open(output, encoding="utf-8", errors="replace") as f:
            head = f.read(HEAD_BYTES)
        city, year = CITY.search(head), YEAR.search(head)
        if city and year:
            return (json.loads(city.group(1)) or {}).get("name"), json.loads(year.group(1))
        doc = json.loads(output.read_text(encoding="utf-8"))
        return (doc.get("city") or {}).get("name"), doc.get("year")
    except (OSError, ValueError, AttributeError):
        return None, None
