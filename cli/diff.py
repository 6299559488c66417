"""`city-reports diff`: the semantic diff of two extraction runs, as text, JSON or HTML review pages."""
import sys
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console

from cli.output import err, fail


class Format(str, Enum):
    text = "text"
    json = "json"
    html = "html"


def diff(paths: list[Path] = typer.Argument(None, help="OLD NEW: two report JSON files or two folders of them"),
         rev: str = typer.Option(None, "--rev", help="Compare --extracted with the same folder at git revision REV"),
         extracted: Path = typer.Option(Path("extracted"), "--extracted", help="With --rev: the folder of extracted JSON"),
         fmt: Format = typer.Option(Format.text, "--format", help="The output's format"),
         out: Path = typer.Option(None, "--out", help="text/json: write to this file; html: folder of pages (default diff-html/)")) -> None:
    """Semantic diff of two extraction runs. Exit status 0 when equal, 1 when different, 2 on error."""
    from review.diff import DiffError, diff_sets, load_rev, load_side, render_text

    fmt = fmt.value
    paths = paths or []
    try:
        if rev:
            if paths:
                fail("with --rev give no OLD NEW: --extracted names the folder (default extracted/)")
            folder = extracted
            old, new = load_rev(rev, folder), load_side(folder)
            old_name, new_name = f"{rev}:{folder}", str(folder)
        else:
            if len(paths) != 2:
                fail("give OLD and NEW (two files or two folders), or --rev REV [--extracted DIR]")
            if paths[0].is_dir() != paths[1].is_dir():
                fail("OLD and NEW must both be files or both be folders")
            old, new = load_side(paths[0]), load_side(paths[1])
            old_name, new_name = str(paths[0]), str(paths[1])
            if len(old) == 1 and len(new) == 1 and not paths[0].is_dir():  # two files: compare them whatever their ids
                (o,), (n,) = old.values(), new.values()
                old = {n[1]["report_id"]: o}
        doc = diff_sets(old, new, old_name, new_name)
    except DiffError as e:
        fail(str(e))
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
    from review.pages import render_index, render_review_page

    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for r in doc.reports:
        o, n = old.get(r.report_id), new.get(r.report_id)
        name = f"{r.report_id}.html"
        (folder / name).write_text(render_review_page(n and n[1], o and o[1], r), encoding="utf-8")
        rows.append((r.report_id, name, r.status, f"+{len(r.added)} −{len(r.removed)} ~{len(r.changed)}"))
    (folder / "index.html").write_text(render_index(f"{doc.old} → {doc.new}", rows), encoding="utf-8")
    err.print(f"{len(rows)} review pages in {folder}/ (index.html)", highlight=False)
