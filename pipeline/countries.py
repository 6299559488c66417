"""Countries' names in Russian by ISO code: the gazetteer's own first name (rules/places.toml
[countries]: "Китай", "Германия"), else pycountry's Russian translation. Light: no gazetteer index."""
import gettext
from functools import lru_cache

import pycountry

from pipeline import rules


@lru_cache(maxsize=None)
def russian_name(code: str | None) -> str | None:
    if not code:
        return None
    ours = rules.load("places")["countries"].get(code)
    if ours:
        return ours[0]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    return _ru().gettext(getattr(country, "common_name", None) or country.name)


@lru_cache(maxsize=1)
def _ru() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)
