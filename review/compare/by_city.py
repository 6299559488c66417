"""The tables that sum up a city's reports per year, officials and event counts: what each report
says goes to the spill (spill.py) while the second pass goes by, and the sums are worked out one
city at a time, cities in order, so the rows come out sorted as if all were in memory at once."""
from collections import Counter
from collections.abc import Iterator

from review.compare import index as pass_one
from review.compare.spill import Spill


def add_officials(spill: Spill, city: str, persons: list[dict], doc: dict) -> None:
    """Each post of each person of a report: (year, person key, name, post, organisation, its key, report)."""
    orgs = {o.get("id"): o for o in doc.get("organisations") or [] if isinstance(o, dict)}
    by_id = {p.get("id"): p for p in doc.get("persons") or [] if isinstance(p, dict)}
    posts = []
    for row in persons:
        for pos in by_id.get(row["person_id"], {}).get("positions") or []:
            title = pos.get("title") if isinstance(pos, dict) else None
            if not title:
                continue
            org = orgs.get(pos.get("organisation_id")) or {}
            posts.append([row["year"], row["key"], row["name"], title, org.get("name"),
                          pass_one.organisation_key(org) if org else None, row["report_id"]])
    if posts:
        spill.add("officials", city, posts)


def officials(spill: Spill) -> Iterator[dict]:
    """(city, year, person key, post) -> one row, the organisation named in the post with its key; the longest name."""
    for city in sorted(spill.keys("officials")):
        rows: dict[tuple, dict] = {}
        for year, key, name, post, org, org_key, rid in (p for posts in spill.values("officials", city) for p in posts):
            hit = rows.setdefault((year, key, post), {"city": city, "year": year, "key": key, "name": name, "post": post,
                                                      "organisation": org, "organisation_key": org_key, "reports": rid})
            if rid not in hit["reports"].split("; "):
                hit["reports"] += "; " + rid
            if len(name or "") > len(hit["name"] or ""):
                hit["name"] = name
        yield from sorted(rows.values(), key=lambda r: (r["year"], r["name"] or "", r["post"]))


def add_event_counts(spill: Spill, city: str, year: int, events: list[dict]) -> None:
    counts = Counter((e["type"], e["format"]) for e in events if e["counted"])
    if counts:
        spill.add("event_counts", city, [year, [[kind, form, n] for (kind, form), n in counts.items()]])


def event_counts(spill: Spill) -> Iterator[dict]:
    """Events that happened per city, year, type and format."""
    for city in sorted(spill.keys("event_counts")):
        counts: Counter = Counter()
        for year, per_report in spill.values("event_counts", city):
            for kind, form, n in per_report:
                counts[(year, kind, form)] += n
        for (year, kind, form), n in sorted(counts.items(), key=lambda kv: tuple(map(str, kv[0]))):
            yield {"city": city, "year": year, "type": kind, "format": form, "events": n}
