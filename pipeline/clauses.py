"""Clauses over a parsed sentence (the `syntax` layer): the predicate a word depends on, the words of
that predicate's own clause, the path between them.

    tree = Tree(doc, first)          # the sentence whose first token is doc.tokens[first]
    p = tree.predicate(i)            # the verb (or the root) token i depends on
    tree.clause(p)                   # token indices of p's clause, its nested clauses left out

A nested clause is a dependent verb with a relation of its own clause (relative, adverbial,
complement, parataxis, a coordinated verb, a participle phrase); an infinitive that completes a verb
("планирует подписать") stays in the clause.

The parser errs (a date hung on the wrong verb, two roots): `segment` gives the linear clause part
of a sentence (rules/events.toml [clauses]: a semicolon, a dash, a comma before "а", "который",
"когда", …), which the event frames use to check what the tree says.
"""
import re
from collections import defaultdict
from functools import lru_cache

from pipeline import morph, rules

CLAUSE_RELS = {"acl", "acl:relcl", "advcl", "ccomp", "csubj", "parataxis", "conj"}
VERBS = {"VERB", "AUX"}
SUBJECTS = {"nsubj", "nsubj:pass", "csubj"}
CORE = SUBJECTS | {"obj", "iobj"}
BOUNDARY = re.compile(rules.load("events")["clauses"]["boundary"], re.I)


class Tree:
    def __init__(self, doc, first: int):
        self.doc = doc
        self.heads = dict(enumerate((h for h, _ in doc.syntax[first]), first))
        self.rels = dict(enumerate((r for _, r in doc.syntax[first]), first))
        self.first, self.end = first, first + len(doc.syntax[first])
        self.children: dict[int, list[int]] = defaultdict(list)
        for i, h in self.heads.items():
            if h >= 0:
                self.children[h].append(i)

    def __contains__(self, i: int) -> bool:
        return self.first <= i < self.end

    def pos(self, i: int) -> str:
        return self.doc.tokens[i].pos

    def feats(self, i: int) -> dict:
        """The token's features; a sentence-initial verb the tagger took for a name ('Прошла
        церемония') gets its verb features from pymorphy."""
        feats = self.doc.natasha.tokens[i].feats or {}
        if self.doc.tokens[i].pos == "PROPN" and self.doc.tokens[i].sent_start:
            return _verb_feats(self.doc.tokens[i].low) or feats
        return feats

    def lemma(self, i: int) -> str:
        return self.doc.tokens[i].lemma

    def is_verb(self, i: int) -> bool:
        return self.pos(i) in VERBS or (self.feats(i).get("VerbForm") in ("Part", "Inf", "Fin") and self.pos(i) != "ADJ")

    def opens_clause(self, i: int) -> bool:
        return self.rels[i] in CLAUSE_RELS and self.is_verb(i)

    def path_up(self, i: int):
        """(token, head) steps from i up to the root."""
        seen = set()
        while i >= 0 and i not in seen:
            seen.add(i)
            h = self.heads.get(i, -1)
            if h < 0:
                return
            yield i, h
            i = h

    def predicate(self, i: int) -> int:
        """The nearest verb at or above i (an auxiliary's head verb), else the root."""
        if self.is_verb(i) and self.rels[i] not in ("aux", "aux:pass", "cop"):
            return i
        last = i
        for _, h in self.path_up(i):
            last = h
            if self.is_verb(h) and self.rels[h] not in ("aux", "aux:pass", "cop"):
                return h
        return last

    def clause(self, p: int) -> list[int]:
        """p and the words below it, nested clauses left out; a participle's clause keeps its noun."""
        out, stack = [], [p]
        while stack:
            i = stack.pop()
            out.append(i)
            stack.extend(c for c in self.children[i] if not self.opens_clause(c))
        if self.rels.get(p) in ("acl", "acl:relcl") and self.heads[p] >= 0:
            noun = self.heads[p]
            out.append(noun)
            stack = [c for c in self.children[noun] if c != p and not self.opens_clause(c)]
            while stack:
                i = stack.pop()
                out.append(i)
                stack.extend(c for c in self.children[i] if not self.opens_clause(c))
        return sorted(out)

    def subtree(self, i: int) -> list[int]:
        out, stack = [], [i]
        while stack:
            j = stack.pop()
            out.append(j)
            stack.extend(self.children[j])
        return sorted(out)

    def depth(self, i: int, p: int) -> int:
        """Steps from i up to p (a large number when p is not above i)."""
        if i == p:
            return 0
        for n, (_, h) in enumerate(self.path_up(i), 1):
            if h == p:
                return n
        return 99

    def step_below(self, i: int, p: int) -> int:
        """The child of p on the way up from i (i itself when it hangs on p)."""
        for c, h in self.path_up(i):
            if h == p:
                return c
        return i

    def span(self, idx: list[int]) -> tuple[int, int]:
        toks = self.doc.tokens
        return toks[min(idx)].start, toks[max(idx)].end


# ---------------------------------------------------------------- clause parts, for when the parse errs

def segment(text: str, sent, pos: int) -> tuple[int, int]:
    """The stretch of the sentence between clause boundaries that holds `pos`."""
    start = sent.start
    for m in BOUNDARY.finditer(text, sent.start, sent.end):
        if m.start() >= pos:
            return start, m.start()
        start = m.end()
    return start, sent.end


def same_segment(doc, tree: Tree, sent, i: int, p: int) -> int:
    """A trigger parsed onto a verb of another clause part ('Гости побывали на заводе, а вчера приняли
    участие в открытии выставки'): the verb of its own part, the nearest before it, else after it."""
    toks = doc.tokens
    seg = segment(doc.text, sent, toks[i].start)
    if seg[0] <= toks[p].start < seg[1]:
        return p
    verbs = [j for j in range(tree.first, tree.end) if seg[0] <= toks[j].start < seg[1] and tree.is_verb(j)
             and tree.rels[j] not in ("amod", "aux", "aux:pass", "cop")]
    if not verbs:
        return p
    before = [j for j in verbs if j < i]
    return before[-1] if before else verbs[0]


def in_nested_clause(doc, tree: Tree, d, p: int, seg) -> bool:
    """The date hangs on another verb's participle or relative clause within the segment
    ('обелиска, сооруженного в 1838 году')."""
    first = doc.span_tokens(d.start, d.end)
    if not len(first) or first[0] not in tree:
        return False
    for c, h in tree.path_up(first[0]):
        if c == p or h == p:
            return False
        if tree.opens_clause(c) and tree.rels[c] != "conj" and seg[0] <= doc.tokens[c].start < seg[1]:
            return True
    return False


@lru_cache(maxsize=10_000)
def _verb_feats(word: str) -> dict | None:
    parses = morph.parse(word)
    if not parses or parses[0].tag.POS not in ("VERB", "PRTS"):
        return None
    tag = parses[0].tag
    tense = {"past": "Past", "pres": "Pres", "futr": "Fut"}.get(tag.tense)
    return {"VerbForm": "Fin" if tag.POS == "VERB" else "Part", **({"Tense": tense} if tense else {})}
