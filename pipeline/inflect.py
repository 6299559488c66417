"""Inflection over the token layer: a phrase in the nominative, a word in the reading its context
allows, the spelling of the original kept (capitals, ё), tokens joined as written."""
import re

from pipeline.tokens import Tok, key


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


def pick(tok: Tok, pos: set[str], lemma: str | None = None):
    """The pymorphy reading of the token (of these parts of speech, of this lemma if it has one)
    that agrees with Natasha's contextual case and number; else the first one."""
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
    hp = pick(toks[head], {"NOUN"}, toks[head].lemma)
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
            p = pick(t, {"ADJF", "PRTF", "NUMR"})
            want = {"nomn", number} | ({gender} if number == "sing" and gender else set())
            f = p.inflect(want) if p is not None else None
            words.append(recase(t.text, f.word) if f else t.text)
        else:
            words.append(t.text)
    return join(toks[left:head_end], words)


def join(toks: list[Tok], words: list[str] | None = None) -> str:
    """The tokens' text (or `words` in their place), spaced as in the text."""
    words = words or [t.text for t in toks]
    out = ""
    for k, (t, w) in enumerate(zip(toks, words)):
        if k and t.start > toks[k - 1].end:
            out += " "
        out += w
    return out


def tidy(s: str) -> str:
    """One space between words, and after "№" and "г."."""
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"№(?=\d)", "№ ", s)
    s = re.sub(r"\bг\.(?=[А-ЯЁ])", "г. ", s)
    return s
