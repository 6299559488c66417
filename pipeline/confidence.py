"""The `confidence` stage: how sure the extraction is of each item, in [0, 1], from its evidence.

It reads only the layers the other stages leave and names the cues each item has (`cues`): Natasha's
NER agreeing with the gazetteer or the grammar that found the item, a stated context cue (a tie
word, a post, an organisation's head noun, a full date), several mentions — or a single weak cue.
Each cue has a weight in rules/confidence.toml; an item's confidence is the logistic of its
category's base plus the weights of its cues, so the rule file, not the code, says how much each cue
counts (benchmarks/calibration.py measures how well the numbers match the share of correct items).

The layer is `doc.confidence`: (category, item key) -> confidence, the keys pipeline.report builds
items by (a place's name and kind, a person's or an organisation's name, a date's value, a
quantity's value, unit and approximate flag, an event's index).
"""
import math
import re
from collections import Counter

from pipeline import gazetteer, morph, rules
from pipeline.doc import ReportDoc
from pipeline.spans import SpanIndex
from pipeline.stage import stage

R = rules.load("confidence")


def item_key(category: str, hit, index: int | None = None):
    """The key of an item in `doc.confidence` (pipeline.report looks items up by the same key)."""
    if category == "places":
        return category, (hit.name, hit.kind)
    if category in ("persons", "organisations"):
        return category, hit.name
    if category == "dates":
        return category, hit.value
    if category == "quantities":
        return category, (hit.value, hit.unit, hit.approximate)
    return category, index


def _ner(doc: ReportDoc, kind: str) -> SpanIndex:
    return SpanIndex((s.start, s.stop) for s in (doc.natasha.spans if doc.natasha is not None else []) if s.type == kind)


def _overlaps(mentions, spans: SpanIndex) -> bool:
    return any(spans.overlapping(s, e) for s, e in mentions)


def _place_cues(doc: ReportDoc, p, locs) -> list[str]:
    cues = [f"kind_{p.kind}"]
    cues.append("ner" if _overlaps(p.mentions, locs) else "no_ner")
    cues.append("gazetteer" if gazetteer.lookup(p.name, p.country_code, p.kind) is not None else "no_gazetteer")
    if p.relation:
        cues.append("tie")
    if doc.city is not None and p.name == doc.city.name and p.kind == doc.city.kind:
        cues.append("reporting_city")
    if p.kind != "country" and p.country_code is None:
        cues.append("no_country")
    return cues


def _person_cues(p, pers) -> list[str]:
    cues = ["ner" if _overlaps(p.mentions, pers) else "no_ner"]
    if len(p.name.split()) >= 2:
        cues.append("full_name")
    if p.positions:
        cues.append("post")
    tags = {str(t) for parse in morph.parse(p.surname.lower()) for t in parse.tag.grammemes}
    cues.append("surname_word" if "Surn" in tags else "patronymic" if "Patr" in tags else "no_surname_word")
    first = morph.parse(p.surname.lower())[0].tag
    if "NOUN" in first and "inan" in first and not tags & {"Surn", "Name", "Geox"}:
        cues.append("common_noun")  # "Город Е.В.", "Мероприятий В.П."
    if any(len(w) == 1 for w in re.findall(r"\w+\.?", p.name)):
        cues.append("bare_letter")  # an initial without its dot: "А Соболев Д"
    return cues


def _organisation_cues(o, orgs) -> list[str]:
    cues = [f"kind_{o.kind}", "ner" if _overlaps(o.mentions, orgs) else "no_ner"]
    if re.search(r"[«\"]", o.name):
        cues.append("quoted")
    words = len(o.name.split())
    cues.append("one_word" if words == 1 else "long_name" if words > R["long_name_words"] else "some_words")
    return cues


def _event_cues(e) -> list[str]:
    cues = [f"status_{e.status}", "dated" if e.date else "undated", f"format_{e.format}"]
    if e.type == "other":
        cues.append("type_other")
    return cues


def _mentions(n: int) -> str:
    return "mentions_many" if n >= R["many_mentions"] else "mentions_one" if n <= 1 else "mentions_some"


def cues(doc: ReportDoc) -> dict[tuple, list[str]]:
    """The cues of every item, by its key."""
    out: dict[tuple, list[str]] = {}
    locs, pers, orgs = _ner(doc, "LOC"), _ner(doc, "PER"), _ner(doc, "ORG")
    for p in doc.places:
        out[item_key("places", p)] = _place_cues(doc, p, locs) + [_mentions(len(p.mentions))]
    for p in doc.persons:
        out[item_key("persons", p)] = _person_cues(p, pers) + [_mentions(len(p.mentions))]
    for o in doc.organisations:
        out[item_key("organisations", o)] = _organisation_cues(o, orgs) + [_mentions(len(o.mentions))]
    for category, hits in (("dates", doc.dates), ("quantities", doc.quantities)):
        keys = [item_key(category, h) for h in hits]  # one item per key, one hit per mention
        count = Counter(keys)
        for k, h in zip(keys, hits):
            out[k] = ([f"granularity_{h.granularity}"] if category == "dates" else []) + [_mentions(count[k])]
    for i, e in enumerate(doc.events):
        out[item_key("events", e, i)] = _event_cues(e) + [_mentions(1 + len(e.sentences[1:]))]
    return out


def score(category: str, item_cues: list[str]) -> float:
    """The logistic of the category's base plus its cues' weights, rounded to 0.01."""
    w = R[category]
    z = w["base"] + sum(w.get(c, 0.0) for c in item_cues)
    return round(1 / (1 + math.exp(-z)), 2)


@stage("confidence", requires=("text", "natasha", "places", "city", "persons", "organisations", "dates", "quantities",
                               "events"), assigns=("confidence",))
def confidence(doc: ReportDoc) -> None:
    doc.confidence = {k: score(k[0], cs) for k, cs in cues(doc).items()}
