"""The reporting year: the year of the activity a text describes (rules/structure.toml [year]).

    reporting_year(text, paragraphs, layout) -> (year, source)   # source "title" | "dateline" | "text"

In this order:
1. a statement in the title block or a questionnaire's questions ("Отчёт … за 2013", "итоги 2021
   года", "Что удалось сделать в 2021 году?"); in a news headline only a report's title ("Отчёт …
   за 2013: …");
2. the dateline's year ("14:27, 25 мая 2018", "© 2007, «…»");
3. the planning year of a questionnaire ("Какие задачи стоят на 2024 год?") less one;
4. the year of the first body paragraph when it opens with a dated day ("23 марта 2016 года
   состоялась …"), else the latest year the text dates something with, leaving out history and plans:
   "с 1989 года", "до 2025 года", "на 2026-2027 годы", "к 2030 году", and every year of a sentence that
   plans or foretells ("планируется", "по прогнозам", "станет", "увеличится");
5. else the most frequent year written with a year word.
"""
import re
from collections import Counter

import razdel

from pipeline import morph, rules
from pipeline.grammars.dates import matches
from pipeline.layers import Layout, Para

R = rules.load("structure")["year"]
STATED = [re.compile(p, re.I) for p in R["stated"]]
REPORT_TITLE = [re.compile(p, re.I) for p in R["report_title"]]
PLANNED = [re.compile(p, re.I) for p in R["planned"]]
NOT_ACTIVITY_BEFORE = re.compile(R["not_activity_before"], re.I)
SINCE = {w.lower() for w in rules.load("dates")["prepositions"]["from"]}
FORETELLS = [re.compile(p, re.I) for p in R["foretells"]]
WORD = re.compile(r"[а-яё]+", re.I)


def reporting_year(text: str, paras: list[Para], layout: Layout) -> tuple[int | None, str | None]:
    head = "\n".join(p.text for p in paras if p.role in ("title", "question"))
    headline = "\n".join(text[a:b] for a, b in layout.spans({"headline"}))
    for source, pats in ((head, STATED), (headline, REPORT_TITLE)):
        if year := _stated(source, pats):
            return year, "title"
    if layout.dateline is not None and layout.dateline.year is not None:
        return layout.dateline.year, "dateline"
    for pat in PLANNED:
        if m := pat.search(text):
            return int(m.group(1)) - 1, "text"
    body = [p for p in paras if p.role in ("body", "item", "heading", "title")
            and layout.kind_at(p.start) in (None, "headline", "lead")]
    if year := _activity_year(text, body):
        return year, "text"
    years = Counter(int(y) for y in re.findall(r"\b((?:19|20)\d\d)\s+(?:год|г\.)", text))
    return (years.most_common(1)[0][0], "text") if years else (None, None)


def _stated(source: str, pats) -> int | None:
    planned = [m.span() for pat in PLANNED for m in pat.finditer(source)]
    for pat in pats:
        for m in pat.finditer(source):
            if not any(a <= m.start(1) < b for a, b in planned):
                return int(m.group(1))
    return None


def _activity_year(text: str, paras: list[Para]) -> int | None:
    """The year of a dated lead, else the latest year of a dated statement that is no history or plan."""
    years = []
    first_body = next((p for p in paras if p.role == "body"), None)
    for p in paras:
        sentences = list(razdel.sentenize(p.text))
        for a, m in matches(p.text):
            f, pos = m.fact, a + m.start
            if f["y1"] is None or f["y2"] is not None or f["rel"] is not None:
                continue
            if m.tokens[0].value.lower() in SINCE or NOT_ACTIVITY_BEFORE.search(p.text[max(0, pos - 20):pos]):
                continue  # "с 1989 года", "до 2025 года", "на 2026 год"
            sentence = next((s.text for s in sentences if s.start <= pos < s.stop), p.text)
            if _foretells(sentence):
                continue
            if p is first_body and pos == 0 and f["d1"] is not None:
                return f["y1"]
            years.append(f["y1"])
    return max(years) if years else None


def _foretells(sentence: str) -> bool:
    if any(p.search(sentence) for p in FORETELLS):
        return True
    return any(_future_verb(w) for w in WORD.findall(sentence))


def _future_verb(word: str) -> bool:
    """A perfective verb in the non-past ('станет', 'увеличится'): a future happening."""
    parses = morph.parse(word)
    return bool(parses) and parses[0].score > 0.5 and {"VERB", "futr"} <= set(parses[0].tag.grammemes)
