"""Event frames of one sentence: each trigger word (rules/events.toml) anchored on the predicate it
depends on (pipeline.clauses over the `syntax` layer), with what that predicate says of it.

- Triggers: nouns and phrases ("визит", "круглый стол", "онлайн-встреча" by its last part, "Дни
  Вологды"), verbs ("посетили", "подписано"), verbs with a word ("принял делегацию", "делегация
  находится"), and an occurrence verb whose subject points back ("в этом году он состоится …").
- One frame per predicate: its trigger nearest in the tree (a verb trigger, its subject or object
  first); a trigger further down in an oblique ("прибыла для участия в выставке", "подписали на
  форуме") is an event of its own, the setting, unless a frame phrase holds it ("в рамках визита").
- Status: "не", a cancelling verb above it: no frame; a planning verb above it, a planned word on
  it, a future one in direct speech or a later year: planned; a habit in its clause: habitual; a
  present predicate that is no occurrence: mentioned; else happened. Tense from the predicate.
- Date: the first date of the predicate's clause (a period "на 2026–2027 годы" is none), else the
  clause's it is coordinated with ("Завтра, 17 мая, оркестры пройдут …, а вечером состоится …").
"""
import re
from dataclasses import dataclass, field

from pipeline import morph, rules
from pipeline.clauses import CORE, SUBJECTS, Tree, in_nested_clause, same_segment, segment

R = rules.load("events")
P = R["predicates"]
GENERIC, REACH, SERIES = set(R["generic"]), R["generic_reach"], set(R["series"])
PLURAL_OK, DURATIVE, CROWDS, COUNT_WORDS = (set(R[k]) for k in ("plural_ok", "durative", "crowds", "count_words"))
PATTERNS = [(re.compile(p), t) for t, ps in R["patterns"].items() for p in ps]
VERB_TYPE = {morph.lemma(v): t for t, vs in R["verbs"].items() for v in vs}
VERB_WITH = {x["verb"]: (set(x["with"]), x["type"], SUBJECTS if x.get("subject") else {"obj", "iobj"} | (
    {"obl"} if x.get("oblique") else set())) for x in R["verbs_with"]}
OCCURRENCE, PLAN, AGREE, INVITE, CANCEL = (set(P[k]) for k in ("occurrence", "plan", "agree", "invite", "cancel"))
PRONOUNS, PLANNED_WORDS, PREPARING = set(P["pronouns"]), set(P["planned_words"]), set(P["preparing"])
CONTEXT = [tuple(c.split()) for c in P["context"]]
BEFORE = [tuple(c.split()) for c in P["before"]]
RELATIVE = "который"
QUOTED = re.compile(r"«[^«»]*»")
COORDINATED = re.compile(r",?\s*(?:а|и|но)\b", re.I)
def _any_of(patterns) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


HABITUAL, PLAN_CUES, SUMMARY = (_any_of(R["status"][k]) for k in ("habitual", "planned", "summary"))
NOT_EVENT_DATE = re.compile(r"(?:^|[^\w-])(?:на|до|к|ко)\s+$", re.I)
TENSES = {"Past": "past", "Pres": "present", "Fut": "future"}
GRANULARITY = ("day", "range", "month", "year")  # finest first


@dataclass
class Frame:
    type: str
    trigger: str
    start: int                      # the trigger's offset (the title starts there)
    sentence: tuple[int, int]
    clause: tuple[int, int]
    date: str | None = None         # the clause's own date
    status: str = "happened"        # happened | planned | habitual | mentioned | negated
    tense: str | None = None
    core: bool = True               # the predicate's own event: undated, it takes the item's date
    setting: bool = False           # an event another one of its sentence took place at
    verb: bool = False              # its trigger is the predicate ("посетила", "подписали")
    settings: set[str] = field(default_factory=set)  # the trigger lemmas of the events it took place at
    where: set[str] = field(default_factory=set)     # the places it happens in ("в Мытищах проходит выставка")
    actor: str | None = None        # the place its subject names ("Брест подписал …", "мэр Гомеля подписал …")


@dataclass
class _Hit:
    token: int
    type: str
    trigger: str
    verb: bool = False


def sentence_frames(doc, sent, first: int, last: int, starts, quantity_spans, dates, previous: Frame | None,
                    places: dict[int, str]) -> list[Frame]:
    """The frames of the sentence whose tokens are doc.tokens[first:last]; `places` maps a place
    mention's first token to the place's name."""
    hits = _hits(doc, sent, first, last, starts, quantity_spans)
    if first not in doc.syntax:
        return [_flat(doc, sent, hits[0], dates)] if hits else []
    tree = Tree(doc, first)
    hits = [h for h in hits if not _a_name(doc, tree, h, hits) and not _under(tree, h.token, BEFORE)]
    hits += _verb_hits(tree, sent, hits)
    hits += _pointing_back(tree, sent, hits, previous)
    hits = _generic_gives_way(doc, hits)
    relative = _relatives(tree, hits)
    groups: dict[int, list[tuple]] = {}
    for h in hits:
        p, relcl = relative[h.token] if h.token in relative else _predicate(tree, h)
        if not relcl and not h.verb:
            p = same_segment(doc, tree, sent, h.token, p)
        d = tree.depth(h.token, p)
        core = h.verb or relcl or h.token == p or (d == 1 and tree.rels[h.token] in CORE) or (
            d == 2 and tree.rels[h.token] == "conj" and tree.rels[tree.heads[h.token]] in CORE)
        groups.setdefault(p, []).append((not core, d, h.token, h, core, relcl))
    frames = []
    for p, cands in sorted(groups.items(), key=lambda g: min(c[2] for c in g[1])):
        cands.sort(key=lambda c: c[:3])
        main = cands[0]
        frame = _frame(doc, tree, sent, p, main[3], main[4], dates, main[5])
        frame.where = _where(tree, p, places)
        frame.actor = _actor(tree, p, places)
        settings = [c[3] for c in cands[1:] if _setting(tree, c[3], p, main[3])]
        frame.settings = {s.trigger for s in settings}
        frames.append(frame)
        for s in settings:
            sub = _frame(doc, tree, sent, p, s, False, dates)
            own = _date_of(doc, tree, tree.subtree(s.token), dates)
            sub.date, sub.setting = own or frame.date, True
            frames.append(sub)
    return frames


# ---------------------------------------------------------------- triggers

def _hits(doc, sent, first, last, starts, quantity_spans) -> list[_Hit]:
    """Noun and phrase triggers, a plural one only where it names one happening or is counted."""
    out, toks = [], doc.tokens
    for i in range(first, last):
        found = starts.get(toks[i].start)
        if not found:
            continue
        stop, phrase, etype = found[0]
        if stop > sent.end:
            continue
        t = toks[i]
        plural = t.number == "plur" and ("-" not in t.text or _only_plural(t.text.rsplit("-", 1)[-1]))
        counted = (i > first and toks[i - 1].lemma in SERIES) or any(
            a <= t.start and t.end <= b or (b <= t.start and t.start - b < 40)
            for a, b in quantity_spans if sent.start <= a < sent.end)
        last_part = t.lemma.rsplit("-", 1)[-1]
        if plural and not counted and last_part not in PLURAL_OK and t.lemma not in PLURAL_OK:
            continue
        out.append(_Hit(i, etype, " ".join(phrase)))
    for pat, etype in PATTERNS:
        for m in pat.finditer(sent.text):
            i = doc.span_tokens(sent.start + m.start(), sent.start + m.start() + 1)
            if len(i) and not any(h.token == i[0] for h in out):
                out.append(_Hit(i[0], etype, toks[i[0]].lemma))
    return out


def _only_plural(word: str) -> bool:
    """Every reading is plural (the tagger's number for a compound's last part is less sure)."""
    return all(p.tag.number == "plur" for p in morph.parse(word) if p.tag.POS == "NOUN")


def _verb_hits(tree: Tree, sent, nouns: list[_Hit]) -> list[_Hit]:
    """Verbs that are events: 'посетили', 'подписано'; 'принял делегацию', 'документ скрепили подписями'.
    Not an attribute ('подписанные соглашения') nor a count ('город посетили 23,5 млн туристов')."""
    out = []
    for i in range(tree.first, tree.end):
        lemma = tree.lemma(i)
        if (lemma not in VERB_TYPE and lemma not in VERB_WITH) or not tree.is_verb(i) or tree.rels[i] == "amod" \
                or any(h.token == i for h in nouns) or _crowd(tree, sent, i):
            continue
        if lemma in VERB_TYPE:
            out.append(_Hit(i, VERB_TYPE[lemma], lemma, verb=True))
        elif lemma in VERB_WITH:
            words, etype, rels = VERB_WITH[lemma]
            if any(tree.lemma(c) in words for c in tree.children[i] if tree.rels[c] in rels):
                out.append(_Hit(i, etype, lemma, verb=True))
    return out


def _pointing_back(tree: Tree, sent, hits: list[_Hit], previous: Frame | None) -> list[_Hit]:
    """'… марафон «Дружба»; в этом году он состоится 16 марта': the occurrence verb is an event of the
    type of the trigger before it in the sentence, or of the sentence before. Its subject pronoun is
    its child, or (the parse may hang it elsewhere) a nominative pronoun before it in its clause part."""
    out, toks = [], tree.doc.tokens
    for i in range(tree.first, tree.end):
        if tree.lemma(i) not in OCCURRENCE or not tree.is_verb(i):
            continue
        seg = segment(tree.doc.text, sent, toks[i].start)
        near = [c for c in range(tree.first, i) if seg[0] <= toks[c].start and toks[c].case == "nomn"
                and tree.pos(c) == "PRON" and not any(tree.is_verb(k) for k in range(c + 1, i))]
        for c in sorted(set(tree.children[i]) | set(near)):
            if (tree.rels[c] in SUBJECTS or c in near) and tree.lemma(c) in PRONOUNS and tree.lemma(c) != RELATIVE:
                before = [h for h in hits if h.token < c and not h.verb]
                if before:
                    h = max(before, key=lambda h: h.token)
                    out.append(_Hit(i, h.type, h.trigger, verb=True))
                elif previous is not None:
                    out.append(_Hit(i, previous.type, previous.trigger, verb=True))
                break
    return out


def _crowd(tree: Tree, sent, i: int) -> bool:
    """'посетили 23,5 млн туристов', 'туристов, приезжающих в Москву': a verb of tourist flows (a crowd
    among its words or, the parse may hang them elsewhere, in its clause part)."""
    toks = tree.doc.tokens
    args = list(tree.children[i])
    if tree.rels[i] in ("acl", "acl:relcl") and tree.heads[i] >= 0:
        args.append(tree.heads[i])
    if any(tree.lemma(a) in CROWDS for a in args):
        return True
    seg = segment(tree.doc.text, sent, toks[i].start)
    return any(tree.lemma(j) in CROWDS and _counted(tree, j) for j in range(tree.first, tree.end)
               if seg[0] <= toks[j].start < seg[1])


def _counted(tree: Tree, j: int) -> bool:
    """'более 3 млн туристов' (a count), not 'делегация из 6 человек' (a count inside a phrase)."""
    k = j - 1
    while k >= tree.first and (tree.pos(k) == "NUM" or tree.doc.tokens[k].text[:1].isdigit() or tree.doc.tokens[k].text == "."
                               or tree.lemma(k) in COUNT_WORDS):
        k -= 1
    return k < j - 1 and not (k >= tree.first and tree.pos(k) == "ADP")


def _a_name(doc, tree: Tree, h: _Hit, hits: list[_Hit]) -> bool:
    """A trigger inside a quoted name after a word that is none: 'МВЦ «Дон-Экспо»' (not 'проект «Фильм-концерт»')."""
    start = doc.tokens[h.token].start
    for m in QUOTED.finditer(doc.text, max(0, start - 200), start + 200):
        if m.start() < start < m.end():
            before = doc.span_tokens(max(0, m.start() - 40), m.start())
            word = before[-1] if len(before) else None
            return word is not None and doc.tokens[word].word and not any(o.token == word for o in hits)
    return False


def _relatives(tree: Tree, hits: list[_Hit]) -> dict[int, tuple[int, bool]]:
    """'встречу мэров …, которая состоится в Якутске': the occurrence verb whose subject is "который"
    is the predicate of the nearest trigger before it of the pronoun's gender and number."""
    out, toks = {}, tree.doc.tokens
    for i in range(tree.first, tree.end):
        if tree.lemma(i) not in OCCURRENCE:
            continue
        for c in tree.children[i]:
            if tree.rels[c] in SUBJECTS and tree.lemma(c) == RELATIVE:
                before = [h for h in hits if h.token < c and not h.verb and toks[h.token].number == toks[c].number
                          and (toks[c].number == "plur" or toks[h.token].gender == toks[c].gender)]
                if before:
                    out[max(before, key=lambda h: h.token).token] = (i, True)
    return out


def _generic_gives_way(doc, hits: list[_Hit]) -> list[_Hit]:
    """'церемония открытия ЭКСПО': a generic trigger right before another gives way to it."""
    toks = doc.tokens
    return [h for h in hits if not (h.type in GENERIC and not h.verb and any(
        o.type != h.type and 0 < toks[o.token].start - toks[h.token].start <= REACH for o in hits))]


# ---------------------------------------------------------------- predicate, status, date

def _predicate(tree: Tree, h: _Hit) -> tuple[int, bool]:
    """The verb the trigger depends on; a relative clause of occurrence on a noun is its own
    ('встречу мэров, которая состоится в Якутске'), True then."""
    if h.verb:
        return h.token, False
    for n in [h.token] + [c for c in tree.children[h.token] if tree.rels[c] == "nmod"]:
        for c in tree.children[n]:
            if tree.rels[c] in ("acl:relcl", "acl") and tree.lemma(c) in OCCURRENCE:
                return c, True
    return tree.predicate(h.token), False


def _where(tree: Tree, p: int, places: dict[int, str]) -> set[str]:
    """The places the predicate happens in: 'в Мытищах проходит', 'приедет в город Мураяма'."""
    out = set()
    for c in tree.children[p]:
        if tree.rels[c] in ("obl", "nmod") and any(tree.rels[k] == "case" and tree.lemma(k) in ("в", "во", "на")
                                                  for k in tree.children[c]):
            out |= {places[x] for x in [c] + [k for k in tree.children[c] if tree.rels[k] in ("appos", "flat", "flat:name", "nmod")]
                    if x in places}
    return out


def _actor(tree: Tree, p: int, places: dict[int, str]) -> str | None:
    """The place the predicate's subject is or belongs to: 'Брест подписал', 'мэр Гомеля подписал'."""
    for c in tree.children[p]:
        if tree.rels[c] in SUBJECTS:
            for x in [c] + [k for k in tree.children[c] if tree.rels[k] in ("nmod", "appos", "flat")]:
                if x in places:
                    return places[x]
    return None


def _setting(tree: Tree, h: _Hit, p: int, main: _Hit) -> bool:
    """A trigger in an oblique of the predicate that no frame phrase holds: an event of its own."""
    if h.type == main.type or (not main.verb and h.token in tree.subtree(main.token)):
        return False
    step = tree.rels[tree.step_below(h.token, p)]
    at = any(tree.rels[c] == "case" and tree.lemma(c) in ("в", "во", "на") for c in tree.children[h.token])
    if step not in ("obl", "nmod", "advcl") and not (at and step not in SUBJECTS):
        return False  # "подписали соглашение на форуме" may hang the forum on the agreement
    if tree.lemma(h.token) == "день" and any(tree.rels[c] == "case" and tree.lemma(c) in ("в", "во")
                                              for c in tree.children[h.token]):
        return False  # "состоялась 30 августа, в День Республики": a day, not an event of its own
    return not _under(tree, h.token, CONTEXT, p)


def _under(tree: Tree, i: int, phrases, p: int | None = None) -> bool:
    """One of `phrases` ('в рамках', 'в ходе', 'накануне') leads a word between i and its predicate."""
    for j in [i] + [h for _, h in tree.path_up(i)]:
        if j == p or (p is None and tree.is_verb(j)):
            break
        case = [c for c in tree.children[j] if tree.rels[c] == "case"]
        lead = tuple(tree.doc.tokens[c].low for c in sorted(case + [f for c in case for f in tree.children[c]
                                                                    if tree.rels[f] == "fixed"]))
        if any(lead + (tree.doc.tokens[j].low,) == c[:len(lead) + 1] and len(c) <= len(lead) + 1 for c in phrases) \
                or any(lead[:len(c)] == c for c in phrases):
            return True
    return False


def _frame(doc, tree: Tree, sent, p: int, h: _Hit, core: bool, dates, relcl: bool = False) -> Frame:
    clause = tree.clause(p)
    frame = Frame(h.type, h.trigger, doc.tokens[h.token].start, (sent.start, sent.end), tree.span(clause), core=core,
                  verb=h.verb)
    seg = segment(doc.text, sent, doc.tokens[p].start)
    in_seg = [d for d in dates if seg[0] <= d.start < seg[1] and not in_nested_clause(doc, tree, d, p, seg)]
    frame.date = (_date_of(doc, tree, clause, in_seg) or _date_of(doc, tree, range(tree.first, tree.end), in_seg)
                  or _date_of(doc, tree, clause, dates) or _coordinated_date(doc, tree, sent, p, seg, dates))
    if frame.date is None and relcl:  # "участвовал в фестивале в Саппоро, который прошёл онлайн": the main clause's
        noun = segment(doc.text, sent, doc.tokens[h.token].start)
        frame.date = next((d.value for d in dates if noun[0] <= d.start < noun[1]), None)
    frame.tense = _tense(tree, p)
    frame.status = _status(doc, tree, sent, p, h, frame)
    return frame


def _flat(doc, sent, h: _Hit, dates) -> Frame:
    """A sentence with no parse: the frame of its first trigger, dated by the sentence."""
    inside = [d.value for d in dates if sent.start <= d.start < sent.end]
    return Frame(h.type, h.trigger, doc.tokens[h.token].start, (sent.start, sent.end), (sent.start, sent.end),
                 date=inside[0] if inside else None)


def _date_of(doc, tree: Tree, idx, dates) -> str | None:
    """The finest date among the words `idx` ('в этом году он состоится 16 марта': 16 March); a period
    ('на 2026–2027 годы') or a deadline ('до 2025 года') is none."""
    have, found = set(idx), []
    for d in dates:
        first = doc.span_tokens(d.start, d.end)
        if len(first) and first[0] in have and not NOT_EVENT_DATE.search(doc.text[max(0, d.start - 6):d.start]):
            found.append(d)
    return min(found, key=lambda d: GRANULARITY.index(d.granularity)).value if found else None


def _coordinated_date(doc, tree: Tree, sent, p: int, seg, dates) -> str | None:
    """A coordinated clause part ('…, а вечером состоится гала-концерт') takes the date of the part
    before it."""
    if tree.rels.get(p) == "conj" and tree.heads[p] >= 0 and tree.is_verb(tree.heads[p]):
        if found := _date_of(doc, tree, tree.clause(tree.heads[p]), dates):
            return found
    if seg[0] > sent.start and COORDINATED.match(doc.text, seg[0] - 2 if doc.text[seg[0] - 2:seg[0]] == ", " else seg[0]):
        before = segment(doc.text, sent, seg[0] - 3)
        return next((d.value for d in dates if before[0] <= d.start < before[1]), None)
    return None


def _tense(tree: Tree, p: int) -> str | None:
    for i in [p] + [h for c, h in tree.path_up(p) if tree.rels[c] in ("xcomp", "csubj")]:
        feats = tree.feats(i)
        if feats.get("Tense") in TENSES:
            return TENSES[feats["Tense"]]
        aux = [c for c in tree.children[i] if tree.rels[c] in ("aux", "aux:pass") and tree.feats(c).get("Tense") in TENSES]
        if aux:
            return TENSES[tree.feats(aux[0])["Tense"]]
        if feats.get("VerbForm") != "Inf":
            break
    return None


def _status(doc, tree: Tree, sent, p: int, h: _Hit, frame: Frame) -> str:
    if _negated(tree, p) or tree.lemma(p) in CANCEL or any(tree.lemma(g) in CANCEL for g, _ in _governors(tree, p)):
        return "negated"
    step = tree.rels[tree.step_below(h.token, p)] if h.token != p else None
    lemma = tree.lemma(p)
    if step is not None and (lemma in PLAN or (lemma in AGREE and step in ("obj", "xcomp", "ccomp"))
                             or (lemma in INVITE and step in ("obl", "obj"))):
        return "planned"
    if any(tree.lemma(g) in PLAN or (tree.lemma(g) in AGREE and rel not in SUBJECTS) for g, rel in _governors(tree, p)):
        return "planned"
    if any(tree.lemma(c) in PLANNED_WORDS for c in tree.children[h.token]) or tree.lemma(tree.heads[h.token]) in PREPARING:
        return "planned"  # "предстоящий визит", "подготовка Дней Краснодара"
    if frame.tense == "future" and _direct_speech(doc.text, sent):
        return "planned"
    seg = segment(doc.text, sent, doc.tokens[p].start)
    if SUMMARY.search(sent.text) and _counted_or_plural(tree, h):
        return "negated"  # a total over the period: no happening of its own
    if h.type == "visit" and (frame.date is None or len(frame.date) == 4) and any(
            _has_number(tree, w) for w in _trigger_words(tree, h)):
        return "negated"  # "В 2023 году Тверь приняла 11 иностранных делегаций": a year's count of visits
    if PLAN_CUES.search(doc.text, seg[0], seg[1]):
        return "planned"  # the parse may miss it: "В 2017 году планируется подписать …"
    text = doc.text[max(seg[0], frame.clause[0]):min(seg[1], frame.clause[1])]
    if HABITUAL.search(text) and not (frame.date and len(frame.date) >= 10):
        return "habitual"
    if frame.tense == "present" and not h.verb and lemma not in OCCURRENCE and h.type not in DURATIVE and p != h.token:
        return "mentioned"
    return "happened"


def _trigger_words(tree: Tree, h: _Hit) -> list[int]:
    """The trigger noun, or a verb's object and subject."""
    return [h.token] if not h.verb else [c for c in tree.children[h.token] if tree.rels[c] in CORE]


def _counted_or_plural(tree: Tree, h: _Hit) -> bool:
    """The trigger (a verb's object or subject) is plural or counted: 'приняла двадцать три делегации'."""
    return any(tree.doc.tokens[w].number == "plur" or _has_number(tree, w) for w in _trigger_words(tree, h))


def _has_number(tree: Tree, w: int) -> bool:
    return any(tree.rels[c].startswith("nummod") for c in tree.children[w])


def _governors(tree: Tree, p: int):
    """The verbs above p that complete it ('не смог посетить', 'планируется провести'): (verb, relation)."""
    for c, h in tree.path_up(p):
        if tree.rels[c] not in ("xcomp", "csubj", "obj", "ccomp"):
            return
        yield h, tree.rels[c]


def _negated(tree: Tree, p: int) -> bool:
    verbs = [p] + [g for g, _ in _governors(tree, p)]
    return any(tree.lemma(c) == "не" and tree.rels[c] in ("advmod", "discourse", "neg") for v in verbs for c in tree.children[v])


def _direct_speech(text: str, sent) -> bool:
    line_start = text.rfind("\n", 0, sent.start) + 1
    line = text[line_start:sent.end]
    before = text[line_start:sent.start + 1]
    return bool(re.match(r"\s*[-–—]\s", line)) or before.count("«") > before.count("»")
