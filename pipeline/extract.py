"""One report file -> one `Report`: the stages in order, then ids and grounding.

    STAGES: ingest -> structure -> nlp -> places -> city -> persons, organisations -> dates,
            quantities -> events -> assemble
"""
import hashlib
from datetime import datetime, timezone
from pathlib import Path

from models import (Answer, City, DateItem, Event, Mention, Organisation, Person, PipelineInfo, Place, Position,
                    Quantity, Report, Section, Source, Task, Warning)
from pipeline import nlp, rules
from pipeline.city import reporting_city
from pipeline.dates import find_dates
from pipeline.events import find_events
from pipeline.ingest import ingest
from pipeline.organisations import find_organisations
from pipeline.persons import find_persons
from pipeline.places import default_country, find_places
from pipeline.quantities import find_quantities
from pipeline.slug import report_id as file_report_id
from pipeline.structure import analyse_structure
from pipeline.version import pipeline_version


def extract(path: Path, data: bytes, report_id: str | None = None) -> Report:
    ing = ingest(path, data)
    text = ing.text
    st = analyse_structure(text, ing.raw.headings)
    doc = nlp.analyse(text)
    places = find_places(doc)
    city = reporting_city(text, st, places)
    if city is not None:
        city.relation = None
        default_country(places, city.country_code)
    persons = find_persons(doc)
    organisations = find_organisations(doc)
    dates = find_dates(text, st.year)
    quantities = find_quantities(text)

    def mentions(spans):
        return [Mention(start=s, end=e, text=text[s:e]) for s, e in sorted(set(spans))]

    def first(hit):
        return min(s for s, _ in hit.mentions)

    sections = [Section(id=f"sec-{i}", title=s.title, level=s.level, start=s.start, end=s.end)
                for i, s in enumerate(st.sections, 1)]
    answers = [Answer(id=f"ans-{i}", kind=a.kind, question=a.question, start=a.start, end=a.end,
                      section_id=sections[a.section].id if a.section is not None else None)
               for i, a in enumerate(st.answers, 1)]
    place_items = [Place(id=f"pl-{i}", name=p.name, kind=p.kind, country_code=p.country_code, relation=p.relation,
                         mentions=mentions(p.mentions))
                   for i, p in enumerate(sorted(places, key=first), 1)]
    org_items = [Organisation(id=f"org-{i}", name=o.name, kind=o.kind, mentions=mentions(o.mentions))
                 for i, o in enumerate(sorted(organisations, key=first), 1)]
    org_ids = {o.name.lower(): o.id for o in org_items}
    person_items = [Person(id=f"per-{i}", name=p.name, surname=p.surname,
                           positions=[Position(title=x.title, organisation_id=org_ids.get((x.organisation or "").lower()))
                                      for x in p.positions],
                           mentions=mentions(p.mentions))
                    for i, p in enumerate(sorted(persons, key=first), 1)]
    date_items = _dates(dates, mentions)
    quantity_items = _quantities(quantities, mentions)
    events = _events(find_events(doc, st, dates, [(h.start, h.end) for h in quantities]), text, st, sections,
                     {"places": place_items, "persons": person_items, "organisations": org_items, "quantities": quantity_items},
                     city, place_items, {d.value for d in date_items})
    tasks = [Task(id=f"task-{i}", year=t.year, text=t.text, start=t.start, end=t.end) for i, t in enumerate(st.tasks, 1)]

    warnings = [Warning(code=c, message=m) for c, m in ing.raw.warnings]
    if city is None:
        warnings.append(Warning(code="no_city", message="the reporting city was not found"))
    if st.year is None:
        warnings.append(Warning(code="no_year", message="the reporting year was not found"))

    return Report(
        report_id=report_id or file_report_id(path),
        source=Source(path=path.as_posix(), sha256=hashlib.sha256(data).hexdigest(), format=ing.raw.format,
                      encoding=ing.raw.encoding, pages=ing.raw.pages),
        pipeline=PipelineInfo(version=pipeline_version(), extracted_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                              rules_sha256=rules.fingerprint()),
        city=City(name=city.name, country_code=city.country_code) if city else None,
        year=st.year,
        text=text,
        sections=sections,
        answers=answers,
        places=place_items,
        persons=person_items,
        organisations=org_items,
        dates=date_items,
        quantities=quantity_items,
        events=events,
        tasks=tasks,
        warnings=warnings,
    )


def _events(hits, text, st, sections, items, city, place_items, date_values) -> list[Event]:
    """Event frames -> schema events: ids of the entities named in their sentences; the reporting
    city when the sentences name no place."""
    own = next((p.id for p in place_items if city is not None and p.name == city.name and p.kind == "city"), None)
    out = []
    for i, e in enumerate(hits, 1):
        para_end = text.find("\n", e.sentences[0][0])
        para_end = len(text) if para_end < 0 else para_end
        main = [(a, b) for a, b in e.sentences if b <= para_end]
        more = [(a, b) for a, b in e.sentences if b > para_end]
        spans = e.sentences

        def ids(key):
            return [x.id for x in items[key] if any(a <= m.start < b for m in x.mentions for a, b in spans)]

        named = ids("places")
        kinds = {x.id: x.kind for x in place_items}
        local = [i for i in named if kinds[i] in ("city", "region")]
        place_ids = local or named or ([own] if own else [])
        out.append(Event(
            id=f"ev-{i}", type=e.type, title=e.title, date=e.date if e.date in date_values else None, format=e.format,
            place_ids=place_ids, person_ids=ids("persons"), organisation_ids=ids("organisations"),
            quantity_ids=ids("quantities"), section_id=sections[e.section].id if e.section is not None else None,
            evidence=Mention(start=main[0][0], end=main[-1][1], text=text[main[0][0]:main[-1][1]]),
            more_evidence=[Mention(start=a, end=b, text=text[a:b]) for a, b in more]))
    return out


def _dates(hits, mentions) -> list[DateItem]:
    by_value: dict[str, list] = {}
    for h in hits:
        by_value.setdefault(h.value, []).append(h)
    return [DateItem(id=f"date-{i}", value=v, granularity=hs[0].granularity, mentions=mentions([(h.start, h.end) for h in hs]))
            for i, (v, hs) in enumerate(by_value.items(), 1)]


def _quantities(hits, mentions) -> list[Quantity]:
    groups: dict[tuple, list] = {}
    for h in hits:
        groups.setdefault((h.value, h.unit, h.approximate), []).append(h)
    return [Quantity(id=f"qty-{i}", value=v, unit=u, approximate=a, mentions=mentions([(h.start, h.end) for h in hs]))
            for i, ((v, u, a), hs) in enumerate(groups.items(), 1)]


def to_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"
