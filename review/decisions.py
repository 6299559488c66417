"""Reviewers' decisions and where they are kept: `OUT/_reviews/<report_id>.json` beside the output
folder's JSON (or $CITY_REPORTS_REVIEWS), written under a file lock.

A decision names an item by the same semantic key as `review.diff` (place name [+ kind], person
surname, organisation name, date value, quantity value + unit, event date + type [+ places], task
text), never by id or offset, so it survives re-runs and rule changes:

    accept  the item is right as it is: marked `reviewed`
    reject  the item is dropped (and every reference to it)
    fix     one field gets the reviewer's value (country_code, kind, relation, name, position, type, ...)
    add     a missed item, grounded on every occurrence of its text

`review.apply` applies them after every machine pass; `review.record` checks and records new ones.

Every read-modify-write of a reviews file holds its lock (`locked`), so commands run at once never
lose a decision. A reviews file that cannot be read (broken JSON, over the size limit) is never
rewritten or moved by a command: the batch extracts the report without it and warns
(`reviews_unreadable`), and the review commands refuse to record into it until it is repaired.
"""
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field

import models
from pipeline.files import FileReadError, PathError, SettingError, env_limit, inside, read_regular, sha256_bytes, \
    write_atomic
from pipeline.slug import REPORT_ID, check_report_id
from review.reports import Category
from review.words import field_word, value_words

MODEL = {"places": models.Place, "persons": models.Person, "organisations": models.Organisation, "dates": models.DateItem,
         "quantities": models.Quantity, "events": models.Event, "tasks": models.Task}
FIXABLE = {
    "places": ("name", "kind", "country_code", "relation", "tie_since"),
    "persons": ("name", "surname", "position"),
    "organisations": ("name", "kind"),
    "dates": ("value", "granularity"),
    "quantities": ("value", "unit", "approximate"),
    "events": ("type", "title", "date", "format", "places"),
    "tasks": ("year", "text"),
}
PROBLEMS = ("stale", "unmatched", "invalid")
WARNING_CODE = "review_not_applied"
UNREADABLE_CODE = "reviews_unreadable"
REVIEWS_ENV = "CITY_REPORTS_REVIEWS"
FOLDER = "_reviews"  # OUT/_reviews/: never an input (batch.inputs skips "_" names), never pruned
MAX_BYTES_ENV = "CITY_REPORTS_MAX_REVIEW_BYTES"
MAX_BYTES = 4 * 1024 * 1024  # thousands of decisions; a reviews file larger than this is not read
LOCK_TIMEOUT = 60.0  # seconds a command waits for another one writing the same reviews file


class ReviewError(Exception):
    """A reviews file that cannot be read, or a decision that cannot be recorded."""


class InvalidDecision(ReviewError):
    """A decision whose value the schema does not allow: never recorded."""


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["accept", "reject", "fix", "add"]
    category: Category
    match: dict[str, Any] = {}      # reject/fix: semantic key fields, e.g. {"name": "Корея"}
    field: str | None = None        # fix: which field
    value: Any = None               # fix: the reviewer's value
    old: Any = None                 # fix: the machine's value when recorded (position: the title replaced)
    text: str | None = None         # add: the text the item is grounded on
    fields: dict[str, Any] = {}     # add: the item's fields
    texts: list[str] = []           # surface forms the decision is about: gone from the text = stale
    note: str | None = None
    recorded_at: str | None = None

    def describe(self) -> str:
        """In words: "fix places Тиват (city): country code → ME", "add places «Пухов»"."""
        if self.action == "add":
            what = f"«{value_words(self.text)}»"
        else:
            key = [value_words(v) for k, v in self.match.items() if v not in (None, [], "") and k != "kind"]
            what = " ".join(key) + (f" ({self.match['kind']})" if self.match.get("kind") else "")
        extra = f": {field_word(self.field or '')} → {value_words(self.value)}" if self.action == "fix" else ""
        return f"{self.action} {self.category} {what}{extra}"


class ReviewFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    report_id: str = Field(pattern=f"^{REPORT_ID.pattern}$")
    decisions: list[Decision] = []


def same_item(a: "Decision", b: "Decision") -> bool:
    """Two decisions on the same item, so that the later one replaces the earlier: the same text
    added, or the same item accepted, rejected or fixed (a fix replaces a fix of the same field, an
    accept or a reject replaces every decision on the item, and is replaced by a fix)."""
    if a.category != b.category or (a.action == "add") != (b.action == "add"):
        return False
    if a.action == "add":
        return " ".join((a.text or "").lower().split()) == " ".join((b.text or "").lower().split())
    if a.match != b.match:
        return False
    return a.field == b.field or "fix" not in (a.action, b.action) or b.action in ("accept", "reject")


def reviews_dir(out_dir: Path) -> Path:
    """Where the reviews of the reports in `out_dir` are kept: $CITY_REPORTS_REVIEWS when set, else
    `out_dir/_reviews/`. Never the working directory: the same command gives the same reviews
    wherever it is started."""
    env = os.environ.get(REVIEWS_ENV, "").strip()
    if env:
        folder = Path(env)
        if folder.exists() and not folder.is_dir():
            raise SettingError(f"{REVIEWS_ENV}={env!r} is not a folder")
        return folder
    return Path(out_dir) / FOLDER


def legacy_notice(out_dir: Path) -> str | None:
    """A notice when ./reviews/ (where reviews were kept before they moved beside the outputs) holds
    reviews files that this output folder does not use."""
    old, new = Path("reviews"), reviews_dir(out_dir)
    try:
        if os.environ.get(REVIEWS_ENV) or not old.is_dir() or old.resolve() == new.resolve():
            return None
        n = sum(1 for p in old.glob("*.json") if p.is_file())
    except OSError:
        return None
    if not n:
        return None
    return (f"./reviews/ holds {n} reviews file(s) that are no longer read: reviews now live beside the outputs, "
            f"in {new}/; move them there (mv reviews/*.json {new}/) or set {REVIEWS_ENV}=reviews")


def max_bytes() -> int:
    return env_limit(MAX_BYTES_ENV, MAX_BYTES)


def review_path(reviews_dir: Path, report_id: str) -> Path:
    """The reviews file of a report; ReviewError unless `report_id` is an id whose file stays in the folder."""
    try:
        return inside(Path(reviews_dir), f"{check_report_id(report_id)}.json")
    except (ValueError, PathError) as e:
        raise ReviewError(str(e)) from None


@dataclass
class Reviews:
    """A report's reviews as a batch reads them: the decisions, a fingerprint of the file's bytes
    (what the batch compares to re-run a report), and the problem when the file cannot be used."""

    file: ReviewFile
    fingerprint: str
    problem: str | None = None


def read_reviews(reviews_dir: Path, report_id: str) -> Reviews:
    """The reviews of a report, never raising on a bad file: its problem is returned instead (one line)."""
    path = review_path(reviews_dir, report_id)
    empty = ReviewFile(report_id=report_id)
    try:
        data = read_regular(path, max_bytes())
    except FileReadError as e:
        if not os.path.lexists(path):
            return Reviews(empty, "reviews.none")
        return Reviews(empty, f"reviews.unreadable.{_stat_key(path)}", f"{path}: {e}")
    fingerprint = f"reviews.{sha256_bytes(data)[:12]}"
    try:
        rf = ReviewFile.model_validate_json(data)
    except ValueError as e:
        return Reviews(empty, fingerprint, f"{path}: not a reviews file ({_first_line(e)})")
    if rf.report_id != report_id:
        return Reviews(empty, fingerprint, f"{path}: holds the reviews of {rf.report_id!r}, not {report_id!r}")
    return Reviews(rf, fingerprint)


def _stat_key(path: Path) -> str:
    try:
        st = os.stat(path)
        return f"{st.st_size}.{st.st_mtime_ns}"
    except OSError:
        return "x"


def _first_line(e: Exception) -> str:
    lines = [line for line in str(e).splitlines() if line.strip()]
    return " ".join(lines[:3])[:300]


def load_reviews(reviews_dir: Path, report_id: str) -> ReviewFile:
    """The reviews of a report (none when it has no file); ReviewError when the file cannot be used."""
    r = read_reviews(reviews_dir, report_id)
    if r.problem:
        raise ReviewError(f"cannot read reviews: {r.problem}; repair or move the file (it is left as it is)")
    return r.file


def save_reviews(reviews_dir: Path, reviews: ReviewFile) -> Path:
    """Write a reviews file (callers that read it first hold `locked`)."""
    path = review_path(reviews_dir, reviews.report_id)
    write_atomic(path, reviews.model_dump_json(indent=2, exclude_defaults=True) + "\n")
    return path


@contextmanager
def locked(reviews_dir: Path, report_id: str) -> Iterator[Path]:
    """Hold the lock of a report's reviews file for a read-modify-write (other commands wait)."""
    from filelock import FileLock, Timeout

    path = review_path(reviews_dir, report_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path.parent / f".{report_id}.lock"), timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        raise ReviewError(f"{path} is being written by another command for over {LOCK_TIMEOUT:.0f} s; "
                          "try again") from None
    try:
        yield path
    finally:
        lock.release()


def reviews_fingerprint(reviews_dir: Path, report_id: str) -> str:
    """Changes whenever the report's reviews file does: part of the version a batch compares."""
    return read_reviews(reviews_dir, report_id).fingerprint
