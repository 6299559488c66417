"""`city-reports review ...`: reviewers' corrections in EXTRACTED/_reviews/<report_id>.json (or
$CITY_REPORTS_REVIEWS), recorded, listed, applied; and `review page`, one report's HTML review page.

Every REPORT_ID is checked to be a report id before a path is built from it; every read-modify-write
of a reviews file holds its lock. Errors are one line on standard error, exit status 2."""
import enum
from pathlib import Path

import typer

from cli.output import err, fail

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Reviewers' corrections in EXTRACTED/_reviews/<report_id>.json, applied after every extraction.")

CATEGORIES = ("places", "persons", "organisations", "dates", "quantities", "events", "tasks")  # review.reports' (a test)
Category = enum.Enum("Category", {c: c for c in CATEGORIES}, type=str)

REVIEWS_OPT = typer.Option(None, "--reviews", help="Reviews folder (default EXTRACTED/_reviews, or $CITY_REPORTS_REVIEWS)")
EXTRACTED_OPT = typer.Option(Path("extracted"), "--extracted", help="Folder of extracted JSON (default extracted/)")
APPLY_OPT = typer.Option(True, "--apply/--no-apply", help="Also apply the reviews to EXTRACTED/<report_id>.json now")
FORCE_OPT = typer.Option(False, "--force", help="Record even when the current extraction has no such item")
CATEGORY_ARG = typer.Argument(..., help="What kind of item", case_sensitive=False, metavar="CATEGORY")
ID_ARG = typer.Argument(..., help="The report's id (the name of EXTRACTED/<report_id>.json)", metavar="REPORT_ID")


def _folder(reviews: Path | None, extracted: Path) -> Path:
    from pipeline.files import SettingError
    from review.decisions import legacy_notice, reviews_dir

    try:
        folder = reviews or reviews_dir(extracted)
        notice = None if reviews else legacy_notice(extracted)
    except SettingError as e:
        fail(str(e))
    if notice:
        err.print(f"[yellow]notice:[/] {notice}", highlight=False)
    return folder


def _id(report_id: str) -> str:
    from pipeline.slug import check_report_id

    try:
        return check_report_id(report_id)
    except ValueError as e:
        fail(str(e))


def _extracted_path(extracted: Path, report_id: str) -> Path:
    from review.outputs import output_path

    try:
        return output_path(extracted, _id(report_id))
    except ValueError as e:
        fail(str(e))


def _load_extracted(extracted: Path, report_id: str, required: bool) -> dict | None:
    from review.reports import DiffError, load_side

    path = _extracted_path(extracted, report_id)
    if not path.exists():
        if required:
            fail(f"{path} does not exist: extract the report first, or record with --force")
        return None
    try:
        (where, doc), = load_side(path).values()
    except DiffError as e:
        fail(f"{e} (nothing done)")
    if doc["report_id"] != report_id:
        fail(f"{where} holds report {doc['report_id']!r}, not {report_id!r} (nothing done)")
    return doc


def _record(report_id: str, decision, reviews: Path | None, extracted: Path, apply: bool, force: bool) -> None:
    from review.decisions import InvalidDecision, ReviewError
    from review.record import prepare, record

    report_id = _id(report_id)
    folder = _folder(reviews, extracted)
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
        path, n = record(folder, report_id, decision)
    except ReviewError as e:
        fail(f"{e} (nothing recorded)")
    err.print(f"recorded #{n} in {path}: {decision.describe()}", highlight=False)
    if apply and doc is not None:
        _apply_one(report_id, folder, extracted)


def _apply_one(report_id: str, reviews_dir: Path, extracted: Path) -> list[str]:
    """Write a report's extracted JSON as the machine's pass with every decision applied (review.store)."""
    from review.decisions import PROBLEMS, ReviewError
    from review.store import reapply

    path = _extracted_path(extracted, report_id)
    try:
        _, outcomes = reapply(extracted, reviews_dir, report_id)
    except ReviewError as e:
        fail(str(e))
    except ValueError as e:  # the JSON is no valid report
        fail(f"{path}: not a valid report ({' '.join(str(e).split())[:200]})")
    messages = [o.message for o in outcomes if o.status in PROBLEMS]
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
def review_reject(report_id: str = ID_ARG, category: Category = CATEGORY_ARG,
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
        match = parse_key(category.value, key, kind, unit, places.split(",") if places else None)
    except ReviewError as e:
        fail(str(e))
    _record(report_id, Decision(action="reject", category=category.value, match=match, note=note), reviews, extracted,
            apply, force)


@app.command("fix")
def review_fix(report_id: str = ID_ARG, category: Category = CATEGORY_ARG, key: str = typer.Argument(..., help="as for reject"),
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
        match = parse_key(category.value, key, kind, unit, places.split(",") if places else None)
        parsed = parse_value(category.value, field, value)
    except (ReviewError, ValueError) as e:
        fail(str(e))
    _record(report_id, Decision(action="fix", category=category.value, match=match, field=field, value=parsed, note=note),
            reviews, extracted, apply, force)


@app.command("add")
def review_add(report_id: str = ID_ARG, category: Category = CATEGORY_ARG,
               text: str = typer.Argument(..., help="the text as it stands in the report; every occurrence is a mention"),
               kind: str = typer.Option(None, "--kind"), country: str = typer.Option(None, "--country"),
               relation: str = typer.Option(None, "--relation"), name: str = typer.Option(None, "--name"),
               surname: str = typer.Option(None, "--surname"), position: list[str] = typer.Option(None, "--position"),
               value: str = typer.Option(None, "--value"), unit: str = typer.Option(None, "--unit"),
               approximate: bool = typer.Option(False, "--approximate"), type_: str = typer.Option(None, "--type"),
               date: str = typer.Option(None, "--date"),
               event_format: str = typer.Option(None, "--event-format", help="events: online, offline, mixed, unknown"),
               title: str = typer.Option(None, "--title"), year: int = typer.Option(None, "--year"),
               note: str = typer.Option(None, "--note"), reviews: Path = REVIEWS_OPT, extracted: Path = EXTRACTED_OPT,
               apply: bool = APPLY_OPT, force: bool = FORCE_OPT) -> None:
    """Add a missed item by its text: e.g. `review add omsk-2021-international places "Пухов" --kind city --country SK`."""
    from review.decisions import Decision, ReviewError

    try:
        fields = _options(category.value, kind=kind, country=country, relation=relation, name=name, surname=surname,
                          position=position, value=value, unit=unit, approximate=approximate, type=type_, date=date,
                          format=event_format, title=title, year=year)
    except (ReviewError, ValueError) as e:
        fail(str(e))
    _record(report_id, Decision(action="add", category=category.value, text=text, fields=fields, note=note),
            reviews, extracted, apply, force)


def _ids(folder: Path, report_ids: list[str] | None) -> list[str]:
    """The ids named (checked), or every reviews file's in the folder (names that are no id: said, skipped)."""
    from pipeline.slug import is_report_id

    if report_ids:
        return [_id(r) for r in report_ids]
    names = sorted(p.stem for p in folder.glob("*.json") if not p.name.startswith("."))
    for bad in (n for n in names if not is_report_id(n)):
        err.print(f"[yellow]skipped:[/] {folder / (bad + '.json')}: not a report id", highlight=False)
    return [n for n in names if is_report_id(n)]


@app.command("list")
def review_list(report_ids: list[str] = typer.Argument(None), reviews: Path = REVIEWS_OPT,
                extracted: Path = EXTRACTED_OPT) -> None:
    """The decisions, and how each applies to the current extraction. Exit 1 when one does not apply."""
    from review.decisions import PROBLEMS, ReviewError, load_reviews
    from review.store import outcomes as outcomes_of

    folder = _folder(reviews, extracted)
    problems = 0
    for rid in _ids(folder, report_ids):
        try:
            decisions = load_reviews(folder, rid).decisions
            outcomes = outcomes_of(extracted, folder, rid, decisions)
        except (ReviewError, ValueError) as e:
            fail(str(e))
        print(f"{rid}: {len(decisions)} decision(s)" + ("" if outcomes or not decisions else f" (no {extracted}/{rid}.json)"))
        for n, d in enumerate(decisions, 1):
            o = outcomes[n - 1] if outcomes else None
            problems += bool(o and o.status in PROBLEMS)
            print(f"  #{n} {d.describe()}" + (f"  [{o.status}] {o.message.split(': ', 1)[-1]}" if o else ""))
    raise typer.Exit(1 if problems else 0)


@app.command("drop")
def review_drop(report_id: str = ID_ARG, number: int = typer.Argument(..., help="the decision's number in `review list`"),
                reviews: Path = REVIEWS_OPT, extracted: Path = EXTRACTED_OPT) -> None:
    """Withdraw a decision, and apply the rest to EXTRACTED/<report_id>.json: what it rejected or fixed is back."""
    from review.decisions import ReviewError
    from review.record import withdraw

    report_id, folder = _id(report_id), _folder(reviews, extracted)
    try:
        gone = withdraw(folder, report_id, number)
    except ReviewError as e:
        fail(str(e))
    err.print(f"dropped #{number}: {gone.describe()}", highlight=False)
    if _extracted_path(extracted, report_id).exists():
        _apply_one(report_id, folder, extracted)


@app.command("apply")
def review_apply(report_ids: list[str] = typer.Argument(None), reviews: Path = REVIEWS_OPT,
                 extracted: Path = EXTRACTED_OPT) -> None:
    """Apply the reviews to extracted JSON in place (extraction runs do this by themselves)."""
    folder = _folder(reviews, extracted)
    ids = _ids(folder, report_ids)
    if not report_ids:
        ids = [rid for rid in ids if _extracted_path(extracted, rid).exists()]
    problems = 0
    for rid in ids:
        if not _extracted_path(extracted, rid).exists():
            fail(f"{_extracted_path(extracted, rid)} does not exist")
        problems += bool(_apply_one(rid, folder, extracted))
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
    target = out or Path(f"{doc['report_id']}.html")  # the id is checked by load_side: a plain file name
    target.write_text(render_review_page(doc, before and before[1], rdiff), encoding="utf-8")
    err.print(f"wrote {target}", highlight=False)


@app.command("serve")
def review_serve(extracted: Path = typer.Argument(Path("extracted"), help="Folder of extracted JSON (default extracted/)"),
                 old: Path = typer.Option(None, "--old", help="An earlier run's folder: the changes panel shows the diff"),
                 port: int = typer.Option(0, "--port", help="Port on 127.0.0.1 (default: a free one)"),
                 browser: bool = typer.Option(True, "--browser/--no-browser", help="Open the URL in a browser"),
                 reviews: Path = REVIEWS_OPT) -> None:
    """The review app on 127.0.0.1: accept, reject, fix and add items on the page (Ctrl-C stops it).

    The URL it prints carries a token made for this run; without it nothing is shown or recorded."""
    from review.web.app import serve

    if not extracted.is_dir():
        fail(f"{extracted} is not a folder of extracted JSON")
    folder = _folder(reviews, extracted)
    try:
        serve(extracted, folder, port=port, old_dir=old, open_browser=browser,
              ready=lambda url: err.print(f"review app: {url}", highlight=False, soft_wrap=True))
    except (OSError, ValueError) as e:
        fail(str(e))


@app.command("export")
def review_export(extracted: Path = typer.Argument(Path("extracted"), help="Folder of extracted JSON (default extracted/)"),
                  out: Path = typer.Option(None, "--out", help="JSONL file (default: standard output)"),
                  fmt: str = typer.Option("spacy", "--format", help="spacy (text + spans) or label-studio (tasks)"),
                  every: bool = typer.Option(False, "--all", help="Every report, not only the reviewed ones"),
                  reviews: Path = REVIEWS_OPT) -> None:
    """Reviewed reports as training data: JSONL of text + labelled spans (spaCy, Label Studio)."""
    import json
    import sys

    from review.decisions import read_reviews
    from review.export import FORMATS, records
    from review.reports import load_side

    if fmt not in FORMATS:
        fail(f"--format {fmt!r}: one of {', '.join(FORMATS)}")
    folder = _folder(reviews, extracted)

    def docs():
        for _, doc in load_side(extracted).values():
            n = len(read_reviews(folder, doc["report_id"]).file.decisions)
            if n or every:
                yield doc, n

    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in records(docs(), fmt)]
    if out is None:
        sys.stdout.writelines(lines)
    else:
        out.write_text("".join(lines), encoding="utf-8")
    err.print(f"{len(lines)} report(s) exported" + (f" to {out}" if out else ""), highlight=False)
