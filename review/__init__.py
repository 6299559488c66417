"""The reviewers' side: corrections to extracted reports, the diff of two runs, the HTML pages, compare.

    outputs.py    an output folder: OUT/<report_id>.json from checked ids, the manifest's name, orphans
    reports.py    report JSON read from a file, a folder or a git revision (damaged ones reported)
    decisions.py  what a reviewer's decision is; OUT/_reviews/<report_id>.json read and written (locked)
    apply.py      decisions applied to a report after the machine's pass (what did not apply is reported)
    record.py     a decision from the command line, checked against the extraction, then recorded
    diff.py       the semantic diff of two extraction runs (items matched by their keys, not ids)
    pages.py      the self-contained HTML review pages (templates/)
    compare.py    tables across reports (CSV, DuckDB) and an HTML overview with charts

Works on report documents; never imports batch/, flows/ or cli/.
"""
