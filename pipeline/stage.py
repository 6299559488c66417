"""Stages by name, as spaCy's components: `@stage(name, requires=..., assigns=...)` registers a
function `(doc: ReportDoc) -> None` that adds the layers it assigns; `check(names)` says whether a
list of stages can run in that order (each layer a stage requires is given or assigned before it)."""
from dataclasses import dataclass, fields
from typing import Callable

from pipeline.doc import ReportDoc

LAYERS = {f.name for f in fields(ReportDoc)}


@dataclass(frozen=True)
class Stage:
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    run: Callable[[ReportDoc], None]


REGISTRY: dict[str, Stage] = {}


def stage(name: str, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()):
    """Register the decorated function as the stage `name`; the function is returned unchanged."""
    def register(fn: Callable[[ReportDoc], None]):
        unknown = set(requires + assigns) - LAYERS
        if unknown:
            raise ValueError(f"stage {name!r}: {sorted(unknown)} are no fields of ReportDoc")
        REGISTRY[name] = Stage(name, tuple(requires), tuple(assigns), fn)
        return fn
    return register


def check(names: tuple[str, ...], given: tuple[str, ...] = ()) -> list[Stage]:
    """The registered stages `names`, in order; ValueError unless each one's requires are `given`
    or assigned by a stage before it."""
    have, out = set(given), []
    for name in names:
        if name not in REGISTRY:
            raise ValueError(f"no stage {name!r}; registered: {', '.join(sorted(REGISTRY))}")
        s = REGISTRY[name]
        missing = [r for r in s.requires if r not in have]
        if missing:
            raise ValueError(f"stage {name!r} requires {', '.join(missing)}, which no stage before it assigns")
        have |= set(s.assigns)
        out.append(s)
    return out
