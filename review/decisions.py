"""Reviewers' decisions and where they are kept: `reviews/<report_id>.json` (or $CITY_REPORTS_REVIEWS).

A decision names an item by the same semantic key as `review.diff` (place name [+ kind], person
surname, organisation name, date value, quantity value + unit, event date + type [+ places], task
text), never by id or offset, so it survives re-runs and rule changes:

    reject  the item is dropped (and every reference to it)
    fix     one field gets the reviewer's value (country_code, kind, relation, name, position, type, ...)
    add     a missed item, grounded on every occurrence of its text

`review.apply` applies them after every machine pass; `review.record` checks and records new ones.
"""
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

import models
from pipeline.files import sha256_file, write_atomic
from review.diff import Category

MODEL = {"places": models.Place, "persons": models.Person, "organisations": models.Organisation, "dates": models.DateItem,
         "quantities": models.Quantity, "events": models.Event, "tasks": models.Task}
FIXABLE = {
    "places": ("name", "kind", "country_code", "relation"),
    "persons": ("name", "surname", "position"),
    "organisations": ("name", "kind"),
    "dates": ("value", "granularity"),
    "quantities": ("value", "unit", "approximate"),
    "events": ("type", "title", "date", "format"),
    "tasks": ("year", "text"),
}
PROBLEMS = ("stale", "unmatched", "invalid")
WARNING_CODE = "review_not_applied"


class ReviewError(Exception):
    """A reviews file that cannot be read, or a decision that cannot be recorded."""


class InvalidDecision(ReviewError):
    """A decision whose value the schema does not allow: never recorded."""


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["reject", "fix", "add"]
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
        what = self.text if self.action == "add" else ", ".join(f"{k}={v}" for k, v in self.match.items())
        extra = f" {self.field}={self.value!r}" if self.action == "fix" else ""
        return f"{self.action} {self.category} {what!r}{extra}"


class ReviewFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    report_id: str
    decisions: list[Decision] = []


def default_dir() -> Path:
    return Path(os.environ.get("CITY_REPORTS_REVIEWS", "reviews"))


def review_path(reviews_dir: Path, report_id: str) -> Path:
    return Path(reviews_dir) / f"{report_id}.json"


def load_reviews(reviews_dir: Path, report_id: str) -> ReviewFile:
    path = review_path(reviews_dir, report_id)
    if not path.exists():
        return ReviewFile(report_id=report_id)
    try:
        return ReviewFile.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ReviewError(f"{path}: cannot read reviews ({str(e).splitlines()[0]})") from None


def save_reviews(reviews_dir: Path, reviews: ReviewFile) -> Path:
    path = review_path(reviews_dir, reviews.report_id)
    write_atomic(path, reviews.model_dump_json(indent=2, exclude_defaults=True) + "\n")
    return path


def reviews_fingerprint(reviews_dir: Path, report_id: str) -> str:
    """Changes whenever the report's reviews file does: add it to the version a batch compares."""
    sha = sha256_file(review_path(reviews_dir, report_id))
    return f"reviews.{sha[:12]}" if sha else "reviews.none"
