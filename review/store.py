"""A report's two states on disk: the machine's pass (`OUT/_machine/<report_id>.json`, written by
the batch before the reviews are applied) and the reviewed output (`OUT/<report_id>.json`).

Reviews are always applied to the machine's pass, never to an output that already has them: so a
withdrawn decision (`review drop`) is undone by the next `review apply`, and `review list` tells
what each decision did (an applied reject rejected something; an added item was added) rather than
what is left to do on an output that already has it. Outputs written before the machine's pass was
kept have no such file: they are their own base, as before.
"""
from pathlib import Path

import models
from pipeline.files import PathError, inside, write_atomic
from pipeline.slug import check_report_id
from review.apply import Outcome, apply_to_dict
from review.decisions import ReviewError, load_reviews, locked
from review.outputs import output_path, read_json

MACHINE = "_machine"


def machine_path(out_dir: Path, report_id: str) -> Path:
    try:
        return inside(Path(out_dir) / MACHINE, f"{check_report_id(report_id)}.json")
    except PathError as e:
        raise ValueError(str(e)) from None


def save_machine(out_dir: Path, text: str | bytes, report_id: str) -> None:
    """Keep the machine's pass of a report (its JSON) beside the outputs."""
    path = machine_path(out_dir, report_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)


def base_doc(out_dir: Path, report_id: str) -> dict | None:
    """The machine's pass of a report, or its output when none was kept; None when neither is there.
    ValueError when the file cannot be read."""
    for path in (machine_path(out_dir, report_id), output_path(out_dir, report_id)):
        if path.exists():
            doc = read_json(path)
            if not isinstance(doc, dict) or doc.get("report_id") != report_id:
                raise ValueError(f"{path}: not the report {report_id!r}")
            return doc
    return None


def outcomes(out_dir: Path, reviews_dir: Path, report_id: str, decisions=None) -> list[Outcome]:
    """What each decision does to the machine's pass (none when the report has no output)."""
    doc = base_doc(out_dir, report_id)
    if doc is None:
        return []
    if decisions is None:
        decisions = load_reviews(reviews_dir, report_id).decisions
    return apply_to_dict(doc, decisions)[1]


def reapply(out_dir: Path, reviews_dir: Path, report_id: str) -> tuple[dict, list[Outcome]]:
    """Write OUT/<report_id>.json as the machine's pass with every decision applied, under the
    reviews file's lock (the last writer has read every decision recorded before it). ReviewError
    when the reviews cannot be read; ValueError when the report cannot."""
    with locked(reviews_dir, report_id):
        base = base_doc(out_dir, report_id)
        if base is None:
            raise ValueError(f"{output_path(out_dir, report_id)} does not exist")
        doc, done = apply_to_dict(base, load_reviews(reviews_dir, report_id).decisions)
        report = models.Report.model_validate(doc)
        write_atomic(output_path(out_dir, report_id), report.model_dump_json(indent=2) + "\n")
        return report.model_dump(mode="json"), done


__all__ = ["MACHINE", "ReviewError", "base_doc", "machine_path", "outcomes", "reapply", "save_machine"]
