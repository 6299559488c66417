"""Did a later report of the same city report a task done? A first, honest heuristic.

A task for year Y of city C is checked in C's reports of year Y (outside their own task lists):
  * quantity: the task sets a number of something ("не менее чем до 25" международных мероприятий)
    and a quantity there counts the same thing (its unit is one of the task's words): the largest
    reaches it -> done, else not_done;
  * words: a sentence holds at least half of the task's content words (lemmas, rules.toml [tasks]:
    not the generic ones like "проведение") -> done, or not_done when that sentence says it did not
    happen ("не удалось", "перенесены", "приостановлено"); no such sentence -> not_reported.
No report of C for year Y -> no_later_report. It reads words, not meaning: a sentence that names the
same things for another reason counts too.
"""
import re
from dataclasses import dataclass
from functools import lru_cache

from review.compare.spill import Spill
from review.compare.text import data, sentences

R = data("rules")["tasks"]
GENERIC = set(R["generic"])
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
TARGET = re.compile(R["target"], re.I)


@lru_cache(maxsize=50_000)   # a few megabytes at most, however many words the reports hold
def lemma(word: str) -> str:
    from pipeline import morph

    # the analyser itself, not morph.parse: that one keeps every word's whole analysis (200,000 of them)
    return morph.analyzer().parse(word)[0].normal_form.replace("ё", "е")


def lemmas(text: str) -> frozenset[str]:
    return frozenset(lemma(x.lower()) for x in WORD.findall(text))


def content(text: str) -> frozenset[str]:
    return frozenset(w for w in lemmas(text) if len(w) >= 4 and w not in GENERIC)


def target(text: str) -> float | None:
    """The number a task sets ("не менее чем до 25", "до шести"), if it sets one."""
    m = TARGET.search(text)
    if not m:
        return None
    word = m.group(1)
    return float(word) if word.isdigit() else R["numbers"].get(lemma(word.lower()))


@dataclass
class TaskRef:
    report_id: str
    task_id: str
    year: int | None
    task_year: int | None
    text: str
    target: float | None   # the number it sets


@dataclass
class Outcome:
    outcome: str
    basis: str | None = None
    score: float | None = None
    evidence: str | None = None
    report_id: str | None = None


class Tasks:
    """Every task (keyed by its city and the year it is due) and every outcome found for one are kept
    in the spill (spill.py), not in memory."""

    def __init__(self, spill: Spill | None = None):
        self.spill = spill or Spill()

    def add(self, city: str, doc: dict) -> None:
        """Pass 1: the tasks of a report (and the numbers they set)."""
        for t in doc.get("tasks") or []:
            text = t.get("text") or ""
            ref = TaskRef(doc["report_id"], t.get("id", ""), doc.get("year"), t.get("year"), text, target(text))
            self.spill.add("task", [city, ref.task_year], list(vars(ref).values()))

    def check(self, city: str, doc: dict) -> None:
        """Pass 2: the tasks due in this report's city and year, against its text."""
        if doc.get("year") is None:
            return
        due = [r for r in (TaskRef(*v) for v in self.spill.values("task", [city, doc.get("year")]))
               if r.report_id != doc["report_id"]]
        if not due:
            return
        text = doc.get("text") or ""
        own = [(t.get("start", 0), t.get("end", 0)) for t in doc.get("tasks") or []]
        own += [(a.get("start", 0), a.get("end", 0)) for a in doc.get("answers") or [] if a.get("kind") == "next_year_tasks"]
        sents = [(text[a:b].strip(), content(text[a:b])) for a, b in sentences(text)
                 if not any(s <= a < e for s, e in own)]
        for ref in due:
            found = self._by_quantity(ref, doc) or self._by_words(ref, sents)
            if found is not None:
                found.report_id = doc["report_id"]
                self.spill.add("outcome", [ref.report_id, ref.task_id], list(vars(found).values()))

    def outcome(self, ref: TaskRef) -> Outcome | None:
        """The best outcome found for a task: the first of the highest score."""
        best = None
        for found in (Outcome(*v) for v in self.spill.values("outcome", [ref.report_id, ref.task_id])):
            if best is None or (found.score or 0) > (best.score or 0):
                best = found
        return best

    @staticmethod
    def _by_quantity(ref: TaskRef, doc: dict) -> Outcome | None:
        if ref.target is None:
            return None
        words = lemmas(ref.text)
        same = [q for q in doc.get("quantities") or [] if q.get("unit") in words
                and isinstance(q.get("value"), (int, float)) and not isinstance(q.get("value"), bool)]
        if not same:
            return None
        best = max(same, key=lambda q: q["value"])
        return Outcome("done" if best["value"] >= ref.target else "not_done", "quantity", 1.0,
                       (best.get("mentions") or [{}])[0].get("text"))

    @staticmethod
    def _by_words(ref: TaskRef, sents: list[tuple[str, frozenset[str]]]) -> Outcome | None:
        words = content(ref.text)
        if not words:
            return None
        need = min(R["min_words"], len(words))
        best = None
        for sent, lemmas in sents:
            hit = len(words & lemmas)
            share = hit / len(words)
            if hit < need or share < R["min_share"]:
                continue
            low = sent.lower().replace("ё", "е")
            negated = any(n in low for n in R["negation"])
            rank = (share, negated)
            if best is None or rank > best[0]:
                best = (rank, Outcome("not_done" if negated else "done", "words", round(share, 3), sent[:400]))
        return best[1] if best else None

    def rows(self, reports_of: dict[tuple[str, int], list[str]], city_of: dict[str, str]):
        """One row per task: `reports_of` (city, year) -> report ids; `city_of` report_id -> city."""
        for ref in (TaskRef(*v) for v in self.spill.values("task")):
            city = city_of[ref.report_id]
            where = [r for r in reports_of.get((city, ref.task_year), []) if r != ref.report_id]
            res = self.outcome(ref) or Outcome("not_reported" if where else "no_later_report")
            yield {"report_id": ref.report_id, "city": city, "year": ref.year, "task_id": ref.task_id,
                   "task_year": ref.task_year, "text": ref.text, "outcome": res.outcome, "checked_in": "; ".join(where),
                   "basis": res.basis, "score": res.score,
                   "evidence": f"{res.evidence} [{res.report_id}]" if res.evidence else None}
