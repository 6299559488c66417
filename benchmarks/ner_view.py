"""Our entity layer as flat NER mentions: PER / LOC / ORG spans over a ReportDoc (for factRuEval scoring).

Natasha's NER spans are the base (every stage of ours starts from them). Our rules refine them where
they know better, and add what our stages found and Natasha missed:
  * no name runs over a bracket, a bullet or a line break, so such spans are cut: 'Джоэл Саймон
    (Joel Simon)' gives two persons and 'Бахрейн • Барбадос' two places;
  * an organisation mention is its name: the quoted name, or the name after a legal form or a
    generic head. 'ОАО «ВымпелКом»' gives 'ВымпелКом' and 'компании Piedmont Airlines' gives 'Piedmont
    Airlines'. Legal forms and heads come from rules/organisations.toml;
  * a street-like head after the adjective that names it is a descriptor: 'Тверской площади' gives
    'Тверской' (heads from rules/places.toml);
  * a lone pronoun, particle or adverb is no name ('Вы', 'Утром');
  * a PER span that is a country, or a place to our place stage and no one to our person stage,
    becomes LOC. Names listed in benchmarks/ner_view.toml take their type from there (the EU is an ORG);
  * places, persons and organisations our stages found where Natasha has nothing are added. An
    organisation name of ours that extends Natasha's replaces it ('Следственного комитета при
    прокуратуре', 'японского МИДа', 'Театра им. Йозефа Бойса');
  * a Latin name or an abbreviation in brackets right after a mention is another name of it
    ('Международная амнистия (Amnesty International)').
The result is flat: no two mentions share a character. What is particular to this view is data in
benchmarks/ner_view.toml.
"""
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipeline import gazetteer, morph, rules
from pipeline.doc import ReportDoc
from pipeline.grammars.nounphrase import LEGAL_FORMS, OPEN_QUOTES, QUALIFIERS, head_entry, quote_end
from pipeline.tokens import is_adj, key

R = tomllib.loads((Path(__file__).parent / "ner_view.toml").read_text(encoding="utf-8"))
SEPARATORS = {kind: re.compile("[" + re.escape(R["separators"]["all"] + R["separators"].get(kind, "")) + "]")
              for kind in ("PER", "LOC", "ORG")}
QUOTE = re.compile("[" + re.escape("".join(set(OPEN_QUOTES) | set(OPEN_QUOTES.values()))) + "]")
TRIM = R["trim"]
INITIAL = re.compile(r"(?<!\w)[А-ЯЁA-Z]\.$")
NOT_NAME = set(R["not_name_grammemes"])
ALIAS = re.compile(R["alias"])
RETYPE = {gazetteer.key(name): kind for kind, names in R["retype"].items() for name in names}
DESCRIPTORS = set(LEGAL_FORMS) | QUALIFIERS
STREET_HEADS = {key(w) for w in rules.load("places")["not_places"]["heads"]}


@dataclass(frozen=True)
class Mention:
    type: str     # PER | LOC | ORG
    start: int
    stop: int


def find_mentions(doc: ReportDoc) -> list[Mention]:
    """Flat typed mentions in text order, from the layers `locations`, `persons` and `organisations`
    (pipeline.extract.analyse_text(text, upto="persons"))."""
    places = set(doc.locations)
    text = doc.text
    person_spans = [m for hit in doc.persons for m in hit.mentions]

    spans: list[Mention] = []
    for span in doc.natasha.spans:
        stop = span.stop
        if not _balanced(text[span.start:stop]) and _balanced(text[span.start:stop + 1]):
            stop += 1                                   # the quote Natasha leaves out: 'ОАО «Омский каучук' + '»'
        for a, b in pieces(text, span.start, stop, span.type):
            kind = RETYPE.get(gazetteer.key(text[a:b]), span.type)
            if kind == "PER" and _place_not_person(text[a:b], (a, b) in places, _overlaps((a, b), person_spans)):
                kind = "LOC"
            parts = org_names(doc, a, b) if kind == "ORG" else loc_names(doc, a, b) if kind == "LOC" else [(a, b)]
            spans += [Mention(kind, x, y) for x, y in parts if _name_like(text[x:y])
                      or (kind == "PER" and (x, y) in person_spans)]    # 'госпожа Ли'

    for a, b in sorted(places):
        _add(text, spans, Mention("LOC", a, b))
    for a, b in person_spans:
        _add(text, spans, Mention("PER", a, b), person=True)
    for hit in doc.organisations:
        for a, b in hit.mentions:
            for x, y in (n for p in pieces(text, a, b, "ORG") for n in org_names(doc, *p)):
                _add(text, spans, Mention("ORG", x, y), doc)
    for m in list(spans):
        alias = ALIAS.match(text, m.stop)
        if alias:
            _add(text, spans, Mention(m.type, *alias.span(1)))
    return _flat(spans)


def pieces(text: str, start: int, stop: int, kind: str) -> list[tuple[int, int]]:
    """text[start:stop] cut at the separators of `kind` (and at quotes that do not pair up), trimmed."""
    out = []
    for a, b in _cut(text, start, stop, SEPARATORS[kind]):
        out += [(a, b)] if _balanced(text[a:b]) else _cut(text, a, b, QUOTE)
    return [p for p in (_trim(text, a, b) for a, b in out) if p]


def org_names(doc: ReportDoc, start: int, stop: int) -> list[tuple[int, int]]:
    """The name parts of an organisation mention: the quoted names ('Концерн «Майкрософт»' ->
    'Майкрософт'); else what follows the legal form and a generic head when it is a name of its own,
    Latin or capitalised and not a genitive dependent ('немецкой компании Harles' -> 'Harles', but
    'Национальный банк Украины' stays); else the whole mention."""
    toks, text = doc.tokens, doc.text
    idx = [k for k in doc.span_tokens(start, stop) if toks[k].end <= stop]
    for k in idx:
        q = quote_end(toks, k, text)
        if q and k + 1 < q - 1 <= idx[-1]:        # what stands before the quote is a descriptor
            out = [(toks[k + 1].start, toks[q - 2].end)]
            if q <= idx[-1]:
                out += org_names(doc, toks[q].start, stop)
            return [p for p in (_trim(text, a, b) for a, b in out) if p]
    k = 0
    while k < len(idx) and toks[idx[k]].text in DESCRIPTORS:
        k += 1
    j = k
    while j < len(idx) and is_adj(toks[idx[j]]):
        j += 1
    head = head_entry(toks, idx[j]) if j < len(idx) else None
    if head and head[3] <= idx[-1] and (not toks[head[2]].cap or toks[idx[k]].sent_start):
        name = toks[head[3]]
        if name.latin or (name.cap and name.case != "gent"):
            k = head[3] - idx[0]
    return [(toks[idx[k]].start, stop)] if k < len(idx) else []


def loc_names(doc: ReportDoc, start: int, stop: int) -> list[tuple[int, int]]:
    """The name of a place mention: without a street-like head after its adjectives."""
    toks = doc.tokens
    idx = list(doc.span_tokens(start, stop))
    if len(idx) > 1 and toks[idx[-1]].lemma in STREET_HEADS and all(is_adj(toks[k]) and toks[k].cap
                                                                    for k in idx[:-1]):
        return [(start, toks[idx[-2]].end)]
    return [(start, stop)]


# --- helpers ----------------------------------------------------------------------------------------

def _cut(text: str, start: int, stop: int, sep: re.Pattern) -> list[tuple[int, int]]:
    bounds = [start] + [x for m in sep.finditer(text, start, stop) for x in (m.start(), m.end())] + [stop]
    return [(a, b) for a, b in zip(bounds[::2], bounds[1::2]) if b > a]


def _balanced(seg: str) -> bool:
    opens = sum(seg.count(q) for q in OPEN_QUOTES if q != '"')
    closes = sum(seg.count(q) for q in set(OPEN_QUOTES.values()) if q != '"')
    return opens == closes and seg.count('"') % 2 == 0


def _trim(text: str, a: int, b: int) -> tuple[int, int] | None:
    """Without punctuation and spaces around it. A closing quote stays when it closes a quote inside,
    and so does the dot of an initial ('Шелест С.В.')."""
    while a < b and text[a] in TRIM:
        a += 1
    while b > a and text[b - 1] in TRIM and _balanced(text[a:b - 1]) and not INITIAL.search(text, a, b):
        b -= 1
    return (a, b) if any(c.isalnum() for c in text[a:b]) else None


def _grammemes(word: str, n: int = 1) -> set[str]:
    return {g for p in morph.parse(word)[:n] if p.is_known for g in str(p.tag).replace(" ", ",").split(",")}


def _name_like(s: str) -> bool:
    """Not a lone pronoun, particle or adverb that NER took for a name ('Вы', 'Все', 'Утром')."""
    words = re.findall(r"\w+(?:-\w+)*", s)
    return len(words) > 1 or (len(words) == 1 and not _grammemes(words[0]) & NOT_NAME)


def _place_not_person(s: str, place: bool, person: bool) -> bool:
    """A country ('Эфиопия' in a list), or a place to our place stage where our person stage read no
    one and the dictionary knows no name ('Царицыно'; not 'Кана', a surname too)."""
    entry = gazetteer.lookup(s)
    if entry is not None and entry.kind == "country":
        return True
    return place and not person and not _grammemes(s, 2) & {"Surn", "Name"}


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in others)


def _add(text: str, spans: list[Mention], new: Mention, doc: ReportDoc | None = None, person: bool = False) -> None:
    """`new` where no mention is; given `doc`, also in the place of the mentions it extends. Our
    person stage's names are names, whatever the dictionary says ('госпожа Ли')."""
    if not person and not _name_like(text[new.start:new.stop]):
        return
    hit = sorted((m for m in spans if m.start < new.stop and new.start < m.stop), key=lambda m: m.start)
    if hit and not (doc and _extends(doc, new, hit)):
        return
    for m in hit:
        spans.remove(m)
    spans.append(new)


def _extends(doc: ReportDoc, new: Mention, hit: list[Mention]) -> bool:
    """An organisation name of ours extends Natasha's when it holds it, with only adjectives before
    it and, after it, no other place or organisation: a person only as its namesake ('им.')."""
    first = hit[0]
    if not (new.start <= first.start and hit[-1].stop <= new.stop) or (first.start, first.stop) == (new.start, new.stop):
        return False
    if first.type != "ORG" or len(hit) > 2 or any(m.type != "PER" for m in hit[1:]):
        return False
    return all(is_adj(doc.tokens[k]) for k in doc.span_tokens(new.start, first.start))


def _flat(spans: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for m in sorted(set(spans), key=lambda m: (m.start - m.stop, m.start)):
        if all(m.stop <= k.start or k.stop <= m.start for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)
