"""The `syntax` stage: dependency trees (Natasha's NewsSyntaxParser, slovnet) of the prose sentences
(pipeline.prose) that carry an event word, and only those: parsing costs about as much as the
morphology.

    doc.syntax[first token index] = [(head token index or -1 for the root, relation), ...]

A sentence carries an event word when one of its lemmas (or a compound's last part) is a word of a
trigger phrase, an event verb or an occurrence verb of rules/events.toml; one with no verb ("- визит
делегации … (май 2022 г.)") is not parsed. Sentences are parsed in batches of similar length (the
parser pads a batch to its longest sentence). A head that would make a cycle is cut to the root.
"""
import re
from functools import lru_cache

from pipeline import morph, rules
from pipeline.doc import ReportDoc
from pipeline.embedding import tagger
from pipeline.prose import is_prose, outside
from pipeline.stage import stage

R = rules.load("events")
VERBS = {"VERB", "AUX"}


def _lemmas(phrase: str) -> list[str]:
    return [morph.lemma(w) for w in re.findall(r"[\w-]+", phrase.lower())]


@lru_cache(maxsize=1)
def event_words() -> frozenset[str]:
    """Lemmas whose presence makes a sentence worth parsing."""
    words = {w for ps in R["triggers"].values() for p in ps for w in _lemmas(p)[:1]}
    words |= {w for ps in R["verbs"].values() for p in ps for w in _lemmas(p)[:1]}
    words |= occurrence_words()
    words |= {_lemmas(x["verb"])[0] for x in R["verbs_with"]}
    return frozenset(w.replace("ё", "е") for w in words)


@lru_cache(maxsize=1)
def occurrence_words() -> frozenset[str]:
    return frozenset(_lemmas(v)[0].replace("ё", "е") for v in R["predicates"]["occurrence"])


@lru_cache(maxsize=1)
def parser():
    from natasha import NewsSyntaxParser
    return tagger(NewsSyntaxParser)


@stage("syntax", requires=("natasha", "tokens", "structure", "layout"), assigns=("syntax",))
def syntax(doc: ReportDoc) -> None:
    doc.syntax = parse(doc, wanted(doc))


def wanted(doc: ReportDoc) -> list[tuple[int, int]]:
    """(first, last + 1) token indices of the sentences that carry an event word."""
    words, out, i, toks = event_words(), [], 0, doc.tokens
    skip, furniture = outside(doc)
    while i < len(toks):
        j = i + 1
        while j < len(toks) and toks[j].sent == toks[i].sent and not toks[j].sent_start:
            j += 1
        if is_prose(toks[i].start, toks[j - 1].end, skip, furniture) and any(t.pos in VERBS for t in toks[i:j]) and any(
                t.lemma in words or t.lemma.rsplit("-", 1)[-1] in words for t in toks[i:j]):
            out.append((i, j))  # a sentence with no verb needs no tree: its triggers are its own frames
        i = j
    return out


def parse(doc: ReportDoc, spans: list[tuple[int, int]]) -> dict[int, list[tuple[int, str]]]:
    words = event_words() - occurrence_words()
    simple = [(a, b) for a, b in spans if sum(t.pos == "VERB" for t in doc.tokens[a:b]) == 1
              and sum(t.lemma in words or t.lemma.rsplit("-", 1)[-1] in words for t in doc.tokens[a:b]) <= 1]
    out = {a: _shallow(doc, a, b) for a, b in simple}
    spans = [s for s in spans if s not in simple]
    if not spans:
        return out
    order = sorted(spans, key=lambda s: s[1] - s[0])
    words = [[t.text for t in doc.tokens[a:b]] for a, b in order]
    p = parser()
    for (a, b), markup in zip(order, p.map(words)):
        heads = []
        for tok in markup.tokens:
            h = int(tok.head_id)
            heads.append((a + h - 1 if 0 < h <= b - a else -1, tok.rel))
        out[a] = _acyclic(heads, a)
    return out


NOUNS, MODIFIERS = {"NOUN", "PROPN", "PRON"}, {"ADJ", "DET", "NUM"}
CASE_RELS = {"nomn": "nsubj", "accs": "obj"}
PHRASE_ENDS = {",", ";", ":", "–", "—", "(", ")", "«", "»"}


def _shallow(doc: ReportDoc, a: int, b: int) -> list[tuple[int, str]]:
    """The tree of a sentence with one verb and one event word at most (the verb of occurrence aside:
    "Вчера прошла выставка"), from morphology alone: a noun after
    a preposition is an oblique of the verb, one in the nominative its subject, one in the accusative
    its object, one in the genitive a modifier of the noun before it; the parser adds little there."""
    toks = doc.tokens
    verb = next(i for i in range(a, b) if toks[i].pos == "VERB")
    heads: list[tuple[int, str] | None] = [None] * (b - a)
    case: list[int] = []
    mods: list[int] = []
    noun = None
    for i in range(a, b):
        t = toks[i]
        if i == verb:
            heads[i - a] = (-1, "root")
        elif t.pos == "AUX":
            heads[i - a] = (verb, "aux")
        elif t.pos == "ADP":
            case.append(i)
        elif t.pos in MODIFIERS:
            mods.append(i)
        elif t.pos in NOUNS:
            for c in case:
                heads[c - a] = (i, "case")
            for m in mods:
                heads[m - a] = (i, "nummod" if toks[m].pos == "NUM" else "amod")
            if case:
                heads[i - a] = (verb, "obl")
            elif t.case in CASE_RELS:
                heads[i - a] = (verb, CASE_RELS[t.case])
            elif noun is not None:
                heads[i - a] = (noun, "appos" if t.pos == "PROPN" and toks[noun].pos != "PROPN" and not t.case == "gent"
                                else "nmod")
            else:
                heads[i - a] = (verb, "obl")
            noun, case, mods = i, [], []
        else:
            heads[i - a] = (verb, "punct" if t.pos == "PUNCT" else "advmod" if t.pos in ("PART", "ADV") else "dep")
            if t.text in PHRASE_ENDS or t.pos in ("VERB", "CCONJ", "SCONJ"):
                noun = None
    return [h if h is not None else (verb, "dep") for h in heads]


def _acyclic(heads: list[tuple[int, str]], base: int) -> list[tuple[int, str]]:
    """Cut a head that leads back to its own token (the decoder is greedy) to the root."""
    out = list(heads)
    for i in range(len(out)):
        seen, j = set(), i
        while j >= 0 and j not in seen:
            seen.add(j)
            h = out[j][0]
            j = h - base if h >= 0 else -1
        if j >= 0:
            out[j] = (-1, "root")
    return out
