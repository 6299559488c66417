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
    words |= {_lemmas(v)[0] for v in R["predicates"]["occurrence"]}
    words |= {_lemmas(x["verb"])[0] for x in R["verbs_with"]}
    return frozenset(w.replace("ё", "е") for w in words)


@lru_cache(maxsize=1)
def parser():
    from natasha import NewsEmbedding, NewsSyntaxParser
    return NewsSyntaxParser(NewsEmbedding())


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
    if not spans:
        return {}
    order = sorted(spans, key=lambda s: s[1] - s[0])
    words = [[t.text for t in doc.tokens[a:b]] for a, b in order]
    out = {}
    p = parser()
    for (a, b), markup in zip(order, p.map(words)):
        heads = []
        for tok in markup.tokens:
            h = int(tok.head_id)
            heads.append((a + h - 1 if 0 < h <= b - a else -1, tok.rel))
        out[a] = _acyclic(heads, a)
    return out


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
