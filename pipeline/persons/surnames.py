"""Surnames and given names as words: their shapes and their nominative forms.

Surnames are put in the nominative by the Russian surname paradigms (-ов/-ин, -ский, indeclinable
-ко/-е/-и, consonant stems that decline for men only); `surname_forms` gives every reading of a
surname as written, (nominative, gender, case); the mention's context chooses among them
(`pipeline.persons.mentions`).
"""
import re

from pipeline import morph
from pipeline.grammars.names import EAST_ASIAN, NOT_NAMES
from pipeline.inflect import recase
from pipeline.tokens import ALL_CASES, Tok, key

VOWELS = set("аеёиоуыэюя")
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


def surname_shape(word: str) -> bool:
    """-ов/-ин, -ский (any case), -енко, -ук, -ян, -дзе, -швили, -ич."""
    low = key(word)
    return bool(OV.match(low) or SKY.match(low) or re.search(r"(енко|ко|ук|юк|як|ян|яна|дзе|швили|ич|ича|ичу|ичем)$", low))


def east_asian(t: Tok) -> bool:
    """An East Asian surname (rules/persons.toml), in any case."""
    low = key(t.text)
    return low in EAST_ASIAN or _asian_oblique(low)


def _asian_oblique(low: str) -> bool:
    """'ямадой' -> 'ямада', 'паном' -> 'пан'."""
    for end, add in (("ой", "а"), ("ы", "а"), ("у", "а"), ("е", "а"), ("ом", ""), ("а", ""), ("у", "")):
        if low.endswith(end) and low[: -len(end)] + add in EAST_ASIAN and len(low) > len(end) + 2:
            return True
    return False


def russian_given(t: Tok) -> bool:
    """A first name the dictionary knows ("Анна", "Роман"), not an East Asian surname."""
    return any("Name" in p.tag and p.is_known and p.score >= 0.1 for p in t.parses()) and not east_asian(t)


def surname_like(t: Tok) -> bool:
    """A capitalised word that may be a surname: the dictionary's surname or name, a surname's shape,
    or a word the dictionary does not know."""
    if not t.cap or key(t.text) in NOT_NAMES:
        return False
    ps = t.parses()
    if any("Surn" in p.tag or "Name" in p.tag for p in ps) or surname_shape(t.text):
        return True
    top = ps[0] if ps else None
    return not (top and top.is_known)


def given_nominative(tok: Tok, gender: str | None, patr: bool = False) -> str:
    """A first name (or, with `patr`, a patronymic) in the nominative."""
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

