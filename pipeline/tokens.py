"""The token layer: Natasha's tokens with sentence ids, pymorphy-style case names and text keys.

`build(natasha_doc)` makes it once per report (the `nlp` stage); every stage that reads words reads
these. `key(word)` is the text key used everywhere: lower case, ё as е.
"""
import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import morph

CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct", "Par": "gent", "Voc": "voct"}
GENDERS = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}
NUMBERS = {"Sing": "sing", "Plur": "plur"}
ALL_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
NOUNS = {"NOUN", "PROPN"}
ADJS = {"ADJ", "DET", "NUM"}
WORD = re.compile(r"^[^\W\d_]+(?:[-‑][^\W\d_]+)*$")
LATIN = re.compile(r"[A-Z][A-Za-z&'’.-]*")


def key(word: str) -> str:
    return word.lower().replace("ё", "е")


@dataclass(eq=False, slots=True)
class Tok:
    i: int
    text: str
    start: int
    end: int
    pos: str
    case: str | None       # pymorphy case name from Natasha's contextual tag ("gent")
    gender: str | None
    number: str | None
    lemma: str             # Natasha's lemma, as a key
    sent: int
    sent_start: bool       # the first token of its sentence or after a line break
    low: str               # the text as a key
    word: bool             # letters only (hyphenated parts allowed)
    cap: bool              # a word with a capital first letter
    latin: bool            # a Latin-script name: "Michelin", "NZ"
    abbr: bool             # КНР, МИД, РФ, США; not a one-letter initial

    def parses(self):
        return morph.parse(self.text)


def build(doc) -> list[Tok]:
    """The tokens of a Natasha doc, with their sentence ids (a line break starts a sentence too)."""
    sent_bounds = [(s.start, s.stop) for s in doc.sents]
    out, si = [], 0
    for i, t in enumerate(doc.tokens):
        while si + 1 < len(sent_bounds) and t.start >= sent_bounds[si][1]:
            si += 1
        feats = t.feats or {}
        first = not out or out[-1].sent != si or "\n" in doc.text[out[-1].end:t.start]
        out.append(Tok(i, t.text, t.start, t.stop, t.pos or "", CASES.get(feats.get("Case")),
                       GENDERS.get(feats.get("Gender")), NUMBERS.get(feats.get("Number")),
                       _key(t.lemma or t.text), si, first, *_shape(t.text)))
    return out


@lru_cache(maxsize=100_000)
def _key(word: str) -> str:
    """`key(word)`, one string per distinct word (a long report has a million tokens, and few words)."""
    return key(word)


@lru_cache(maxsize=100_000)
def _shape(text: str) -> tuple[str, bool, bool, bool, bool]:
    """A token's Tok.low, .word, .cap, .latin and .abbr (which depend on its text alone)."""
    word = bool(WORD.match(text))
    return (_key(text), word, word and text[0].isupper(), bool(LATIN.fullmatch(text)),
            word and len(text) >= 2 and text.replace("-", "").isupper())


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
    return tok.word and (tok.pos in ADJS and (tok.case is not None or bool(cases_of(tok, {"ADJF"}))) or
                         (tok.pos == "VERB" and tok.case is not None))  # participles carry a case
                         # (the tagger gives a hyphenated adjective no case: "германо-российской")


def in_case(tok: Tok, case: str) -> bool:
    if tok.case is not None:
        return tok.case == case or (case == "gent" and tok.abbr) or (
            tok.pos == "PROPN" and tok.cap and (not tok.parses()[0].is_known or case in cases_of(tok)))
        # ("мэр Тэбэка", "мэра Эгера": the tagger's case of a name is a guess; the dictionary's cases count)
    return case in cases_of(tok)
