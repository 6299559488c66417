"""Name mentions: where a name is, which of its words is the surname, the cases and gender its
context allows, and the surname in the nominative that follows.

From the name grammar (pipeline.grammars.names) and from Natasha's PER spans. The case and gender
come from the honorific, the first name and patronymic, a verb in the past tense, a woman's role
noun before the name; Natasha's contextual case and gender break the remaining ties.
"""
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from pipeline import gazetteer, morph, rules
from pipeline.doc import ReportDoc
from pipeline.grammars.names import EAST_ASIAN, HON_GENDER, NOT_NAMES, PATRONYMIC, asian_given, asian_name_end, name_spans
from pipeline.layers import PositionHit
from pipeline.spans import SpanIndex
from pipeline.persons.posts import post_lemma
from pipeline.persons.surnames import VOWELS, east_asian, russian_given, surname_forms, surname_like, surname_shape
from pipeline.tokens import ALL_CASES, Tok, cases_of, key

R = rules.load("persons")
PARTICLES = {key(w) for w in R["names"]["particles"]}
NAMED_AFTER = {key(w) for w in R["names"]["named_after"]}
MASC_PATRONYMIC = re.compile(r"^[А-ЯЁ][а-яё]+(?:ович|евич)(?:а|у|ем|е)?$")
INITIAL = re.compile(r"^[А-ЯЁA-Z]$")
BIG_CITY = 100_000


@dataclass
class Mention:
    a: int                          # first token of the name
    b: int                          # index after its last token
    surname: int | None             # token index of the surname
    given: int | None = None        # token index of the first name
    more: list[int] = field(default_factory=list)   # more given-name words: "Ким Чен Су"
    particles: list[int] = field(default_factory=list)  # "Ле" in "Марин Ле Пен"
    patr: int | None = None
    initials: str = ""              # "О.Н."
    hon: int | None = None          # token index of "господин"/"госпожа"
    source: str = "rule"
    cases: set[str] = field(default_factory=lambda: set(ALL_CASES))
    gender: str | None = None
    chosen: list[tuple[str, str]] = field(default_factory=list)       # (nominative, gender), best first
    positions: list[PositionHit] = field(default_factory=list)


def find(doc: ReportDoc) -> list[Mention]:
    """Every name mention with a surname, in text order, none overlapping: the grammar's, and
    Natasha's where the grammar has none; not a namesake in an organisation's name ("им. Ф.М.
    Достоевского", a quoted name)."""
    toks = doc.tokens
    found = rule_mentions(doc)
    taken = [(toks[m.a].start, toks[m.b - 1].end) for m in found]
    found += natasha_mentions(doc, taken)
    found += asian_mentions(doc, found)
    found = dedupe(found)
    named = {k for m in found for k in range(m.a, m.b)}
    quoted = [(x, y) for o in doc.organisations if "«" in o.name for x, y in o.mentions]
    quoted_index = SpanIndex(quoted)
    return [m for m in found if m.surname is not None and not named_after(toks, m, named)
            and not inside_org_quote(toks, m, quoted_index)]


def rule_mentions(doc: ReportDoc) -> list[Mention]:
    """The name grammar's mentions, sentence by sentence, shaped: which word is the surname."""
    toks = doc.tokens
    by_start = {t.start: t.i for t in toks}
    out: list[Mention] = []
    for sent in doc.natasha.sents:
        for a, b, kind in name_spans(sent.text):
            a, b = sent.start + a, sent.start + b
            i = by_start.get(a)
            if i is None:
                continue
            j = i
            while j < len(toks) and toks[j].end <= b:
                j += 1
            m = _shape(toks, i, j, kind)
            if m:
                out.append(m)
    return out


def _shape(toks, i, j, kind) -> Mention | None:
    words = [k for k in range(i, j) if toks[k].word]
    if kind == "surname_first":
        if j < len(toks) and toks[j].start - toks[j - 1].end <= 2 and not toks[j].sent_start and surname_like(toks[j]):
            return None     # "Омска О.Н. Фадиной": the initials belong to the next word ("Е.В. Далее": not)
        s = words[0]
        if not surname_like(toks[s]):
            return None
        return Mention(i, j, s, initials=_initials(toks, s + 1, j))
    first = toks[i]
    if (key(first.text) in HON_GENDER or first.lemma in HON_GENDER) and not (
            east_asian(first) and len(words) > 1 and all(asian_given(toks[k].text) and not toks[k].parses()[0].is_known
                                                         or east_asian(toks[k]) for k in words[1:])):
        names = words[1:]
        m = _ordered(toks, names, i + 1, j)
        if m:
            m.hon = i
            m.a = i + 1
        return m
    if INITIAL.match(first.text):
        s = words[-1]
        if not surname_like(toks[s]):
            return None     # "… Ломакина Е.В. Далее …": a sentence after the initials
        return Mention(i, j, s, initials=_initials(toks, i, s))
    # surname name patronymic | name patronymic [surname]
    pi = next((k for k in words if PATRONYMIC.match(toks[k].text)), None)
    if pi is None:
        return None
    if pi == words[-1] and len(words) == 3:
        if surname_like(toks[words[0]]):
            return Mention(i, j, words[0], given=words[1], patr=pi)
        # "президенту России Борису Николаевичу Ельцину": the first word is no surname
        if j < len(toks) and toks[j].cap and not PATRONYMIC.match(toks[j].text):
            return Mention(words[1], j + 1, j, given=words[1], patr=pi)
        return None
    if pi == words[1] and len(words) == 3:
        return Mention(i, j, words[2], given=words[0], patr=pi)
    if pi == words[1] and len(words) == 2 and (MASC_PATRONYMIC.match(toks[pi].text) or surname_not_patronymic(toks[pi])):
        # "Виктором Януковичем": a man's -ович with no surname after it is the surname
        return Mention(i, j, pi, given=words[0])
    return None   # a name and a patronymic alone: "Ольга Викторовна"


def surname_not_patronymic(t: Tok) -> bool:
    """"Януковича", "Абрамовича": a patronymic's shape that the dictionary knows as no patronymic."""
    return not any("Patr" in p.tag for p in t.parses())


def _initials(toks, a, b) -> str:
    return "".join(toks[k].text.upper() + "." for k in range(a, b) if INITIAL.match(toks[k].text))


def _ordered(toks, names: list[int], a: int, b: int) -> Mention | None:
    """Which of 1-3 capitalised words is the surname. Russian order is given name first unless the
    first word has a surname's shape and the second is a first name ("Семёнов Роман"); East Asian
    surnames come first ("Чжао Линь", "Ким Чен Су"); particles belong to the surname ("Ле Пен")."""
    if not names:
        return None
    if len(names) == 1:
        return Mention(a, b, names[0])
    pi = next((k for k in names[1:] if PATRONYMIC.match(toks[k].text)), None)
    if pi is not None:
        if pi != names[-1]:
            return Mention(a, b, names[-1], given=names[0], patr=pi)        # name patronymic surname
        if len(names) == 3:
            return Mention(a, b, names[0], given=names[1], patr=pi)         # surname name patronymic
        if MASC_PATRONYMIC.match(toks[pi].text):
            return Mention(a, b, pi, given=names[0])                        # "Виктор Янукович"
        return None
    first, last = toks[names[0]], toks[names[-1]]
    if east_asian(first) and not russian_given(last) and all(asian_given(toks[k].text) for k in names[1:]):
        return Mention(a, b, names[0], given=names[1], more=names[2:])    # ("Нгуен Ван Тунг": no particle "ван")
    if len(names) >= 3 and key(toks[names[-2]].text) in PARTICLES:
        k = len(names) - 2
        while k - 1 > 0 and key(toks[names[k - 1]].text) in PARTICLES:
            k -= 1
        return Mention(a, b, names[-1], given=names[0], more=names[1:k], particles=names[k:-1])
    if len(names) == 2 and surname_shape(first.text) and russian_given(last) and not surname_shape(last.text) \
            and not russian_given(first):       # ("Кристиной Надь": a first name of a surname's shape)
        return Mention(a, b, names[0], given=names[1])     # "Семёнов Роман", "Петрова Анна"
    return Mention(a, b, names[-1], given=names[0], more=names[1:-1])


def natasha_mentions(doc: ReportDoc, taken: list[tuple[int, int]]) -> list[Mention]:
    """Natasha's PER spans that overlap none of `taken`, without the post words and places before the name."""
    toks = doc.tokens
    places = sorted(doc.locations)
    out, taken_index = [], SpanIndex(taken)
    by_start = {t.start: t.i for t in toks}
    for s in doc.natasha.spans:
        if s.type != "PER":
            continue
        i = by_start.get(s.start)
        if i is None:
            continue
        if i > 0 and toks[i - 1].cap and key(toks[i - 1].text) in EAST_ASIAN and toks[i].start - toks[i - 1].end == 1 \
                and toks[i - 1].sent == toks[i].sent and asian_given(toks[i].text):
            i -= 1           # NER's "Ги Мун" of "Пан Ги Мун"
        j = i
        while j < len(toks) and toks[j].end <= s.stop and toks[j].text != "(" and not (
                j > i and "\n" in doc.text[toks[j - 1].end:toks[j].start]):
            j += 1          # "Джоэл Саймон (Joel Simon)": the name before the brackets; a name ends at a line break
        words = [k for k in range(i, j) if toks[k].word]
        # leading post words, places and non-names: "Бургомистра", "Президент Обама", "(мэра) Хайфона Нгуен Ван Тунг"
        while words and (post_lemma(toks[words[0]]) or key(toks[words[0]].text) in NOT_NAMES or not toks[words[0]].cap
                         or toks[words[0]].abbr or _in_spans(toks[words[0]], places)):
            words = words[1:]     # ("NASA Майкл Гриффин": the organisation before the name)
        if not words or any(not toks[k].cap and key(toks[k].text) not in PARTICLES for k in words) \
                or not toks[words[-1]].cap:
            continue
        a, b = words[0], words[-1] + 1
        if taken_index.overlapping(toks[a].start, toks[b - 1].end):
            continue
        n = b + (b < len(toks) and toks[b].text == ".")
        if all(INITIAL.match(toks[k].text) for k in words) and n < len(toks) and capital_surname(toks[n]) \
                and "\n" not in doc.text[toks[a].start:toks[n].start]:
            words.append(n)          # NER's "В.В" of "В.В. ЧЕРНИКОВ"
            b = n + 1
        caps = capital_surname(toks[words[-1]])      # "Анатолий АРТАМОНОВ", "В.В. ЧЕРНИКОВ"
        if caps and len(words) > 1 and all(INITIAL.match(toks[k].text) for k in words[:-1]):
            out.append(Mention(words[0], b, words[-1], initials=_initials(toks, words[0], words[-1]), source="natasha"))
            continue
        if len(words) > 3 or any(toks[k].abbr and not (caps and k == words[-1]) for k in words):
            continue
        fact = s.fact.as_dict if s.fact is not None else {}
        if len(words) == 1:
            t = toks[words[0]]
            if fact.get("first") and not fact.get("last") and russian_given(t):
                continue   # a first name alone
            m = Mention(a, b, words[0], source="natasha1")
        elif len(words) == 2 and PATRONYMIC.match(toks[words[1]].text) and not surname_not_patronymic(toks[words[1]]):
            continue       # "Ольга Викторовна" without a surname
        else:
            m = _ordered(toks, words, a, b)
            if m is None:
                continue
            m.source = "natasha"
        out.append(m)
    return out


def _in_spans(t: Tok, spans: list[tuple[int, int]]) -> bool:
    i = bisect_right(spans, (t.start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= t.start and t.end <= spans[i][1]


def capital_surname(t: Tok) -> bool:
    """A surname written in capitals ("АРТАМОНОВ"): a surname's shape or reading once in lower case."""
    if not (t.word and t.text.isupper() and len(t.text) >= 4):
        return False
    low = t.text.capitalize()
    return surname_shape(low) or any("Surn" in p.tag for p in morph.parse(low)[:3])


def asian_mentions(doc: ReportDoc, found: list[Mention]) -> list[Mention]:
    """"уезда Суньу Ма Цзяньпин": an East Asian name (pipeline.grammars.names) where NER saw none."""
    toks = doc.tokens
    taken = {k for m in found for k in range(m.a, m.b)}
    out = []
    for t in toks:
        k = asian_name_end(toks, t.i) if t.i not in taken else None
        if k is not None and not taken & set(range(t.i, k)):
            out.append(Mention(t.i, k, t.i, given=t.i + 1, more=list(range(t.i + 2, k)), source="asian"))
    return out


def named_after(toks, m: Mention, named: set[int]) -> bool:
    """'им. Ф.М. Достоевского', 'имени первого Президента России Б.Н. Ельцина': part of a name."""
    k = m.a - 1
    for _ in range(7):
        if k < 0 or k in named:   # another name comes first: "имени М.А. Врубеля Ирина Горбачёва"
            return False
        t = toks[k]
        if t.low in NAMED_AFTER:
            return True
        if t.text == "." or (t.word and (t.case == "gent" or t.cap)):
            k -= 1
            continue
        return False
    return False


def inside_org_quote(toks, m: Mention, quoted: SpanIndex) -> bool:
    """Inside an organisation mention whose name is quoted (`quoted`: their mentions): «…» names are no persons."""
    a, b = toks[m.a].start, toks[m.b - 1].end
    return any(x <= a and b <= y for x, y in (quoted.spans[k] for k in quoted.holding(a)))


def listed(doc: ReportDoc, found: list[Mention]) -> list[list[Mention]]:
    """Names listed one after another ("Владимир Захаров, Леонид Келдыш и Александр Кулешов"): the
    groups of two or more, in text order."""
    toks = doc.tokens
    groups: list[list[Mention]] = []
    for m in sorted(found, key=lambda m: m.a):
        prev = groups[-1][-1] if groups else None
        gap = toks[prev.b:m.a] if prev is not None else None
        if prev is not None and m.a > prev.b and toks[m.a].sent == toks[prev.a].sent and m.hon is None \
                and all(t.text in (",", "и") for t in gap) and len(gap) <= 2:
            groups[-1].append(m)
        else:
            groups.append([m])
    return [g for g in groups if len(g) > 1]


def dedupe(mentions: list[Mention]) -> list[Mention]:
    """In text order, the longest first where mentions overlap; the others dropped."""
    mentions.sort(key=lambda m: (m.a, -(m.b - m.a)))
    out: list[Mention] = []
    for m in mentions:
        if out and m.a < out[-1].b:
            continue
        out.append(m)
    return out


def keep(toks, m: Mention, places: set[tuple[int, int]] = frozenset()) -> bool:
    """A lone capitalised word is a person only with some support: a post, an honorific, a surname
    shape; never a word the places stage read as a place ("корейским Тэбэком", "позволило Пскову")."""
    t = toks[m.surname]
    if m.source == "natasha1" and (t.start, t.end) in places:
        return False
    if m.source != "natasha1" or m.hon is not None or m.positions:
        return True
    if m.b < len(toks) and toks[m.b].text == "(":
        return False            # "Пухов (Словакия)"
    place = gazetteer.lookup(t.text)
    if place is not None and (place.kind != "city" or place.population >= BIG_CITY or not any(
            {"Surn", "Name"} & set(str(p.tag).replace(" ", ",").split(",")) for p in t.parses()[:2])):
        return False            # a place, unless a small town that shares a surname ('Обама', 'Мураками')
    if post_lemma(t):
        return False
    return surname_like(t)


def constrain(toks: list[Tok], m: Mention) -> None:
    """Narrow the mention's cases and gender by its honorific, patronymic and first name."""
    if m.hon is not None:
        h = toks[m.hon]
        m.gender = HON_GENDER.get(h.lemma) or HON_GENDER.get(key(h.text)) or m.gender
        hc = cases_of(h, {"NOUN"})
        if h.case:
            hc = {h.case} | (hc if h.case in ("gent", "accs") else set())
        if hc & m.cases:
            m.cases &= hc
    if m.patr is not None:
        t = toks[m.patr]
        m.gender = m.gender or ("femn" if re.search(r"(овн|евн|ичн)", key(t.text)) else "masc")
        cases = {str(p.tag.case) for p in t.parses() if "Patr" in p.tag and p.tag.case and p.tag.gender == m.gender}
        if cases & m.cases:
            m.cases &= cases
    if m.given is not None:
        t = toks[m.given]
        ps = [p for p in t.parses() if "Name" in p.tag and p.is_known]
        if m.gender:
            ps = [p for p in ps if p.tag.gender == m.gender]
        if m.gender == "femn" and key(t.text)[-1] not in VOWELS and key(t.text)[-1] != "й":
            ps = []          # "Лейсан", "Салтанат": women's names on a consonant do not decline
        cases = {str(p.tag.case) for p in ps if p.tag.case}
        genders = {str(p.tag.gender) for p in ps if p.tag.gender in ("masc", "femn")}
        if cases & m.cases:
            m.cases &= cases
        if len(genders) == 1 and not m.gender:
            m.gender = genders.pop()


def verb_gender(toks: list[Tok], m: Mention) -> str | None:
    """A past-tense verb right after the name agrees with it: "А.П. Терпугова выступила"."""
    k = m.b
    n = 0
    while k < len(toks) and n < 3 and toks[k].sent == toks[m.b - 1].sent:
        t = toks[k]
        if t.pos in ("VERB", "AUX") and t.gender in ("masc", "femn") and t.number == "sing" and t.case is None:
            return t.gender
        if not (t.pos in ("ADV", "PART") or t.text in (",",)):
            break
        k += 1
        n += 1
    return None


def choose(toks: list[Tok], m: Mention, extra_gender: str | None) -> None:
    """The surname's nominative readings the mention allows, best first (`m.chosen`)."""
    t = toks[m.surname]
    readings = surname_forms(t.text)   # (nominative, gender, case)
    forms = [f for f in readings if f[2] in m.cases] or readings
    gender = m.gender or extra_gender
    if gender:
        forms = [f for f in forms if f[1] == gender] or forms
    # Natasha's contextual case and gender break the remaining ties; after a first name in an oblique
    # case the surname declines too ("Эдуарду Мишлену" -> Мишлен, "Юрию Чайке" -> Чайка)
    declined = m.given is not None and toks[m.given].case not in (None, "nomn")

    def rank(f):
        nom, g, c = f
        same = key(nom) == key(t.text)
        # (not the я-declension: "Джона Керри", "Джозефа Туччи" do not decline)
        prefer = declined and not same and not key(nom).endswith("я")
        return (-(c == t.case), -(g == t.gender), -prefer, -same, -(g == "masc"))
    forms.sort(key=rank)
    seen, chosen = set(), []
    for nom, g, _ in forms:
        if (key(nom), g) not in seen:
            seen.add((key(nom), g))
            chosen.append((nom, g))
    m.chosen = chosen


def indeclinable_or(m: Mention, toks) -> set[str]:
    """The mention's cases that its surname's readings allow (all of them for an indeclinable one)."""
    forms = surname_forms(toks[m.surname].text)
    cases = {c for _, _, c in forms} & m.cases
    return cases or set(m.cases)


def role_gender(toks, m: Mention) -> str | None:
    """A woman's role noun shortly before the name: "ученица БОУ … «Лицей № 137» Александра Почкаева"."""
    a = m.hon if m.hon is not None else m.a
    for k in range(a - 1, max(-1, a - 12), -1):
        t = toks[k]
        if t.sent != toks[a].sent or t.pos == "VERB" or t.text in (",", ";", ":"):
            break
        if t.pos == "NOUN" and t.gender == "femn" and any(p.tag.animacy == "anim" and p.tag.gender == "femn"
                                                          for p in t.parses()[:2]):
            return "femn"
    return None

