"""The items of the layers the stages add to a `ReportDoc`, shared so that no stage imports another.

Offsets are character offsets into the cleaned text; `mentions` are (start, end) pairs.
"""
from dataclasses import dataclass, field


# --- structure -----------------------------------------------------------------------------------

@dataclass
class Para:
    start: int
    end: int
    text: str
    role: str = "body"  # body | heading | question | title | item
    kind: str | None = None  # the answer kind of a question


@dataclass
class SectionHit:
    title: str
    level: int
    start: int
    end: int


@dataclass
class AnswerHit:
    kind: str
    question: str
    start: int
    end: int
    section: int | None  # index into sections


@dataclass
class TaskHit:
    year: int | None
    text: str
    start: int
    end: int


@dataclass
class Structure:
    paragraphs: list[Para]
    sections: list[SectionHit] = field(default_factory=list)
    answers: list[AnswerHit] = field(default_factory=list)
    tasks: list[TaskHit] = field(default_factory=list)
    year: int | None = None
    title: str = ""


# --- entities ------------------------------------------------------------------------------------

@dataclass
class PlaceHit:
    name: str
    kind: str
    country_code: str | None
    relation: str | None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    tie_since: int | None = None      # the year the tie to the reporting city was set up (the ties stage)


@dataclass
class OrganisationHit:
    name: str
    kind: str
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class PositionHit:
    title: str
    start: int
    end: int
    organisation: str | None = None   # the name of the organisation named inside the post


@dataclass
class PersonHit:
    name: str
    surname: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    positions: list[PositionHit] = field(default_factory=list)


@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    value: str
    granularity: str  # "year" | "month" | "day" | "range"


@dataclass(frozen=True)
class QuantityHit:
    start: int
    end: int
    value: float | int
    approximate: bool
    unit: str


@dataclass
class EventHit:
    type: str
    title: str
    trigger: str
    date: str | None
    format: str
    sentences: list[tuple[int, int]] = field(default_factory=list)
    section: int | None = None
