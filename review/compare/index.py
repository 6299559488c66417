"""The first pass over the reports: what the cross-report tables need.

In memory, per report, only its Meta (city, year, label, topic). On disk (spill.py): every person
(for linking; then the links, looked up per report in the second pass), every place's key and tie
(partners per city and year, worked out one city at a time) and every task. One report's JSON is in
memory at a time.
"""
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline import linkkeys
from review.compare.partners import Partners
from review.compare.persons import Link, PersonRef, group_of, link_group, person_ref
from review.compare.spill import Spill
from review.compare.tasks import Tasks
from review.compare.text import topic

PLACE_FIELDS = ("name", "kind", "country_code", "relation", "tie_since")   # what Partners reads of a place


@dataclass(slots=True)
class Meta:
    report_id: str
    city: str | None
    year: int | None
    topic: str
    label: str = ""


def city_of(doc: dict) -> tuple[str | None, str | None]:
    city = doc.get("city") if isinstance(doc.get("city"), dict) else {}
    name = city.get("name") if isinstance(city.get("name"), str) else None
    cc = city.get("country_code") if isinstance(city.get("country_code"), str) else None
    return name, cc


def year_of(doc: dict) -> int | None:
    y = doc.get("year")
    return y if isinstance(y, int) and not isinstance(y, bool) else None


def place_key(p: dict) -> str:
    return p.get("key") or linkkeys.place_key(p.get("name") or "?", p.get("kind") or "other", p.get("country_code"))


def organisation_key(o: dict) -> str:
    return o.get("key") or linkkeys.organisation_key(o.get("name") or "?")


def is_foreign(place: dict, home: str | None) -> bool:
    cc = place.get("country_code")
    return bool(cc and home and cc != home)


class Index:
    def __init__(self, spill: Spill):
        self.meta: dict[str, Meta] = {}
        self.spill = spill
        self.tasks = Tasks(spill)
        self.reports_of: dict[tuple[str, int], list[str]] = defaultdict(list)

    def add(self, doc: dict) -> None:
        rid = doc["report_id"]
        city, home = city_of(doc)
        year = year_of(doc)
        self.meta[rid] = Meta(rid, city, year, topic(rid, year))
        for p in doc.get("persons") or []:
            if isinstance(p, dict):
                ref = person_ref(rid, city, p)
                self.spill.add("person", group_of(ref), list(vars(ref).values()))
        if city is None:
            return
        self.tasks.add(city, doc)
        if year is None:
            return
        self.reports_of[(city, year)].append(rid)
        places = [[{f: p.get(f) for f in PLACE_FIELDS}, place_key(p), is_foreign(p, home)] for p in doc.get("places") or []
                  if isinstance(p, dict) and not (p.get("name") == city and p.get("kind") == "city")]
        if places:
            self.spill.add("places", city, [year, rid, places])

    def finish(self) -> None:
        """Labels (city · year · topic, unique) and the person links."""
        labels: dict[str, list[Meta]] = defaultdict(list)
        for m in self.meta.values():
            parts = [m.city or m.report_id, str(m.year) if m.year is not None else "—"] + ([m.topic] if m.topic else [])
            labels[" · ".join(parts)].append(m)
        for label, ms in labels.items():
            for m in ms:
                m.label = label if len(ms) == 1 else f"{label} · {m.report_id}"
        for (city, surname), refs in self.spill.groups("person"):
            for (rid, pid), link in link_group(city, surname, [PersonRef(*r) for r in refs]).items():
                self.spill.add("link", rid, [pid, link.key, link.link, link.evidence])

    def links(self, report_id: str) -> dict[str, Link]:
        """person_id -> its link, for one report."""
        return {pid: Link(*rest) for pid, *rest in self.spill.values("link", report_id)}

    def partners(self) -> Iterator[Partners]:
        """The partners of each city (cities in order), one city's in memory at a time."""
        for city in sorted(self.spill.keys("places")):
            partners = Partners()
            for year, rid, places in self.spill.values("places", city):
                for place, key, foreign in places:
                    partners.add(city, year, rid, place, key, foreign)
            yield partners


def build(reports, spill: Spill) -> Index:
    index = Index(spill)
    for doc in reports:
        index.add(doc)
    index.finish()
    return index
