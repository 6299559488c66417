"""The items of the layers the stages add to a `ReportDoc`, shared so that no stage imports another.

Offsets are character offsets into the cleaned text; `mentions` are (start, end) pairs.
"""
from dataclasses import dataclass, field


# --- layout (news furniture) ---------------------------------------------------------------------

# Furniture kinds: "headline" (and its repeats), "lead" (the line under the headline), "caption",
# "dateline", "rubric", "byline", "speaker", "credit" (photo credits), "source", "agency".
# What furniture holds no mentions of: a byline names no person, a rubric no organisation; but the bodies
# named in a photo credit or a source line ("Фото: пресс-служба администрации Нерюнгринского района")
# are organisations, and places stay places there.
HIDES = {
    "persons": frozenset({"dateline", "rubric", "byline", "speaker", "credit", "source", "agency"}),
    "organisations": frozenset({"dateline", "rubric", "byline", "speaker", "agency"}),
    "places": frozenset({"rubric", "byline", "speaker"}),
    "quantities": frozenset({"dateline", "rubric", "byline", "speaker", "credit", "source", "agency"}),
}


@dataclass(frozen=True)
class Furniture:
    kind: str
    start: int
    end: int


@dataclass
class Dateline:
    """The date the item is dated with: the date phrase's span and its parts (a day may lack a year:
    "(Казань, 28 декабря, «Татар-информ»)"; "© 2007" is a year only)."""
    start: int
    end: int
    year: int | None
    month: int | None = None
    day: int | None = None
    city: str | None = None  # the place the dateline names, as written ("Псков", "ТВЕРЬ")


@dataclass
class Layout:
    furniture: list[Furniture] = field(default_factory=list)
    dateline: Dateline | None = None
    news: bool = False  # laid out as a news item: a dateline, a source line, a credit, a byline or a rubric

    def kind_at(self, pos: int) -> str | None:
        """The kind of the innermost furniture span that holds `pos`, or None in the body."""
        inside = [f for f in self.furniture if f.start <= pos < f.end]
        return min(inside, key=lambda f: f.end - f.start).kind if inside else None

    def spans(self, kinds) -> list[tuple[int, int]]:
        return [(f.start, f.end) for f in self.furniture if f.kind in kinds]


# --- structure -----------------------------------------------------------------------------------

@dataclass
class Para:
    start: int
    end: int
    text: str
    role: str = "body"  # body | heading | question | title | item | furniture (pipeline.layout)
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
    year_source: str | None = None  # "title" | "dateline" | "text": where the reporting year was read
    title: str = ""


@dataclass(frozen=True)
class ReportFacts:
    """What a long report's first part fixed for its later parts (pipeline.parts): the reporting city."""
    city_name: str | None
    city_country: str | None


# --- entities ------------------------------------------------------------------------------------

@dataclass
class PlaceHit:
    name: str
    kind: str
    country_code: str | None
    relation: str | None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    key: str | None = None             # the `keys` stage: a stable key across reports
    tie_since: int | None = None      # the year the tie to the reporting city was set up (the ties stage)


@dataclass
class OrganisationHit:
    name: str
    kind: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    key: str | None = None


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
    key: str | None = None


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
    year: int | None = None   # the year an indicator table gives the value for


@dataclass
class EventHit:
    type: str
    title: str
    trigger: str
    date: str | None
    format: str
    sentences: list[tuple[int, int]] = field(default_factory=list)
    section: int | None = None
    status: str = "happened"   # happened | planned | habitual | mentioned
    tense: str | None = None   # past | present | future, from the predicate
    clauses: list[tuple[int, int]] = field(default_factory=list)  # the predicates' clauses: where participants are named
