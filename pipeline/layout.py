"""The `layout` stage: the furniture of a news item or press release, which is not its prose.

    analyse_layout(text) -> Layout(furniture=[Furniture(kind, start, end), ...], dateline, news)

The head of a text is its lines before the first body paragraph (a long line). There the stage finds
the dateline (rules/layout.toml: "14:27, 25 мая 2018", "(Казань, 28 декабря, «Татар-информ»)",
"2023-04-12 ТВЕРЬ, 12 апр - РИА Новости.", "Mar 21, 2014 02:22", "19.09.2020 12:16|Псков"), the
headline (the first line that is not furniture) and its repeats, the lead under it, captions (a line
said twice, the text before "Фото:"), rubric lines and bylines. Anywhere: photo credits, source lines
("Источник: …", "По материалам – URL", "© 2007, «…»", "//Регионы России", a press service's
signature), speakers' names over a transcript. A text with a dateline, a source, a credit, a byline or
a rubric is laid out as news (`news`); only then are its headline, leads and captions furniture.
"""
import re

import razdel

from pipeline import morph, rules
from pipeline.doc import ReportDoc
from pipeline.grammars.dates import MONTH_FORMS
from pipeline.layers import Dateline, Furniture, Layout
from pipeline.stage import stage

R = rules.load("layout")
Z = R["zones"]
RU_MONTHS = {**MONTH_FORMS, **R["months"]["ru"]}
EN_MONTHS = R["months"]["en"]
WEEKDAY_FORMS = {f for w in R["months"]["weekdays"] for f in ({w} | {p.word for x in morph.parse(w)[:1] for p in x.lexeme})}


def _alternation(words) -> str:
    return "(?i:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


_PLACEHOLDERS = {"{month}": _alternation(RU_MONTHS) + r"(?![а-яё])", "{en_month}": _alternation(EN_MONTHS),
                 "{weekday}": _alternation(WEEKDAY_FORMS), "{time}": R["dateline"]["time"]}


def _expand(pattern: str) -> re.Pattern:
    for k, v in _PLACEHOLDERS.items():
        pattern = pattern.replace(k, v)
    return re.compile(pattern)


DATELINES = [_expand(p) for p in R["dateline"]["patterns"]]
IN_BODY = DATELINES[:4]  # the agency and city forms also open a body paragraph: "(Казань, 28 декабря, «Татар-информ»). …"
BEFORE = [re.compile(p, re.I) for p in R["dateline"]["before"]]
CITY_AFTER = re.compile(R["dateline"]["city_after"])
COPYRIGHT = re.compile(R["dateline"]["copyright"], re.I)
LINES = {kind: [re.compile(p, re.I) for p in R["lines"][kind]] for kind in ("credit", "source", "byline", "rubric")}
SPEAKER = re.compile(R["lines"]["speaker"])
HEADLINE_MARKER = re.compile(R["lines"]["headline_marker"], re.I)
INLINE_SOURCE = re.compile(R["lines"]["inline_source"])
CREDIT_INLINE = re.compile(R["lines"]["credit_inline"])
RUBRIC_BELOW_HEADLINE = re.compile(R["lines"]["rubric_below_headline"], re.I)
RUBRICS = {n.lower().replace("ё", "е") for n in R["rubrics"]["names"]}
NEWS_KINDS = {"dateline", "source", "credit", "byline", "rubric", "agency"}


@stage("layout", requires=("text",), assigns=("layout",))
def layout(doc: ReportDoc) -> None:
    doc.layout = analyse_layout(doc.text)


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, line) of every non-blank line, without its outer spaces."""
    out, pos = [], 0
    for line in text.split("\n"):
        s = line.strip()
        if s:
            a = pos + line.index(s)
            out.append((a, a + len(s), s))
        pos += len(line) + 1
    return out


def _is_body(line: str) -> bool:
    """Prose: a long line with a sentence end, or two sentences; not a caption said twice."""
    ends = line.rstrip()[-1:] in ".!?…»\"" or ". " in line
    if len(line) >= Z["body_min_chars"]:
        return ends and not _doubled(line)
    return len(line) >= 60 and line.rstrip()[-1:] in ".!…" and len(list(razdel.sentenize(line))) >= 2


def _doubled(s: str) -> bool:
    half = len(s) // 2
    return len(s) > 20 and _key(s[:half]) == _key(s[half:])


def _key(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip(" \t-–—")).lower().replace("ё", "е")


def analyse_layout(text: str) -> Layout:
    lines = _lines(text)
    out = Layout()
    body = next((i for i, (_, _, s) in enumerate(lines) if _is_body(s)), len(lines))
    head = lines[:body]
    for a, b, s in lines:
        _whole_line(out, a, b, s)
    _dateline(out, head, lines[body] if body < len(lines) else None)
    for a, b, s in lines:
        if m := INLINE_SOURCE.search(s):
            out.furniture.append(Furniture("source", a + m.start() + 1, b))
    out.news = any(f.kind in NEWS_KINDS for f in out.furniture)
    if out.news:
        _head(out, head)
    out.furniture = sorted(set(out.furniture), key=lambda f: (f.start, -f.end))
    return out


def _whole_line(out: Layout, a: int, b: int, s: str) -> None:
    """Lines that are furniture wherever they stand."""
    short = len(s) <= Z["short_line_chars"]
    if m := COPYRIGHT.match(s):
        out.furniture.append(Furniture("source", a, b))
        if m.group("agency").strip():
            out.furniture.append(Furniture("agency", a + m.start("agency"), b))
        if out.dateline is None or out.dateline.day is None:
            out.dateline = Dateline(a + m.start("y"), a + m.end("y"), int(m.group("y")))
        return
    for kind in ("credit", "byline", "rubric", "source"):
        if short and any(p.search(s) for p in LINES[kind]):
            out.furniture.append(Furniture(kind, a, b))
            return
    if SPEAKER.match(s):
        out.furniture.append(Furniture("speaker", a, b))


def _dateline(out: Layout, head: list, first_body) -> None:
    """The first dateline of the head, or one opening the first body paragraph."""
    seen: list[str] = []
    candidates = [(x, DATELINES) for x in head] + ([(first_body, IN_BODY)] if first_body else [])
    for (a, b, s), patterns in candidates:
        for m in sorted((m for p in patterns for m in p.finditer(s)), key=lambda m: (m.start(), -m.end())):
            prefix = s[:m.start()]
            if patterns is IN_BODY and prefix.strip():
                break
            if not (any(p.match(prefix) for p in BEFORE) or _key(prefix) in seen):
                continue
            date = _parts(m)
            if date is None:
                continue
            y, mo, d = date
            city = m.group("city") if "city" in m.re.groupindex else None
            rest = s[m.end():]
            if c := CITY_AFTER.match(rest):
                city, m_end = c.group("city"), len(s)
            else:
                m_end = m.end()
            keep = out.dateline if out.dateline is not None and out.dateline.day is None and y is None else None
            starts = [m.start(g) for g in ("d", "m", "y") if m.group(g)]
            ends = [m.end(g) for g in ("d", "m", "y") if m.group(g)]
            out.dateline = Dateline(a + min(starts), a + max(ends), y if y is not None else (keep.year if keep else None),
                                    mo, d, city)
            start = a + (len(prefix) if _key(prefix) in seen else 0)
            out.furniture.append(Furniture("dateline", start, a + m_end))
            if "agency" in m.re.groupindex and m.group("agency"):
                out.furniture.append(Furniture("agency", a + m.start("agency"), a + m.end("agency")))
            if _key(prefix) in seen and prefix.strip():
                out.furniture.append(Furniture("headline", a, a + len(prefix.rstrip())))
            _rest(out, a + m_end, b, s[m_end:])
            return
        seen.append(_key(s))


def _parts(m: re.Match) -> tuple[int | None, int, int] | None:
    mo = m.group("m")
    month = int(mo) if mo.isdigit() else RU_MONTHS.get(mo.lower()) or EN_MONTHS.get(mo.lower()[:3])
    day, year = int(m.group("d")), int(m.group("y")) if m.group("y") else None
    if not month or not 1 <= month <= 12 or not 1 <= day <= 31 or (year is not None and not 1900 <= year <= 2100):
        return None
    return year, month, day


def _rest(out: Layout, a: int, b: int, rest: str) -> None:
    """What follows the dateline on its line: a rubric, a credit."""
    s = rest.strip()
    if not s or a >= b:
        return
    start = a + rest.index(s)
    if _rubric(s) or any(p.search(s) for p in LINES["rubric"]):
        out.furniture.append(Furniture("rubric", start, b))
    elif any(p.search(s) for p in LINES["credit"]):
        out.furniture.append(Furniture("credit", start, b))


def _rubric(s: str) -> bool:
    parts = [p for p in re.split(r"\s*(?:[|/]+|::|\s[–—-]\s)\s*", _key(s)) if p]
    return bool(parts) and all(p in RUBRICS for p in parts)


def _name_only(s: str) -> bool:
    """'Дмитрий Ивьев': a first name and one or two more capitalised words, nothing else."""
    words = s.split()
    if not 2 <= len(words) <= 3 or not all(re.fullmatch(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?", w) for w in words):
        return False
    return any("Name" in p.tag for p in morph.parse(words[0])[:2])


def _head(out: Layout, head: list) -> None:
    """The head of a news item: headline, its repeats, the lead, captions, rubric lines, bylines."""
    headline: str | None = None
    after_headline = False
    for a, b, s in head:
        free = _uncovered(out, a, b)
        if not free:
            after_headline = False if headline is not None else after_headline
            continue
        x, y = free[0]
        part = out_text = s[x - a:y - a].strip()
        x += s[x - a:y - a].index(part) if part else 0
        y = x + len(part)
        key = _key(part)
        if not part:
            continue
        if headline is None:
            if _rubric(part):
                out.furniture.append(Furniture("rubric", x, y))
                continue
            if len(part) <= Z["headline_max_chars"]:
                headline = key
                out.furniture.append(Furniture("headline", x, y))
                after_headline = True
            continue
        if key == headline or key.startswith(headline):
            out.furniture.append(Furniture("headline", x, x + len(part) if key == headline else x + _prefix_len(part, headline)))
            after_headline = False
            continue
        if m := CREDIT_INLINE.search(out_text):
            if m.start():
                out.furniture.append(Furniture("caption", x, x + m.start()))
            out.furniture.append(Furniture("credit", x + m.start() + 1, y))
            after_headline = False
            continue
        if _doubled(part):
            out.furniture.append(Furniture("caption", x, y))
        elif _rubric(part) or RUBRIC_BELOW_HEADLINE.match(part):
            out.furniture.append(Furniture("rubric", x, y))
        elif _name_only(part):
            out.furniture.append(Furniture("byline", x, y))
        elif after_headline and len(part) <= Z["lead_max_chars"]:
            out.furniture.append(Furniture("lead", x, y))
        after_headline = False


def _prefix_len(part: str, headline: str) -> int:
    """The length of `part`'s beginning that repeats the headline (spacing may differ)."""
    for n in range(len(headline), len(part) + 1):
        if _key(part[:n]) == headline:
            return n
    return len(part)


def _uncovered(out: Layout, a: int, b: int) -> list[tuple[int, int]]:
    """The stretches of [a, b) no furniture holds, longest first."""
    spans = sorted((max(a, f.start), min(b, f.end)) for f in out.furniture if f.start < b and f.end > a)
    free, pos = [], a
    for s, e in spans:
        if s > pos:
            free.append((pos, s))
        pos = max(pos, e)
    if pos < b:
        free.append((pos, b))
    return sorted((f for f in free if f[1] - f[0] > 1), key=lambda f: -(f[1] - f[0]))
