"""Organisations: whole names with legal form and quoted name, in the nominative, one record each.

Three sources, all over the token layer, read with the noun-phrase grammar (pipeline.grammars.nounphrase):
  * a legal form before a quoted name: `АО «Омская картографическая фабрика»`, `ФГАОУ ВО «…»`,
    `БОУ г. Омска «Лицей № 137»`, `Филиал АО «ОДК» «ОМО им. П.И. Баранова»`;
  * a head noun (rules/organisations.toml, with its kind) with the adjectives before it and its
    dependents after it ("Генеральное консульство Республики Корея в городе Иркутске");
  * Natasha ORG spans that are abbreviations or Latin-script names (ШОС, Michelin).
The head phrase is put in the nominative ("Генеральным консульством Республики Корея …" ->
"Генеральное консульство Республики Корея …"); dependents stay as written. Events (Natasha tags
"Фестиваль корейской культуры" as ORG) and bare heads ("Администрация") are not organisations.
"""
import re
from dataclasses import dataclass

from pipeline import rules
from pipeline.doc import ReportDoc
from pipeline.grammars.names import asian_name_end
from pipeline.grammars.nounphrase import (HEAD_WORDS, HEADS, HEADS_BY_FIRST, LEGAL_FORMS, LOCATED, OPEN_QUOTES, WITH_PO, ChainConfig,
                                          chain, entries, head_entry, initials_at, legal_unit, phrase_key, quote_end)
from pipeline.inflect import join, nominative_phrase, recase, tidy
from pipeline.layers import OrganisationHit
from pipeline.spans import SpanIndex
from pipeline.stage import stage
from pipeline.tokens import ADJS, NOUNS, Tok, is_adj, is_noun, key, sentence_end

R = rules.load("organisations")
MODIFIERS = entries(R["kind_modifiers"])
MODIFIER_PHRASES = [(f" {' '.join(entry)} ", kind) for entry, kind in MODIFIERS.items()]   # as whole words of a name
EVENT_HEADS = {phrase_key(p) for p in R["not_organisations"]["event_heads"]}
NOT_NAMES = {key(n) for n in R["not_organisations"]["names"]}
SUBUNITS = {key(w) for w in R["chain"]["subunits"]}
NEED_DEPENDENTS = {key(w) for w in R["need_dependents"]["heads"]}
PLACE_PART_HEADS = {key(w) for w in R["need_dependents"]["place_parts"]}


@dataclass
class _Cand:
    start: int
    end: int
    name: str
    kind: str
    source: str
    caps: bool = False     # read from an all-capitals title line: its name is a guess at the case


ORG_CHAIN = ChainConfig(po=WITH_PO, located=LOCATED, no_coord=HEAD_WORDS)


@stage("organisations", requires=("text", "natasha", "tokens", "structure", "locations"), assigns=("organisations",))
def organisations(doc: ReportDoc) -> None:
    """Every organisation in the document, in order of first mention."""
    toks, text = doc.tokens, doc.text
    stop = _person_stops(doc)
    quoted = _quoted_regions(toks, text)
    cands: list[_Cand] = []
    cands += _legal_candidates(toks, text, stop)
    cands += _head_candidates(doc, stop, quoted)
    cands += _natasha_candidates(doc, cands, quoted)
    # "Европейский союз" read as a place, "японским Комацу" read as an organisation: places
    locs = {(s.start, s.stop) for s in doc.natasha.spans if s.type == "LOC"} | set(doc.locations)
    cands = [c for c in cands if (c.start, c.end) not in locs]
    doc.organisations = _merge(cands)


def _person_stops(doc: ReportDoc) -> set[int]:
    """Tokens of person names (Natasha PER spans and initials + surname): chains do not run into them,
    except after 'им.'/'имени', which the grammar reads on its own."""
    toks = doc.tokens
    places = set()
    for a, b in doc.locations:   # NER's "Хайфона Нгуен Ван Тунг": the place is the organisation's
        places |= set(doc.span_tokens(a, b))
    stop = set()
    for s in doc.natasha.spans:
        inside = doc.span_tokens(s.start, s.stop)
        if s.type == "PER" and not (len(inside) == 1 and toks[inside[0]].number == "plur"):  # "семьи Романовых"
            stop |= {k for k in inside if toks[k].cap and k not in places}
    for t in toks:
        n = initials_at(toks, t.i)
        if n > t.i and n < len(toks) and toks[n].cap:
            stop |= set(range(t.i, n + 1))
        n = asian_name_end(toks, t.i)
        if n is not None:
            stop |= set(range(t.i, n))     # "Народного правительства уезда Суньу Ма Цзяньпин"
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
            name = nominative_phrase(toks, prefix[0], prefix[1], prefix[1] + 1) + " " + join(toks[j:r])
        else:
            name = join(toks[j:r])
        out.append(_Cand(toks[left].start, toks[r - 1].end, tidy(name), kind, "legal"))
        if prefix:  # the parent organisation is a name too: "АО «ОДК»"
            q1 = legal_unit(toks, j, end, text)
            out.append(_Cand(t.start, toks[q1 - 1].end, tidy(join(toks[j:q1])), LEGAL_FORMS[t.text], "legal"))
    return out


def _quoted_kind(toks, a, b) -> str | None:
    lem = [x.lemma for x in toks[a:b] if x.word]
    for k, l in enumerate(lem):
        kind = _head_kind(lem, k)
        if kind:
            return kind
    return None


def _head_kind(lemmas: list[str], k: int) -> str | None:
    for entry in HEADS_BY_FIRST.get(lemmas[k], ()):
        if tuple(lemmas[k:k + len(entry)]) == entry:
            return _modified_kind(HEADS[entry], lemmas)
    return None


def _modified_kind(kind: str, lemmas: list[str]) -> str:
    if kind not in ("education", "other", "ngo", "government", "culture"):
        return kind
    joined = f" {' '.join(lemmas)} "
    for phrase, k2 in MODIFIER_PHRASES:
        if phrase in joined:
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


def _head_candidates(doc: ReportDoc, stop, quoted) -> list[_Cand]:
    toks, text = doc.tokens, doc.text
    quoted_index = SpanIndex(quoted)   # (token indices)
    out = []
    taken_entry_end = -1
    for t in toks:
        if t.i < taken_entry_end:
            continue
        he = head_entry(toks, t.i)
        if he is None:
            continue
        entry, kind, h, e = he
        if any(a < h for a, _ in (quoted_index.spans[k] for k in quoted_index.holding(h))):
            continue   # «Общероссийское объединение корейцев»: one name, not two
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
        if _heading_words(doc, toks[left].start, toks[r - 1].end, [x for x in toks[left:r] if x.word]):
            continue
        raw = nominative_phrase(toks, left, h, e) + _rest(toks, e, r)
        name = uncap(toks[left:r], raw)
        out.append(_Cand(toks[left].start, toks[r - 1].end, tidy(name), _modified_kind(kind, lem), "head",
                         name != raw))
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


def _rest(toks, e, r) -> str:
    if r <= e:
        return ""
    return (" " if toks[e].start > toks[e - 1].end else "") + join(toks[e:r])


def _name_evidence(toks, left, h, e, r) -> bool:
    """Something that makes the phrase a name: a quote, a number sign, an abbreviation, a capitalised
    word other than the head (not the sentence's first), or a capitalised head with words around it.
    A capitalised place after a head that also names a part of a place is no evidence ("в центре
    Мурманска", "административный центр провинции Ляонин")."""
    for k in range(left, r):
        t = toks[k]
        if t.text in OPEN_QUOTES or t.text == "№" or (t.abbr and t.text not in LEGAL_FORMS):
            return True
        if t.cap and not t.sent_start and k != h and toks[h].lemma not in PLACE_PART_HEADS:
            return True
    return toks[h].cap and not toks[h].sent_start and (left < h or r > e)


def _natasha_candidates(doc: ReportDoc, cands, quoted) -> list[_Cand]:
    toks = doc.tokens
    out = []
    spans = SpanIndex((c.start, c.end) for c in cands)
    qchars = SpanIndex((toks[a].start, toks[b - 1].end) for a, b in quoted)
    for s in doc.natasha.spans:
        if s.type != "ORG":
            continue
        if spans.overlapping(s.start, s.stop):
            continue
        if any(qchars.spans[k][1] >= s.stop for k in qchars.holding(s.start)):
            continue
        words = [toks[k] for k in doc.span_tokens(s.start, s.stop) if toks[k].word]
        if not words or "\n" in s.text or key(s.text) in NOT_NAMES:
            continue
        if any(t.text in LEGAL_FORMS for t in words):
            continue
        latin = all(re.fullmatch(r"[A-Za-z][\w&.-]*", t.text) for t in words)
        abbr = all(t.abbr for t in words)
        orgn = len(words) == 1 and any("Orgn" in p.tag for p in words[0].parses()[:2])
        coined = len(words) == 1 and words[0].cap and not words[0].parses()[0].is_known
        if not (latin or abbr or orgn or coined or (words[0].cap and 2 <= len(words) <= 4)):
            continue        # a bare common noun ('Мэрии', 'Администрации') is a fragment, not a name
        if any(t.lemma in {e[0] for e in EVENT_HEADS} for t in words):
            continue
        if _heading_words(doc, s.start, s.stop, words) or (
                words[0].sent_start and len(words) > 1 and _common(words) and not any(
                    (t.lemma,) in HEADS for t in words) and not any(t.cap for t in words[1:])):
            continue     # "Международная деятельность в городе …" at a sentence's start: no name
        stop = s.stop
        if s.text.count("«") > s.text.count("»") and doc.text[stop:stop + 1] == "»":
            stop += 1          # NER's 'МВЦ «Оружейный двор' without its closing quote
        text = doc.text[s.start:stop]
        name = text if (latin or abbr or orgn or len(words) == 1) else recase(text, s.normal or text) if stop == s.stop else text
        if len(words) == 1 and not words[0].abbr and not latin:
            p = next((p for p in words[0].parses() if "Orgn" in p.tag or p.tag.POS == "NOUN"), None)
            f = p.inflect({"nomn", "sing"}) if p is not None else None
            name = recase(words[0].text, f.word) if f else name   # "Росприроднадзора" -> "Росприроднадзор"
        out.append(_Cand(s.start, stop, name, "other", "natasha"))
    return out


def _heading_words(doc: ReportDoc, start: int, stop: int, words: list[Tok]) -> bool:
    """Common words only, filling a line of their own ("6.2. Международная деятельность", "Рубрика
    Общество"): a heading NER took for a name."""
    line_start = doc.text.rfind("\n", 0, start) + 1
    line_end = doc.text.find("\n", stop)
    line = doc.text[line_start:len(doc.text) if line_end < 0 else line_end]
    return re.sub(r"^[\d.\s]+", "", line).strip(" .:") == doc.text[start:stop].strip() and _common(words)


def _common(words: list[Tok]) -> bool:
    """Words the dictionary knows as common words: no name, place, organisation or abbreviation."""
    return all(t.parses()[0].is_known and not ({"Geox", "Name", "Surn", "Orgn", "Abbr"} & set(
        str(t.parses()[0].tag).replace(" ", ",").split(","))) for t in words)


def name_key(name: str) -> str:
    k = key(name)
    k = re.sub(r"[«»\"“”„]", '"', k)
    k = re.sub(r"\bг\.\s*", "города ", k)
    return re.sub(r"\s+", " ", k).strip()


def _same_start_before(cands: list[_Cand], n: int):
    """The candidates before cands[n] that start where it does (cands sorted by start)."""
    j = n - 1
    while j >= 0 and cands[j].start == cands[n].start:
        yield cands[j]
        j -= 1


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
        if any(o.end > c.end and name_key(o.name).startswith(k) for o in _same_start_before(cands, n)):
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
    longer: dict[str, list[str]] = {}  # a name's start at a word end -> the names that start so
    for long in keys:
        for pos in (i for i, ch in enumerate(long) if ch == " "):
            longer.setdefault(long[:pos], []).append(long)
    for short in keys:
        if len(short.split()) < 2:
            continue
        for long in longer.get(short, ()):
            if short in by_key and long in by_key:
                by_key[long].mentions += by_key.pop(short).mentions
                break
    out = [by_key[k] for k in order if k in by_key]
    for o in out:
        o.mentions = sorted(set(o.mentions))
    return out
