"""`city-reports review ...`: reviewers' corrections in reviews/<report_id>.json, recorded, listed,
applied; and `review page`, one report's HTML review page."""
import json
from pathlib import Path

import typer

from cli.output import err, fail

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Reviewers' corrections in reviews/<report_id>.json, applied after every extraction.")

REVIEWS_OPT = typer.Option(None, "--reviews", help="Reviews folder (default reviews/, or $CITY_REPORTS_REVIEWS)")
EXTRACTED_OPT = typer.Option(Path("extracted"), "--extracted", help="Folder of extracted JSON")
APPLY_OPT = typer.Option(True, "--apply/--no-apply", help="Also apply the reviews to EXTRACTED/<report_id>.json now")
FORCE_OPT = typer.Option(False, "--force", help="Record even when the current extraction has no such item")
CATEGORY_ARG = typer.Argument(..., help="places | persons | organisations | dates | quantities | events | tasks")


def _reviews_dir(reviews: Path | None) -> Path:
    from review.decisions import default_dir

    return reviews or default_dir()


def _load_extracted(extracted: Path, report_id: str, required: bool) -> dict | None:
    path = extracted / f"{report_id}.json"
    if not path.exists():
        if required:
            fail(f"{path} does not exist: extract the report first, or record with --force")
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _record(report_id: str, decision, reviews: Path | None, extracted: Path, apply: bool, force: bool) -> None:
    from review.decisions import InvalidDecision, ReviewError
    from review.record import prepare, record

    doc = _load_extracted(extracted, report_id, required=not force)
    try:
        try:
            decision = prepare(decision, doc)
        except InvalidDecision as e:
            fail(f"{e} (nothing recorded)")
        except ReviewError as e:
            if not force:
                fail(f"{e} (nothing recorded; --force records it anyway)")
            decision = prepare(decision, None)
    except ReviewError as e:
        fail(f"{e} (nothing recorded)")
    path, n = record(_reviews_dir(reviews), report_id, decision)
    err.print(f"recorded #{n} in {path}: {decision.describe()}", highlight=False)
    if apply and doc is not None:
        _apply_one(report_id, _reviews_dir(reviews), extracted)


def _apply_one(report_id: str, reviews_dir: Path, extracted: Path) -> list[str]:
    import models
    from pipeline.files import write_atomic
    from review.apply import apply_reviews

    path = extracted / f"{report_id}.json"
    report = models.Report.model_validate(json.loads(path.read_text(encoding="utf-8")))
    report, messages = apply_reviews(report, reviews_dir)
    write_atomic(path, report.model_dump_json(indent=2) + "\n")
    for m in messages:
        err.print(f"[yellow]not applied:[/] {m}", highlight=False)
    err.print(f"applied to {path}", highlight=False)
    return messages


def _options(category: str, **given) -> dict:
    from review.record import number

    fields = {}
    for k, v in given.items():
        if v in (None, [], False):
            continue
        if k == "country":
            k, v = "country_code", v.upper()
        if k == "value":
            v = number(v) if category == "quantities" else v
        if k == "position":
            k = "positions"
        fields[k] = v
    return fields


@app.command("reject")
def review_reject(report_id: str, category: str = CATEGORY_ARG,
                  key: str = typer.Argument(..., help="name / surname / value / 'VALUE UNIT' / 'DATE TYPE' / task text"),
                  kind: str = typer.Option(None, "--kind", help="places: only this kind"),
                  unit: str = typer.Option(None, "--unit", help="quantities: the unit"),
                  places: str = typer.Option(None, "--places", help="events: place names, comma-separated"),
                  note: str = typer.Option(None, "--note"),
                  reviews: Path = REVIEWS_OPT, extracted: Path = EXTRACTED_OPT, apply: bool = APPLY_OPT,
                  force: bool = FORCE_OPT) -> None:
    """Reject an item: e.g. `review reject omsk-2021-international places "Корея"`."""
    from review.decisions import Decision, ReviewError
    from review.record import parse_key

    try:
        match = parse_key(_category(category), key, kind, unit, places.split(",") if places else None)
    except ReviewError as e:
        fail(str(e))
    _record(report_id, Decision(action="reject", category=category, match=match, note=note), reviews, extracted, apply, force)


@app.command("fix")
def review_fix(report_id: str, category: str = CATEGORY_ARG, key: str = typer.Argument(..., help="as for reject"),
               field: str = typer.Argument(..., help="country_code, kind, relation, name, position, type, date, format, ..."),
               value: str = typer.Argument(..., help="the right value ('null' clears country_code, relation, date)"),
               kind: str = typer.Option(None, "--kind"), unit: str = typer.Option(None, "--unit"),
               places: str = typer.Option(None, "--places"), note: str = typer.Option(None, "--note"),
               reviews: Path = REVIEWS_OPT, extracted: Path = EXTRACTED_OPT, apply: bool = APPLY_OPT,
               force: bool = FORCE_OPT) -> None:
    """Fix one field: e.g. `review fix omsk-2021-international places "Тиват" country_code ME`."""
    from review.decisions import Decision, ReviewError
    from review.record import parse_key, parse_value

    try:
        category = _category(category)
        match = parse_key(category, key, kind, unit, places.split(",") if places else None)
        parsed = parse_value(category, field, value)
    except (ReviewError, ValueError) as e:
        fail(str(e))
    _record(report_id, Decision(action="fix", category=category, match=match, field=field, value=parsed, note=note),
            reviews, extracted, apply, force)


@app.command("add")
def review_add(report_id: str, category: str = CATEGORY_ARG,
               text: str = typer.Argument(..., help="the text as it stands in the report; every occurrence is a mention"),
               kind: str = typer.Option(None, "--kind"), country: str = typer.Option(None, "--country"),
               relation: str = typer.Option(None, "--relation"), name: str = typer.Option(None, "--name"),
               surname: str = typer.Option(None, "--surname"), position: list[str] = typer.Option(None, "--position"),
               value: str = typer.Option(None, "--value"), unit: str = typer.Option(None, "--unit"),
               approximate: bool = typer.Option(False, "--approximate"), type_: str = typer.Option(None, "--type"),
               date: str = typer.Option(None, "--date"), format_: str = typer.Option(None, "--format"),
               title: str = typer.Option(None, "--title"), year: int = typer.Option(None, "--year"),
               note: str = typer.Option(None, "--note"), reviews: Path = REVIEWS_OPT, extracted: Path = EXTRACTED_OPT,
               apply: bool = APPLY_OPT, force: bool = FORCE_OPT) -> None:
    """Add a missed item by its text: e.g. `review add omsk-2021-international places "Пухов" --kind city --country SK`."""
    from review.decisions import Decision, ReviewError

    category = _category(category)
    try:
        fields = _options(category, kind=kind, country=country, relation=relation, name=name, surname=surname,
                          position=position, value=value, unit=unit, approximate=approximate, type=type_, date=date,
                          format=format_, title=title, year=year)
    except (ReviewError, ValueError) as e:
        fail(str(e))
    _record(report_id, Decision(action="add", category=category, text=text, fields=fields, note=note),
            reviews, extracted, apply, force)


@app.command("list")
def review_list(report_ids: list[str] = typer.Argument(None), reviews: Path = REVIEWS_OPT,
                extracted: Path = EXTRACTED_OPT) -> None:
    """The decisions, and how each applies to the current extraction. Exit 1 when one does not apply."""
    from review.apply import apply_to_dict
    from review.decisions import PROBLEMS, ReviewError, load_reviews

    folder = _reviews_dir(reviews)
    ids = report_ids or sorted(p.stem for p in folder.glob("*.json"))
    problems = 0
    for rid in ids:
        try:
            decisions = load_reviews(folder, rid).decisions
        except ReviewError as e:
            fail(str(e))
        doc = _load_extracted(extracted, rid, required=False)
        outcomes = apply_to_dict(doc, decisions)[1] if doc is not None else []
        print(f"{rid}: {len(decisions)} decision(s)" + ("" if doc is not None else f" (no {extracted}/{rid}.json)"))
        for n, d in enumerate(decisions, 1):
            o = outcomes[n - 1] if outcomes else None
            problems += bool(o and o.status in PROBLEMS)
            print(f"  #{n} {d.describe()}" + (f"  [{o.status}] {o.message.split(': ', 1)[-1]}" if o else ""))
    raise typer.Exit(1 if problems else 0)


@app.command("drop")
def review_drop(report_id: str, number: int = typer.Argument(..., help="the decision's number in `review list`"),
                reviews: Path = REVIEWS_OPT) -> None:
    """Withdraw a decision. Re-run the extraction to get back what it rejected or fixed."""
    from review.decisions import ReviewError, load_reviews, save_reviews

    folder = _reviews_dir(reviews)
    try:
        rf = load_reviews(folder, report_id)
    except ReviewError as e:
        fail(str(e))
    if not 1 <= number <= len(rf.decisions):
        fail(f"{report_id} has {len(rf.decisions)} decision(s); no #{number}")
    gone = rf.decisions.pop(number - 1)
    save_reviews(folder, rf)
    err.print(f"dropped #{number}: {gone.describe()}; re-run `city-reports extract` to restore the machine's output",
              highlight=False)


@app.command("apply")
def review_apply(report_ids: list[str] = typer.Argument(None), reviews: Path = REVIEWS_OPT,
                 extracted: Path = EXTRACTED_OPT) -> None:
    """Apply the reviews to extracted JSON in place (extraction runs do this by themselves)."""
    from review.decisions import ReviewError

    folder = _reviews_dir(reviews)
    ids = report_ids or sorted(p.stem for p in folder.glob("*.json") if (extracted / p.name).exists())
    problems = 0
    for rid in ids:
        if not (extracted / f"{rid}.json").exists():
            fail(f"{extracted / (rid + '.json')} does not exist")
        try:
            problems += bool(_apply_one(rid, folder, extracted))
        except ReviewError as e:
            fail(str(e))
    raise typer.Exit(1 if problems else 0)


@app.command("page")
def review_page(report: Path = typer.Argument(..., help="An extracted report JSON"),
                old: Path = typer.Option(None, "--old", help="An earlier run of the same report: mark what changed"),
                out: Path = typer.Option(None, "--out", help="HTML file (default <report_id>.html)")) -> None:
    """Write the HTML review page of one report."""
    from review.diff import DiffError, diff_reports, load_side
    from review.pages import render_review_page

    try:
        (where, doc), = load_side(report).values()
        before = next(iter(load_side(old).values())) if old else None
    except (DiffError, ValueError) as e:
        fail(str(e))
    rdiff = diff_reports(before[1], doc, before[0], where) if before else None
    target = out or Path(f"{doc['report_id']}.html")
    target.write_text(render_review_page(doc, before and before[1], rdiff), encoding="utf-8")
    err.print(f"wrote {target}", highlight=False)


def _category(category: str) -> str:
    from review.diff import CATEGORIES

    if category not in CATEGORIES:
        fail(f"unknown category {category!r}; one of {', '.join(CATEGORIES)}")
    return category
