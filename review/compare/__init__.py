"""`compare`: tables across reports, for other tools and for people (review/compare/tables.py lists
every table and column; docs/compare-tables.md is that list).

Two passes over the extracted folder, one report in memory at a time (read.py): the first keeps
what links reports (index.py: persons, ties, tasks), the second writes every report's rows
(rows.py) to CSV and Parquet as it goes (sinks.py); the cross-report tables (partners per city and
year and their changes, officials, event counts, task outcomes) follow, then compare.duckdb from the
Parquet files and overview.html (overview.py, charts.py).
"""
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from review.compare import index as pass_one
from review.compare.partners import change_row
from review.compare.read import CompareError, Reports
from review.compare.rows import report_rows
from review.compare.sinks import Sinks, write_duckdb
from review.compare.tables import TABLES
from review.compare.text import sentence_at

__all__ = ["CompareError", "Summary", "TABLES", "compare"]


@dataclass
class Summary:
    counts: dict[str, int]
    problems: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


@dataclass
class _Overview:
    """The little the overview draws, gathered while the rows go by."""
    reports: list[dict] = field(default_factory=list)
    partners: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    series: list[dict] = field(default_factory=list)


def compare(src: Path, out: Path, csv_bom: bool = True) -> Summary:
    """Read every report in `src` (twice, one at a time), write the tables, compare.duckdb and overview.html."""
    from review.compare.overview import write_overview

    reports = Reports(src)
    index = pass_one.build(reports)
    if not index.meta:
        raise CompareError(f"{src}: no report JSON files" + (f" that can be read ({len(reports.problems)} cannot)"
                                                              if reports.problems else ""))
    changes = index.partners.changes()
    wanted = index.partners.evidence_wanted(changes)
    evidence: dict[tuple[str, str], str] = {}
    counts: dict[tuple, int] = defaultdict(int)
    officials: dict[tuple, dict] = {}
    view = _Overview()
    out.mkdir(parents=True, exist_ok=True)
    with Sinks(out, csv_bom) as sinks:
        for doc in reports:
            rid = doc["report_id"]
            if rid not in index.meta:
                continue
            rows = report_rows(doc, index)
            for name, rs in rows.items():
                sinks.write(name, rs)
            view.reports += rows["reports"]
            view.series += rows["series"]
            meta = index.meta[rid]
            if meta.city is not None:
                index.tasks.check(meta.city, doc)
            if meta.city is None or meta.year is None:
                continue
            for e in rows["events"]:
                if e["counted"]:
                    counts[(meta.city, meta.year, e["type"], e["format"])] += 1
            _officials(officials, rows["persons"], doc)
            for key in wanted.get(rid, ()):
                evidence[(rid, key)] = _sentence(doc, key, rows["places"])
        sinks.write("event_counts", ({"city": c, "year": y, "type": t, "format": f, "events": n}
                                     for (c, y, t, f), n in sorted(counts.items(), key=lambda kv: tuple(map(str, kv[0])))))
        view.partners = list(index.partners.rows())
        view.changes = [change_row(c, evidence) for c in changes]
        sinks.write("partners", view.partners)
        sinks.write("partner_changes", view.changes)
        sinks.write("foreign_places", index.partners.foreign_rows())
        sinks.write("officials", sorted(officials.values(), key=lambda r: (r["city"], r["year"], r["name"] or "", r["post"])))
        sinks.write("tasks", index.tasks.rows(index.reports_of, {m.report_id: m.city for m in index.meta.values()}))
    files = [out / f"{t.name}.{ext}" for t in TABLES for ext in ("csv", "parquet")]
    files.append(write_duckdb(out))
    files.append(write_overview(out / "overview.html", view, sinks.counts))
    return Summary(dict(sinks.counts), reports.problems, files)


def _officials(officials: dict, persons: list[dict], doc: dict) -> None:
    """(city, year, person key, post) -> one row; the organisation named in the post with its key."""
    orgs = {o.get("id"): o for o in doc.get("organisations") or [] if isinstance(o, dict)}
    by_id = {p.get("id"): p for p in doc.get("persons") or [] if isinstance(p, dict)}
    for row in persons:
        for pos in by_id.get(row["person_id"], {}).get("positions") or []:
            title = pos.get("title") if isinstance(pos, dict) else None
            if not title:
                continue
            org = orgs.get(pos.get("organisation_id")) or {}
            k = (row["city"], row["year"], row["key"], title)
            hit = officials.setdefault(k, {"city": row["city"], "year": row["year"], "key": row["key"], "name": row["name"],
                                           "post": title, "organisation": org.get("name"),
                                           "organisation_key": pass_one.organisation_key(org) if org else None,
                                           "reports": row["report_id"]})
            if row["report_id"] not in hit["reports"].split("; "):
                hit["reports"] += "; " + row["report_id"]
            if len(row["name"] or "") > len(hit["name"] or ""):
                hit["name"] = row["name"]


def _sentence(doc: dict, key: str, places: list[dict]) -> str | None:
    """The sentence of the first mention of the place with this key (a dropped partner named without a tie)."""
    ids = {p["place_id"] for p in places if p["key"] == key}
    text = doc.get("text") or ""
    starts = [m.get("start") for p in doc.get("places") or [] if p.get("id") in ids for m in p.get("mentions") or []
              if isinstance(m.get("start"), int)]
    return sentence_at(text, min(starts)) if starts and text else None
