"""The `structure` stage: paragraphs, sections with levels, questionnaire answers, next-year tasks,
the year (pipeline.report_year).

Pure functions of the cleaned text, the headings the reader knew and the layout (news furniture is
no section); patterns live in rules/structure.toml. A heading is nominal: a line with a finite verb
("Калуга и Минск станут побратимами", a text cut off in mid-sentence) is prose.
"""
import re
from bisect import bisect_right

from pipeline import morph, rules
from pipeline.doc import ReportDoc
from pipeline.ingest.clean import LIST_ITEM
from pipeline.layers import AnswerHit, Layout, Para, SectionHit, Structure, TaskHit
from pipeline.report_year import reporting_year
from pipeline.spans import SpanIndex
from pipeline.stage import stage

R = rules.load("structure")
QUESTIONS = {kind: [re.compile(p, re.I) for p in pats] for kind, pats in R["questions"].items()}
AREA = [re.compile(p, re.I) for p in R["headings"]["area"]]
THIRD = [re.compile(p, re.I) for p in R["headings"]["third_level"]]
TITLE = [re.compile(p, re.I) for p in R["title"]["pattern"]]
SETTLEMENT = re.compile(R["headings"]["settlement"])
NUMBERED = re.compile(R["headings"]["numbered"])
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
    """A short capitalised line without final punctuation and without a finite verb; where the
    reader knew the headings from the typography (PDF font, Word style), exactly those."""
    s = line.strip()
    if known:
        return s in known
    if len(s) > R["headings"]["max_chars"] or len(s.split()) > R["headings"]["max_words"]:
        return False
    if s.endswith((".", ",", ";", ":", "?", "!")) or LIST_ITEM.match(s):
        return False
    if not NUMBERED.match(s) and (not (s[:1].isupper() or SETTLEMENT.match(s)) or re.match(r"^\d", s)):
        return False
    return not any(_finite(w) for w in re.findall(r"[а-яёА-ЯЁ]+", s)[:R["headings"]["max_words"]])


def _finite(word: str) -> bool:
    """Every reading of the word is a finite verb or a short participle ('станут', 'оказано')."""
    parses = morph.parse(word.lower())
    return bool(parses) and all(p.tag.POS in ("VERB", "PRTS") for p in parses)


def classify(paras: list[Para], headings: list[str] = (), layout: Layout | None = None) -> list[Para]:
    known = {h.strip() for h in headings}
    furniture = SpanIndex((f.start, f.end) for f in layout.furniture) if layout is not None else None
    for p in paras:
        kind = question_kind(p.text) if len(p.text) < 200 else None
        if furniture is not None and _furniture(furniture, p):
            p.role = "furniture"
        elif kind and (p.text.rstrip().endswith("?") or len(p.text) < 80):
            p.role, p.kind = "question", kind
        elif LIST_ITEM.match(p.text):
            p.role = "item"
        elif is_heading_like(p.text, known):
            p.role = "heading"
    # The title block: heading-like lines at the top that are followed by another heading,
    # and lines that read like a title ("Отчёт …", "Администрация города …").
    top = [p for p in paras if p.role != "furniture"]
    for i, p in enumerate(top):
        if p.role == "body" and _reads_like_title(p.text):
            p.role = "title"    # a Word or PDF title line the typography did not mark as a heading
            continue
        if p.role != "heading":
            break
        nxt = top[i + 1] if i + 1 < len(top) else None
        if (nxt and nxt.role == "heading") or any(t.search(p.text) for t in TITLE):
            p.role = "title"
        else:
            # a first line over prose is the text's title, unless it names an area of the report
            if i == 0 and nxt is not None and nxt.role == "body" and not any(a.search(p.text) for a in AREA) \
                    and not NUMBERED.match(p.text) and not (layout and layout.spans({"headline"})):
                p.role = "title"
            break
    return paras


def _reads_like_title(text: str) -> bool:
    return len(text) <= R["headings"]["max_chars"] and not text.rstrip().endswith((".", "!", "?", ";", ":")) \
        and any(t.search(text) for t in TITLE)


def _furniture(furniture: SpanIndex, p: Para) -> bool:
    """Most of the paragraph is news furniture (a headline, a dateline, a credit, …)."""
    covered = sum(max(0, min(p.end, b) - max(p.start, a))
                  for a, b in (furniture.spans[k] for k in furniture.overlapping(p.start, p.end)))
    return covered >= 0.9 * (p.end - p.start)


def heading_level(title: str, after: Para | None, parent_level2: str | None) -> int:
    if any(p.search(title) for p in AREA) or (after is not None and after.role == "question"):
        return 1
    if parent_level2 and any(p.search(title) for p in THIRD) and re.search(r"сотрудничеств|связ", parent_level2, re.I):
        return 3
    return 2


@stage("structure", requires=("text", "headings", "layout"), assigns=("structure",))
def structure(doc: ReportDoc) -> None:
    doc.structure = analyse_structure(doc.text, doc.headings, doc.layout)


def analyse_structure(text: str, headings: list[str] = (), layout: Layout | None = None) -> Structure:
    layout = layout or Layout()
    paras = classify(paragraphs(text), headings, layout)
    st = Structure(paragraphs=paras)
    st.title = " ".join(p.text for p in paras if p.role == "title")
    st.year, st.year_source = reporting_year(text, paras, layout)
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
    questions = sorted(questions)
    nearest: dict[int, int] = {}  # level -> start of the nearest later section of that level or higher
    top = max((s.level for s in sections), default=0)
    for s in reversed(sections):
        ends = [nearest[s.level]] if s.level in nearest else []
        if s.level > 1:
            k = bisect_right(questions, s.start)
            ends += questions[k:k + 1]
        s.end = min(ends + [n])
        for level in range(s.level, top + 1):
            nearest[level] = s.start


def _answers(st: Structure, paras: list[Para], n: int) -> None:
    level1 = {s.start for s in st.sections if s.level == 1}
    ends = [p.end for p in st.paragraphs]  # in text order
    sections = SpanIndex((s.start, s.end) for s in st.sections)
    for i, p in enumerate(paras):
        if p.role != "question":
            continue
        end = n
        for q in paras[i + 1:]:
            if q.role == "question" or (q.role == "heading" and q.start in level1):
                end = q.start
                break
        enclosing = sections.holding(p.start)
        st.answers.append(AnswerHit(p.kind, p.text.strip(), p.start, _trim(ends, end), enclosing[0] if enclosing else None))


def _trim(ends: list[int], end: int) -> int:
    """Answer spans end at the last character of their last paragraph, not on the blank line."""
    k = bisect_right(ends, end)
    return ends[k - 1] if k else end


def _tasks(st: Structure, paras: list[Para]) -> None:
    starts = [p.start for p in paras]   # paragraphs in text order
    for a in st.answers:
        if a.kind != "next_year_tasks":
            continue
        m = TASK_YEAR.search(a.question)
        year = int(m.group(1)) if m else (st.year + 1 if st.year else None)
        inside = [p for p in paras[bisect_right(starts, a.start):bisect_right(starts, a.end)] if p.end <= a.end]
        for p in inside:
            if p.role in ("heading", "title"):
                break
            marker = LIST_ITEM.match(p.text)
            start = p.start + (marker.end() if marker else 0)
            body = p.text[start - p.start:]
            stripped = body.rstrip(" ;.,")
            if stripped:
                st.tasks.append(TaskHit(year, stripped, start, start + len(stripped)))
