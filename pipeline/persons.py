"""Persons: names (surname first, surname in the nominative), every mention, and their posts.

Name mentions come from a yargy grammar (initials + surname, surname + initials, surname + name +
patronymic, name + patronymic + surname, an honorific + a foreign name: "господина Фрикке",
"госпожой Чжао Линь") and from Natasha's PER spans. Surnames are put in the nominative by the
Russian surname paradigms (-ов/-ин, -ский, indeclinable -ко/-е/-и, consonant stems that decline for
men only), choosing the case and gender the context allows: the post or honorific in apposition,
the first name and patronymic, a verb in the past tense, the other mentions of the same person.

Posts are read with the organisation grammar (`pipeline.organisations.chain`): a post head
(rules/persons.toml) with its adjectives and dependents, right before the name ("Мэр города Омска
О.Н. Фадина", "заместителем мэра города Циндао госпожой Чжао Линь"), coordinated posts before it
("заместителя Бургомистра, руководителя управления … господина Фрикке"), or after the name and a
comma or dash ("Петрова Анна Сергеевна, начальник управления …"). The head goes into the
nominative, dependents stay as written.
"""
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline import morph, rules  # noqa: F401  (morph first: it points pymorphy2 at pymorphy3 for yargy)
from pipeline import gazetteer
from pipeline import organisations as org
from pipeline.organisations import Tok, key, recase

R = rules.load("persons")

HON_GENDER = {key(w): "masc" for w in R["honorifics"]["masc"]} | {key(w): "femn" for w in R["honorifics"]["femn"]}
POST_HEADS = {key(w) for w in R["posts"]["heads"] if " " not in w}
WEAK = {key(w) for w in R["posts"]["weak"]}
PHRASES = [tuple(key(w) for w in p.split()) for p in R["posts"]["phrases"]]
POST_ABBR = {key(w).replace(" ", "") for w in R["posts"]["abbreviations"]}
POST_LOCATED = {key(w) for w in R["posts"]["located"]}
POST_PO = {key(w) for w in R["posts"]["with_po"]}
EAST_ASIAN = {key(w) for w in R["names"]["east_asian_surnames"]}
NOT_NAMES = {key(w) for w in R["names"]["not_names"]}
NAMED_AFTER = {key(w) for w in R["names"]["named_after"]}
TITLES = {key(w) for w in R["honorifics"]["neutral"]}
PARTICLES = {key(w) for w in R["names"]["particles"]}
PREDICATES = {key(w) for w in R["posts"]["predicates"]}
FILLERS = {key(w) for w in R["posts"]["predicate_fillers"]}

HON_PREFIXES = {h[:3] for h in HON_GENDER}
ALL_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
PATRONYMIC = re.compile(r"^[А-ЯЁ][а-яё]+(?:(?:ович|евич|ич)(?:а|у|ем|е)?|(?:овн|евн|ичн|инишн)(?:а|ы|е|у|ой|ою))$")
MASC_PATRONYMIC = re.compile(r"^[А-ЯЁ][а-яё]+(?:ович|евич)(?:а|у|ем|е)?$")
INITIAL = re.compile(r"^[А-ЯЁA-Z]$")
VOWELS = set("аеёиоуыэюя")

POST_CHAIN = org.ChainConfig(po=org.WITH_PO | POST_PO, located=org.LOCATED | POST_LOCATED,
                             no_coord=org.HEAD_WORDS | POST_HEADS, ot={key(w) for w in R["posts"]["with_ot"]})


@dataclass
class PositionHit:
    title: str
    start: int
    end: int
    organisation: str | None = None


@dataclass
class PersonHit:
    name: str
    surname: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    positions: list[PositionHit] = field(default_factory=list)


@dataclass
class _Mention:
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
    forms: list[tuple[str, str, str]] = field(default_factory=list)   # (nominative, gender, case)
    chosen: list[tuple[str, str]] = field(default_factory=list)       # (nominative, gender), best first
    positions: list[PositionHit] = field(default_factory=list)


# --- the name grammar (yargy) -------------------------------------------------------------------

@lru_cache(maxsize=1)
def _parsers():
    from yargy import Parser, and_, not_, or_, rule
    from yargy.morph import MorphAnalyzer, prepare_form
    from yargy.predicates import custom, dictionary, eq, is_capitalized, length_eq, type as ytype
    from yargy.tokenizer import MorphTokenizer

    class SharedMorph(MorphAnalyzer):
        """yargy's morphology over the process-wide cached pymorphy3 (pipeline.morph)."""

        def __init__(self):
            super().__init__(raw=morph.analyzer())

        @lru_cache(maxsize=50_000)
        def __call__(self, word):
            # the grammar looks at the morphology of honorifics only: spare pymorphy the other words
            if key(word)[:3] not in HON_PREFIXES:
                return []
            return [prepare_form(p) for p in morph.parse(word)]

    word = or_(ytype("RU"), ytype("LATIN"))
    initial = and_(word, length_eq(1), is_capitalized())
    inits = rule(initial, eq("."), rule(initial, eq(".")).optional())
    cap = and_(word, is_capitalized(), not_(length_eq(1)), custom(lambda v: not v.isupper() and key(v) not in NOT_NAMES))
    patr = and_(cap, custom(lambda v: bool(PATRONYMIC.match(v))))
    plain = and_(cap, custom(lambda v: not PATRONYMIC.match(v)))
    hon = dictionary(set(HON_GENDER))
    main = or_(
        rule(hon, cap, cap.optional(), cap.optional()),
        rule(inits, cap),
        rule(plain, plain, patr),
        rule(plain, patr, plain.optional()),
    )
    surname_first = rule(cap, inits)
    tokenizer = MorphTokenizer(morph=SharedMorph())
    return Parser(main, tokenizer=tokenizer), Parser(surname_first, tokenizer=tokenizer)


# Sentences worth the grammar: an initial ("О.Н. Фадина", "Фадина О.Н."), an honorific, a patronymic.
PREFILTER = re.compile(r"(?<![\w.])[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?\s*[А-ЯЁ][а-яё]|[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s?[А-ЯЁ]?|"
                       r"[А-ЯЁ][а-яё]+(?:ович|евич|ьич|овн|евн|ичн)|(?<!\w)(?i:" +
                       "|".join(re.escape(h) for h in sorted(HON_GENDER, key=len, reverse=True)) + ")")


def _windows(text: str) -> list[tuple[int, int]]:
    """The parts of a sentence worth the grammar: every PREFILTER hit (an initial, an honorific, a
    patronymic) with the words a name can have around it (WINDOW: before, after; a name is at most
    four words), overlapping windows merged. Parsing these instead of whole sentences saves most of
    the chart parser's work."""
    words = [m.span() for m in re.finditer(r"\S+", text)]
    starts, ends = [s for s, _ in words], [e for _, e in words]
    out: list[list[int]] = []
    for hit in PREFILTER.finditer(text):
        first = bisect_right(ends, hit.start())        # the word the hit begins in
        last = bisect_left(starts, hit.end()) - 1      # the last word it touches
        a, b = words[max(0, first - WINDOW[0])][0], words[min(len(words) - 1, last + WINDOW[1])][1]
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


WINDOW = (2, 3)  # "Петров Иван Иванович": two words before a patronymic; "госпожа Чжао Линь Мэй": three after


def _rule_mentions(doc, toks: list[Tok]) -> list[_Mention]:
    main, surname_first = _parsers()
    by_start = {t.start: t.i for t in toks}
    out: list[_Mention] = []
    for sent in doc.sents:
        stext = sent.text.replace("\n", " ")   # yargy reads a line break as a token of its own
        spans = []
        for w_start, w_end in _windows(stext):
            window, at = stext[w_start:w_end], sent.start + w_start
            found = [(at + m.span.start, at + m.span.stop, "main") for m in main.findall(window)]
            for m in surname_first.findall(window):
                a, b = at + m.span.start, at + m.span.stop
                if not any(x < b and a < y for x, y, _ in found):
                    found.append((a, b, "surname_first"))
            spans += found
        for a, b, kind in spans:
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


def _shape(toks, i, j, kind) -> _Mention | None:
    words = [k for k in range(i, j) if toks[k].word]
    if kind == "surname_first":
        if j < len(toks) and toks[j].cap and toks[j].start - toks[j - 1].end <= 2:
            return None     # "Омска О.Н. Фадиной": the initials belong to the next word
        s = words[0]
        if not _surname_like(toks[s]):
            return None
        return _Mention(i, j, s, initials=_initials(toks, s + 1, j))
    first = toks[i]
    if key(first.text) in HON_GENDER or first.lemma in HON_GENDER:
        names = words[1:]
        m = _ordered(toks, names, i + 1, j)
        if m:
            m.hon = i
            m.a = i + 1
        return m
    if INITIAL.match(first.text):
        s = words[-1]
        return _Mention(i, j, s, initials=_initials(toks, i, s))
    # surname name patronymic | name patronymic [surname]
    pi = next((k for k in words if PATRONYMIC.match(toks[k].text)), None)
    if pi is None:
        return None
    if pi == words[-1] and len(words) == 3:
        if _surname_like(toks[words[0]]):
            return _Mention(i, j, words[0], given=words[1], patr=pi)
        # "президенту России Борису Николаевичу Ельцину": the first word is no surname
        if j < len(toks) and toks[j].cap and not PATRONYMIC.match(toks[j].text):
            return _Mention(words[1], j + 1, j, given=words[1], patr=pi)
        return None
    if pi == words[1] and len(words) == 3:
        return _Mention(i, j, words[2], given=words[0], patr=pi)
    if pi == words[1] and len(words) == 2 and MASC_PATRONYMIC.match(toks[pi].text):
        # "Виктором Януковичем": a man's -ович with no surname after it is the surname
        return _Mention(i, j, pi, given=words[0])
    return None   # a name and a patronymic alone: "Ольга Викторовна"


def _initials(toks, a, b) -> str:
    return "".join(toks[k].text.upper() + "." for k in range(a, b) if INITIAL.match(toks[k].text))


def _ordered(toks, names: list[int], a: int, b: int) -> _Mention | None:
    """Which of 1-3 capitalised words is the surname. Russian order is given name first unless the
    first word has a surname's shape and the second is a first name ("Семёнов Роман"); East Asian
    surnames come first ("Чжао Линь", "Ким Чен Су"); particles belong to the surname ("Ле Пен")."""
    if not names:
        return None
    if len(names) == 1:
        return _Mention(a, b, names[0])
    pi = next((k for k in names[1:] if PATRONYMIC.match(toks[k].text)), None)
    if pi is not None:
        if pi != names[-1]:
            return _Mention(a, b, names[-1], given=names[0], patr=pi)        # name patronymic surname
        if len(names) == 3:
            return _Mention(a, b, names[0], given=names[1], patr=pi)         # surname name patronymic
        if MASC_PATRONYMIC.match(toks[pi].text):
            return _Mention(a, b, pi, given=names[0])                        # "Виктор Янукович"
        return None
    if len(names) >= 3 and key(toks[names[-2]].text) in PARTICLES:
        k = len(names) - 2
        while k - 1 > 0 and key(toks[names[k - 1]].text) in PARTICLES:
            k -= 1
        return _Mention(a, b, names[-1], given=names[0], more=names[1:k], particles=names[k:-1])
    first, last = toks[names[0]], toks[names[-1]]
    if _east_asian(first) and not _russian_given(last) and all(_asian_given(toks[k].text) for k in names[1:]):
        return _Mention(a, b, names[0], given=names[1], more=names[2:])
    if len(names) == 2 and _surname_shape(first.text) and _russian_given(last) and not _surname_shape(last.text):
        return _Mention(a, b, names[0], given=names[1])     # "Семёнов Роман", "Петрова Анна"
    return _Mention(a, b, names[-1], given=names[0], more=names[1:-1])


def _surname_shape(word: str) -> bool:
    """-ов/-ин, -ский (any case), -енко, -ук, -ян, -дзе, -швили, -ич."""
    low = key(word)
    return bool(OV.match(low) or SKY.match(low) or re.search(r"(енко|ко|ук|юк|як|ян|яна|дзе|швили|ич|ича|ичу|ичем)$", low))


def _east_asian(t: Tok) -> bool:
    low = key(t.text)
    return low in EAST_ASIAN or _asian_oblique(low)


ASIAN_GIVEN = re.compile(r"^(?:[а-яё]{1,3}|[а-яё]*(?:[аеёиоуыэюя]|н|нь|й|ь|нг|к|п|ль))$")


def _asian_given(word: str) -> bool:
    """'Линь', 'Хунвэем', 'Цзюнем', 'Чен', 'Су', 'Кэнтаро' look East Asian; 'Суареш', 'Карлос' do not."""
    low = key(word)
    for end, rep in (("ем", "й"), ("ем", "ь"), ("ом", ""), ("ем", ""), ("ю", "й"), ("ю", "ь"), ("у", ""), ("я", "й")):
        if low.endswith(end) and ASIAN_GIVEN.match(low[: -len(end)] + rep):
            return True
    return bool(ASIAN_GIVEN.match(low))


def _asian_oblique(low: str) -> bool:
    """'ямадой' -> 'ямада'."""
    for end, add in (("ой", "а"), ("ы", "а"), ("у", "а"), ("е", "а")):
        if low.endswith(end) and low[: -len(end)] + add in EAST_ASIAN and len(low) > 4:
            return True
    return False


def _russian_given(t: Tok) -> bool:
    return any("Name" in p.tag and p.is_known and p.score >= 0.1 for p in t.parses()) and not _east_asian(t)


def _surname_like(t: Tok) -> bool:
    if not t.cap or key(t.text) in NOT_NAMES:
        return False
    ps = t.parses()
    if any("Surn" in p.tag or "Name" in p.tag for p in ps) or _surname_shape(t.text):
        return True
    top = ps[0] if ps else None
    return not (top and top.is_known)


# --- Natasha PER spans --------------------------------------------------------------------------

def _natasha_mentions(doc, toks: list[Tok], taken: list[tuple[int, int]]) -> list[_Mention]:
    out = []
    by_start = {t.start: t.i for t in toks}
    for s in doc.spans:
        if s.type != "PER":
            continue
        i = by_start.get(s.start)
        if i is None:
            continue
        j = i
        while j < len(toks) and toks[j].end <= s.stop and toks[j].text != "(":
            j += 1          # "Джоэл Саймон (Joel Simon)": the name before the brackets
        words = [k for k in range(i, j) if toks[k].word]
        # leading post words and non-names: "Бургомистра", "Президент Обама"
        while words and (_post_lemma(toks[words[0]]) or key(toks[words[0]].text) in NOT_NAMES or not toks[words[0]].cap
                         or toks[words[0]].abbr):     # "NASA Майкл Гриффин": the organisation before the name
            words = words[1:]
        if not words or any(not toks[k].cap and key(toks[k].text) not in PARTICLES for k in words) \
                or not toks[words[-1]].cap:
            continue
        a, b = words[0], words[-1] + 1
        if any(x < toks[b - 1].end and toks[a].start < y for x, y in taken):
            continue
        if len(words) > 3 or any(toks[k].abbr for k in words):
            continue
        fact = s.fact.as_dict if s.fact is not None else {}
        if len(words) == 1:
            t = toks[words[0]]
            if fact.get("first") and not fact.get("last") and _russian_given(t):
                continue   # a first name alone
            m = _Mention(a, b, words[0], source="natasha1")
        elif len(words) == 2 and PATRONYMIC.match(toks[words[1]].text):
            continue       # "Ольга Викторовна" without a surname
        else:
            m = _ordered(toks, words, a, b)
            if m is None:
                continue
            m.source = "natasha"
        out.append(m)
    return out


def _post_lemma(t: Tok) -> bool:
    return any(l in POST_HEADS for l in t.lemmas())


# --- surname morphology ------------------------------------------------------------------------

OV = re.compile(r"^(.{2,}(?:ов|ев|ёв|ин|ын))(а|у|ым|е|ой|ою)?$")
SKY = re.compile(r"^(.{2,}(?:ск|цк))(ий|ого|ому|им|ом|ая|ой|ую|ою)$")
ADJ_ENDINGS = {"ий": ("masc", ["nomn"]), "ого": ("masc", ["gent", "accs"]), "ому": ("masc", ["datv"]),
               "им": ("masc", ["ablt"]), "ом": ("masc", ["loct"]), "ая": ("femn", ["nomn"]),
               "ой": ("femn", ["gent", "datv", "ablt", "loct"]), "ую": ("femn", ["accs"]), "ою": ("femn", ["ablt"])}


def surname_forms(word: str) -> list[tuple[str, str, str]]:
    """Every (nominative, gender, case) reading of a surname as written."""
    low = key(word)
    out: list[tuple[str, str, str]] = []

    def add(n, gender, cases):
        nom = word[:n] if isinstance(n, int) else n
        for c in cases:
            out.append((nom, gender, c))

    m = OV.match(low)
    if m:
        stem, end = len(m.group(1)), m.group(2) or ""
        if end == "":
            add(stem, "masc", ["nomn"])
        elif end == "а":
            add(stem, "masc", ["gent", "accs"])
            add(word, "femn", ["nomn"])
        elif end == "у":
            add(stem, "masc", ["datv"])
            add(word[:stem] + "а", "femn", ["accs"])
        elif end == "ым":
            add(stem, "masc", ["ablt"])
        elif end == "е":
            add(stem, "masc", ["loct"])
        else:
            add(word[:stem] + "а", "femn", ["gent", "datv", "ablt", "loct"])
        return out
    m = SKY.match(low)
    if m:
        stem = len(m.group(1))
        gender, cases = ADJ_ENDINGS[m.group(2)]
        add(word[:stem] + ("ий" if gender == "masc" else "ая"), gender, cases)
        if m.group(2) == "ой":
            add(word, "masc", ["nomn"])   # Трубецкой
        return out
    if re.search(r"(?:ого|его|ому|ему|ым|им|ую|юю|ой|ый|ий|ая|яя)$", low) and len(low) > 4:
        # adjectival surnames: "Крутого" -> "Крутой", "Толстая"
        for p in morph.parse(word):
            if p.tag.POS == "ADJF" and p.tag.case:
                g = "femn" if p.tag.gender == "femn" else "masc"
                nom = p.inflect({"nomn", "sing", g})
                if nom and p.tag.number == "sing":
                    add(recase(word, nom.word), g, [str(p.tag.case)])
        if out and not low.endswith(("ой", "ий", "ый")):
            return out
    last = low[-1]
    if last in "оеиуюэ" or low.endswith(("ых", "их", "аго", "яго")):
        add(word, "masc", ALL_CASES)
        add(word, "femn", ALL_CASES)
    if last in "ая":
        add(word, "masc", ["nomn"])
        add(word, "femn", ["nomn"])
    # a-declension in oblique cases: "Ямадой" -> "Ямада"
    for end, cases in (("ой", ["ablt"]), ("ою", ["ablt"]), ("ы", ["gent"]), ("е", ["datv", "loct"]), ("у", ["accs"])):
        if low.endswith(end) and len(low) > len(end) + 2 and low[-len(end) - 1] not in VOWELS:
            nom = word[: -len(end)] + "а"
            add(nom, "masc", cases)
            add(nom, "femn", cases)
    for end, cases in (("ей", ["ablt"]), ("и", ["gent"]), ("ю", ["accs"])):
        if low.endswith(end) and len(low) > len(end) + 2 and low[-len(end) - 1] not in VOWELS:
            add(word[: -len(end)] + "я", "masc", cases)
            add(word[: -len(end)] + "я", "femn", cases)
    # consonant stems: men decline, women do not
    if last not in VOWELS and last not in "ьй":
        add(word, "masc", ["nomn"])
        add(word, "femn", ALL_CASES)
    if last in "ьй":
        add(word, "masc", ["nomn", "accs"])
        add(word, "femn", ALL_CASES)
    for end, cases in (("а", ["gent", "accs"]), ("у", ["datv"]), ("ом", ["ablt"]), ("ем", ["ablt"]), ("е", ["loct"]),
                       ("я", ["gent", "accs"]), ("ю", ["datv"])):
        if low.endswith(end) and len(low) > len(end) + 2:
            stem = word[: -len(end)]
            before = key(stem)[-1]
            if end == "ем" and before in "жшчщц":
                pass              # "Януковичем" -> "Янукович"
            elif end in ("я", "ю", "ем") or (end == "е" and before in VOWELS):
                stem = stem + ("й" if before in VOWELS else "ь")
            elif before in VOWELS:
                continue
            add(stem, "masc", cases)
    if not out:
        add(word, "masc", ALL_CASES)
        add(word, "femn", ALL_CASES)
    return out


# --- case, gender and the nominative ------------------------------------------------------------

def _name_constraints(toks: list[Tok], m: _Mention) -> None:
    """Narrow the mention's cases and gender by its honorific, patronymic and first name."""
    if m.hon is not None:
        h = toks[m.hon]
        m.gender = HON_GENDER.get(h.lemma) or HON_GENDER.get(key(h.text)) or m.gender
        hc = org.cases_of(h, {"NOUN"})
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


def _verb_gender(toks: list[Tok], m: _Mention) -> str | None:
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


def _choose(toks: list[Tok], m: _Mention, extra_gender: str | None) -> None:
    t = toks[m.surname]
    m.forms = surname_forms(t.text)
    forms = [f for f in m.forms if f[2] in m.cases] or m.forms
    gender = m.gender or extra_gender
    if gender:
        forms = [f for f in forms if f[1] == gender] or forms
    # Natasha's contextual case and gender break the remaining ties
    def rank(f):
        nom, g, c = f
        return (-(c == t.case), -(g == t.gender), -(key(nom) == key(t.text)), -(g == "masc"))
    forms.sort(key=rank)
    seen, chosen = set(), []
    for nom, g, _ in forms:
        if (key(nom), g) not in seen:
            seen.add((key(nom), g))
            chosen.append((nom, g))
    m.chosen = chosen


def _given_nominative(tok: Tok, gender: str | None, patr: bool = False) -> str:
    tag = "Patr" if patr else "Name"
    if gender == "femn" and key(tok.text)[-1] not in VOWELS and key(tok.text)[-1] != "й":
        return tok.text         # "Лейсан", "Салтанат": women's names on a consonant do not decline
    ps = [p for p in tok.parses() if tag in p.tag]
    if gender:
        ps = [p for p in ps if p.tag.gender == gender]
    for p in ps:
        f = p.inflect({"nomn"} | ({gender} if gender and patr else set()))
        if f:
            return recase(tok.text, f.word)
    low = key(tok.text)
    if tok.case in (None, "nomn"):
        return tok.text
    for end, rep in (("ем", None), ("ом", ""), ("у", ""), ("а", "")):
        if low.endswith(end) and len(low) > len(end) + 2:
            stem = tok.text[: -len(end)]
            if rep is None:
                rep = "й" if key(stem)[-1] in VOWELS else "ь"
            return stem + rep
    return tok.text


# --- posts ---------------------------------------------------------------------------------------

def _post_head(toks: list[Tok], i: int) -> tuple[int, int, str] | None:
    """(head index, index after the head phrase, head lemma) for a post starting at token i."""
    t = toks[i]
    if not t.word and key(t.text) not in POST_ABBR:
        return None
    # "и.о. директора", "врио губернатора": an indeclinable abbreviation, the post follows
    for n in (4, 3, 1):
        seq = "".join(key(x.text) for x in toks[i:i + n])
        if seq in POST_ABBR and i + n < len(toks):
            return i, i + n, "и.о."
    for p in PHRASES:
        seq = toks[i:i + len(p)]
        if len(seq) == len(p) and all(p[m] in seq[m].lemmas() or key(seq[m].text).startswith(p[m][:5]) for m in range(len(p))):
            if len(p) == 1 and (t.pos not in ("VERB", "ADJ", "NOUN") or (
                    i + 1 < len(toks) and toks[i + 1].pos in org.NOUNS and toks[i + 1].case == t.case)):
                continue   # "управляющий директор": an adjective here, the post is "директор"
            return i, i + len(p), " ".join(p) if len(p) > 1 else "~" + p[0]
    if t.pos not in org.NOUNS and not (t.lemma in POST_HEADS and (t.case is not None or t.pos == "")):
        return None       # (the tagger takes a rare post for an adjective or a verb: "обербургомистр")
    lem = t.lemmas()
    hit = next((l for l in lem if l in POST_HEADS), None)
    if hit is None:
        for l in lem:   # "вице-мэр", "экс-премьер", "женщины-спикера"
            if "-" in l and (l.split("-", 1)[1] in POST_HEADS or l.rsplit("-", 1)[1] in POST_HEADS):
                hit = l
                break
    if hit is None:
        return None
    return i, i + 1, hit


def _is_phrase(lemma: str) -> bool:
    return " " in lemma or lemma.startswith("~")


def _chain_head(lemma: str) -> str:
    """The word whose dependents follow: "исполнять обязанность" -> "обязанность", "~управлять" -> "управлять"."""
    return lemma.split()[-1].lstrip("~")


def _post_cases(toks: list[Tok], h: int, lemma: str) -> set[str]:
    t = toks[h]
    if lemma == "и.о.":
        return set(ALL_CASES)
    cs = org.cases_of(t, {"NOUN", "PRTF", "ADJF"})
    if t.case:
        cs = cs | {t.case}
    return cs or set(ALL_CASES)


def _post_title(toks: list[Tok], left: int, h: int, he: int, r: int, lemma: str) -> str:
    words = []
    gender = "masc"
    head = toks[h]
    if lemma not in ("и.о.",) and not _is_phrase(lemma):
        p = org._pick(head, {"NOUN"}, None)
        if p is not None:
            f = p.inflect({"nomn", "sing"})
            if f:
                gender = f.tag.gender or gender
                words.append((h, recase(head.text, f.word)))
    for k in range(left, he):
        if any(k == x for x, _ in words):
            continue
        t = toks[k]
        if k < h or (_is_phrase(lemma) and k == h):
            p = org._pick(t, {"ADJF", "PRTF", "NUMR"})
            g = t.gender if (_is_phrase(lemma) and t.gender in ("masc", "femn")) else gender
            f = p.inflect({"nomn", "sing", g}) if p is not None else None
            words.append((k, recase(t.text, f.word) if f else t.text))
        else:
            words.append((k, t.text))
    words.sort()
    out = org.join_tokens(toks[left:he], [w for _, w in words])
    if r > he:
        out += (" " if toks[he].start > toks[he - 1].end else "") + org.join_tokens(toks[he:r])
    return org.tidy_name(out)


def _post_left(toks: list[Tok], h: int) -> int:
    """Adjectives before a post head agreeing with it: "генеральный консул", "первого заместителя",
    "чрезвычайный и полномочный посол"."""
    left = h
    while left - 1 >= 0 and toks[left - 1].sent == toks[h].sent:
        t = toks[left - 1]
        if t.pos == "DET":
            break
        if org.is_adj(t) and t.case == toks[h].case and (not t.cap or t.sent_start or toks[h].cap):
            left -= 1
            continue
        if t.text == "и" and left - 2 >= 0 and org.is_adj(toks[left - 2]) and toks[left - 2].case == toks[h].case \
                and left < h + 1 and left != h:
            left -= 2
            continue
        break
    return left


def _posts_before(toks, anchor: int, cases: set[str], stop: set[int], text: str, orgs) -> list[PositionHit]:
    """The post that ends right before the name (or its honorific), and posts coordinated before it."""
    sent = toks[anchor].sent if anchor < len(toks) else None
    lo = anchor
    while lo - 1 >= 0 and toks[lo - 1].sent == sent and anchor - lo < 30:
        lo -= 1
    found = None
    for i in range(lo, anchor):
        ph = _post_head(toks, i)
        if ph is None:
            continue
        h, he, lemma = ph
        if toks[h].number == "plur" and not _is_phrase(lemma):
            continue        # "экс-кандидат в президенты Беларуси Андрей Санников"
        r = org.chain(toks, he, anchor, _chain_head(lemma), POST_CHAIN, stop, text) \
            if he < anchor else he
        if lemma == "и.о." and he < anchor:
            inner = _post_head(toks, he)
            if inner is None:
                continue
            r = org.chain(toks, inner[1], anchor, _chain_head(inner[2]), POST_CHAIN, stop, text)
        if r != anchor:
            continue
        pc = _post_cases(toks, h, lemma)
        if cases and not (pc & cases) and lemma != "и.о.":
            continue
        found = (i, h, he, r, lemma)
        break
    if found is None:
        return []
    i, h, he, r, lemma = found
    left = _post_left(toks, i)
    out = [_position(toks, left, h, he, r, lemma, text, orgs)]
    if lemma in WEAK:
        return out
    # coordinated posts before: "заместителя Бургомистра, руководителя управления …"
    pc = _post_cases(toks, h, lemma)
    end = left
    for _ in range(3):
        if end - 1 < 0 or toks[end - 1].text not in (",", "и") or toks[end - 1].sent != sent:
            break
        sep = end - 1
        prev = None
        for k in range(max(0, sep - 25), sep):
            if toks[k].sent != sent:
                continue
            ph = _post_head(toks, k)
            if ph is None:
                continue
            h2, he2, l2 = ph
            if l2 in WEAK:
                continue
            r2 = org.chain(toks, he2, sep, _chain_head(l2), POST_CHAIN, stop, text) if he2 < sep else he2
            if r2 == sep and _post_cases(toks, h2, l2) & pc:
                prev = (k, h2, he2, r2, l2)
                break
        if prev is None:
            break
        k, h2, he2, r2, l2 = prev
        left2 = _post_left(toks, k)
        out.insert(0, _position(toks, left2, h2, he2, r2, l2, text, orgs))
        end = left2
    return out


def _posts_after(toks, m: _Mention, cases: set[str], stop: set[int], anchors: set[int], text: str,
                 orgs) -> list[PositionHit]:
    """"Петрова Анна Сергеевна, начальник отдела …", "Иванов (директор …)", "Иванов — председатель …"."""
    k = m.b
    sent = toks[m.b - 1].sent
    if k < len(toks) and toks[k].text == "(":           # "Скотт Хоровитц (Scott Horowitz), бывший астронавт"
        close = next((n for n in range(k + 1, min(k + 12, len(toks))) if toks[n].text == ")"), None)
        if close is not None and close + 1 < len(toks) and toks[close + 1].text in (",", "—", "–"):
            k = close + 1
    if k >= len(toks) or toks[k].text not in (",", "—", "–", "-", "(") or toks[k].sent != sent:
        return []
    for h in range(k + 1, min(k + 4, len(toks))):
        ph = _post_head(toks, h)
        if ph is None:
            if not (org.is_adj(toks[h]) and toks[h].pos != "DET"):
                break
            continue
        h0, he, lemma = ph
        if _post_left(toks, h0) > k + 1 or toks[h0].number == "plur":
            break
        pc = _post_cases(toks, h0, lemma)
        if cases and not (pc & cases):
            break
        end = org.sentence_end(toks, h0)
        r = org.chain(toks, he, end, _chain_head(lemma), POST_CHAIN, stop, text) if he < end else he
        if _leads_to_name(toks, r, anchors):
            break   # "Фрэнк Лэмпард, капитан клуба Тоттенхэм Хотспур Ледли Кинг": the post is the next man's
        return [_position(toks, k + 1, h0, he, r, lemma, text, orgs)]
    return []


def _leads_to_name(toks, r: int, anchors: set[int]) -> bool:
    """The post runs on, through capitalised words only, into another name."""
    for k in range(r, min(r + 5, len(toks))):
        if k in anchors:
            return True
        if not (toks[k].cap or toks[k].abbr or toks[k].text in "«»\""):
            return False
    return False


def _position(toks, left, h, he, r, lemma, text, orgs) -> PositionHit:
    start, end = toks[left].start, toks[r - 1].end
    if lemma == "и.о.":
        title = org.tidy_name(org.join_tokens(toks[left:r]))
    else:
        title = _post_title(toks, left, h, he, r, lemma)
    inside = [(a, b, o.name) for o in orgs for a, b in o.mentions if start <= a and b <= end]
    organisation = max(inside)[2] if inside else None
    return PositionHit(title, start, end, organisation)


# --- putting it together -------------------------------------------------------------------------

def find_persons(doc) -> list[PersonHit]:
    toks = org.tokens(doc)
    text = doc.text
    orgs = org.find_organisations(doc)
    mentions = _rule_mentions(doc, toks)
    taken = [(toks[m.a].start, toks[m.b - 1].end) for m in mentions]
    mentions += _natasha_mentions(doc, toks, taken)
    mentions = _dedupe(mentions)
    named = {k for m in mentions for k in range(m.a, m.b)}
    mentions = [m for m in mentions if m.surname is not None and not _named_after(toks, m, named)
                and not _inside_org_quote(toks, m, orgs)]
    stop, anchors = set(), set()
    for m in mentions:
        if m.hon is None and m.a > 0 and toks[m.a - 1].sent == toks[m.a].sent and (
                toks[m.a - 1].lemma in TITLES or toks[m.a - 1].lemma in HON_GENDER or toks[m.a - 1].low in HON_GENDER):
            m.hon = m.a - 1      # "шейх Равиль Гайнутдин" (a title, no gender), "г-н Томас Мюллер"
        stop |= set(range(m.a, m.b))
        if m.hon is not None:
            stop.add(m.hon)
        anchors.add(m.hon if m.hon is not None else m.a)
    for m in mentions:
        _name_constraints(toks, m)
        anchor = m.hon if m.hon is not None else m.a
        own = stop - set(range(m.a, m.b)) - {m.hon}
        m.positions = _posts_before(toks, anchor, _indeclinable_or(m, toks), own, text, orgs)
        ctx_cases = _apposition_cases(toks, m)
        if ctx_cases and ctx_cases & m.cases:
            m.cases &= ctx_cases
        m.positions += _posts_after(toks, m, _indeclinable_or(m, toks), stop, anchors, text, orgs)
        m.positions += _predicated(toks, m, stop, anchors, text, orgs)
        _choose(toks, m, _verb_gender(toks, m) or _role_gender(toks, m))
    mentions = [m for m in mentions if _keep(toks, m)]
    return _group(toks, mentions)


def _predicated(toks, m: _Mention, stop, anchors, text, orgs) -> list[PositionHit]:
    """"Гачечиладзе является депутатом парламента", "Путин согласился занять пост премьер-министра",
    and the other way round: "капитаном стал Михаель Баллак"."""
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
            ph = _post_head(toks, k)
            if ph is None and org.is_adj(t) and t.pos != "DET":
                k += 1
                continue
            if ph is not None and toks[ph[0]].number != "plur":
                h, he, lemma = ph
                left = _post_left(toks, h)
                end = org.sentence_end(toks, h)
                r = org.chain(toks, he, end, _chain_head(lemma), POST_CHAIN, stop, text) if he < end else he
                if not _leads_to_name(toks, r, anchors):
                    out.append(_position(toks, left, h, he, r, lemma, text, orgs))
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
            ph = _post_head(toks, h)
            if ph is not None and toks[h].case == "ablt":
                left = _post_left(toks, h)
                r = org.chain(toks, ph[1], a - 1, _chain_head(ph[2]), POST_CHAIN, stop, text) if ph[1] < a - 1 else ph[1]
                if r == a - 1:
                    out.append(_position(toks, left, h, ph[1], r, ph[2], text, orgs))
                break
    # verb + name + post (instrumental): "назвал Йенса Лемана первым вратарём"
    if a >= 1 and toks[a - 1].pos == "VERB" and toks[a - 1].lemma in PREDICATES and not out:
        for h in range(m.b, min(m.b + 3, len(toks))):
            ph = _post_head(toks, h)
            if ph is not None and toks[h].case == "ablt" and _post_left(toks, h) <= m.b:
                end = org.sentence_end(toks, h)
                r = org.chain(toks, ph[1], end, _chain_head(ph[2]), POST_CHAIN, stop, text) if ph[1] < end else ph[1]
                out.append(_position(toks, m.b, h, ph[1], r, ph[2], text, orgs))
                break
            if not (org.is_adj(toks[h]) and toks[h].case == "ablt"):
                break
    return out


def _indeclinable_or(m: _Mention, toks) -> set[str]:
    forms = surname_forms(toks[m.surname].text)
    cases = {c for _, _, c in forms} & m.cases
    return cases or set(m.cases)


def _apposition_cases(toks, m: _Mention) -> set[str]:
    """The case of the post or role noun the name stands in apposition to."""
    k = (m.hon if m.hon is not None else m.a) - 1
    if m.positions:
        p = m.positions[-1]
        h = next(iter(org.span_tokens(toks, p.start, p.end)), None)
        if h is not None:
            for x in toks[h:h + 4]:
                ph = _post_head(toks, x.i)
                if ph:
                    return _post_cases(toks, ph[0], ph[2]) & ({x.case} if x.case else set(ALL_CASES)) or \
                        _post_cases(toks, ph[0], ph[2])
    return set()


def _role_gender(toks, m: _Mention) -> str | None:
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


def _named_after(toks, m: _Mention, named: set[int]) -> bool:
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


def _inside_org_quote(toks, m: _Mention, orgs) -> bool:
    a, b = toks[m.a].start, toks[m.b - 1].end
    for o in orgs:
        for x, y in o.mentions:
            if x <= a and b <= y and "«" in o.name:
                return True
    return False


def _dedupe(mentions: list[_Mention]) -> list[_Mention]:
    mentions.sort(key=lambda m: (m.a, -(m.b - m.a)))
    out: list[_Mention] = []
    for m in mentions:
        if out and m.a < out[-1].b:
            continue
        out.append(m)
    return out


BIG_CITY = 100_000


def _keep(toks, m: _Mention) -> bool:
    """A lone capitalised word is a person only with some support: a post, an honorific, a surname shape."""
    t = toks[m.surname]
    if m.source != "natasha1" or m.hon is not None or m.positions:
        return True
    if m.b < len(toks) and toks[m.b].text == "(":
        return False            # "Пухов (Словакия)"
    place = gazetteer.lookup(t.text)
    if place is not None and (place.kind != "city" or place.population >= BIG_CITY or not any(
            {"Surn", "Name"} & set(str(p.tag).replace(" ", ",").split(",")) for p in t.parses()[:2])):
        return False            # a place, unless a small town that shares a surname ('Обама', 'Мураками')
    if _post_lemma(t):
        return False
    return _surname_like(t)


def _group(toks, mentions: list[_Mention]) -> list[PersonHit]:
    groups: list[list[_Mention]] = []
    options: list[set[str]] = []          # the surnames every mention of the group allows
    for m in mentions:
        opts = {key(n) for n, _ in m.chosen}
        best = None
        for gi in range(len(groups) - 1, -1, -1):
            if opts & options[gi] and _compatible(toks, groups[gi], m):
                best = gi
                break
        if best is None:
            groups.append([m])
            options.append(opts)
        else:
            groups[best].append(m)
            options[best] &= opts
    persons = []
    for g in groups:
        if all(x.source == "natasha1" for x in g) and not any(x.positions or x.hon is not None for x in g):
            if not all(_surname_like(toks[x.surname]) for x in g):
                continue
        surname, gender = _resolve(g)
        lead = next((x for x in g if x.particles), None)
        if lead is not None:
            surname = " ".join(toks[k].text for k in lead.particles) + " " + surname
        persons.append(PersonHit(_full_name(toks, g, surname, gender), surname,
                                 sorted({(toks[x.a].start, toks[x.b - 1].end) for x in g}),
                                 _dedupe_positions([p for x in g for p in x.positions])))
    return persons


def _compatible(toks, g: list[_Mention], m: _Mention) -> bool:
    mine = _first_letter(toks, m)
    if not mine:
        return True
    theirs = {_first_letter(toks, x) for x in g} - {""}
    return not theirs or mine in theirs


def _first_letter(toks, m: _Mention) -> str:
    if m.initials:
        return m.initials[0]
    if m.given is not None:
        return toks[m.given].text[:1].upper()
    return ""


def _resolve(g: list[_Mention]) -> tuple[str, str]:
    """The surname in the nominative all mentions agree on, the most telling mention first."""
    common = None
    for x in g:
        opts = [(key(n), gd) for n, gd in x.chosen]
        common = opts if common is None else [o for o in common if o in opts] or common
    ranked = sorted(g, key=lambda x: len(x.chosen))
    for x in ranked:
        for n, gd in x.chosen:
            if (key(n), gd) in common:
                return n, gd
    return g[0].chosen[0]


def _full_name(toks, g: list[_Mention], surname: str, gender: str) -> str:
    full = next((x for x in g if x.given is not None), None)
    if full is not None:
        parts = [surname, _given_nominative(toks[full.given], gender)] + [toks[k].text for k in full.more]
        if full.patr is not None:
            parts.append(_given_nominative(toks[full.patr], gender, patr=True))
        return " ".join(parts)
    inits = max((x.initials for x in g), key=len, default="")
    return f"{surname} {inits}".strip()


def _dedupe_positions(ps: list[PositionHit]) -> list[PositionHit]:
    out, seen = [], set()
    for p in ps:
        k = re.sub(r"\W+", " ", key(p.title)).strip()
        if k in seen:
            continue
        seen.add(k)
        out.append(p)
    return out
