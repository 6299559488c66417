"""The `structure` stage: paragraphs, sections with levels, questionnaire answers, next-year tasks,
the year.

Pure functions of the cleaned text (and of the headings the reader knew); patterns live in
rules/structure.toml.
"""
import re
from collections import Counter
from pipeline import rules
from pipeline.doc import ReportDoc
from pipeline.ingest.clean import LIST_ITEM
from pipeline.layers import AnswerHit, Para, SectionHit, Structure, TaskHit
from pipeline.stage import stage

R = rules.load("structure")
QUESTIONS = {kind: [re.compile(p, re.I) for p in pats] for kind, pats in R["questions"].items()}
AREA = [re.compile(p, re.I) for p in R["headings"]["area"]]
THIRD = [re.compile(p, re.I) for p in R["headings"]["third_level"]]
TITLE = [re.compile(p, re.I) for p in R["title"]["pattern"]]
YEAR_STATED = [re.compile(p, re.I) for p in R["year"]["stated"]]
YEAR_PLANNED = [re.compile(p, re.I) for p in R["year"]["planned"]]
SETTLEMENT = re.compile(R["headings"]["settlement"])
TASK_YEAR = re.compile(R["tasks"]["year"])


def paragraphs(text: str) -> list[Para]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append(Para(pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def question_kind(line: str) -> str | None:
    for kind, pats in QUESTIONS.items():
        if any(p.search(line) for p in pats):
            return kind
    return None


def is_heading_like(line: str, known: set[str]) -> bool:
    """A short capitalised line without final punctuation; where the reader knew the headings
    from the typography (PDF font, Word style), exactly those."""
    s = line.strip()
    if known:
        return s in known
    if len(s) > R["headings"]["max_chars"] or len(s.split()) > R["headings"]["max_words"]:
        return False
    if s.endswith((".", ",", ";", ":", "?", "!")) or LIST_ITEM.match(s):
        return False
    return (s[:1].isupper() or bool(SETTLEMENT.match(s))) and not re.match(r"^\d", s)


def classify(paras: list[Para], headings: list[str] = ()) -> list[Para]:
    known = {h.strip() for h in headings}
    for p in paras:
        kind = question_kind(p.text) if len(p.text) < 200 else None
        if kind and (p.text.rstrip().endswith("?") or len(p.text) < 80):
            p.role, p.kind = "question", kind
        elif LIST_ITEM.match(p.text):
            p.role = "item"
        elif is_heading_like(p.text, known):
            p.role = "heading"
    # The title block: heading-like lines at the top that are followed by another heading,
    # and lines that read like a title ("Отчёт …", "Администрация города …").
    for i, p in enumerate(paras):
        if p.role != "heading":
            break
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        if (nxt and nxt.role == "heading") or any(t.search(p.text) for t in TITLE):
            p.role = "title"
        else:
            break
    return paras


def heading_level(title: str, after: Para | None, parent_level2: str | None) -> int:
    if any(p.search(title) for p in AREA) or (after is not None and after.role == "question"):
        return 1
    if parent_level2 and any(p.search(title) for p in THIRD) and re.search(r"сотрудничеств|связ", parent_level2, re.I):
        return 3
    return 2


def reporting_year(text: str, paras: list[Para]) -> int | None:
    head = "\n".join(p.text for p in paras if p.role in ("title", "question"))
    for source in (head, text):
        planned = [m.span() for pat in YEAR_PLANNED for m in pat.finditer(source)]
        for pat in YEAR_STATED:
            for m in pat.finditer(source):
                if not any(a <= m.start(1) < b for a, b in planned):
                    return int(m.group(1))
        for pat in YEAR_PLANNED:
            m = pat.search(source)
            if m:
                return int(m.group(1)) - 1
    years = Counter(int(y) for y in re.findall(r"\b((?:19|20)\d\d)\s+(?:год|г\.)", text))
    return years.most_common(1)[0][0] if years else None


@stage("structure", requires=("text", "headings"), assigns=("structure",))
def structure(doc: ReportDoc) -> None:
    doc.structure = analyse_structure(doc.text, doc.headings)


def analyse_structure(text: str, headings: list[str] = ()) -> Structure:
    paras = classify(paragraphs(text), headings)
    st = Structure(paragraphs=paras)
    st.title = " ".join(p.text for p in paras if p.role == "title")
    st.year = reporting_year(text, paras)
    level2 = None
    for i, p in enumerate(paras):
        if p.role != "heading":
            continue
        after = paras[i + 1] if i + 1 < len(paras) else None
        level = heading_level(p.text, after, level2)
        if level == 1:
            level2 = None
        elif level == 2:
            level2 = p.text
        st.sections.append(SectionHit(p.text, level, p.start, p.end))
    _section_ends(st.sections, [p.start for p in paras if p.role == "question"], len(text))
    _answers(st, paras, len(text))
    _tasks(st, paras)
    return st


def _section_ends(sections: list[SectionHit], questions: list[int], n: int) -> None:
    """A section runs to the next heading of the same or a higher level; below level 1, also to
    the next question of the questionnaire (questions belong to the area)."""
    for i, s in enumerate(sections):
        ends = [t.start for t in sections[i + 1:] if t.level <= s.level][:1]
        if s.level > 1:
            ends += [q for q in questions if q > s.start][:1]
        s.end = min(ends + [n])


def _answers(st: Structure, paras: list[Para], n: int) -> None:
    level1 = [s for s in st.sections if s.level == 1]
    for i, p in enumerate(paras):
        if p.role != "question":
            continue
        end = n
        for q in paras[i + 1:]:
            if q.role == "question" or (q.role == "heading" and any(s.start == q.start for s in level1)):
                end = q.start
                break
        enclosing = [k for k, s in enumerate(st.sections) if s.start <= p.start < s.end]
        st.answers.append(AnswerHit(p.kind, p.text.strip(), p.start, _trim(st, end), enclosing[0] if enclosing else None))


def _trim(st: Structure, end: int) -> int:
    """Answer spans end at the last character of their last paragraph, not on the blank line."""
    last = [p.end for p in st.paragraphs if p.end <= end]
    return last[-1] if last else end


def _tasks(st: Structure, paras: list[Para]) -> None:
    for a in st.answers:
        if a.kind != "next_year_tasks":
            continue
        m = TASK_YEAR.search(a.question)
        year = int(m.group(1)) if m else (st.year + 1 if st.year else None)
        inside = [p for p in paras if a.start < p.start and p.end <= a.end]
        for p in inside:
            if p.role in ("heading", "title"):
                break
            marker = LIST_ITEM.match(p.text)
            start = p.start + (marker.end() if marker else 0)
            body = p.text[start - p.start:]
            stripped = body.rstrip(" ;.,")
            if stripped:
                st.tasks.append(TaskHit(year, stripped, start, start + len(stripped)))
