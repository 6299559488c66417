"""Changes and values in words, for people: "tie: none → twin", "post added: заместитель мэра",
"places added: Харбин" — never a Python repr (the diff page, the review app, `city-reports diff`)."""
from collections import Counter
from typing import Any

FIELD_WORDS = {"relation": "tie", "country_code": "country code", "tie_since": "tie since", "positions": "post",
               "place_ids": "places", "person_ids": "persons", "organisation_ids": "organisations",
               "quantity_ids": "quantities", "more_evidence": "more evidence", "section_id": "section"}
WIDTH = 80


def field_word(field: str) -> str:
    return FIELD_WORDS.get(field, field.replace("_", " "))


def value_words(v: Any, width: int = WIDTH) -> str:
    """A value as a reader writes it: none, yes/no, a list joined by commas, a post's title."""
    if v is None or v == "" or v == []:
        s = "none"
    elif isinstance(v, bool):
        s = "yes" if v else "no"
    elif isinstance(v, float) and v.is_integer():
        s = str(int(v))
    elif isinstance(v, dict):
        s = " ".join(value_words(x, width) for x in (v.get("title") or v.get("name"), v.get("country_code"),
                                                      v.get("organisation")) if x) or \
            ", ".join(f"{field_word(k)} {value_words(x, width)}" for k, x in v.items())
    elif isinstance(v, (list, tuple)):
        s = ", ".join(value_words(x, width) for x in v)
    else:
        s = str(v)
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 1] + "…"


def _titles(v: Any) -> list[str] | None:
    return [value_words(x) for x in v] if isinstance(v, list) else None


def change_words(field: str, old: Any, new: Any) -> str:
    """One change in words: a list's items added and removed, else "field: old → new"."""
    name = field_word(field)
    if field == "reviewed":
        old, new = bool(old), bool(new)
    o, n = _titles(old), _titles(new)
    if o is not None and n is not None or (o is not None and new is None) or (n is not None and old is None):
        o, n = Counter(o or []), Counter(n or [])
        parts = []
        if n - o:
            parts.append(f"{name} added: " + "; ".join((n - o).elements()))
        if o - n:
            parts.append(f"{name} removed: " + "; ".join((o - n).elements()))
        return " · ".join(parts) or f"{name}: reordered"
    return f"{name}: {value_words(old)} → {value_words(new)}"
