"""Grouping the mentions of a name into persons: one record each, the surname all its mentions
agree on, the fullest name, every post."""
import re

from pipeline.layers import PersonHit, PositionHit
from pipeline.persons.mentions import Mention
from pipeline.persons.surnames import given_nominative, surname_like
from pipeline.tokens import key


def group(toks, mentions: list[Mention]) -> list[PersonHit]:
    groups: list[list[Mention]] = []
    options: list[set[str]] = []          # the surnames every mention of the group allows
    for m in mentions:
        opts = {key(n) for n, _ in m.chosen}
        best = None
        for gi in range(len(groups) - 1, -1, -1):
            if opts & options[gi] and _compatible(toks, groups[gi], m):
                best = gi
                break
        if best is None:
            groups.append([m])
            options.append(opts)
        else:
            groups[best].append(m)
            options[best] &= opts
    persons = []
    for g in groups:
        if all(x.source == "natasha1" for x in g) and not any(x.positions or x.hon is not None for x in g):
            if not all(surname_like(toks[x.surname]) for x in g):
                continue
        surname, gender = _resolve(g)
        if surname.isupper() and len(surname) > 3:
            surname = "-".join(w.capitalize() for w in surname.split("-"))   # "АРТАМОНОВ" -> "Артамонов"
        lead = next((x for x in g if x.particles), None)
        if lead is not None:
            surname = " ".join(toks[k].text for k in lead.particles) + " " + surname
        persons.append(PersonHit(_full_name(toks, g, surname, gender), surname,
                                 sorted({(toks[x.a].start, toks[x.b - 1].end) for x in g}),
                                 _dedupe_positions([p for x in g for p in x.positions])))
    return persons


def _compatible(toks, g: list[Mention], m: Mention) -> bool:
    mine = _first_letter(toks, m)
    if not mine:
        return True
    theirs = {_first_letter(toks, x) for x in g} - {""}
    return not theirs or mine in theirs


def _first_letter(toks, m: Mention) -> str:
    if m.initials:
        return m.initials[0]
    if m.given is not None:
        return toks[m.given].text[:1].upper()
    return ""


def _resolve(g: list[Mention]) -> tuple[str, str]:
    """The surname in the nominative all mentions agree on, the most telling mention first."""
    common = None
    for x in g:
        opts = [(key(n), gd) for n, gd in x.chosen]
        common = opts if common is None else [o for o in common if o in opts] or common
    ranked = sorted(g, key=lambda x: len(x.chosen))
    for x in ranked:
        for n, gd in x.chosen:
            if (key(n), gd) in common:
                return n, gd
    return g[0].chosen[0]


def _full_name(toks, g: list[Mention], surname: str, gender: str) -> str:
    full = next((x for x in g if x.given is not None), None)
    if full is not None:
        parts = [surname, given_nominative(toks[full.given], gender)] + [toks[k].text for k in full.more]
        if full.patr is not None:
            parts.append(given_nominative(toks[full.patr], gender, patr=True))
        return " ".join(parts)
    inits = max((x.initials for x in g), key=len, default="")
    return f"{surname} {inits}".strip()


def _dedupe_positions(ps: list[PositionHit]) -> list[PositionHit]:
    out, seen = [], set()
    for p in ps:
        k = re.sub(r"\W+", " ", key(p.title)).strip()
        if k in seen:
            continue
        seen.add(k)
        out.append(p)
    return out
