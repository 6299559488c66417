"""The `events` stage: what happened, when, where, with whom, online or not.

Sentence by sentence, a trigger word (rules/events.toml) starts an event frame; the sentences that
follow and speak of the same happening ("В рамках Фестиваля …", the trigger named again without a
new date) join it as evidence. Planned work (next-year tasks) and colleagues' successes are not
events of the report's year.
"""
import re
from dataclasses import dataclass

from pipeline import morph, rules
from pipeline.doc import ReportDoc
from pipeline.layers import EventHit
from pipeline.spacy_doc import phrase_matcher, to_spacy
from pipeline.stage import stage

R = rules.load("events")
GENERIC, REACH = set(R["generic"]), R["generic_reach"]
SERIES = set(R["series"])
PATTERNS = [(re.compile(p), t) for t, ps in R["patterns"].items() for p in ps]
CONTINUES = [re.compile(p, re.I) for p in R["merge"]["continues"]]
FORMAT = {k: [re.compile(p, re.I) for p in R["format"][k]] for k in ("online", "offline", "mixed")}
OFFLINE_VERBS = [re.compile(p, re.I) for p in R["format"]["offline_verbs"]]
OFFLINE_WHERE = [re.compile(p, re.I) for p in R["format"]["offline_where"]]
SKIP_ANSWERS = {"next_year_tasks", "peer_successes", "unresolved_problems"}
QUOTED = re.compile(r"«[^«»]+»")


def _lemmas(phrase: str) -> tuple[str, ...]:
    return tuple(morph.lemma(w) for w in re.findall(r"[\w-]+", phrase.lower()))


TRIGGERS = sorted(((_lemmas(p), t) for t, ps in R["triggers"].items() for p in ps), key=lambda x: -len(x[0]))
# spaCy phrase matchers over lemmas: a phrase in any form, and a one-word trigger as the last part of
# a compound ("онлайн-встреча"); the label is the trigger's rank (longest phrases first).
WHOLE = phrase_matcher({str(rank): [phrase] for rank, (phrase, _) in enumerate(TRIGGERS)})
LAST_PART = phrase_matcher({str(rank): [phrase] for rank, (phrase, _) in enumerate(TRIGGERS)
                            if len(phrase) == 1 and "-" not in phrase[0]}, attr="NORM")


def _trigger_starts(doc) -> dict[int, list[tuple[int, tuple[str, ...], str]]]:
    """Token start offset -> (end offset, phrase, type) of the triggers that begin there, best first."""
    sdoc = to_spacy(doc)
    found: dict[int, set[tuple[int, int]]] = {}
    for matcher in (WHOLE, LAST_PART):
        for label, i, j in matcher(sdoc):
            if matcher is LAST_PART and "-" not in sdoc[i].text:
                continue  # only a compound's norm is its last part
            found.setdefault(doc.tokens[i].start, set()).add((int(sdoc.vocab.strings[label]), doc.tokens[j - 1].stop))
    return {start: [(end, *TRIGGERS[rank]) for rank, end in sorted(hits)] for start, hits in found.items()}


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    lemmas: list[tuple[str, int, int, bool]]  # lemma, start, end, plural


@stage("events", requires=("natasha", "structure", "dates", "quantities"), assigns=("events",))
def events(doc: ReportDoc) -> None:
    doc.events = find_events(doc.natasha, doc.structure, doc.dates, [(h.start, h.end) for h in doc.quantities])


def find_events(doc, structure, date_hits, quantity_spans: list[tuple[int, int]]) -> list[EventHit]:
    """The event frames of a Natasha doc, given its structure, dates and quantity spans."""
    text = doc.text
    skip = [(a.start, a.end) for a in structure.answers if a.kind in SKIP_ANSWERS]
    headings = {(p.start, p.end) for p in structure.paragraphs if p.role != "body"}
    events: list[EventHit] = []
    current: EventHit | None = None
    starts = _trigger_starts(doc)
    for sent in _sentences(doc):
        if any(a <= sent.start < b for a, b in skip) or any(a <= sent.start < b for a, b in headings):
            if any(a <= sent.start < b for a, b in headings):
                current = None if _section_of(structure, sent.start) != (current.section if current else None) else current
            continue
        found = _trigger(sent, starts, quantity_spans)
        own_date = _date_in(date_hits, sent.start, sent.end, structure.year)
        section = _section_of(structure, sent.start)
        if current is not None and current.section == section and _continues(sent, found, own_date, current, text):
            current.sentences.append((sent.start, sent.end))
            continue
        if found is None:
            continue
        etype, trig, t_start = found
        date = own_date or _lead_date(structure, date_hits, sent.start) or _report_year(date_hits, structure.year)
        current = EventHit(etype, _title(text, t_start, sent.end), trig, date, "unknown", [(sent.start, sent.end)], section)
        events.append(current)
    for e in events:
        e.format = _format(text, e, doc)
    return events


def _sentences(doc) -> list[Sentence]:
    """Natasha's sentences, cut again at line ends (a heading has no full stop to end it)."""
    out = []
    for s in doc.sents:
        tokens = list(s.tokens)
        while tokens:
            cut = doc.text.find("\n", tokens[0].start, s.stop)
            part = [t for t in tokens if cut < 0 or t.start < cut]
            tokens = tokens[len(part):]
            lemmas = [(t.lemma or t.text.lower(), t.start, t.stop, (t.feats or {}).get("Number") == "Plur") for t in part]
            a, b = part[0].start, part[-1].stop
            out.append(Sentence(a, b, doc.text[a:b], lemmas))
    return out


def _trigger(sent: Sentence, starts, quantity_spans) -> tuple[str, str, int] | None:
    """The highest-priority trigger of the sentence: (type, trigger lemma, its start), or None.
    A plural trigger ('визиты и встречи') sums up many happenings and starts none, unless counted."""
    hits = []
    lem = [x[0] for x in sent.lemmas]
    for i in range(len(lem)):
        for stop, phrase, etype in starts.get(sent.lemmas[i][1], ()):
            if stop > sent.end:
                continue  # runs over a line end
            _, start, end, plural = sent.lemmas[i]
            counted = (i > 0 and lem[i - 1] in SERIES) or any(a <= start and end <= b or (b <= start and start - b < 40) for a, b in quantity_spans
                          if sent.start <= a < sent.end)
            if plural and not counted and etype != "meeting" or (plural and etype == "meeting" and lem[i] != "переговоры"):
                continue
            hits.append((start, etype, " ".join(phrase)))
            break
    for pat, etype in PATTERNS:
        for m in pat.finditer(sent.text):
            hits.append((sent.start + m.start(), etype, etype))
    if not hits:
        return None
    hits.sort()
    start, etype, trig = hits[0]
    nxt = [h for h in hits[1:] if h[0] - start <= REACH and h[1] != etype]
    if etype in GENERIC and nxt:
        start, etype, trig = nxt[0]
    return etype, trig, start


def _continues(sent: Sentence, found, own_date, current: EventHit, text: str) -> bool:
    """Does the sentence tell more of the current event? A new date and a trigger of its own start
    another event; otherwise 'В рамках Фестиваля …', the same paragraph, or the same trigger again."""
    first = text[current.sentences[0][0]:current.sentences[0][1]]
    shares_name = bool(set(QUOTED.findall(sent.text)) & set(QUOTED.findall(first)))
    if found is not None and own_date is not None and not shares_name and (own_date != current.date or found[0] != current.type):
        return False
    if any(p.search(sent.text) for p in CONTINUES):
        return True
    if "\n" not in text[current.sentences[-1][1]:sent.start]:
        return True
    return found is not None and (found[1] == current.trigger or found[0] == current.type)


def _date_in(date_hits, a: int, b: int, year: int | None) -> str | None:
    """The sentence's first date in the reporting period ('1941–1945 годов', 'с 2011 года' are
    history, not the event's date)."""
    inside = [d.value for d in date_hits if a <= d.start < b and (year is None or _covers(d.value, year))]
    return inside[0] if inside else None


def _covers(value: str, year: int) -> bool:
    first, _, last = value.partition("/")
    return int(first[:4]) <= year <= int((last or first)[:4])


def _lead_date(structure, date_hits, pos: int) -> str | None:
    """'В мае 2021 года …' at the start of the paragraph dates the sentences after it."""
    para = next((p for p in structure.paragraphs if p.start <= pos < p.end + 1), None)
    if para is None:
        return None
    first = [d for d in date_hits if para.start <= d.start < min(pos, para.start + 40)]
    return first[0].value if first else None


def _report_year(date_hits, year: int | None) -> str | None:
    return str(year) if year and any(d.value == str(year) for d in date_hits) else None


def _section_of(structure, pos: int) -> int | None:
    inside = [i for i, s in enumerate(structure.sections) if s.start <= pos < s.end]
    return inside[-1] if inside else None


def _title(text: str, start: int, end: int) -> str:
    """The trigger and the words after it up to a comma or 80 characters, the quoted name kept."""
    tail = text[start:end]
    m = re.match(r"[^,.;:()]*(?:«[^»]*»+)?", tail)
    title = (m.group(0) if m else tail).strip()
    if len(title) > 80:
        title = title[:80].rsplit(" ", 1)[0]
    return title[:1].upper() + title[1:]


def _format(text: str, event: EventHit, doc) -> str:
    """Online cues against in-person ones; 'состоялся'/'прошёл' alone means in person only when
    nothing says online ('состоялась в режиме видеоконференцсвязи')."""
    chunk = " ".join(text[a:b] for a, b in event.sentences)
    if any(p.search(chunk) for p in FORMAT["mixed"]):
        return "mixed"
    online = any(p.search(chunk) for p in FORMAT["online"])
    in_person = event.type == "visit" or any(p.search(chunk) for p in FORMAT["offline"]) or any(
        _taking_part_in_place(text[a:b], doc, a) for a, b in event.sentences)
    if online and in_person:
        first_online = any(p.search(text[event.sentences[0][0]:event.sentences[0][1]]) for p in FORMAT["online"])
        return "online" if first_online else "offline" if event.type == "visit" else "mixed"
    if online:
        return "online"
    if in_person or any(p.search(chunk) for p in OFFLINE_VERBS):
        return "offline"
    return "unknown"


def _taking_part_in_place(sentence: str, doc, offset: int) -> bool:
    """Taking part 'в/во/на <place>': 'выступали … в Баку'."""
    if not any(p.search(sentence) for p in OFFLINE_WHERE):
        return False
    locs = [s for s in doc.spans if s.type == "LOC" and offset <= s.start < offset + len(sentence)]
    return any(re.search(r"\b(?:в|во|на)\s+(?:городе\s+|г\.\s*)?$", doc.text[max(0, s.start - 12):s.start]) for s in locs)
