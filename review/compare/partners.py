"""Partners per city and year, and their changes from one reported year to the next.

A city's partner table of a year is the union of the places its reports of that year state a twin
or partner tie for, by place key. A change compares a year with the city's next reported year:
new (tied now, not before), dropped (tied before, not now: `not_mentioned`, or `named_without_tie`
with the sentence that names it), status_changed (tied in both with another relation).
"""
from collections import defaultdict
from dataclasses import dataclass, field

from pipeline.countries import russian_name


@dataclass
class Tie:
    key: str
    name: str
    kind: str | None
    country_code: str | None
    relation: str
    tie_since: int | None
    reports: list[str] = field(default_factory=list)
    conflict: str | None = None


@dataclass
class Change:
    city: str
    from_year: int
    to_year: int
    change: str
    tie: Tie
    old_relation: str | None = None
    how: str | None = None
    named_in: str | None = None  # for named_without_tie: the report of to_year that names it


class Partners:
    def __init__(self):
        self.ties: dict[tuple[str, int], dict[str, Tie]] = defaultdict(dict)
        self.named: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)   # key -> report_id (no tie)
        self.foreign: dict[tuple[str, int], dict[str, dict]] = defaultdict(dict)

    def add(self, city: str, year: int, report_id: str, place: dict, key: str, foreign: bool) -> None:
        where = (city, year)
        rel = place.get("relation")
        if not rel:
            self.named[where].setdefault(key, report_id)
            if foreign:
                row = self.foreign[where].setdefault(key, {"name": place.get("name"), "kind": place.get("kind"),
                                                           "country_code": place.get("country_code"), "reports": []})
                if report_id not in row["reports"]:
                    row["reports"].append(report_id)
            return
        tie = self.ties[where].get(key)
        if tie is None:
            self.ties[where][key] = Tie(key, place.get("name") or key, place.get("kind"), place.get("country_code"),
                                        rel, place.get("tie_since"), [report_id])
            return
        if report_id not in tie.reports:
            tie.reports.append(report_id)
        if rel != tie.relation:
            tie.conflict = tie.relation if rel == "twin" else rel
            tie.relation = "twin"
        tie.tie_since = tie.tie_since or place.get("tie_since")

    def settle(self) -> None:
        """A partner named once without its country ("Пучхон") is the one a year of the same city names with
        it ("KR/пучхон"), when there is one such: one key, the country filled in."""
        by_city: dict[str, dict[str, Tie]] = defaultdict(dict)
        for (city, _), ties in self.ties.items():
            for k, t in ties.items():
                by_city[city].setdefault(k, t)
        for (city, year), ties in list(self.ties.items()):
            for k in [k for k, t in ties.items() if t.country_code is None and "/" not in k]:
                known = {c for c in by_city[city] if c.endswith("/" + k)}
                if len(known) == 1 and (full := known.pop()) not in ties:
                    t = ties.pop(k)
                    t.key, t.country_code = full, by_city[city][full].country_code
                    ties[full] = t
                    if k in self.named.get((city, year), {}):
                        self.named[(city, year)].setdefault(full, self.named[(city, year)].pop(k))

    def changes(self) -> list[Change]:
        self.settle()
        years: dict[str, set[int]] = defaultdict(set)
        for city, year in list(self.ties) + list(self.named):
            years[city].add(year)
        out = []
        for city in sorted(years):
            ys = sorted(years[city])
            for a, b in zip(ys, ys[1:]):
                old, new = self.ties.get((city, a), {}), self.ties.get((city, b), {})
                for k in sorted(new.keys() - old.keys(), key=lambda k: new[k].name):
                    out.append(Change(city, a, b, "new", new[k]))
                for k in sorted(old.keys() - new.keys(), key=lambda k: old[k].name):
                    named = self.named.get((city, b), {}).get(k)
                    out.append(Change(city, a, b, "dropped", old[k], old[k].relation,
                                      "named_without_tie" if named else "not_mentioned", named))
                for k in sorted(old.keys() & new.keys(), key=lambda k: new[k].name):
                    if old[k].relation != new[k].relation:
                        out.append(Change(city, a, b, "status_changed", new[k], old[k].relation))
        return out

    @staticmethod
    def evidence_wanted(changes: list[Change]) -> dict[str, set[str]]:
        """report_id -> the keys whose sentence a dropped-but-named change quotes."""
        want: dict[str, set[str]] = defaultdict(set)
        for c in changes:
            if c.named_in:
                want[c.named_in].add(c.tie.key)
        return want

    def rows(self):
        self.settle()
        for (city, year), ties in sorted(self.ties.items()):
            for t in sorted(ties.values(), key=lambda t: t.name):
                yield {"city": city, "year": year, "key": t.key, "partner": t.name, "kind": t.kind,
                       "country_code": t.country_code, "country_ru": russian_name(t.country_code),
                       "relation": t.relation, "tie_since": t.tie_since, "conflict": t.conflict,
                       "reports": "; ".join(t.reports)}

    def foreign_rows(self):
        for (city, year), places in sorted(self.foreign.items()):
            tied = self.ties.get((city, year), {})
            for key, p in sorted(places.items(), key=lambda kv: kv[1]["name"] or ""):
                if key not in tied:
                    yield {"city": city, "year": year, "key": key, "name": p["name"], "kind": p["kind"],
                           "country_code": p["country_code"], "country_ru": russian_name(p["country_code"]),
                           "reports": "; ".join(p["reports"])}


def change_row(c: Change, evidence: dict[tuple[str, str], str]) -> dict:
    dropped = c.change == "dropped"
    return {"city": c.city, "from_year": c.from_year, "to_year": c.to_year, "change": c.change, "key": c.tie.key,
            "partner": c.tie.name, "country_code": c.tie.country_code, "country_ru": russian_name(c.tie.country_code),
            "old_relation": c.old_relation, "new_relation": None if dropped else c.tie.relation,
            "tie_since": None if dropped else c.tie.tie_since, "how": c.how,
            "evidence": evidence.get((c.named_in, c.tie.key)) if c.named_in else None}
