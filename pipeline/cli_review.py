"""CLI commands for reviewing and comparing extractions (diff, review, compare): registered on the main app."""
import json
import sys
from pathlib import Path

import typer
from rich.console import Console

err = Console(stderr=True, soft_wrap=True)
review_app = typer.Typer(add_completion=False, no_args_is_help=True,
                         help="Reviewers' corrections in reviews/<report_id>.json, applied after every extraction.")

REVIEWS_OPT = typer.Option(None, "--reviews", help="Reviews folder (default reviews/, or $CITY_REPORTS_REVIEWS)")
EXTRACTED_OPT = typer.Option(Path("extracted"), "--extracted", help="Folder of extracted JSON")
APPLY_OPT = typer.Option(True, "--apply/--no-apply", help="Also apply the reviews to EXTRACTED/<report_id>.json now")
FORCE_OPT = typer.Option(False, "--force", help="Record even when the current extraction has no such item")
CATEGORY_ARG = typer.Argument(..., help="places | persons | organisations | dates | quantities | events | tasks")


def _fail(message: str) -> None:
    err.print(f"[red]error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(2)


# ---- diff ----

def diff(paths: list[Path] = typer.Argument(None, help="OLD NEW: two report JSON files or two folders of them"),
         rev: str = typer.Option(None, "--rev", help="Compare FOLDER (default extracted/) with the same folder at git revision REV"),
         fmt: str = typer.Option("text", "--format", help="text | json | html"),
         out: Path = typer.Option(None, "--out", help="text/json: write to this file; html: folder of pages (default diff-html/)")) -> None:
    """Semantic diff of two extraction runs. Exit status 0 when equal, 1 when different, 2 on error."""
    from pipeline.diff import DiffError, diff_sets, load_rev, load_side, render_text

    if fmt not in ("text", "json", "html"):
        _fail(f"--format must be text, json or html, not {fmt!r}")
    paths = paths or []
    try:
        if rev:
            if len(paths) > 1:
                _fail("with --rev give at most one folder")
            folder = paths[0] if paths else Path("extracted")
            old, new = load_rev(rev, folder), load_side(folder)
            old_name, new_name = f"{rev}:{folder}", str(folder)
        else:
            if len(paths) != 2:
                _fail("give OLD and NEW (two files or two folders), or --rev REV [FOLDER]")
            if paths[0].is_dir() != paths[1].is_dir():
                _fail("OLD and NEW must both be files or both be folders")
            old, new = load_side(paths[0]), load_side(paths[1])
            old_name, new_name = str(paths[0]), str(paths[1])
            if len(old) == 1 and len(new) == 1 and not paths[0].is_dir():  # two files: compare them whatever their ids
                (o,), (n,) = old.values(), new.values()
                old = {n[1]["report_id"]: o}
        doc = diff_sets(old, new, old_name, new_name)
    except DiffError as e:
        _fail(str(e))
    if fmt == "json":
        text = doc.model_dump_json(indent=2) + "\n"
        out.write_text(text, encoding="utf-8") if out else sys.stdout.write(text)
    elif fmt == "text":
        if out:
            with open(out, "w", encoding="utf-8") as f:
                render_text(doc, Console(file=f, no_color=True, width=120))
        else:
            render_text(doc, Console(highlight=False, soft_wrap=True))
    else:
        _write_html(doc, old, new, out or Path("diff-html"))
    raise typer.Exit(0 if doc.equal else 1)


def _write_html(doc, old: dict, new: dict, folder: Path) -> None:
    from pipeline.review_html import render_index, render_review_page

    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for r in doc.reports:
        o, n = old.get(r.report_id), new.get(r.report_id)
        name = f"{r.report_id}.html"
        (folder / name).write_text(render_review_page(n and n[1], o and o[1], r), encoding="utf-8")
        rows.append((r.report_id, name, r.status, f"+{len(r.added)} −{len(r.removed)} ~{len(r.changed)}"))
    (folder / "index.html").write_text(render_index(f"{doc.old} → {doc.new}", rows), encoding="utf-8")
    err.print(f"{len(rows)} review pages in {folder}/ (index.html)", highlight=False)


def diff_schema() -> None:
    """Print the JSON Schema of `diff --format json` (committed as models/diff.schema.json)."""
    from pipeline.diff import json_schema

    sys.stdout.write(json_schema())


# ---- compare ----

def compare(src: Path = typer.Argument(Path("extracted"), help="Folder of extracted report JSON"),
            out: Path = typer.Option(Path("compare"), "--out", help="Output folder")) -> None:
    """Tables across reports (CSV and DuckDB) and an HTML overview with charts."""
    from pipeline.compare import compare as run
    from pipeline.diff import DiffError

    try:
        tables = run(src, out)
    except DiffError as e:
        _fail(str(e))
    for name, rows in tables.items():
        err.print(f"{out / (name + '.csv')}: {len(rows)} rows", highlight=False)
    err.print(f"{out / 'compare.duckdb'}, {out / 'overview.html'}", highlight=False)


# ---- review ----

def _reviews_dir(reviews: Path | None) -> Path:
    from pipeline.reviews import default_dir

    return reviews or default_dir()


def _load_extracted(extracted: Path, report_id: str, required: bool) -> dict | None:
    path = extracted / f"{report_id}.json"
    if not path.exists():
        if required:
            _fail(f"{path} does not exist: extract the report first, or record with --force")
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _record(report_id: str, decision, reviews: Path | None, extracted: Path, apply: bool, force: bool) -> None:
    from pipeline.reviews import InvalidDecision, ReviewError, prepare, record

    doc = _load_extracted(extracted, report_id, required=not force)
    try:
        try:
            decision = prepare(decision, doc)
        except InvalidDecision as e:
            _fail(f"{e} (nothing recorded)")
        except ReviewError as e:
            if not force:
                _fail(f"{e} (nothing recorded; --force records it anyway)")
            decision = prepare(decision, None)
    except ReviewError as e:
        _fail(f"{e} (nothing recorded)")
    path, n = record(_reviews_dir(reviews), report_id, decision)
    err.print(f"recorded #{n} in {path}: {decision.describe()}", highlight=False)
    if apply and doc is not None:
        _apply_one(report_id, _reviews_dir(reviews), extracted)


def _apply_one(report_id: str, reviews_dir: Path, extracted: Path) -> list[str]:
    import models
    from pipeline.batch import write_atomic
    from pipeline.reviews import apply_reviews, fit_to_models

    path = extracted / f"{report_id}.json"
    report = models.Report.model_validate(fit_to_models(json.loads(path.read_text(encoding="utf-8"))))
    report, messages = apply_reviews(report, reviews_dir)
    write_atomic(path, report.model_dump_json(indent=2) + "\n")
    for m in messages:
        err.print(f"[yellow]not applied:[/] {m}", highlight=False)
    err.print(f"applied to {path}", highlight=False)
    return messages


def _options(category: str, **given) -> dict:
    from pipeline.reviews import number

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


@review_app.command("reject")
def review_reject(report_id: str, category: str = CATEGORY_ARG,
                  key: str = typer.Argument(..., help="name / surname / value / 'VALUE UNIT' / 'DATE TYPE' / task text"),
                  kind: str = typer.Option(None, "--kind", help="places: only this kind"),
                  unit: str = typer.Option(None, "--unit", help="quantities: the unit"),
                  places: str = typer.Option(None, "--places", help="events: place names, comma-separated"),
                  note: str = typer.Option(None, "--note"),
                  reviews: Path = REVIEWS_OPT, extracted: Path = EXTRACTED_OPT, apply: bool = APPLY_OPT,
                  force: bool = FORCE_OPT) -> None:
    """Reject an item: e.g. `review reject omsk-2021-international places "Корея"`."""
    from pipeline.reviews import Decision, ReviewError, parse_key

    try:
        match = parse_key(_category(category), key, kind, unit, places.split(",") if places else None)
    except ReviewError as e:
        _fail(str(e))
    _record(report_id, Decision(action="reject", category=category, match=match, note=note), reviews, extracted, apply, force)


@review_app.command("fix")
def review_fix(report_id: str, category: str = CATEGORY_ARG, key: str = typer.Argument(..., help="as for reject"),
               field: str = typer.Argument(..., help="country_code, kind, relation, name, position, type, date, format, ..."),
               value: str = typer.Argument(..., help="the right value ('null' clears country_code, relation, date)"),
               kind: str = typer.Option(None, "--kind"), unit: str = typer.Option(None, "--unit"),
               places: str = typer.Option(None, "--places"), note: str = typer.Option(None, "--note"),
               reviews: Path = REVIEWS_OPT, extracted: Path = EXTRACTED_OPT, apply: bool = APPLY_OPT,
               force: bool = FORCE_OPT) -> None:
    """Fix one field: e.g. `review fix omsk-2021-international places "Тиват" country_code ME`."""
    from pipeline.reviews import Decision, ReviewError, parse_key, parse_value

    try:
        category = _category(category)
        match = parse_key(category, key, kind, unit, places.split(",") if places else None)
        parsed = parse_value(category, field, value)
    except (ReviewError, ValueError) as e:
        _fail(str(e))
    _record(report_id, Decision(action="fix", category=category, match=match, field=field, value=parsed, note=note),
            reviews, extracted, apply, force)


@review_app.command("add")
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
    from pipeline.reviews import Decision, ReviewError

    category = _category(category)
    try:
        fields = _options(category, kind=kind, country=country, relation=relation, name=name, surname=surname,
                          position=position, value=value, unit=unit, approximate=approximate, type=type_, date=date,
                          format=format_, title=title, year=year)
    except (ReviewError, ValueError) as e:
        _fail(str(e))
    _record(report_id, Decision(action="add", category=category, text=text, fields=fields, note=note),
            reviews, extracted, apply, force)


@review_app.command("list")
def review_list(report_ids: list[str] = typer.Argument(None), reviews: Path = REVIEWS_OPT,
                extracted: Path = EXTRACTED_OPT) -> None:
    """The decisions, and how each applies to the current extraction. Exit 1 when one does not apply."""
    from pipeline.reviews import PROBLEMS, ReviewError, apply_to_dict, load_reviews

    folder = _reviews_dir(reviews)
    ids = report_ids or sorted(p.stem for p in folder.glob("*.json"))
    problems = 0
    for rid in ids:
        try:
            decisions = load_reviews(folder, rid).decisions
        except ReviewError as e:
            _fail(str(e))
        doc = _load_extracted(extracted, rid, required=False)
        outcomes = apply_to_dict(doc, decisions)[1] if doc is not None else []
        print(f"{rid}: {len(decisions)} decision(s)" + ("" if doc is not None else f" (no {extracted}/{rid}.json)"))
        for n, d in enumerate(decisions, 1):
            o = outcomes[n - 1] if outcomes else None
            problems += bool(o and o.status in PROBLEMS)
            print(f"  #{n} {d.describe()}" + (f"  [{o.status}] {o.message.split(': ', 1)[-1]}" if o else ""))
    raise typer.Exit(1 if problems else 0)


@review_app.command("drop")
def review_drop(report_id: str, number: int = typer.Argument(..., help="the decision's number in `review list`"),
                reviews: Path = REVIEWS_OPT) -> None:
    """Withdraw a decision. Re-run the extraction to get back what it rejected or fixed."""
    from pipeline.reviews import ReviewError, load_reviews, save_reviews

    folder = _reviews_dir(reviews)
    try:
        rf = load_reviews(folder, report_id)
    except ReviewError as e:
        _fail(str(e))
    if not 1 <= number <= len(rf.decisions):
        _fail(f"{report_id} has {len(rf.decisions)} decision(s); no #{number}")
    gone = rf.decisions.pop(number - 1)
    save_reviews(folder, rf)
    err.print(f"dropped #{number}: {gone.describe()}; re-run `city-reports extract` to restore the machine's output",
              highlight=False)


@review_app.command("apply")
def review_apply(report_ids: list[str] = typer.Argument(None), reviews: Path = REVIEWS_OPT,
                 extracted: Path = EXTRACTED_OPT) -> None:
    """Apply the reviews to extracted JSON in place (extraction runs do this by themselves)."""
    from pipeline.reviews import ReviewError

    folder = _reviews_dir(reviews)
    ids = report_ids or sorted(p.stem for p in folder.glob("*.json") if (extracted / p.name).exists())
    problems = 0
    for rid in ids:
        if not (extracted / f"{rid}.json").exists():
            _fail(f"{extracted / (rid + '.json')} does not exist")
        try:
            problems += bool(_apply_one(rid, folder, extracted))
        except ReviewError as e:
            _fail(str(e))
    raise typer.Exit(1 if problems else 0)


@review_app.command("page")
def review_page(report: Path = typer.Argument(..., help="An extracted report JSON"),
                old: Path = typer.Option(None, "--old", help="An earlier run of the same report: mark what changed"),
                out: Path = typer.Option(None, "--out", help="HTML file (default <report_id>.html)")) -> None:
    """Write the HTML review page of one report."""
    from pipeline.diff import DiffError, diff_reports, load_side
    from pipeline.review_html import render_review_page

    try:
        (where, doc), = load_side(report).values()
        before = next(iter(load_side(old).values())) if old else None
    except (DiffError, ValueError) as e:
        _fail(str(e))
    rdiff = diff_reports(before[1], doc, before[0], where) if before else None
    target = out or Path(f"{doc['report_id']}.html")
    target.write_text(render_review_page(doc, before and before[1], rdiff), encoding="utf-8")
    err.print(f"wrote {target}", highlight=False)


def _category(category: str) -> str:
    from pipeline.diff import CATEGORIES

    if category not in CATEGORIES:
        _fail(f"unknown category {category!r}; one of {', '.join(CATEGORIES)}")
    return category


def register(app) -> None:
    """Add this module's commands to the `city-reports` app."""
    app.command("diff")(diff)
    app.command("diff-schema")(diff_schema)
    app.command("compare")(compare)
    app.add_typer(review_app, name="review")
