"""One person across a city's reports: surname (masculine form) + compatible initials + the same
reporting city.

Within a city, the persons of one surname fall into clusters of compatible initials ("Д", "ДА"
and "Д.А." are one; "ДА" and "КД" are two; "ДА" and "ДН" are two, and then a bare "Д" fits both and
is linked to neither). A person written by surname alone joins the one cluster of its surname when
there is exactly one, else it stays unlinked. Each row says how it was linked and on what forms.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from pipeline import linkkeys

FORMS_SHOWN = 6


@dataclass
class PersonRef:
    report_id: str
    person_id: str
    city: str | None
    name: str
    surname: str
    initials: str
    key_in_report: str | None


@dataclass
class Link:
    key: str
    link: str  # initials | surname_only | ambiguous | single
    evidence: str


@dataclass
class _Cluster:
    initials: str
    members: list[PersonRef] = field(default_factory=list)


def person_ref(report_id: str, city: str | None, person: dict) -> PersonRef:
    surname = person.get("surname") or (person.get("name") or "?").split(" ")[0]
    forms = [person.get("name") or ""] + [m.get("text") or "" for m in person.get("mentions") or []]
    initials = max((linkkeys.initials(f, surname) for f in forms), key=len, default="")
    return PersonRef(report_id, person.get("id") or "", city, person.get("name") or surname, surname, initials,
                     person.get("key"))


def group_of(ref: PersonRef) -> tuple[str, str]:
    """The persons that may be one: the same reporting city and surname (masculine form)."""
    return linkkeys.norm(ref.city or "?"), linkkeys.fold_surname(ref.surname)


def link_persons(refs: list[PersonRef]) -> dict[tuple[str, str], Link]:
    """(report_id, person_id) -> its linked key, how and why."""
    groups: dict[tuple[str, str], list[PersonRef]] = defaultdict(list)
    for r in refs:
        groups[group_of(r)].append(r)
    out: dict[tuple[str, str], Link] = {}
    for (city, surname), group in groups.items():
        out.update(link_group(city, surname, group))
    return out


def link_group(city: str, surname: str, group: list[PersonRef]) -> dict[tuple[str, str], Link]:
    """The links of one group (group_of): clusters of compatible initials, then the bare surnames."""
    out: dict[tuple[str, str], Link] = {}
    clusters: list[_Cluster] = []
    ambiguous, bare = [], []
    for r in sorted(group, key=lambda r: (-len(r.initials), r.report_id, r.person_id)):
        if not r.initials:
            bare.append(r)
            continue
        fits = [c for c in clusters if linkkeys.compatible(c.initials, r.initials)]
        if len(fits) > 1:
            ambiguous.append(r)
        elif fits:
            fits[0].members.append(r)
        else:
            clusters.append(_Cluster(r.initials, [r]))
    firsts = defaultdict(int)
    for c in clusters:
        firsts[c.initials[0]] += 1
    if len(clusters) == 1 and bare:
        clusters[0].members += bare
        joined, bare = {(r.report_id, r.person_id) for r in bare}, []
    else:
        joined = set()
    for c in clusters:
        key = linkkeys.person_key(city, surname, c.initials if firsts[c.initials[0]] == 1 else "")
        if firsts[c.initials[0]] > 1:
            key += "/" + linkkeys.norm(c.initials)
        how = ("initials" if len({m.report_id for m in c.members if m.initials}) > 1 else
               "surname_only" if len({m.report_id for m in c.members}) > 1 else "single")
        evidence = _evidence(c.members)
        for r in c.members:
            link = "surname_only" if (r.report_id, r.person_id) in joined else how
            out[(r.report_id, r.person_id)] = Link(key, link, evidence)
    for r in ambiguous + (bare if clusters else []):
        fits = [c.initials for c in clusters if not r.initials or linkkeys.compatible(c.initials, r.initials)]
        out[(r.report_id, r.person_id)] = Link(
            f"{linkkeys.person_key(city, surname, r.initials)}?{r.report_id}/{r.person_id}", "ambiguous",
            f"{len(fits)} compatible persons in {r.city or '?'}: " + ", ".join(sorted(fits)))
    if not clusters and bare:
        key = linkkeys.person_key(city, surname)
        how = "surname_only" if len({r.report_id for r in bare}) > 1 else "single"
        evidence = _evidence(bare)
        for r in bare:
            out[(r.report_id, r.person_id)] = Link(key, how, evidence)
    return out


def _evidence(members: list[PersonRef]) -> str:
    forms: dict[str, list[str]] = {}
    for m in sorted(members, key=lambda m: m.report_id):
        forms.setdefault(m.name, []).append(m.report_id)
    shown = [f"{name} ({', '.join(rs)})" for name, rs in list(forms.items())[:FORMS_SHOWN]]
    more = f"; … {len(forms) - FORMS_SHOWN} more forms" if len(forms) > FORMS_SHOWN else ""
    return f"{members[0].city or '?'}: " + "; ".join(shown) + more
