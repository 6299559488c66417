"""The Reports of a long report's parts (pipeline.parts) joined into the one Report of its whole text.

The whole report's own Report (`whole`: its sections, answers, tasks, tables and year, read over the
whole text) takes the parts' items: every offset moves by its part's start; places and persons are one
item per name (and kind), organisations one per key (pipeline.keys: the name in lower case), dates
one per value, quantities one per value and unit, each with the mentions of every part and the first
part's name; events follow each other. Ids are numbered again in text
order and every reference follows them; the reporting city is the first part's, and it takes part
in every event (as pipeline.report has it).
"""
from models import Report, Warning
from pipeline.ingest.pages import page_of
from pipeline.report import PREFIX, missing

SAME = {
    "places": lambda x: (x.name, x.kind),
    "persons": lambda x: x.name,
    "organisations": lambda x: x.key or x.name.lower(),
    "dates": lambda x: x.value,
    "quantities": lambda x: (x.value, x.unit, x.approximate),
}
OF_THE_WHOLE = {w.code for w in missing(None, None)}   # a part's warnings said again of the whole


def stitch(whole: Report, parts: list[tuple[int, list[int], Report]], page_starts: list[int],
           warnings: list[Warning]) -> Report:
    """`whole` with the items of the parts, given as (start, the indices of the report's sections in
    the part, Report of text[start:…])."""
    items: dict[str, dict] = {c: {} for c in SAME}
    events: list = []
    said = {(w.code, w.message): w for w in warnings}
    for a, sections, r in parts:
        _shift(r, a, page_starts)
        ids = {f"{PREFIX['sections']}-{k}": f"{PREFIX['sections']}-{j + 1}" for k, j in enumerate(sections, 1)}
        for c, same in SAME.items():
            for x in getattr(r, c):
                kept = items[c].setdefault(same(x), x)
                ids[x.id] = kept.id if kept is not x else f"{PREFIX[c]}-{len(items[c])}"
                x.id = ids[x.id]
        for k, e in enumerate(r.events, len(events) + 1):
            ids[e.id] = e.id = f"{PREFIX['events']}-{k}"
        _references(r, ids)
        for c, same in SAME.items():
            for x in getattr(r, c):
                kept = items[c][same(x)]
                if kept is not x:
                    _merge(kept, x)
        events += r.events
        for w in r.warnings:
            if w.code not in OF_THE_WHOLE:
                said.setdefault((w.code, w.message), w)
    city = parts[0][2].city
    own = next((p.id for p in items["places"].values() if city is not None and p.name == city.name and p.kind == "city"), None)
    for e in events:
        if own and own not in e.place_ids:
            e.place_ids.append(own)
    return Report(**{**dict(whole), "city": city, **{c: list(v.values()) for c, v in items.items()}, "events": events,
                     "warnings": list(said.values()) + missing(city, whole.year)})


def _shift(r: Report, by: int, page_starts: list[int]) -> None:
    for c in SAME:
        for x in getattr(r, c):
            for m in x.mentions:
                m.start, m.end = m.start + by, m.end + by
                m.page = page_of(page_starts, m.start)
    spans = [m for e in r.events for m in (e.evidence, *e.more_evidence)]
    spans += [w for w in r.warnings if w.start is not None]
    for s in spans:
        s.start, s.end = s.start + by, s.end + by


def _references(r: Report, ids: dict[str, str]) -> None:
    """Every reference of a part's items to another, as `ids` renames them."""
    for p in r.persons:
        for pos in p.positions:
            pos.organisation_id = ids.get(pos.organisation_id)
    for e in r.events:
        e.section_id = ids.get(e.section_id)
        for field in ("place_ids", "person_ids", "organisation_ids", "quantity_ids"):
            setattr(e, field, list(dict.fromkeys(ids[i] for i in getattr(e, field))))


def _merge(kept, x) -> None:
    """Item `x` of a later part into the same item `kept` of an earlier one."""
    kept.mentions = sorted(kept.mentions + x.mentions, key=lambda m: m.start)
    if x.confidence is not None and (kept.confidence is None or x.confidence > kept.confidence):
        kept.confidence = x.confidence
    for field in ("relation", "tie_since", "country_code"):
        if getattr(kept, field, x) is None:
            setattr(kept, field, getattr(x, field))
    if hasattr(kept, "positions"):
        known = {(p.title.lower(), p.organisation_id) for p in kept.positions}
        kept.positions += [p for p in x.positions if (p.title.lower(), p.organisation_id) not in known]
