"""Report ids for a batch's files: unique in the output folder, stable across runs.

An id names the output (OUT/<report_id>.json) and the reviews (OUT/_reviews/<report_id>.json), so
it never moves once given:
1. A file keeps the id the ledger (the manifest) recorded for it, whatever runs came between.
2. A new file takes the slug of its name (pipeline.slug.report_id: `Омск 2021.txt` -> `omsk-2021`)
   unless another file holds it; then the name qualified by its folder when that file is in another
   folder (`2022/omsk.txt` -> `2022-omsk`, then `reports-2022-omsk`), by its format when it is in the
   same one (`omsk.docx` beside `omsk.txt` -> `omsk-docx`), and last by a number (`omsk-2`).
New files claim ids in path order, after every file that already has one. An id held by a ledger
entry whose file is not in this run (another folder's, or an orphaned output) is never given away.
Files that cannot be read get no id, and a duplicate takes its original's (batch.plan).
"""
import os
from itertools import count
from pathlib import Path

from pipeline.slug import report_id, slugify


def assign(files: list[Path], recorded: dict[Path, str], held: dict[str, Path],
           keep: set[Path] = frozenset()) -> dict[Path, str]:
    """Ids for `files` (readable, not duplicates, in path order). `recorded`: the id the ledger has
    for a file; `held`: ids of ledger entries outside this run -> their source file; `keep`: files
    whose recorded id has an output (they win a clash with a file that only failed under that id)."""
    owner: dict[str, Path] = dict(held)
    ids: dict[Path, str] = {}
    for group in ([f for f in files if f in keep], [f for f in files if f not in keep]):
        for f in group:
            rid = recorded.get(f)
            if rid and rid not in owner:
                ids[f], owner[rid] = rid, f
    for f in files:
        if f not in ids:
            ids[f] = next(c for c in candidates(f, owner) if c not in owner)
            owner[ids[f]] = f
    return ids


def candidates(f: Path, owner: dict[str, Path]):
    """The ids a new file may take, in order of preference (an endless sequence)."""
    base = report_id(f)
    yield base
    holder = owner.get(base)
    if holder is not None and os.path.abspath(holder.parent) != os.path.abspath(f.parent):
        folders = [slugify(p.name) for p in Path(os.path.abspath(f)).parents if p.name][:2]
        for n in range(1, len(folders) + 1):
            yield slugify("-".join(folders[:n][::-1] + [base]))
    if f.suffix:
        yield slugify(f"{base}-{f.suffix.lstrip('.')}")
    for n in count(2):
        yield slugify(f"{base}-{n}")
