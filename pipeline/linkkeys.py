"""Stable keys that link one entity across reports, from plain names (rules/keys.toml says what each
key is made of). Light on purpose: the `keys` stage uses it, and so does the comparison of reports
(review/compare), which reads reports without loading the gazetteer or any model.
"""
import re
from functools import lru_cache

from pipeline import rules

R = rules.load("keys")
_ORG = rules.load("organisations")["legal_forms"]
LEGAL_FORMS = {f for kind, forms in _ORG.items() if kind != "qualifiers" for f in forms} | set(_ORG["qualifiers"])
QUOTES = str.maketrans("", "", "«»“”„\"'’‘`")
DASHES = re.compile(r"\s*[‐‑‒–—―−-]\s*")
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
TRAILING_YEAR = re.compile(R["organisations"]["trailing_year"])


def norm(text: str) -> str:
    """Lower case, ё as е, no quotes, one kind of dash with no space around it, single spaces."""
    s = text.lower().replace("ё", "е").translate(QUOTES)
    s = DASHES.sub("-", s)
    return " ".join(s.split()).strip(" .,;:")


# ---- places ----

def place_key(name: str, kind: str, country_code: str | None, ident: str | None = None,
              lemma_key: str | None = None) -> str:
    """A country's ISO code; a region's code for its short name (rules/keys.toml); the gazetteer's id
    (`ident`) when it knows the place; else the country code and the name's lemma key (`lemma_key`,
    else the normalised name)."""
    if kind == "country" and country_code:
        return country_code
    short = _short_names().get(norm(name))
    if short:
        return short
    if ident:
        return ident
    name_key = norm(lemma_key if lemma_key is not None else name)
    return f"{country_code}/{name_key}" if country_code else name_key


@lru_cache(maxsize=1)
def _short_names() -> dict[str, str]:
    return {norm(k): v for k, v in R["places"]["short_names"].items()}


# ---- persons ----

def fold_surname(surname: str) -> str:
    """The surname's masculine form, lower case, ё as е (rules/keys.toml [persons] fold)."""
    s = norm(surname)
    if len(s) >= R["persons"]["fold_min"]:
        for fem, masc in R["persons"]["fold"]:
            fem, masc = fem.replace("ё", "е"), masc.replace("ё", "е")
            if s.endswith(fem):
                return s[: -len(fem)] + masc
    return s


def initials(written: str, surname: str) -> str:
    """The initials of a name as written, in order, without the surname: "М.С. Лаврентьевой",
    "Лаврентьевой Мариной Сергеевной" and "Лаврентьева М.С." all give "МС"."""
    words = WORD.findall(written)
    if not words:
        return ""
    target = fold_surname(surname)
    best = max(range(len(words)), key=lambda i: (_common_prefix(fold_surname(words[i]), target), len(words[i])))
    return "".join(w[0].upper() for i, w in enumerate(words) if i != best and w[0].isupper())


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def person_key(city: str | None, surname: str, first_initial: str = "") -> str:
    """"<city>/<surname>/<first initial>" (lower case), or "<city>/<surname>" without one."""
    parts = [norm(city or "?"), fold_surname(surname)]
    if first_initial:
        parts.append(norm(first_initial[0]))
    return "/".join(parts)


def compatible(a: str, b: str) -> bool:
    """Initials that can be one person's: one is a prefix of the other ("Д" and "ДА"; not "ДА" and "ДН")."""
    return a.startswith(b) or b.startswith(a)


# ---- organisations ----

@lru_cache(maxsize=50_000)
def organisation_key(name: str) -> str:
    """The normalised name: no legal form before a quoted name, short forms spelt out, no year at the end."""
    words = name.split()
    while len(words) > 1 and words[0].strip(",") in LEGAL_FORMS:
        words = words[1:]
    s = TRAILING_YEAR.sub("", norm(" ".join(words)))
    abbr = R["organisations"]["abbreviations"]
    return " ".join(abbr.get(w, w) for w in s.split())
