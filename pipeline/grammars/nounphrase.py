"""The noun-phrase grammar of names: a head noun, the adjectives before it, its dependents after it.

Over the token layer (Natasha's contextual case, pymorphy3's readings where it has none):
  * `head_entry`: an organisation head (rules/organisations.toml, with its kind) starting at a token;
  * `legal_unit`: a legal form and its quoted name (`АО «ОДК»`, `ФГАОУ ВО «…»`, `БОУ г. Омска «…»`);
  * `chain`: the dependents of a head: genitive noun phrases, coordinations ("дружбы, мира и
    развития"), "по …" phrases, a place after missions ("… в городе Иркутске"), appositions
    ("Республики Корея"), a quoted name, "№ 5", "им. Ф.М. Достоевского". A `ChainConfig` says which
    heads take which dependents: organisations and posts ("заместитель Мэра города Омска") use it.
"""
from dataclasses import dataclass, field

from pipeline import morph, rules
from pipeline.tokens import NOUNS, ADJS, Tok, cases_of, in_case, is_adj, is_noun, key

R = rules.load("organisations")
HONORIFICS = rules.load("honorifics")

LEGAL_FORMS = {f: kind for kind, forms in R["legal_forms"].items() if kind != "qualifiers" for f in forms}
QUALIFIERS = set(R["legal_forms"]["qualifiers"])


def _lemma(word: str) -> str:
    ps = morph.parse(word)
    return key(ps[0].normal_form) if ps else key(word)


def phrase_key(phrase: str) -> tuple[str, ...]:
    """'Общественная палата' -> ('общественный', 'палата'): entries are matched on lemmas."""
    words = phrase.split()
    return (key(words[0]),) if len(words) == 1 else tuple(_lemma(w) for w in words)


def entries(table: dict) -> dict[tuple[str, ...], str]:
    """{kind: [phrase, ...]} -> {lemmas of the phrase: kind}."""
    return {phrase_key(phrase): kind for kind, words in table.items() for phrase in words}


HEADS = entries(R["heads"])                      # ("дом", "культура") -> culture
HEAD_WORDS = {k[0] for k in HEADS} | {w for k in HEADS for w in k}
HEAD_PREFIXES = {w[:4] for k in HEADS for w in k}
HEADS_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _entry in HEADS:
    HEADS_BY_FIRST.setdefault(_entry[0], []).append(_entry)
APPOSITION = {key(w) for w in R["chain"]["apposition"]}
SETTLEMENT = {key(w) for w in R["chain"]["settlement"]}
LOCATED = {key(w) for w in R["chain"]["located"]}
DATIVE_GOVERNORS = {key(w) for w in R["chain"]["dative_governors"]}
WITH_PO = {key(w) for w in R["chain"]["with_po"]}
ABLATIVE_GOVERNORS = {key(w) for w in R["chain"]["ablative_governors"]}
STOP_WORDS = {key(w) for w in HONORIFICS["masc"] + HONORIFICS["femn"]}   # a person's title follows
OPEN_QUOTES = {"«": "»", "„": "“", "“": "”", '"': '"'}


def lemmas(tok: Tok) -> set[str]:
    """Natasha's lemma; for a word it left as is (a capitalised word it took for a name, a rare word:
    "акимата") that may be a head, pymorphy's too."""
    if tok.lemma != tok.low or tok.low[:4] not in HEAD_PREFIXES:
        return {tok.lemma}
    ps = tok.parses()
    return {tok.lemma, key(ps[0].normal_form)} if ps else {tok.lemma}


def head_entry(toks, i) -> tuple[tuple[str, ...], str, int, int] | None:
    """(entry, kind, head index, entry end) when an organisation head starts at token i."""
    t = toks[i]
    if not t.word or not (t.pos in NOUNS or t.pos in ADJS):
        return None
    best = None
    for first in lemmas(t):
        for entry in HEADS_BY_FIRST.get(first, ()):
            n = len(entry)
            seq = toks[i:i + n]
            if len(seq) == n and all(entry[m] in lemmas(seq[m]) for m in range(1, n)):
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
    while k < end and k not in stop and (is_adj(toks[k]) and in_case(toks[k], case) and not toks[k].abbr or (
            k > j and toks[k].pos == "ADV" and k + 1 < end and is_adj(toks[k + 1]) and in_case(toks[k + 1], case))):
        k += 1
        # "международных и внешнеэкономических связей"
        if k + 1 < end and k > j and toks[k].text in ("и", ",") and is_adj(toks[k + 1]) and in_case(toks[k + 1], case):
            k += 1
    if k < end and k not in stop and toks[k].latin and case == "gent" and k == j:
        return latin_run(toks, k, end, stop)   # "глава Business NZ", "директор Philips": Latin names do not decline
    if k < end and k not in stop and (is_noun(toks[k]) or toks[k].abbr) and in_case(toks[k], case):
        if toks[k].abbr and toks[k].text in LEGAL_FORMS:
            return None
        return k + 1
    if (k == j and k + 1 < end and case == "gent" and toks[k].lemma in APPOSITION and toks[k + 1].cap
            and toks[k + 1].case == "gent" and "gent" in cases_of(toks[k], {"NOUN"})):
        return k + 1      # "города Дрездена" that the tagger read as a plural accusative
    return None


def latin_run(toks: list[Tok], k: int, end: int, stop: set[int]) -> int:
    """A Latin-script name from token k: "Business NZ", "Mail.Ru Group", "Rambler & Co", "S&P", "Tele2 AB",
    "Yahoo!"; the index after it."""
    n = k
    while n < end and n not in stop and n - k < 8:
        t = toks[n]
        glued = n > k and t.start == toks[n - 1].end
        if t.latin or (glued and (t.text.isdigit() or t.text == "!")):
            n += 1
        elif t.text in (".", "&", "-", "+") and n + 1 < end and toks[n + 1].latin and (glued or t.text == "&"):
            n += 1
        else:
            break
    return n


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
        if t.text == "(" and prev == "gen" and toks[j - 1].abbr and t.start == toks[j - 1].end and j + 2 < end \
                and toks[j + 2].text == ")" and toks[j + 1].cap and j + 1 not in stop:
            j = last_ok = j + 3      # "РС(Я)"
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
        if t.low == "по" and (last_noun in cfg.po or (head_lemma in cfg.po and prev in ("gen", "app"))):
            # "по …" of the head after its genitives: "заместитель главы администрации Великого Новгорода
            # по социальным вопросам"
            k = _po_phrase(toks, j + 1, end, stop)
            if k:
                j = last_ok = k
                last_noun, prev = toks[k - 1].lemma, "po"
                continue
            break
        if t.low in ("в", "во", "на") and located:
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
            # "член Палаты представителей от штата Аризона", "депутат Госдумы от «Единой России»"
            k = gen_np(toks, j + 1, end, stop) or (quote_end(toks, j + 1, text) if j + 1 < end else None)
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
        if k and prev == "quote" and not any(x.cap or x.abbr for x in toks[j:k]):
            break       # "культурный центр «Содружество» гостей": after its quoted name only a place
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


def _apposition(toks, j, end, stop) -> int | None:
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
    """'по межрегиональному сотрудничеству', 'по туризму и международным связям', 'по делам …',
    'по связям с общественностью', 'по работе с молодёжью'."""
    k = gen_np(toks, j, end, stop, "datv")
    if not k:
        return None
    while k + 1 < end and toks[k].low in ("и", "с", "со"):
        n = gen_np(toks, k + 1, end, stop, "datv" if toks[k].low == "и" else "ablt")
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
        if n and k + 1 < end and toks[k].text == "и" and toks[k + 1].cap and toks[k + 1].case in (None, "loct"):
            k += 1       # "в Арктике и Антарктике"
    if n and not (k < end and toks[k].case == "loct" and is_noun(toks[k]) and not toks[k].cap):
        return k
    m = gen_np(toks, j, end, stop, "loct")
    if m and any(t.cap or t.abbr for t in toks[j:m]):
        return m
    return k if n else None


def _comma_list(toks, j, end, stop, cfg) -> int | None:
    """', мира и развития' after 'дружбы', ', межрегиональных связей и туризма' after 'национальной
    политики': genitive phrases of common nouns joined by commas and closed by 'и'."""
    k = j
    names = toks[j - 1].cap          # "лидеры Германии, Великобритании и Франции": names list as names only
    while k < end and toks[k].text == ",":
        n = gen_np(toks, k + 1, end, stop)
        if not (n and n - k <= 4 and all(x.cap == names for x in toks[k + 1:n]) and toks[n - 1].lemma not in cfg.no_coord):
            return None
        k = n
    if k < end and toks[k].text == "и":
        n = gen_np(toks, k + 1, end, stop)
        if n and n - k <= 3 and toks[n - 1].cap == names and toks[n - 1].lemma not in cfg.no_coord:
            return n
    return None
