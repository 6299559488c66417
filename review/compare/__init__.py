"""`compare`: tables across reports, for other tools and for people (review/compare/tables.py lists
every table and column; docs/compare-tables.md is that list).

Two passes over the extracted folder, one report in memory at a time (read.py): the first keeps
what links reports (index.py: persons, ties, tasks), the second writes every report's rows
(rows.py) to CSV and Parquet as it goes (sinks.py); the cross-report tables (partners per city and
year and their changes, officials, event counts, task outcomes) follow, then compare.duckdb from the
Parquet files and overview.html (overview.py, charts.py). Memory stays flat in the number of
reports: what spans reports waits on disk (spill.py, a SQLite file in a temporary folder inside the
output folder, removed at the end) and is worked out one city, one person group, one report at a time.
"""
import tempfile
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from review.compare import by_city, index as pass_one
from review.compare.overview import keep, write_overview
from review.compare.partners import change_row
from review.compare.read import CompareError, Reports
from review.compare.rows import report_rows
from review.compare.sinks import Sinks, write_duckdb
from review.compare.spill import Spill
from review.compare.tables import TABLES
from review.compare.text import sentence_at

__all__ = ["CompareError", "Summary", "TABLES", "compare"]


@dataclass
class Summary:
    counts: dict[str, int]
    problems: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def compare(src: Path, out: Path, csv_bom: bool = True) -> Summary:
    """Read every report in `src` (twice, one at a time), write the tables, compare.duckdb and overview.html."""
    reports = Reports(src)
    made = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix=".compare-", dir=out) as tmp:
            spill = Spill(Path(tmp) / "state.sqlite")
            try:
                return _compare(reports, out, csv_bom, spill, Path(tmp))
            finally:
                spill.close()
    except CompareError:
        if made:
            with suppress(OSError):
                out.rmdir()
        raise


def _compare(reports: Reports, out: Path, csv_bom: bool, spill: Spill, tmp: Path) -> Summary:
    index = pass_one.build(reports, spill)
    if not index.meta:
        raise CompareError(f"{reports.folder}: no report JSON files" + (
            f" that can be read ({len(reports.problems)} cannot)" if reports.problems else ""))
    with Sinks(out, csv_bom) as sinks:
        wanted = _partners(index, sinks)
        evidence: dict[tuple[str, str], str] = {}
        for doc in reports:
            rid = doc["report_id"]
            if rid not in index.meta:
                continue
            rows = report_rows(doc, index)
            for name, rs in rows.items():
                sinks.write(name, rs)
            meta = index.meta[rid]
            keep(spill, rows, meta.topic)
            if meta.city is not None:
                index.tasks.check(meta.city, doc)
            if meta.city is None or meta.year is None:
                continue
            by_city.add_event_counts(spill, meta.city, meta.year, rows["events"])
            by_city.add_officials(spill, meta.city, rows["persons"], doc)
            for key in wanted.get(rid, ()):
                evidence[(rid, key)] = _sentence(doc, key, rows["places"])
        sinks.write("event_counts", by_city.event_counts(spill))
        sinks.write("partner_changes", ({**row, "evidence": evidence.get((named_in, row["key"])) if named_in else None}
                                        for row, named_in in spill.values("change")))
        sinks.write("officials", by_city.officials(spill))
        sinks.write("tasks", index.tasks.rows(index.reports_of, {m.report_id: m.city for m in index.meta.values()}))
    overview = write_overview(out / "overview.html", spill, sinks.counts, tmp)
    spill.close()   # DuckDB last, on top of as little as can be
    files = [out / f"{t.name}.{ext}" for t in TABLES for ext in ("csv", "parquet")]
    files += [write_duckdb(out, tmp), overview]
    return Summary(dict(sinks.counts), reports.problems, files)


def _partners(index: pass_one.Index, sinks: Sinks) -> dict[str, set[str]]:
    """Partners, foreign places and partner changes, city by city; the changes (and the partners, for the
    overview) wait in the spill. Returns report_id -> the keys whose sentence a dropped partner's change quotes."""
    wanted: dict[str, set[str]] = {}
    for partners in index.partners():
        changes = partners.changes()
        for report_id, keys in partners.evidence_wanted(changes).items():
            wanted.setdefault(report_id, set()).update(keys)
        for c in changes:
            index.spill.add("change", c.city, [change_row(c, {}), c.named_in])
        rows = list(partners.rows())
        for row in rows:
            index.spill.add("partner", row["city"], row)
        sinks.write("partners", rows)
        sinks.write("foreign_places", partners.foreign_rows())
    return wanted


def _sentence(doc: dict, key: str, places: list[dict]) -> str | None:
    """The sentence of the first mention of the place with this key (a dropped partner named without a tie)."""
    ids = {p["place_id"] for p in places if p["key"] == key}
    text = doc.get("text") or ""
    starts = [m.get("start") for p in doc.get("places") or [] if p.get("id") in ids for m in p.get("mentions") or []
              if isinstance(m.get("start"), int)]
    return sentence_at(text, min(starts)) if starts and text else None
