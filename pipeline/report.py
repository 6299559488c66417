"""A `ReportDoc` after the stages -> the schema `Report`: ids, references between items, grounding.

Items are numbered in text order with the id prefixes of PREFIX ("pl-1", "per-2"); an event cites
the ids of the entities named in its clauses, and the reporting city. News furniture (pipeline.layout:
bylines, rubrics, datelines, credits, source lines) hides the mentions pipeline.layers.HIDES says:
they are dropped, and an item left without mentions.
"""
import hashlib
from bisect import bisect_left
from dataclasses import replace
from datetime import datetime, timezone

from models import (Answer, Cell, City, DateItem, Event, Mention, Organisation, Person, PipelineInfo, Place, Position,
                    Quantity, Report, Section, Source, Table, Task, Warning)
from pipeline import rules
from pipeline.confidence import item_key
from pipeline.doc import ReportDoc
from pipeline.ingest.pages import page_of
from pipeline.layers import HIDES
from pipeline.slug import report_id as file_report_id
from pipeline.version import pipeline_version

PREFIX = {"sections": "sec", "answers": "ans", "places": "pl", "persons": "per", "organisations": "org",
          "dates": "date", "quantities": "qty", "events": "ev", "tasks": "task",
          "tables": "tab"}


def build(doc: ReportDoc) -> Report:
    text, st, city = doc.text, doc.structure, doc.city

    def mentions(spans):
        return [Mention(start=s, end=e, text=text[s:e], page=page_of(doc.page_starts, s)) for s, e in sorted(set(spans))]

    def first(hit):
        return min(s for s, _ in hit.mentions)

    def conf(category, hit, index=None):
        return doc.confidence.get(item_key(category, hit, index))

    def shown(category, hits):
        return _outside(hits, doc.layout.spans(HIDES[category]) if doc.layout else [])

    sections = [Section(id=i, title=s.title, level=s.level, start=s.start, end=s.end) for i, s in _numbered("sections", st.sections)]
    answers = [Answer(id=i, kind=a.kind, question=a.question, start=a.start, end=a.end,
                      section_id=sections[a.section].id if a.section is not None else None)
               for i, a in _numbered("answers", st.answers)]
    places = [Place(id=i, name=p.name, kind=p.kind, country_code=p.country_code, relation=p.relation,
                    tie_since=p.tie_since, key=p.key, confidence=conf("places", p), mentions=mentions(p.mentions))
              for i, p in _numbered("places", sorted(shown("places", doc.places), key=first))]
    organisations = [Organisation(id=i, name=o.name, kind=o.kind, key=o.key, confidence=conf("organisations", o), mentions=mentions(o.mentions))
                     for i, o in _numbered("organisations", sorted(shown("organisations", doc.organisations), key=first))]
    org_ids = {o.name.lower(): o.id for o in organisations}
    persons = [Person(id=i, name=p.name, surname=p.surname,
                      positions=[Position(title=x.title, organisation_id=org_ids.get((x.organisation or "").lower()))
                                 for x in p.positions],
                      key=p.key, confidence=conf("persons", p), mentions=mentions(p.mentions))
               for i, p in _numbered("persons", sorted(shown("persons", doc.persons), key=first))]
    dates = [DateItem(id=i, value=v, granularity=hs[0].granularity, confidence=conf("dates", hs[0]), mentions=mentions([(h.start, h.end) for h in hs]))
             for i, (v, hs) in _numbered("dates", _grouped(doc.dates, lambda h: h.value).items())]
    quantities = [Quantity(id=i, value=v, unit=u, approximate=a, confidence=conf("quantities", hs[0]), mentions=mentions([(h.start, h.end) for h in hs]))
                  for i, ((v, u, a), hs) in _numbered("quantities", _grouped(doc.quantities,
                                                                       lambda h: (h.value, h.unit, h.approximate)).items())]
    entities = {"places": places, "persons": persons, "organisations": organisations, "quantities": quantities}
    events = _events(doc, sections, entities, {d.value for d in dates})
    tasks = [Task(id=i, year=t.year, text=t.text, start=t.start, end=t.end) for i, t in _numbered("tasks", st.tasks)]
    tables = [Table(id=i, start=t.start, end=t.end, header=_cells(t.header), rows=[_cells(r) for r in t.rows])
              for i, t in _numbered("tables", doc.tables)]

    warnings = [Warning(code=c, message=m) for c, m in doc.warnings] + missing(city, st.year)

    raw = doc.raw
    return Report(
        report_id=doc.report_id or file_report_id(doc.path),
        source=Source(path=doc.path.as_posix(), sha256=hashlib.sha256(doc.data).hexdigest(), format=raw.format,
                      encoding=raw.encoding, pages=raw.pages),
        pipeline=PipelineInfo(version=pipeline_version(), extracted_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                              rules_sha256=rules.fingerprint()),
        city=City(name=city.name, country_code=city.country_code) if city else None,
        year=st.year, text=text, sections=sections, answers=answers, places=places, persons=persons,
        organisations=organisations, dates=dates, quantities=quantities, events=events, tasks=tasks, tables=tables,
        warnings=warnings,
    )


def missing(city, year) -> list[Warning]:
    """The warnings of a report without a reporting city or year."""
    return ([Warning(code="no_city", message="the reporting city was not found")] if city is None else []) + \
           ([Warning(code="no_year", message="the reporting year was not found")] if year is None else [])


def _numbered(category: str, items) -> list[tuple[str, object]]:
    """(id, item) in order: "pl-1", "pl-2", …"""
    return [(f"{PREFIX[category]}-{i}", x) for i, x in enumerate(items, 1)]


def _cells(cells) -> list[Cell]:
    return [Cell(start=c.start, end=c.end, text=c.text) for c in cells]


def _outside(hits, spans: list[tuple[int, int]]) -> list:
    """The hits with their mentions inside `spans` dropped; a hit left with none is dropped."""
    out = []
    for h in hits:
        kept = [(s, e) for s, e in h.mentions if not any(a <= s < b for a, b in spans)]
        if kept:
            out.append(h if len(kept) == len(h.mentions) else replace(h, mentions=kept))
    return out


def _grouped(hits, by) -> dict:
    """Hits by their value, in order of first appearance: one item each."""
    out: dict = {}
    for h in hits:
        out.setdefault(by(h), []).append(h)
    return out


def _events(doc: ReportDoc, sections, entities, date_values) -> list[Event]:
    """Event frames -> schema events: ids of the entities named in their clauses (their sentences
    where no clause is known), and the reporting city, which takes part in what it reports."""
    text, city, places = doc.text, doc.city, entities["places"]
    own = next((p.id for p in places if city is not None and p.name == city.name and p.kind == "city"), None)
    index = {c: _MentionIndex(entities[c]) for c in ("places", "persons", "organisations", "quantities")}
    out = []
    for n, (i, e) in enumerate(_numbered("events", doc.events)):
        para_end = text.find("\n", e.sentences[0][0])
        para_end = len(text) if para_end < 0 else para_end
        main = [(a, b) for a, b in e.sentences if b <= para_end]
        more = [(a, b) for a, b in e.sentences if b > para_end]

        where = e.clauses or e.sentences

        def named(category):
            return index[category].within(where)

        place_ids = named("places")
        if own and own not in place_ids:
            place_ids.append(own)
        out.append(Event(
            id=i, type=e.type, title=e.title, date=e.date if e.date in date_values else None, format=e.format,
            status=e.status, tense=e.tense, confidence=doc.confidence.get(item_key("events", e, n)), place_ids=place_ids, person_ids=named("persons"),
            organisation_ids=named("organisations"), quantity_ids=named("quantities"),
            section_id=sections[e.section].id if e.section is not None else None,
            evidence=Mention(start=main[0][0], end=main[-1][1], text=text[main[0][0]:main[-1][1]]),
            more_evidence=[Mention(start=a, end=b, text=text[a:b]) for a, b in more]))
    return out


class _MentionIndex:
    """The ids of items with a mention starting inside some spans, in the items' order (one bisect per span)."""

    def __init__(self, items):
        pairs = sorted((m.start, k) for k, x in enumerate(items) for m in x.mentions)
        self.starts, self.order, self.ids = [a for a, _ in pairs], [k for _, k in pairs], [x.id for x in items]

    def within(self, spans) -> list:
        found = {self.order[j] for a, b in spans
                 for j in range(bisect_left(self.starts, a), bisect_left(self.starts, b))}
        return [self.ids[k] for k in sorted(found)]
