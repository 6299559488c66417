"""Pydantic v2 models of the reporting schema, version 1.

Field names and formats follow SCHEMA.md exactly. `Report` validates grounding: every offset lies
inside `text`, every mention's `text` equals `text[start:end]`, and every id an item cites exists.
"""
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.0"

AnswerKind = Literal["achievements", "peer_successes", "unresolved_problems", "next_year_tasks", "other"]
PlaceKind = Literal["city", "country", "region", "other"]
Relation = Literal["twin", "partner"]
OrganisationKind = Literal["government", "foreign_mission", "business", "education", "culture", "sport", "ngo", "other"]
Granularity = Literal["year", "month", "day", "range"]
EventType = Literal[
    "visit", "meeting", "conference", "festival", "exhibition", "competition", "ceremony",
    "trade_mission", "project", "other",
]
EventFormat = Literal["online", "offline", "mixed", "unknown"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Spanned(Model):
    """Has `start`/`end` offsets into the report text; the fields are declared where the schema puts them."""

    @model_validator(mode="after")
    def _ordered(self):
        if self.end < self.start:
            raise ValueError(f"end {self.end} before start {self.start}")
        return self


Offset = Field(ge=0)


class Span(Spanned):
    start: int = Offset
    end: int = Offset


class Mention(Spanned):
    start: int = Offset
    end: int = Offset
    text: str


class Source(Model):
    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    format: Literal["txt", "pdf", "docx", "rtf", "odt", "doc"]
    encoding: str | None
    pages: int | None


class PipelineInfo(Model):
    version: str
    extracted_at: str
    rules_sha256: str | None = Field(None, description="Hash of the rule data files the run used")


class City(Model):
    name: str
    country_code: str | None = Field(pattern=r"^[A-Z]{2}$")


class Section(Spanned):
    id: str
    title: str
    level: int = Field(ge=1)
    start: int = Offset
    end: int = Offset


class Answer(Spanned):
    id: str
    kind: AnswerKind
    question: str
    section_id: str | None
    start: int = Offset
    end: int = Offset


Mentions = Field(min_length=1)
Reviewed = Field(False, description="A reviewer fixed or added this item (reviews/<report_id>.json)")


class Place(Model):
    id: str
    name: str
    kind: PlaceKind
    country_code: str | None = Field(pattern=r"^[A-Z]{2}$")
    relation: Relation | None
    mentions: list[Mention] = Mentions
    reviewed: bool = Reviewed


class Position(Model):
    title: str
    organisation_id: str | None


class Person(Model):
    id: str
    name: str
    surname: str
    positions: list[Position]
    mentions: list[Mention] = Mentions
    reviewed: bool = Reviewed


class Organisation(Model):
    id: str
    name: str
    kind: OrganisationKind
    mentions: list[Mention] = Mentions
    reviewed: bool = Reviewed


class DateItem(Model):
    id: str
    value: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")
    granularity: Granularity
    mentions: list[Mention] = Mentions
    reviewed: bool = Reviewed


class Quantity(Model):
    id: str
    value: float | int
    approximate: bool
    unit: str
    mentions: list[Mention] = Mentions
    reviewed: bool = Reviewed


class Event(Model):
    id: str
    type: EventType
    title: str
    date: str | None
    format: EventFormat
    place_ids: list[str]
    person_ids: list[str]
    organisation_ids: list[str]
    quantity_ids: list[str]
    section_id: str | None
    evidence: Mention
    more_evidence: list[Mention] = Field([], description="Later sentences, outside the evidence's paragraph, that speak of the same event")
    reviewed: bool = Reviewed


class Task(Spanned):
    id: str
    year: int | None
    text: str
    start: int = Offset
    end: int = Offset
    reviewed: bool = Reviewed


class Warning(Model):
    code: str
    message: str
    start: int | None = None
    end: int | None = None


class Report(Model):
    schema_version: Literal["1.0"] = SCHEMA_VERSION
    report_id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    source: Source
    pipeline: PipelineInfo
    city: City | None
    year: int | None
    text: str
    sections: list[Section] = []
    answers: list[Answer] = []
    places: list[Place] = []
    persons: list[Person] = []
    organisations: list[Organisation] = []
    dates: list[DateItem] = []
    quantities: list[Quantity] = []
    events: list[Event] = []
    tasks: list[Task] = []
    warnings: list[Warning] = []

    @model_validator(mode="after")
    def _grounded(self):
        n = len(self.text)
        for where, span in self._spans():
            if span.end > n:
                raise ValueError(f"{where}: span {span.start}-{span.end} outside text of length {n}")
            if isinstance(span, Mention) and self.text[span.start:span.end] != span.text:
                raise ValueError(f"{where}: mention {span.text!r} is not text[{span.start}:{span.end}]")
        self._check_ids()
        return self

    def _spans(self):
        for key in ("sections", "answers", "tasks"):
            for item in getattr(self, key):
                yield f"{key}.{item.id}", item
        for key in ("places", "persons", "organisations", "dates", "quantities"):
            for item in getattr(self, key):
                for m in item.mentions:
                    yield f"{key}.{item.id}", m
        for event in self.events:
            for m in [event.evidence, *event.more_evidence]:
                yield f"events.{event.id}", m
        for w in self.warnings:
            if w.start is not None and w.end is not None:
                yield f"warnings.{w.code}", Span(start=w.start, end=w.end)

    def _check_ids(self):
        ids = {}
        for key in ("sections", "answers", "places", "persons", "organisations", "dates", "quantities", "events", "tasks"):
            for item in getattr(self, key):
                if item.id in ids:
                    raise ValueError(f"duplicate id {item.id!r}")
                ids[item.id] = key
        refs = [(a.section_id, "sections") for a in self.answers]
        refs += [(p.organisation_id, "organisations") for person in self.persons for p in person.positions]
        for e in self.events:
            refs.append((e.section_id, "sections"))
            for field, key in (("place_ids", "places"), ("person_ids", "persons"),
                               ("organisation_ids", "organisations"), ("quantity_ids", "quantities")):
                refs += [(i, key) for i in getattr(e, field)]
        for ref, key in refs:
            if ref is not None and ids.get(ref) != key:
                raise ValueError(f"id {ref!r} cited as one of {key} does not exist there")


def json_schema() -> str:
    """The JSON Schema of a report document, as committed in models/report.schema.json."""
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "city-reports/report.schema.json"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
