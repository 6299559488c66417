"""Organisations: whole names with legal form and quoted name, in the nominative, one record each.

Three sources, all over Natasha's tokens (contextual case from its morphology tagger, pymorphy3 for
inflection):
  * a legal form before a quoted name: `АО «Омская картографическая фабрика»`, `ФГАОУ ВО «…»`,
    `БОУ г. Омска «Лицей № 137»`, `Филиал АО «ОДК» «ОМО им. П.И. Баранова»`;
  * a head noun (rules/organisations.toml, with its kind) with the adjectives before it and its
    dependents after it: genitive noun phrases, coordinations ("дружбы, мира и развития"), "по …"
    phrases, a place after missions ("… в городе Иркутске"), appositions ("Республики Корея"), a
    quoted name, "№ 5", "им. Ф.М. Достоевского";
  * Natasha ORG spans that are abbreviations or Latin-script names (ШОС, Michelin).
The head phrase is put in the nominative ("Генеральным консульством Республики Корея …" ->
"Генеральное консульство Республики Корея …"); dependents stay as written. Events (Natasha tags
"Фестиваль корейской культуры" as ORG) and bare heads ("Администрация") are not organisations.

The token layer and the dependent chain are shared with `pipeline.persons` (posts use the same
grammar: "заместитель Мэра города Омска").
"""
import re
from bisect import bisect_left
from dataclasses import dataclass, field

from pipeline import morph, rules

R = rules.load("organisations")


def key(word: str) -> str:
    return word.lower().replace("ё", "е")


LEGAL_FORMS = {f: kind for kind, forms in R["legal_forms"].items() if kind != "qualifiers" for f in forms}
QUALIFIERS = set(R["legal_forms"]["qualifiers"])
KINDS = ("government", "foreign_mission", "business", "education", "culture", "sport", "ngo", "other")


def _lemma(word: str) -> str:
    ps = morph.parse(word)
    return key(ps[0].normal_form) if ps else key(word)


def _phrase(phrase: str) -> tuple[str, ...]:
    """'Общественная палата' -> ('общественный', 'палата'): entries are matched on lemmas."""
    words = phrase.split()
    return (key(words[0]),) if len(words) == 1 else tuple(_lemma(w) for w in words)


def _entries(table: dict) -> dict[tuple[str, ...], str]:
    return {_phrase(phrase): kind for kind, words in table.items() for phrase in words}


HEADS = _entries(R["heads"])                      # ("дом", "культура") -> culture
HEAD_WORDS = {k[0] for k in HEADS} | {w for k in HEADS for w in k}
HEAD_PREFIXES = {w[:4] for k in HEADS for w in k}
HEADS_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _entry in HEADS:
    HEADS_BY_FIRST.setdefault(_entry[0], []).append(_entry)
MODIFIERS = _entries(R["kind_modifiers"])
EVENT_HEADS = {_phrase(p) for p in R["not_organisations"]["event_heads"]}
NOT_NAMES = {key(n) for n in R["not_organisations"]["names"]}
APPOSITION = {key(w) for w in R["chain"]["apposition"]}
SETTLEMENT = {key(w) for w in R["chain"]["settlement"]}
LOCATED = {key(w) for w in R["chain"]["located"]}
DATIVE_GOVERNORS = {key(w) for w in R["chain"]["dative_governors"]}
WITH_PO = {key(w) for w in R["chain"]["with_po"]}
SUBUNITS = {key(w) for w in R["chain"]["subunits"]}
ABLATIVE_GOVERNORS = {key(w) for w in R["chain"]["ablative_governors"]}
NEED_DEPENDENTS = {key(w) for w in R["need_dependents"]["heads"]}
STOP_WORDS = {key(w) for w in R["chain"]["stop_words"]}

CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct", "Par": "gent", "Voc": "voct"}
OPEN_QUOTES = {"«": "»", "„": "“", "“": "”", '"': '"'}
NOUNS = {"NOUN", "PROPN"}
ADJS = {"ADJ", "DET", "NUM"}
WORD = re.compile(r"^[^\W\d_]+(?:[-‑][^\W\d_]+)*$")


# --- token layer (shared with persons) ----------------------------------------------------------

@dataclass(eq=False)
class Tok:
    i: int
    text: str
    start: int
    end: int
    pos: str
    case: str | None       # pymorphy case name from Natasha's contextual tag ("gent")
    gender: str | None
    number: str | None
    lemma: str             # Natasha's lemma, lower case, ё = е
    sent: int
    sent_start: bool

    @property
    def low(self) -> str:
        return key(self.text)

    @property
    def word(self) -> bool:
        return bool(WORD.match(self.text))

    @property
    def cap(self) -> bool:
        return self.word and self.text[0].isupper()

    @property
    def latin(self) -> bool:
        return bool(re.fullmatch(r"[A-Z][A-Za-z&'’.-]*", self.text))

    @property
    def abbr(self) -> bool:
        """КНР, МИД, РФ, США; not a one-letter initial."""
        return self.word and len(self.text) >= 2 and self.text.replace("-", "").isupper()

    def parses(self):
        return morph.parse(self.text)

    def lemmas(self) -> set[str]:
        """Natasha's lemma; for a word it left as is (a capitalised word it took for a name), pymorphy's too."""
        if self.lemma != self.low or not self.cap or self.low[:4] not in HEAD_PREFIXES:
            return {self.lemma}
        ps = self.parses()
        return {self.lemma, key(ps[0].normal_form)} if ps else {self.lemma}


_DOC_CACHE: dict[int, tuple[object, list[Tok]]] = {}


def tokens(doc) -> list[Tok]:
    """Natasha's tokens with sentence ids and pymorphy-style case names (cached for the last docs)."""
    hit = _DOC_CACHE.get(id(doc))
    if hit is not None and hit[0] is doc:
        return hit[1]
    sent_bounds = [(s.start, s.stop) for s in doc.sents]
    out, si = [], 0
    for i, t in enumerate(doc.tokens):
        while si + 1 < len(sent_bounds) and t.start >= sent_bounds[si][1]:
            si += 1
        feats = t.feats or {}
        first = not out or out[-1].sent != si or _heading_break(doc.text, out[-1].end, t.start)
        out.append(Tok(i, t.text, t.start, t.stop, t.pos or "", CASES.get(feats.get("Case")),
                       {"Masc": "masc", "Fem": "femn", "Neut": "neut"}.get(feats.get("Gender")),
                       {"Sing": "sing", "Plur": "plur"}.get(feats.get("Number")),
                       key(t.lemma or t.text), si, first))
    if len(_DOC_CACHE) > 4:
        _DOC_CACHE.clear()
    _DOC_CACHE[id(doc)] = (doc, out)
    return out


_STARTS: dict[int, tuple[list[Tok], list[int]]] = {}


def span_tokens(toks: list[Tok], a: int, b: int) -> range:
    """Indices of the tokens that start inside text[a:b]."""
    hit = _STARTS.get(id(toks))
    if hit is None or hit[0] is not toks:
        if len(_STARTS) > 4:
            _STARTS.clear()
        hit = _STARTS[id(toks)] = (toks, [t.start for t in toks])
    starts = hit[1]
    return range(bisect_left(starts, a), bisect_left(starts, b))


def _heading_break(text: str, a: int, b: int) -> bool:
    return "\n" in text[a:b]


def sentence_end(toks: list[Tok], i: int) -> int:
    j = i
    while j < len(toks) and toks[j].sent == toks[i].sent:
        j += 1
    return j


def cases_of(tok: Tok, pos: set[str] | None = None) -> set[str]:
    """Every case pymorphy allows for the word (optionally for some parts of speech only)."""
    return {str(p.tag.case) for p in tok.parses() if p.tag.case and (pos is None or p.tag.POS in pos)}


def is_noun(tok: Tok) -> bool:
    return tok.word and (tok.pos in NOUNS or (tok.pos == "" and any(p.tag.POS == "NOUN" for p in tok.parses())))


def is_adj(tok: Tok) -> bool:
    return tok.word and (tok.pos in ADJS and tok.case is not None or
                         (tok.pos == "VERB" and tok.case is not None))  # participles carry a case


def in_case(tok: Tok, case: str) -> bool:
    if tok.case is not None:
        return tok.case == case or (case == "gent" and tok.abbr)
    return case in cases_of(tok)


# --- the dependent chain ----------------------------------------------------------------------

def quote_end(toks: list[Tok], j: int, text: str) -> int | None:
    """Index after the quote that opens at j ('«…«…»…»' balanced), or None."""
    t = toks[j]
    if t.text not in OPEN_QUOTES:
        return None
    close = OPEN_QUOTES[t.text]
    depth, last_close = 0, None
    for k in range(j, min(len(toks), j + 60)):
        x = toks[k].text
        if k > j and "\n\n" in text[toks[k - 1].end:toks[k].start]:
            break
        if x == t.text and (x != close or depth == 0):
            depth += 1
        elif x == close:
            depth -= 1
            last_close = k
            if depth == 0:
                return k + 1
        elif x in "»”" and close in "»”":
            depth -= 1
            last_close = k
            if depth == 0:
                return k + 1
    return last_close + 1 if last_close is not None and last_close > j + 1 else None


def _looks_like_name(toks, a: int, b: int) -> bool:
    inner = [t for t in toks[a + 1:b - 1] if t.word or t.text[:1].isdigit()]
    return bool(inner) and len(inner) <= 12 and (inner[0].text[:1].isupper() or inner[0].text[:1].isdigit())


def gen_np(toks: list[Tok], j: int, end: int, stop: set[int], case: str = "gent") -> int | None:
    """adjectives* noun, all in `case` (abbreviations count as genitive): index after it, or None."""
    k = j
    while k < end and k not in stop and is_adj(toks[k]) and in_case(toks[k], case) and not toks[k].abbr:
        k += 1
        # "международных и внешнеэкономических связей"
        if k + 1 < end and k > j and toks[k].text in ("и", ",") and is_adj(toks[k + 1]) and in_case(toks[k + 1], case):
            k += 1
    if k < end and k not in stop and toks[k].latin and case == "gent" and k == j:
        n = k
        while n < end and n not in stop and toks[n].latin and n - k < 4:
            n += 1
        return n                      # "глава Business NZ", "директор Philips": Latin names do not decline
    if k < end and k not in stop and (is_noun(toks[k]) or toks[k].abbr) and in_case(toks[k], case):
        if toks[k].abbr and toks[k].text in LEGAL_FORMS:
            return None
        return k + 1
    if (k == j and k + 1 < end and case == "gent" and toks[k].lemma in APPOSITION and toks[k + 1].cap
            and toks[k + 1].case == "gent" and "gent" in cases_of(toks[k], {"NOUN"})):
        return k + 1      # "города Дрездена" that the tagger read as a plural accusative
    return None


def initials_at(toks: list[Tok], k: int) -> int:
    """Index after 'Ф.' or 'Ф.М.' starting at k, or k."""
    n = k
    while (n + 1 < len(toks) and len(toks[n].text) == 1 and toks[n].text.isupper() and toks[n].text.isalpha()
           and toks[n + 1].text == "."):
        n += 2
    return n


def legal_unit(toks: list[Tok], j: int, end: int, text: str) -> int | None:
    """`АО «ОДК»`, `ФГАОУ ВО «…»`, `БОУ г. Омска «…»`: index after the quoted name, or None."""
    if j >= end or toks[j].text not in LEGAL_FORMS:
        return None
    k = j + 1
    for _ in range(3):
        if k < end and (toks[k].text in QUALIFIERS or toks[k].text in LEGAL_FORMS):
            k += 1
        elif k + 2 < end and toks[k].low == "г" and toks[k + 1].text == "." and toks[k + 2].cap:
            k += 3
        elif k + 1 < end and toks[k].low in ("города", "город") and toks[k + 1].cap:
            k += 2
    if k < len(toks):
        q = quote_end(toks, k, text)
        if q:
            return q
    # no quoted name: "МБОУ СОШ № 12", "МАОУ лицей № 64"
    n = k
    while n < end and n - k < 3 and (toks[n].abbr or toks[n].lemma in HEAD_WORDS) and toks[n].text not in LEGAL_FORMS:
        n += 1
    if n > k and n + 1 < end and toks[n].text == "№" and toks[n + 1].text[:1].isdigit():
        return n + 2
    return None


@dataclass
class ChainConfig:
    po: set[str]                 # nouns after which "по …" belongs to the phrase
    located: set[str]            # nouns after which "в (городе) X" belongs to the phrase
    no_coord: set[str]           # lemmas that start a new phrase, not a coordinated dependent
    geo_only: bool = False       # after a legal-form name: only places ("Вахитовского района г. Казани")
    ot: set[str] = field(default_factory=set)   # nouns after which "от …" belongs ("депутат от партии …")


def chain(toks: list[Tok], j: int, end: int, head_lemma: str, cfg: ChainConfig, stop: set[int], text: str) -> int:
    """The dependents of a head that ends at j: the index after the last one (j when there are none)."""
    last_ok = start = j
    last_noun = head_lemma
    located = head_lemma in cfg.located
    prev = "head"
    named = False          # a proper name is already in the chain
    while j < end and j not in stop:
        t = toks[j]
        if j and "\n" in text[toks[j - 1].end:t.start]:
            break
        named = named or any(x.cap or x.abbr for x in toks[start:j])
        # place names after "г." / "города": "г. Казани"
        if t.low == "г" and j + 2 < end and toks[j + 1].text == "." and toks[j + 2].cap and j + 2 not in stop:
            j = last_ok = j + 3
            prev, last_noun = "gen", "город"
            continue
        if cfg.geo_only:
            k = gen_np(toks, j, end, stop)
            if k and toks[k - 1].lemma in APPOSITION:
                j = last_ok = k
                last_noun, prev = toks[k - 1].lemma, "gen"
                k = _apposition(toks, j, end, stop)
                if k:
                    j = last_ok = k
                continue
            break
        if t.lemma in STOP_WORDS:
            break
        if t.text in OPEN_QUOTES:
            q = quote_end(toks, j, text)
            if q and not _looks_like_name(toks, j, q):
                break   # 'союз «опасен для православия …»': a quotation, not a name
            if not q or (named and last_noun not in HEAD_WORDS):
                break   # "Администрации города Омска «О проекте …»": the quote is not hers
            j = last_ok = q
            prev = "quote"
            continue
        if t.text == "№" and j + 1 < end and toks[j + 1].text[:1].isdigit():
            j = last_ok = j + 2
            prev = "num"
            continue
        if t.low in ("им", "имени"):
            k = _named_after(toks, j, end)
            if k:
                j = last_ok = k
                prev = "name"
                continue
            break
        if t.low == "по" and last_noun in cfg.po:
            k = _po_phrase(toks, j + 1, end, stop)
            if k:
                j = last_ok = k
                last_noun, prev = toks[k - 1].lemma, "po"
                continue
            break
        if t.low in ("в", "во") and located:
            k = _located(toks, j + 1, end, stop)
            if k:
                j = last_ok = k
                prev = "loc"
                continue
            break
        if t.low == "при" and prev in ("head", "gen", "app"):
            k = gen_np(toks, j + 1, end, stop, "loct")   # "Следственного комитета при прокуратуре"
            if k:
                j = last_ok = k
                last_noun, prev = toks[k - 1].lemma, "gen"
                continue
            break
        if t.low == "от" and (last_noun in cfg.ot or head_lemma in cfg.ot) and prev in ("head", "gen", "app", "loc"):
            k = gen_np(toks, j + 1, end, stop)           # "член Палаты представителей от штата Аризона"
            if k:
                j = last_ok = k
                last_noun, prev = toks[k - 1].lemma, "gen"
                continue
            break
        if prev == "head" and head_lemma in ABLATIVE_GOVERNORS:
            k = gen_np(toks, j, end, stop, "ablt")       # "управляющий компанией FaceCash"
            if k:
                j = last_ok = k
                last_noun, prev = toks[k - 1].lemma, "gen"
                continue
        if last_noun in APPOSITION and prev in ("head", "gen") and t.cap and not t.abbr or (
                last_noun in APPOSITION and t.low in SETTLEMENT and j + 1 < end and toks[j + 1].cap):
            k = _apposition(toks, j, end, stop)
            if k:
                j = last_ok = k
                prev = "app"
                continue
        k = legal_unit(toks, j, end, text)
        if k:
            j = last_ok = k
            prev, last_noun = "gen", "организация"
            continue
        k = gen_np(toks, j, end, stop)
        if k:
            j = last_ok = k
            last_noun, prev = toks[k - 1].lemma, "gen"
            located = located or last_noun in cfg.located
            continue
        if last_noun in DATIVE_GOVERNORS and prev == "gen":
            k = gen_np(toks, j, end, stop, "datv")
            if k:
                j = last_ok = k
                last_noun, prev = toks[k - 1].lemma, "gen"
                continue
        if t.text == "и" and prev in ("gen", "po"):
            k = gen_np(toks, j + 1, end, stop, "gent" if prev == "gen" else "datv")
            if k and not (toks[k - 1].lemma in cfg.no_coord or toks[k - 1].cap):
                j = last_ok = k
                last_noun = toks[k - 1].lemma
                continue
            break
        if t.text == "," and prev == "gen":
            k = _comma_list(toks, j, end, stop, cfg)
            if k:
                j = last_ok = k
                continue
            break
        break
    return last_ok


def _apposition(toks, j, end, stop, text: str = "") -> int | None:
    """'Корея', 'город Краснодар', 'Кёнсанбук-до', 'Нижний Новгород': capitalised words in any case."""
    k = j
    if toks[k].low in SETTLEMENT and k + 1 < end and toks[k + 1].cap:
        k += 1
    n = 0
    while k < end and k not in stop and toks[k].cap and n < 3:
        if n and toks[k].sent_start:
            break
        if toks[k].low in LEGAL_FORMS or (n and toks[k].pos in NOUNS and toks[k].lemma in HEAD_WORDS):
            break
        k += 1
        n += 1
    return k if n else None


def _named_after(toks, j, end) -> int | None:
    """'им. Ф.М. Достоевского', 'имени первого Президента России Б.Н. Ельцина': index after the name."""
    k = j + 1
    if toks[j].low == "им":
        if k < end and toks[k].text == ".":
            k += 1
    last = None
    for _ in range(8):
        if k >= end:
            break
        n = initials_at(toks, k)
        if n > k:
            k = n
            if k < end and toks[k].cap:
                return k + 1
            break
        t = toks[k]
        if t.word and (t.case == "gent" or t.cap or t.abbr):
            k += 1
            last = k
            if t.cap and t.pos == "PROPN" and not t.abbr and toks[k - 2].low not in ("им", "имени", "."):
                # "имени Ю.А. Гагарина" handled above; "имени Пушкина", "имени первого Президента России …"
                if k < end and not (toks[k].word and (toks[k].case == "gent" or toks[k].cap)) and not initials_at(toks, k) > k:
                    return k
            continue
        break
    return last


def _po_phrase(toks, j, end, stop) -> int | None:
    """'по межрегиональному сотрудничеству', 'по туризму и международным связям', 'по делам …'."""
    k = gen_np(toks, j, end, stop, "datv")
    if not k:
        return None
    while k + 1 < end and toks[k].text == "и":
        n = gen_np(toks, k + 1, end, stop, "datv")
        if not n:
            break
        k = n
    return k


def _located(toks, j, end, stop) -> int | None:
    """'в городе Иркутске', 'в г. Омске', 'в Екатеринбурге', 'в Ростове-на-Дону', 'в Нижнем Новгороде',
    'в Северо-Кавказском федеральном округе'."""
    k = j
    if k < end and toks[k].lemma in ("город",) and not toks[k].cap:
        k += 1
    elif k + 1 < end and toks[k].low == "г" and toks[k + 1].text == ".":
        k += 2
    n = 0
    while k < end and k not in stop and toks[k].cap and n < 3 and (toks[k].case in (None, "loct") or n == 0 and toks[k].abbr):
        k += 1
        n += 1
    if n and not (k < end and toks[k].case == "loct" and is_noun(toks[k]) and not toks[k].cap):
        return k
    m = gen_np(toks, j, end, stop, "loct")
    if m and any(t.cap or t.abbr for t in toks[j:m]):
        return m
    return k if n else None


def _comma_list(toks, j, end, stop, cfg) -> int | None:
    """', мира и развития' after 'дружбы': bare genitive nouns joined by commas and closed by 'и'."""
    k = j
    while k < end and toks[k].text == ",":
        n = k + 1
        if not (n < end and n not in stop and is_noun(toks[n]) and in_case(toks[n], "gent") and not toks[n].cap
                and toks[n].lemma not in cfg.no_coord):
            return None
        k = n + 1
    if k < end and toks[k].text == "и":
        n = gen_np(toks, k + 1, end, stop)
        if n and n - k <= 3 and not toks[n - 1].cap and toks[n - 1].lemma not in cfg.no_coord:
            return n
    return None


# --- inflection -----------------------------------------------------------------------------------

def recase(orig: str, new: str) -> str:
    """Give `new` the capitalisation of `orig` (per hyphen part) and its е/ё spelling."""
    if "ё" not in orig.lower():
        new = new.replace("ё", "е")
    if orig.isupper() and len(orig) > 1:
        return new.upper()
    o, n = orig.split("-"), new.split("-")
    if len(o) != len(n):
        return new[:1].upper() + new[1:] if orig[:1].isupper() else new
    return "-".join(b[:1].upper() + b[1:] if a[:1].isupper() else b for a, b in zip(o, n))


def _pick(tok: Tok, pos: set[str], lemma: str | None = None):
    ps = [p for p in tok.parses() if p.tag.POS in pos]
    if lemma:
        ps = [p for p in ps if key(p.normal_form) == lemma] or ps
    for p in ps:
        if tok.case and p.tag.case == tok.case and (tok.number is None or p.tag.number == tok.number):
            return p
    for p in ps:
        if tok.case and p.tag.case == tok.case:
            return p
    return ps[0] if ps else None


def nominative_phrase(toks: list[Tok], left: int, head: int, head_end: int) -> str:
    """Adjectives + head (toks[left:head_end], head at `head`) in the nominative, as a string."""
    hp = _pick(toks[head], {"NOUN"}, toks[head].lemma)
    number = (toks[head].number or (str(hp.tag.number) if hp and hp.tag.number else "sing"))
    words = []
    gender = None
    head_word = toks[head].text
    if hp is not None:
        f = hp.inflect({"nomn", number})
        if f:
            head_word = recase(toks[head].text, f.word)
            gender = f.tag.gender
    for k in range(left, head_end):
        t = toks[k]
        if k == head:
            words.append(head_word)
        elif k < head and t.word:
            p = _pick(t, {"ADJF", "PRTF", "NUMR"})
            want = {"nomn", number} | ({gender} if number == "sing" and gender else set())
            f = p.inflect(want) if p is not None else None
            words.append(recase(t.text, f.word) if f else t.text)
        else:
            words.append(t.text)
    return join_tokens(toks[left:head_end], words)


def join_tokens(toks: list[Tok], words: list[str] | None = None) -> str:
    words = words or [t.text for t in toks]
    out = ""
    for k, (t, w) in enumerate(zip(toks, words)):
        if k and t.start > toks[k - 1].end:
            out += " "
        out += w
    return out


def uncap(toks: list[Tok], name: str) -> str:
    """'МЭРИЯ ГОРОДА НОВОСИБИРСКА' (a title line) -> 'Мэрия города Новосибирска'."""
    words = [t for t in toks if t.word]
    if len(words) < 2 or not all(t.text.isupper() for t in words):
        return name
    out = name.lower()
    for t in words:
        if t.pos == "PROPN" or t.text in LEGAL_FORMS:
            low = t.text.lower()
            fixed = t.text if t.text in LEGAL_FORMS else low[:1].upper() + low[1:]
            out = re.sub(r"(?<!\w)" + re.escape(low) + r"(?!\w)", fixed, out, count=1)
    return out[:1].upper() + out[1:]


def tidy_name(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"№(?=\d)", "№ ", s)
    s = re.sub(r"\bг\.(?=[А-ЯЁ])", "г. ", s)
    return s


# --- organisations ---------------------------------------------------------------------------------

@dataclass
class OrganisationHit:
    name: str
    kind: str
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Cand:
    start: int
    end: int
    name: str
    kind: str
    source: str
    caps: bool = False     # read from an all-capitals title line: its name is a guess at the case


ORG_CHAIN = ChainConfig(po=WITH_PO, located=LOCATED, no_coord=HEAD_WORDS)


_ORG_CACHE: dict[int, tuple[object, list[OrganisationHit]]] = {}


def find_organisations(doc) -> list[OrganisationHit]:
    """Every organisation in the document, in order of first mention (cached for the last documents:
    persons reads them too, for the organisation named in a post)."""
    hit = _ORG_CACHE.get(id(doc))
    if hit is not None and hit[0] is doc:
        return [OrganisationHit(o.name, o.kind, list(o.mentions)) for o in hit[1]]
    out = _find(doc)
    if len(_ORG_CACHE) > 4:
        _ORG_CACHE.clear()
    _ORG_CACHE[id(doc)] = (doc, out)
    return [OrganisationHit(o.name, o.kind, list(o.mentions)) for o in out]


def _find(doc) -> list[OrganisationHit]:
    toks = tokens(doc)
    text = doc.text
    stop = _person_stops(doc, toks)
    quoted = _quoted_regions(toks, text)
    cands: list[_Cand] = []
    cands += _legal_candidates(toks, text, stop)
    cands += _head_candidates(toks, text, stop, quoted)
    cands += _natasha_candidates(doc, toks, cands, quoted)
    locs = {(s.start, s.stop) for s in doc.spans if s.type == "LOC"}
    cands = [c for c in cands if (c.start, c.end) not in locs]   # "Европейский союз" read as a place
    return _merge(cands)


def _person_stops(doc, toks) -> set[int]:
    """Tokens of person names (Natasha PER spans and initials + surname): chains do not run into them,
    except after 'им.'/'имени', which `_named_after` reads on its own."""
    stop = set()
    for s in doc.spans:
        if s.type == "PER":
            stop |= {k for k in span_tokens(toks, s.start, s.stop) if toks[k].cap}
    for t in toks:
        n = initials_at(toks, t.i)
        if n > t.i and n < len(toks) and toks[n].cap:
            stop |= set(range(t.i, n + 1))
    return stop


def _quoted_regions(toks, text) -> list[tuple[int, int]]:
    out, j = [], 0
    while j < len(toks):
        if toks[j].text in OPEN_QUOTES:
            q = quote_end(toks, j, text)
            if q:
                out.append((j, q))
                j = q
                continue
        j += 1
    return out


def _legal_candidates(toks, text, stop) -> list[_Cand]:
    out = []
    for t in toks:
        if t.text not in LEGAL_FORMS:
            continue
        j = t.i
        end = sentence_end(toks, j) + 40  # a quoted name may run over a sentence split ("им. П.И.")
        end = min(end, len(toks))
        q = legal_unit(toks, j, end, text)
        if not q:
            continue
        left = j
        prefix = None
        if j > 0 and toks[j - 1].lemma in SUBUNITS and is_noun(toks[j - 1]):
            left = _left_adjectives(toks, j - 1)
            prefix = (left, j - 1)
            if q < len(toks) and toks[q].text in OPEN_QUOTES:  # "Филиал АО «ОДК» «ОМО им. П.И. Баранова»"
                q = quote_end(toks, q, text) or q
        r = chain(toks, q, min(sentence_end(toks, q - 1), len(toks)), "организация",
                  ChainConfig(po=set(), located=set(), no_coord=HEAD_WORDS, geo_only=True), stop, text)
        kind = _quoted_kind(toks, j, q)
        if kind in (None, "other"):   # "АНО «Центр …»": a generic head says less than the legal form
            kind = LEGAL_FORMS[t.text] if LEGAL_FORMS[t.text] != "other" else (kind or "other")
        if prefix:
            name = nominative_phrase(toks, prefix[0], prefix[1], prefix[1] + 1) + " " + join_tokens(toks[j:r])
        else:
            name = join_tokens(toks[j:r])
        out.append(_Cand(toks[left].start, toks[r - 1].end, tidy_name(name), kind, "legal"))
        if prefix:  # the parent organisation is a name too: "АО «ОДК»"
            q1 = legal_unit(toks, j, end, text)
            out.append(_Cand(t.start, toks[q1 - 1].end, tidy_name(join_tokens(toks[j:q1])), LEGAL_FORMS[t.text], "legal"))
    return out


def _quoted_kind(toks, a, b) -> str | None:
    lem = [x.lemma for x in toks[a:b] if x.word]
    for k, l in enumerate(lem):
        kind = _head_kind(lem, k)
        if kind:
            return kind
    return None


def _head_kind(lemmas: list[str], k: int) -> str | None:
    for entry, kind in HEADS.items():
        if tuple(lemmas[k:k + len(entry)]) == entry:
            return _modified_kind(kind, lemmas)
    return None


def _modified_kind(kind: str, lemmas: list[str]) -> str:
    if kind not in ("education", "other", "ngo", "government", "culture"):
        return kind
    joined = " ".join(lemmas)
    for entry, k2 in MODIFIERS.items():
        phrase = " ".join(entry)
        if re.search(r"(?:^|\s)" + re.escape(phrase) + r"(?:\s|$)", joined):
            if kind == "government" and k2 not in ("foreign_mission", "business"):
                continue
            if kind == "culture" and k2 != "sport":
                continue
            return k2
    return kind


def _left_adjectives(toks, h) -> int:
    left = h
    while left - 1 >= 0 and toks[left - 1].sent == toks[h].sent and is_adj(toks[left - 1]) \
            and toks[left - 1].case == toks[h].case and toks[h].case is not None and not toks[left - 1].abbr \
            and toks[left - 1].pos not in ("NUM", "DET"):
        left -= 1
    return left


def head_entry(toks, i) -> tuple[tuple[str, ...], str, int, int] | None:
    """(entry, kind, head index, entry end) when an organisation head starts at token i."""
    t = toks[i]
    if not t.word or not (t.pos in NOUNS or t.pos in ADJS):
        return None
    best = None
    for first in t.lemmas():
        for entry in HEADS_BY_FIRST.get(first, ()):
            n = len(entry)
            seq = toks[i:i + n]
            if len(seq) == n and all(entry[m] in seq[m].lemmas() for m in range(1, n)):
                if best is None or n > len(best):
                    best = entry
    if best is None:
        return None
    seq = toks[i:i + len(best)]
    head = next((i + m for m, x in enumerate(seq) if x.pos in NOUNS or
                 any(p.tag.POS == "NOUN" and key(p.normal_form) == best[m] for p in x.parses())), None)
    if head is None:
        return None
    return best, HEADS[best], head, i + len(best)


def _head_candidates(toks, text, stop, quoted) -> list[_Cand]:
    out = []
    taken_entry_end = -1
    for t in toks:
        if t.i < taken_entry_end:
            continue
        he = head_entry(toks, t.i)
        if he is None:
            continue
        entry, kind, h, e = he
        if any(a < h < b for a, b in quoted):   # «Общероссийское объединение корейцев»: one name, not two
            continue
        if t.i in stop:
            continue
        if toks[h].number == "plur" and toks[h].lemma not in ("органы",):
            continue
        taken_entry_end = e
        left = _left_adjectives(toks, t.i) if t.i == h or toks[t.i].pos in ADJS else t.i
        if t.i != h:
            left = min(left, _left_adjectives(toks, t.i))
        send = sentence_end(toks, h)
        if e < len(toks) and toks[e].text in LEGAL_FORMS and toks[h].lemma not in SUBUNITS:
            continue  # "Хор МБУ ДО «…»": a group of that organisation, not a name of its own
        r = chain(toks, e, send, toks[h].lemma, ORG_CHAIN, stop, text)
        if r == e and left == t.i and t.i == h:
            continue  # a bare head: "Администрация", "мэрия"
        if r == e and toks[h].lemma in NEED_DEPENDENTS:
            continue  # "Российская Федерация": a country
        lem = [x.lemma for x in toks[left:r] if x.word]
        first_dep = next((x for x in toks[e:r] if x.pos in NOUNS), None)
        if first_dep is not None and (first_dep.lemma,) in EVENT_HEADS:
            continue  # "организация ответного визита …", "управление проектом": an action, not a body
        if not _name_evidence(toks, left, h, e, r):
            continue
        raw = nominative_phrase(toks, left, h, e) + _rest(toks, e, r)
        name = uncap(toks[left:r], raw)
        out.append(_Cand(toks[left].start, toks[r - 1].end, tidy_name(name), _modified_kind(kind, lem), "head",
                         name != raw))
    return out


def _rest(toks, e, r) -> str:
    if r <= e:
        return ""
    return (" " if toks[e].start > toks[e - 1].end else "") + join_tokens(toks[e:r])


def _name_evidence(toks, left, h, e, r) -> bool:
    """Something that makes the phrase a name: a quote, a number sign, an abbreviation, a capitalised
    word other than the head (not the sentence's first), or a capitalised head with words around it."""
    for k in range(left, r):
        t = toks[k]
        if t.text in OPEN_QUOTES or t.text == "№" or (t.abbr and t.text not in LEGAL_FORMS):
            return True
        if t.cap and not t.sent_start and k != h:
            return True
    return toks[h].cap and not toks[h].sent_start and (left < h or r > e)


def _natasha_candidates(doc, toks, cands, quoted) -> list[_Cand]:
    out = []
    spans = [(c.start, c.end) for c in cands]
    qchars = [(toks[a].start, toks[b - 1].end) for a, b in quoted]
    for s in doc.spans:
        if s.type != "ORG":
            continue
        if any(a < s.stop and s.start < b for a, b in spans):
            continue
        if any(a <= s.start and s.stop <= b for a, b in qchars):
            continue
        words = [toks[k] for k in span_tokens(toks, s.start, s.stop) if toks[k].word]
        if not words or "\n" in s.text or key(s.text) in NOT_NAMES:
            continue
        if any(t.text in LEGAL_FORMS for t in words):
            continue
        latin = all(re.fullmatch(r"[A-Za-z][\w&.-]*", t.text) for t in words)
        abbr = all(t.abbr for t in words)
        orgn = len(words) == 1 and any("Orgn" in p.tag for p in words[0].parses()[:2])
        coined = len(words) == 1 and words[0].cap and not any(p.is_known and p.tag.POS == "NOUN" for p in words[0].parses()[:1])
        if not (latin or abbr or orgn or coined or (words[0].cap and 2 <= len(words) <= 4)):
            continue        # a bare common noun ('Мэрии', 'Администрации') is a fragment, not a name
        if any(t.lemma in {e[0] for e in EVENT_HEADS} for t in words):
            continue
        name = s.text if (latin or abbr or orgn or len(words) == 1) else recase(s.text, s.normal or s.text)
        if len(words) == 1 and not words[0].abbr and not latin:
            p = next((p for p in words[0].parses() if "Orgn" in p.tag or p.tag.POS == "NOUN"), None)
            f = p.inflect({"nomn", "sing"}) if p is not None else None
            name = recase(words[0].text, f.word) if f else name   # "Росприроднадзора" -> "Росприроднадзор"
        out.append(_Cand(s.start, s.stop, name, "other", "natasha"))
    return out


def name_key(name: str) -> str:
    k = key(name)
    k = re.sub(r"[«»\"“”„]", '"', k)
    k = re.sub(r"\bг\.\s*", "города ", k)
    return re.sub(r"\s+", " ", k).strip()


def _merge(cands: list[_Cand]) -> list[OrganisationHit]:
    seen_spans = set()
    from_caps: dict[str, bool] = {}
    by_key: dict[str, OrganisationHit] = {}
    order: list[str] = []
    cands = sorted(cands, key=lambda c: (c.start, -c.end))
    for n, c in enumerate(cands):
        if (c.start, c.end) in seen_spans:
            continue
        k = name_key(c.name)
        # "Филиал АО «ОДК»" read by the head grammar inside "Филиал АО «ОДК» «ОМО …»" read by the legal one
        if any(o.start == c.start and o.end > c.end and name_key(o.name).startswith(k) for o in cands[:n]):
            continue
        seen_spans.add((c.start, c.end))
        if k not in by_key:
            by_key[k] = OrganisationHit(c.name, c.kind, [])
            order.append(k)
            from_caps[k] = c.caps
        elif from_caps[k] and not c.caps:
            by_key[k].name, from_caps[k] = c.name, False
        by_key[k].mentions.append((c.start, c.end))
    # a shorter name that is the start of a longer one is the same organisation, written short
    keys = sorted(order, key=len)
    for i, short in enumerate(keys):
        if len(short.split()) < 3:
            continue
        for long in keys[i + 1:]:
            if long.startswith(short + " ") and short in by_key and long in by_key:
                by_key[long].mentions += by_key.pop(short).mentions
                break
    out = [by_key[k] for k in order if k in by_key]
    for o in out:
        o.mentions = sorted(set(o.mentions))
    return out
