"""The `events` stage: what happened, when, where, with whom, online or not, and whether it happened.

Sentence by sentence (headlines, captions, datelines and the other news furniture left out), each
predicate that carries a trigger gives a frame (pipeline.event_frames): its type, its own date, its
status and tense. Frames become events in text order:
- a frame with no date of its own joins the event before it that it speaks of: after "В рамках …",
  "В ходе …", in the same paragraph, or with the same type or trigger ("Во встрече приняли участие
  …"); a dated one joins an event of its type that has that date or none;
- an event held at another ("подписали на форуме") takes that one's date when it has none;
- an undated event that happened takes, in news, the item's date (the dateline, doc.anchor), else
  its paragraph's lead date; in a report its paragraph's lead date, else the reporting year; a
  project, a future one and, in news, one named in passing ("во время недавнего визита") stay undated;
- an event dated a year or more before the item is background (status mentioned), and so is a
  partner's own signing the reporting city takes no part in.
Planned work (next-year tasks) and colleagues' successes give no events.
"""
import re
from itertools import islice

from pipeline import morph, rules
from pipeline.doc import ReportDoc
from pipeline.event_frames import DURATIVE, Frame, sentence_frames
from pipeline.layers import EventHit
from pipeline.prose import is_prose, outside
from pipeline.spans import SpanIndex
from pipeline.spacy_doc import phrase_matcher, to_spacy
from pipeline.stage import stage

R = rules.load("events")
CONTINUES = [re.compile(p, re.I) for p in R["merge"]["continues"]]
FORMAT = {k: re.compile("|".join(f"(?:{p})" for p in R["format"][k]), re.I)
          for k in ("online", "offline", "mixed", "offline_verbs", "offline_where")}
HISTORY_MONTHS = R["status"]["history_months"]
QUOTED = re.compile(r"«[^«»]+»")
LOOKBACK = R["merge"]["lookback"]


def _lemmas(phrase: str) -> tuple[str, ...]:
    return tuple(morph.lemma(w).replace("ё", "е") for w in re.findall(r"[\w-]+", phrase.lower().replace("ё", "е")))


PREFIXES = tuple(sorted(R["compound_prefixes"], key=len, reverse=True))
TRIGGERS = sorted(((_lemmas(p), t) for t, ps in R["triggers"].items() for p in ps), key=lambda x: -len(x[0]))
# spaCy phrase matchers over lemmas: a phrase in any form, and a one-word trigger as the last part of
# a compound ("онлайн-встреча"); the label is the trigger's rank (longest phrases first).
WHOLE = phrase_matcher({str(rank): [phrase] for rank, (phrase, _) in enumerate(TRIGGERS)})
LAST_PART = phrase_matcher({str(rank): [phrase] for rank, (phrase, _) in enumerate(TRIGGERS)
                            if len(phrase) == 1 and "-" not in phrase[0]}, attr="NORM")


def _trigger_starts(doc) -> dict[int, list[tuple[int, tuple[str, ...], str]]]:
    """Token start offset -> (end offset, phrase, type) of the triggers that begin there, best first."""
    sdoc = to_spacy(doc, PREFIXES)
    found: dict[int, set[tuple[int, int]]] = {}
    for matcher in (WHOLE, LAST_PART):
        for label, i, j in matcher(sdoc):
            if matcher is LAST_PART and sdoc[i].norm_ == sdoc[i].text.lower():
                continue  # only a compound's norm is its last part
            found.setdefault(doc.tokens[i].start, set()).add((int(sdoc.vocab.strings[label]), doc.tokens[j - 1].stop))
    return {start: [(end, *TRIGGERS[rank]) for rank, end in sorted(hits)] for start, hits in found.items()}


class Sentence:
    __slots__ = ("start", "end", "text", "first", "last")

    def __init__(self, start, end, text, first, last):
        self.start, self.end, self.text, self.first, self.last = start, end, text, first, last


@stage("events", requires=("natasha", "tokens", "syntax", "structure", "layout", "dates", "quantities", "anchor", "places"),
       assigns=("events",))
def events(doc: ReportDoc) -> None:
    doc.events = find_events(doc)


def find_events(doc: ReportDoc) -> list[EventHit]:
    text, structure = doc.text, doc.structure
    skip, furniture = outside(doc)
    starts = _trigger_starts(doc.natasha)
    places = {doc.span_tokens(a, b)[0]: p.name for p in doc.places for a, b in p.mentions if len(doc.span_tokens(a, b))}
    quantity_spans = [(h.start, h.end) for h in doc.quantities]
    out: list[EventHit] = []
    frames_of: dict[int, list[Frame]] = {}
    current: EventHit | None = None
    previous: Frame | None = None
    by_section: dict[int | None, list[EventHit]] = {}  # an event only gathers frames of its own section
    dates, quantities = SpanIndex((d.start, d.end) for d in doc.dates), SpanIndex(quantity_spans)
    sections = SpanIndex((x.start, x.end) for x in structure.sections)
    for sent in _sentences(doc):
        section = next(iter(sections.holding(sent.start)[-1:]), None)
        if not is_prose(sent.start, sent.end, skip, furniture) or text[sent.start:sent.end].rstrip().endswith(":"):
            if current is not None and section != current.section:
                current = None
            continue
        frames = sentence_frames(doc, sent, sent.first, sent.last, starts,
                                 [quantity_spans[k] for k in quantities.overlapping(sent.start, sent.end)],
                                 [doc.dates[k] for k in dates.overlapping(sent.start, sent.end)], previous, places)
        if not frames:
            if current is not None and current.section == section and _continues_plain(text, sent, current):
                _join(current, None, sent)
            continue
        for f in frames:
            if f.status == "negated":
                continue
            target = _target(text, by_section.get(section, []), frames_of, f, sent, current, section)
            if target is None:
                target = EventHit(f.type, _title(text, f.start, sent.end), f.trigger, f.date, "unknown",
                                  [f.sentence], section, f.status, f.tense, [f.clause])
                out.append(target)
                by_section.setdefault(section, []).append(target)
                frames_of[id(target)] = []
            else:
                _join(target, f, sent)
            frames_of[id(target)].append(f)
            current = target if f.status == "happened" else current
        previous = frames[-1]
    _dates_after(doc, out, frames_of)
    _others_agreements(doc, out, frames_of)
    out = _same_day(out)
    locs = [x for x in doc.natasha.spans if x.type == "LOC"]
    loc_index = SpanIndex((x.start, x.start + 1) for x in locs)
    for e in out:
        e.format = _format(text, e, [[locs[k] for k in loc_index.overlapping(a, b)] for a, b in e.sentences])
    return out


def _sentences(doc) -> list[Sentence]:
    """Natasha's sentences, cut again at line ends (a heading has no full stop to end it)."""
    out, toks, i = [], doc.tokens, 0
    while i < len(toks):
        j = i + 1
        while j < len(toks) and toks[j].sent == toks[i].sent and not toks[j].sent_start:
            j += 1
        a, b = toks[i].start, toks[j - 1].end
        out.append(Sentence(a, b, doc.text[a:b], i, j))
        i = j
    return out


def _target(text, out, frames_of, f: Frame, sent, current, section) -> EventHit | None:
    """The earlier event of the section (`out`) the frame speaks of, or None for a new one."""
    if f.status != "happened":
        return next((e for e in out if e.status == f.status and e.type == f.type and e.date == f.date
                     and e.section == section), None)
    def fits(e):
        return e.status == "happened" and e.section == section and not _elsewhere(f, e, frames_of) and (
            e.trigger == f.trigger or {e.tense, f.tense} != {"past", "future"})

    # the latest LOOKBACK events of the section, latest first, looked at only as far as needed
    happened = _Lazy(e for e in islice(reversed(out), LOOKBACK) if fits(e))
    names = set(QUOTED.findall(sent.text))
    named = next((e for e in happened if e.type == f.type and names & set(QUOTED.findall(text[slice(*e.sentences[0])]))),
                 None) if names else None
    if named is not None:  # "Выставка «Китай-Евразия» проводилась с 2011 года": more of the same exhibition
        return named
    if f.date is None and not f.setting:
        framed = any(p.search(sent.text) for p in CONTINUES)
        if current in happened and (framed or "\n" not in text[current.sentences[-1][1]:sent.start]):
            if framed and f.type == "visit" and f.verb and current.type != "visit":
                f.date = current.date  # "В рамках выставки город посетила делегация": a visit of its own, then
                return None
            return current
        return next((e for e in happened if e.type == f.type or e.trigger == f.trigger), None)
    return next((e for e in happened if (e.type == f.type or e.trigger == f.trigger) and (e.date == f.date or (
        e.date is None and not any(x.date or x.core for x in frames_of[id(e)])))), None)


class _Lazy:
    """A generator's items, produced only as far as they are asked for, and kept for the next look."""

    def __init__(self, items):
        self.items, self.seen = iter(items), []

    def __iter__(self):
        yield from self.seen
        for x in self.items:
            self.seen.append(x)
            yield x

    def __contains__(self, x) -> bool:
        return any(y is x or y == x for y in self)


def _elsewhere(f: Frame, e: EventHit, frames_of) -> bool:
    """The frame happens in a place the event does not ('в Мытищах проходит выставка' after one in Ангарске)."""
    where = set().union(*(x.where for x in frames_of[id(e)]))
    return bool(f.where) and not f.where & where and (bool(where) or (f.core and f.type != e.type))


def _join(e: EventHit, f: Frame | None, sent) -> None:
    if (sent.start, sent.end) not in e.sentences:
        e.sentences.append((sent.start, sent.end))
    span = f.clause if f is not None else (sent.start, sent.end)
    if span not in e.clauses:
        e.clauses.append(span)
    if f is not None and e.date is None and f.date and e.status == f.status:
        e.date = f.date


def _continues_plain(text, sent, current) -> bool:
    """A sentence with no trigger that tells more of the current event: 'В рамках …', same paragraph."""
    return any(p.search(sent.text) for p in CONTINUES) or "\n" not in text[current.sentences[-1][1]:sent.start]


def _dates_after(doc: ReportDoc, out: list[EventHit], frames_of) -> None:
    """Settings' dates, the item's date for undated happenings, history (see the module docstring)."""
    dated = {f.trigger: e.date for e in out for f in frames_of[id(e)] if e.date}
    paragraphs = SpanIndex((p.start, p.end + 1) for p in doc.structure.paragraphs)
    dates = SpanIndex((d.start, d.start + 1) for d in doc.dates)
    year = doc.structure.year
    report_year = str(year) if year and any(d.value == str(year) for d in doc.dates) else None
    anchor = doc.anchor
    day = anchor if anchor and len(anchor) == 10 else None
    news = doc.layout is not None and doc.layout.news
    for e in out:
        frames = frames_of[id(e)]
        if e.date is None:
            e.date = next((dated[s] for f in frames for s in f.settings if s in dated), None)
        if e.date is None and e.status == "happened" and e.type not in DURATIVE and e.tense != "future" \
                and (any(f.core for f in frames) or not news):
            if news:  # under way or done: on the item's day, else the paragraph's
                e.date = day or _lead_date(doc, paragraphs, dates, e.sentences[0][0])
            else:
                e.date = _lead_date(doc, paragraphs, dates, e.sentences[0][0]) or report_year
        if e.date and e.status == "happened" and anchor and _long_before(e.date, anchor):
            e.status = "mentioned"
        elif e.date and e.status == "happened" and e.tense != "past" and anchor and int(e.date[:4]) > int(anchor[:4]):
            e.status = "planned"  # "в июле следующего года ученики отправятся …"


def _others_agreements(doc: ReportDoc, out: list[EventHit], frames_of) -> None:
    """'В этом году Брест подписал соглашения с Тулой и Калугой': a partner's own signing, in which
    the reporting city takes no part, is background (mentioned)."""
    city = doc.city.name if doc.city else None
    for e in out:
        actors = {f.actor for f in frames_of[id(e)]}
        if city and e.type == "other" and e.status == "happened" and None not in actors and city not in actors \
                and not any(a <= s < b for s, _ in doc.city.mentions for a, b in e.clauses):
            e.status = "mentioned"


def _same_day(out: list[EventHit]) -> list[EventHit]:
    """Two happenings of one type on one day are one ('Соглашение подписано …' in the lead and
    'сегодня подписали соглашение' in the body)."""
    kept: list[EventHit] = []
    days: dict[tuple, EventHit] = {}
    for e in out:
        day = e.status == "happened" and e.date and len(e.date) == 10
        twin = days.get((e.type, e.date, e.section)) if day else None
        if twin is None:
            kept.append(e)
            if day:
                days.setdefault((e.type, e.date, e.section), e)
        else:
            twin.sentences += [x for x in e.sentences if x not in twin.sentences]
            twin.clauses += [x for x in e.clauses if x not in twin.clauses]
    return kept


def _long_before(value: str, anchor: str) -> bool:
    """Ended a year or more before the item: a year before the item's year, or history_months."""
    end = value.partition("/")[2] or value
    if len(end) == 4 or len(anchor) == 4:
        return int(end[:4]) < int(anchor[:4])
    y, m = int(end[:4]), int(end[5:7])
    ay, am = int(anchor[:4]), int(anchor[5:7])
    return (ay - y) * 12 + (am - m) >= HISTORY_MONTHS


def _lead_date(doc: ReportDoc, paragraphs: SpanIndex, dates: SpanIndex, pos: int) -> str | None:
    """'В мае 2021 года …' at the start of the paragraph dates the sentences after it."""
    para = next((doc.structure.paragraphs[k] for k in paragraphs.holding(pos)), None)
    if para is None:
        return None
    first = dates.overlapping(para.start, min(pos, para.start + 40))
    return doc.dates[first[0]].value if first else None


def _title(text: str, start: int, end: int) -> str:
    """The trigger and the words after it up to a comma or 80 characters, the quoted name kept."""
    tail = text[start:end]
    m = re.match(r"[^,.;:()]*(?:«[^»]*»+)?", tail)
    title = (m.group(0) if m else tail).strip()
    if len(title) > 80:
        title = title[:80].rsplit(" ", 1)[0]
    return title[:1].upper() + title[1:]


def _format(text: str, event: EventHit, locs) -> str:
    """Online cues against in-person ones; 'состоялся'/'прошёл' alone means in person only when
    nothing says online ('состоялась в режиме видеоконференцсвязи')."""
    chunk = " ".join(text[a:b] for a, b in event.sentences)
    if FORMAT["mixed"].search(chunk):
        return "mixed"
    online = bool(FORMAT["online"].search(chunk))
    in_person = event.type == "visit" or FORMAT["offline"].search(chunk) or any(
        _taking_part_in_place(text, a, b, inside) for (a, b), inside in zip(event.sentences, locs))
    if online and in_person:
        first_online = FORMAT["online"].search(text[event.sentences[0][0]:event.sentences[0][1]])
        return "online" if first_online else "offline" if event.type == "visit" else "mixed"
    if online:
        return "online"
    if in_person or FORMAT["offline_verbs"].search(chunk):
        return "offline"
    return "unknown"


def _taking_part_in_place(text: str, a: int, b: int, locs) -> bool:
    """Taking part 'в/во/на <place>': 'выступали … в Баку' (locs: the LOC spans starting in text[a:b])."""
    if not FORMAT["offline_where"].search(text[a:b]):
        return False
    return any(re.search(r"\b(?:в|во|на)\s+(?:городе\s+|г\.\s*)?$", text[max(0, s.start - 12):s.start]) for s in locs)

