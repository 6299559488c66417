"""Reviewed reports as training data: one JSON line per report, its text and its entity spans with
labels, in the form spaCy and Label Studio read.

    spacy         {"text", "spans": [{"start", "end", "label"}], "meta"}   (spaCy's / Prodigy's span format;
                  `spacy.training` builds a Doc from it with doc.char_span)
    label-studio  {"data": {"text", "report_id"}, "annotations": [{"result": [{"value": {"start", "end",
                  "text", "labels": [label]}, "from_name": "label", "to_name": "text", "type": "labels"}]}]}

Labels: PLACE, PERSON, ORGANISATION, DATE, QUANTITY for every mention, and EVENT for an event's
evidence. Only reports someone reviewed (a reviews file with decisions) unless asked for all; an
item's `reviewed` flag and confidence go into `meta` so a trainer can weigh them.
"""
from typing import Iterator

LABELS = {"places": "PLACE", "persons": "PERSON", "organisations": "ORGANISATION", "dates": "DATE",
          "quantities": "QUANTITY", "events": "EVENT"}
FORMATS = ("spacy", "label-studio")


def spans(doc: dict) -> list[dict]:
    """The report's labelled spans in text order, each span once (the first label given wins)."""
    text, seen, out = doc.get("text") or "", set(), []
    for category, lab in LABELS.items():
        for item in doc.get(category) or []:
            ms = [item.get("evidence") or {}] if category == "events" else item.get("mentions") or []
            for m in ms:
                s, e = m.get("start"), m.get("end")
                if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)) or (s, e) in seen:
                    continue
                seen.add((s, e))
                out.append({"start": s, "end": e, "label": lab, "reviewed": bool(item.get("reviewed")),
                            "confidence": item.get("confidence")})
    return sorted(out, key=lambda sp: (sp["start"], sp["end"]))


def record(doc: dict, fmt: str, decisions: int) -> dict:
    text, sps = doc.get("text") or "", spans(doc)
    meta = {"report_id": doc.get("report_id"), "decisions": decisions,
            "reviewed_spans": sum(sp["reviewed"] for sp in sps)}
    if fmt == "spacy":
        return {"text": text, "spans": [{k: sp[k] for k in ("start", "end", "label")} for sp in sps], "meta": meta}
    result = [{"id": f"s{i}", "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": sp["start"], "end": sp["end"], "text": text[sp["start"]:sp["end"]],
                         "labels": [sp["label"]]}} for i, sp in enumerate(sps)]
    return {"data": {"text": text, "report_id": doc.get("report_id")}, "annotations": [{"result": result}], "meta": meta}


def records(docs: Iterator[tuple[dict, int]], fmt: str) -> Iterator[dict]:
    """(report, number of decisions) -> export records."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: one of {', '.join(FORMATS)}")
    for doc, n in docs:
        yield record(doc, fmt, n)
