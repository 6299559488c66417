"""Named measures among a report's quantities: delegations received and sent, events held,
participants, visitors, views (rules.toml [[measure]]): a quantity's unit, and its clause saying
what was done ("приняла 4 иностранные делегации", "направлено 5 делегаций")."""
from review.compare.text import clause_at, data

MEASURES = data("rules")["measure"]


def measure_of(text: str, quantity: dict) -> tuple[str, str] | None:
    """(measure, the clause that says it) for the first mention that names one; None when none does."""
    unit = (quantity.get("unit") or "").lower().replace("ё", "е")
    candidates = [m for m in MEASURES if unit in m["units"]]
    if not candidates:
        return None
    for mention in quantity.get("mentions") or []:
        a, b = mention.get("start"), mention.get("end")
        if not isinstance(a, int) or not isinstance(b, int) or not 0 <= a <= b <= len(text):
            continue
        clause = clause_at(text, a, b)
        low = clause.lower().replace("ё", "е")
        for m in candidates:
            if (not m.get("context") or any(w in low for w in m["context"])) and not any(w in low for w in m.get("not", [])):
                return m["name"], clause
    return None
