"""Posts: a post head (rules/persons.toml) with its adjectives and dependents, read with the
noun-phrase grammar (pipeline.grammars.nounphrase), right before the name ("Мэр города Омска
О.Н. Фадина", "заместителем мэра города Циндао госпожой Чжао Линь"), coordinated posts before it
("заместителя Бургомистра, руководителя управления … господина Фрикке"), after the name and a
comma or dash ("Петрова Анна Сергеевна, начальник управления …"), or linked to it by a verb
("Гачечиладзе является депутатом парламента"). The head goes into the nominative, dependents stay
as written.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from pipeline import rules
from pipeline.doc import ReportDoc
from pipeline.grammars.nounphrase import HEAD_WORDS, LOCATED, WITH_PO, ChainConfig, chain, lemmas
from pipeline.inflect import join, pick, recase, tidy
from pipeline.layers import PositionHit
from pipeline.spans import SpanIndex
from pipeline.tokens import ALL_CASES, NOUNS, Tok, cases_of, is_adj, key, sentence_end

if TYPE_CHECKING:
    from pipeline.persons.mentions import Mention

R = rules.load("persons")["posts"]
TITLES = {key(w) for w in rules.load("honorifics")["neutral"]}   # "академики Владимир Захаров, …", "профессор Университета …"
POST_HEADS = {key(w) for w in R["heads"] if " " not in w} | TITLES
WEAK = {key(w) for w in R["weak"]} | TITLES
PHRASES = [tuple(key(w) for w in p.split()) for p in R["phrases"]]
POST_ABBR = {key(w).replace(" ", "") for w in R["abbreviations"]}
ABBR_STARTS = {a[:k] for a in POST_ABBR for k in range(1, len(a) + 1)}   # what an abbreviation's first token may be
PREDICATES = {key(w) for w in R["predicates"]}
FILLERS = {key(w) for w in R["predicate_fillers"]}
POST_CHAIN = ChainConfig(po=WITH_PO | {key(w) for w in R["with_po"]}, located=LOCATED | {key(w) for w in R["located"]},
                         no_coord=HEAD_WORDS | POST_HEADS, ot={key(w) for w in R["with_ot"]})
ACTING = "и.о."   # the lemma of an indeclinable abbreviation before a post: "и.о. директора", "врио губернатора"


@dataclass
class Post:
    """A post in the token layer: toks[left:end], its head toks[head:head_end]. `lemma` is the head's
    lemma, "~управлять" for a one-word verb head, "исполнять обязанность" for a longer one, ACTING."""
    head: int
    head_end: int
    lemma: str
    left: int
    end: int

    @property
    def phrase(self) -> bool:
        return " " in self.lemma or self.lemma.startswith("~")

    @property
    def governor(self) -> str:
        """The word whose dependents follow: "исполнять обязанность" -> "обязанность"."""
        return self.lemma.split()[-1].lstrip("~")


def post_head(toks: list[Tok], i: int) -> Post | None:
    """The post head starting at token i (as a post of its own, without adjectives or dependents)."""
    t = toks[i]
    if not t.word and t.low not in POST_ABBR:
        return None
    for n in (4, 3, 1) if t.low in ABBR_STARTS else ():
        seq = "".join(x.low for x in toks[i:i + n])
        if seq in POST_ABBR and i + n < len(toks):
            return Post(i, i + n, ACTING, i, i + n)
    for p in PHRASES:
        seq = toks[i:i + len(p)]
        if len(seq) == len(p) and all(p[m] in lemmas(seq[m]) or seq[m].low.startswith(p[m][:5]) for m in range(len(p))):
            if len(p) == 1 and (t.pos not in ("VERB", "ADJ", "NOUN") or (
                    i + 1 < len(toks) and toks[i + 1].pos in NOUNS and toks[i + 1].case == t.case)):
                continue   # "управляющий директор": an adjective here, the post is "директор"
            return Post(i, i + len(p), " ".join(p) if len(p) > 1 else "~" + p[0], i, i + len(p))
    if t.pos not in NOUNS and not (t.lemma in POST_HEADS and (t.case is not None or t.pos == "")):
        return None       # (the tagger takes a rare post for an adjective or a verb: "обербургомистр")
    lem = lemmas(t)
    hit = next((l for l in lem if l in POST_HEADS), None)
    if hit is None:
        for l in lem:   # "вице-мэр", "экс-премьер", "женщины-спикера", "депутат-эсер"
            if "-" in l and (l.split("-", 1)[1] in POST_HEADS or l.rsplit("-", 1)[1] in POST_HEADS
                             or l.split("-", 1)[0] in POST_HEADS):
                hit = l
                break
    if hit is None:
        return None
    return Post(i, i + 1, hit, i, i + 1)


def post_lemma(t: Tok) -> bool:
    return any(l in POST_HEADS for l in lemmas(t))


def post_cases(toks: list[Tok], p: Post) -> set[str]:
    t = toks[p.head]
    if p.lemma == ACTING:
        return set(ALL_CASES)
    cs = cases_of(t, {"NOUN", "PRTF", "ADJF"})
    if t.case:
        cs = cs | {t.case}
    return cs or set(ALL_CASES)


def _extend(doc: ReportDoc, p: Post, limit: int, stop: set[int]) -> Post:
    """The post with its dependents, up to token `limit`."""
    p.end = chain(doc.tokens, p.head_end, limit, p.governor, POST_CHAIN, stop, doc.text)
    return p


def _left(toks: list[Tok], h: int) -> int:
    """Adjectives before a post head agreeing with it: "генеральный консул", "первого заместителя",
    "чрезвычайный и полномочный посол"."""
    left = h
    while left - 1 >= 0 and toks[left - 1].sent == toks[h].sent:
        t = toks[left - 1]
        if t.pos == "DET":
            break
        if is_adj(t) and t.case == toks[h].case and (not t.cap or t.sent_start or toks[h].cap):
            left -= 1
            continue
        if t.text == "и" and left - 2 >= 0 and is_adj(toks[left - 2]) and toks[left - 2].case == toks[h].case \
                and left < h + 1 and left != h:
            left -= 2
            continue
        break
    return left


def _title(toks: list[Tok], p: Post) -> str:
    """The head phrase in the nominative singular, the dependents as written."""
    words = []
    gender = "masc"
    head = toks[p.head]
    if not p.phrase:
        hp = pick(head, {"NOUN"}, None)
        if hp is not None:
            f = hp.inflect({"nomn", "sing"})
            if f:
                gender = f.tag.gender or gender
                words.append((p.head, recase(head.text, f.word)))
    for k in range(p.left, p.head_end):
        if any(k == x for x, _ in words):
            continue
        t = toks[k]
        if k < p.head or (p.phrase and k == p.head):
            r = pick(t, {"ADJF", "PRTF", "NUMR"})
            g = t.gender if (p.phrase and t.gender in ("masc", "femn")) else gender
            f = r.inflect({"nomn", "sing", g}) if r is not None else None
            words.append((k, recase(t.text, f.word) if f else t.text))
        else:
            words.append((k, t.text))
    words.sort()
    out = join(toks[p.left:p.head_end], [w for _, w in words])
    if p.end > p.head_end:
        out += (" " if toks[p.head_end].start > toks[p.head_end - 1].end else "") + join(toks[p.head_end:p.end])
    return tidy(out)


_ORGANISATIONS: "WeakKeyDictionary[ReportDoc, tuple]" = WeakKeyDictionary()


def _organisation_mentions(doc: ReportDoc) -> tuple[list, SpanIndex]:
    """The organisations' mentions (start, end, name) of the doc and their index, made once per doc."""
    if doc not in _ORGANISATIONS:
        mentions = [(a, b, o.name) for o in doc.organisations for a, b in o.mentions]
        _ORGANISATIONS[doc] = mentions, SpanIndex(mentions)
    return _ORGANISATIONS[doc]


def _position(doc: ReportDoc, p: Post) -> PositionHit:
    toks = doc.tokens
    start, end = toks[p.left].start, toks[p.end - 1].end
    title = tidy(join(toks[p.left:p.end])) if p.lemma == ACTING else _title(toks, p)
    mentions, index = _organisation_mentions(doc)
    inside = [mentions[k] for k in index.within(start, end)]
    organisation = max(inside)[2] if inside else None
    return PositionHit(title, start, end, organisation)


def _plural_only(t: Tok) -> bool:
    """The tagger reads the head as plural and the dictionary has no singular reading of it in that
    case ("главы" of "встречи … главы военного ведомства" is a genitive singular too)."""
    if t.number != "plur":
        return False
    return not any(p.tag.number == "sing" and p.tag.POS == "NOUN" and (t.case is None or str(p.tag.case) == t.case
                                                                      or str(p.tag.case) == "gent")
                   for p in t.parses())


def _singular_cases(t: Tok) -> set[str]:
    """The cases of the head's singular readings: "главы" is a genitive singular or a plural."""
    return {str(p.tag.case) for p in t.parses() if p.tag.POS == "NOUN" and p.tag.number == "sing" and p.tag.case} \
        or post_cases_of(t)


def post_cases_of(t: Tok) -> set[str]:
    cs = cases_of(t, {"NOUN", "PRTF", "ADJF"})
    return cs | {t.case} if t.case else cs


def _ending_at(doc: ReportDoc, anchor: int, cases: set[str], stop: set[int], plural: bool = False) -> Post | None:
    """The post that ends right before token `anchor` (or before a dash there: "её президент — Дмитрий
    Страшнов"), singular (a plural one with `plural`), in one of `cases`."""
    toks = doc.tokens
    sent = toks[anchor].sent if anchor < len(toks) else None
    ends = {anchor} | ({anchor - 1} if anchor > 0 and toks[anchor - 1].text in ("—", "–") else set())
    if anchor > 2 and toks[anchor - 1].text == ")":   # "лидер … Национального фронта (FN) Марин Ле Пен"
        opened = next((k for k in range(anchor - 2, max(0, anchor - 6), -1) if toks[k].text == "("), None)
        if opened is not None and all(x.abbr or x.latin for x in toks[opened + 1:anchor - 1]):
            ends.add(opened)
    lo = anchor
    while lo - 1 >= 0 and toks[lo - 1].sent == sent and anchor - lo < 30:
        lo -= 1
    for i in range(lo, anchor):
        p = post_head(toks, i)
        if p is None:
            continue
        if (_plural_only(toks[p.head]) if not p.phrase else toks[p.head].number == "plur") != plural:
            continue        # "экс-кандидат в президенты Беларуси Андрей Санников", "Управляющие дворца …"
        limit = max(ends)
        _extend(doc, p, limit, stop)
        if p.lemma == ACTING and p.head_end < limit:
            inner = post_head(toks, p.head_end)
            if inner is None:
                continue
            p.end = _extend(doc, inner, limit, stop).end
        if p.end not in ends and not any(_extend(doc, p, e, stop).end == e for e in sorted(ends)[:-1]):
            continue
        if cases and not (post_cases(toks, p) & cases) and p.lemma != ACTING:
            continue
        return p
    return None


def before(doc: ReportDoc, anchor: int, cases: set[str], stop: set[int]) -> list[PositionHit]:
    """The post that ends right before the name (or its honorific), and posts coordinated before it:
    "заместителя Бургомистра, руководителя управления … господина Фрикке", "заведующий … Генерального
    консульства Финляндии консул Лари Пелтонен" (no comma between two posts)."""
    toks = doc.tokens
    sent = toks[anchor].sent if anchor < len(toks) else None
    found = _ending_at(doc, anchor, cases, stop)
    if found is None:
        return []
    found.left = _left(toks, found.head)
    out = [_position(doc, found)]
    pc = _singular_cases(toks[found.head]) if not found.phrase else post_cases(toks, found)
    end = found.left
    for _ in range(3):
        if end - 1 < 0 or toks[end - 1].sent != sent:
            break
        sep = end - 1 if toks[end - 1].text in (",", "и") else end
        if sep != end and found.lemma in WEAK:
            break           # a weak post is coordinated with no other: "представитель …, директор ООО «…» господин Ким"
        prev = None
        for k in range(max(0, sep - 25), sep):
            if toks[k].sent != sent:
                continue
            p = post_head(toks, k)
            if p is None or (p.lemma in WEAK and sep != end) or _plural_only(toks[p.head]):
                continue
            if _extend(doc, p, sep, stop).end == sep and (post_cases(toks, p) if p.phrase else
                                                          _singular_cases(toks[p.head])) & pc:
                prev = p
                break
        if prev is None:
            break
        prev.left = _left(toks, prev.head)
        out.insert(0, _position(doc, prev))
        end = prev.left
    return out


def plural_before(doc: ReportDoc, anchor: int, stop: set[int]) -> list[PositionHit]:
    """A plural post before the first name of a list: "академики Владимир Захаров, Леонид Келдыш …",
    "с заместителями министра иностранных дел России Сергеем Рябковым и Григорием Карасиным"."""
    p = _ending_at(doc, anchor, set(), stop, plural=True)
    if p is None:
        return []
    p.left = _left(doc.tokens, p.head)
    return [_position(doc, p)]


def after(doc: ReportDoc, m: Mention, cases: set[str], stop: set[int], anchors: set[int]) -> list[PositionHit]:
    """"Петрова Анна Сергеевна, начальник отдела …", "Иванов (директор …)", "Иванов — председатель …"."""
    toks = doc.tokens
    k = m.b
    sent = toks[m.b - 1].sent
    if k < len(toks) and toks[k].text == "(":           # "Скотт Хоровитц (Scott Horowitz), бывший астронавт"
        close = next((n for n in range(k + 1, min(k + 12, len(toks))) if toks[n].text == ")"), None)
        if close is not None and close + 1 < len(toks) and toks[close + 1].text in (",", "—", "–"):
            k = close + 1
    if k >= len(toks) or toks[k].text not in (",", "—", "–", "-", "(") or toks[k].sent != sent:
        return []
    one_of = k + 2 < len(toks) and toks[k + 1].lemma == "один" and toks[k + 2].low == "из"
    first = k + 3 if one_of else k + 1        # "Эдуард Мишлен, одному из президентов группы компаний Michelin"
    for h in range(first, min(first + 3, len(toks))):
        p = post_head(toks, h)
        if p is None:
            if not (is_adj(toks[h]) and toks[h].pos != "DET"):
                break
            continue
        if _left(toks, p.head) > first or (_plural_only(toks[p.head]) and not one_of):
            break
        if cases and not one_of and not ((post_cases(toks, p) if p.phrase else _singular_cases(toks[p.head])) & cases):
            break       # "Павел Зотов, главы других муниципалитетов …": not his post
        if _leads_to_name(toks, _extend(doc, p, sentence_end(toks, p.head), stop).end, anchors):
            break   # "Фрэнк Лэмпард, капитан клуба Тоттенхэм Хотспур Ледли Кинг": the post is the next man's
        p.left = first
        out = [_position(doc, p)]
        if p.end + 1 < len(toks) and toks[p.end].text == "и":     # "Гергей Ковач - политик и лидер партии …"
            q = post_head(toks, p.end + 1)
            if q is not None and not _plural_only(toks[q.head]) and not _leads_to_name(
                    toks, _extend(doc, q, sentence_end(toks, q.head), stop).end, anchors):
                out.append(_position(doc, q))
        return out
    return []


def _leads_to_name(toks, r: int, anchors: set[int]) -> bool:
    """The post runs on, through capitalised words only, into another name."""
    for k in range(r, min(r + 5, len(toks))):
        if k in anchors:
            return True
        if not (toks[k].cap or toks[k].abbr or toks[k].text in "«»\""):
            return False
    return False


def predicated(doc: ReportDoc, m: Mention, stop: set[int], anchors: set[int]) -> list[PositionHit]:
    """"Гачечиладзе является депутатом парламента", "Путин согласился занять пост премьер-министра",
    and the other way round: "капитаном стал Михаель Баллак"."""
    toks = doc.tokens
    out = []
    sent = toks[m.surname].sent
    # name ... verb ... post
    k, seen_verb = m.b, False
    for _ in range(6):
        if k >= len(toks) or toks[k].sent != sent:
            break
        t = toks[k]
        if t.pos in ("VERB", "AUX") and t.lemma in PREDICATES:
            seen_verb = True
        elif seen_verb and (t.low in FILLERS or t.pos in ("ADV", "PART")):
            pass
        elif seen_verb:
            p = post_head(toks, k)
            if p is None and is_adj(t) and t.pos != "DET":
                k += 1
                continue
            if p is not None and toks[p.head].number != "plur":
                p.left = _left(toks, p.head)
                if not _leads_to_name(toks, _extend(doc, p, sentence_end(toks, p.head), stop).end, anchors):
                    out.append(_position(doc, p))
            break
        elif not (t.pos in ("ADV", "PART", "AUX") or (t.pos == "VERB" and t.case is None)):
            break
        k += 1
    # post (instrumental) + verb + name: "капитаном стал Михаель Баллак"
    a = m.hon if m.hon is not None else m.a
    if a >= 2 and toks[a - 1].pos in ("VERB", "AUX") and toks[a - 1].lemma in PREDICATES:
        for h in range(a - 2, max(-1, a - 6), -1):
            if toks[h].sent != sent:
                break
            p = post_head(toks, h)
            if p is not None and toks[h].case == "ablt":
                p.left = _left(toks, h)
                if _extend(doc, p, a - 1, stop).end == a - 1:
                    out.append(_position(doc, p))
                break
    # verb + name + post (instrumental): "назвал Йенса Лемана первым вратарём"
    if a >= 1 and toks[a - 1].pos == "VERB" and toks[a - 1].lemma in PREDICATES and not out:
        for h in range(m.b, min(m.b + 3, len(toks))):
            p = post_head(toks, h)
            if p is not None and toks[h].case == "ablt" and _left(toks, h) <= m.b:
                _extend(doc, p, sentence_end(toks, h), stop)
                p.left = m.b
                out.append(_position(doc, p))
                break
            if not (is_adj(toks[h]) and toks[h].case == "ablt"):
                break
    return out


def apposition_cases(doc: ReportDoc, m: Mention) -> set[str]:
    """The cases of the post the name stands in apposition to (the last post found before it)."""
    toks = doc.tokens
    if m.positions:
        p = m.positions[-1]
        h = next(iter(doc.span_tokens(p.start, p.end)), None)
        if h is not None:
            for x in toks[h:h + 4]:
                head = post_head(toks, x.i)
                if head:
                    return post_cases(toks, head) & ({x.case} if x.case else set(ALL_CASES)) or post_cases(toks, head)
    return set()
