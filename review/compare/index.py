"""The first pass over the reports: what the cross-report tables need, kept small (no texts).

Per report its city, year, label and topic; every person (for linking), every place's key and tie
(partners per city and year), every task. One report's JSON is in memory at a time.
"""
from collections import defaultdict
from dataclasses import dataclass

from pipeline import linkkeys
from review.compare.partners import Partners
from review.compare.persons import Link, PersonRef, link_persons, person_ref
from review.compare.tasks import Tasks
from review.compare.text import topic


@dataclass
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
    def __init__(self):
        self.meta: dict[str, Meta] = {}
        self.persons: list[PersonRef] = []
        self.partners = Partners()
        self.tasks = Tasks()
        self.links: dict[tuple[str, str], Link] = {}
        self.reports_of: dict[tuple[str, int], list[str]] = defaultdict(list)

    def add(self, doc: dict) -> None:
        rid = doc["report_id"]
        city, home = city_of(doc)
        year = year_of(doc)
        self.meta[rid] = Meta(rid, city, year, topic(rid, year))
        for p in doc.get("persons") or []:
            if isinstance(p, dict):
                self.persons.append(person_ref(rid, city, p))
        if city is None:
            return
        self.tasks.add(city, doc)
        if year is None:
            return
        self.reports_of[(city, year)].append(rid)
        for p in doc.get("places") or []:
            if isinstance(p, dict) and not (p.get("name") == city and p.get("kind") == "city"):
                self.partners.add(city, year, rid, p, place_key(p), is_foreign(p, home))

    def finish(self) -> None:
        """Labels (city · year · topic, unique) and the person links."""
        labels: dict[str, list[Meta]] = defaultdict(list)
        for m in self.meta.values():
            parts = [m.city or m.report_id, str(m.year) if m.year is not None else "—"] + ([m.topic] if m.topic else [])
            labels[" · ".join(parts)].append(m)
        for label, ms in labels.items():
            for m in ms:
                m.label = label if len(ms) == 1 else f"{label} · {m.report_id}"
        self.links = link_persons(self.persons)
        self.persons = []


def build(reports) -> Index:
    index = Index()
    for doc in reports:
        index.add(doc)
    index.finish()
    return index
