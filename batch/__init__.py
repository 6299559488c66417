"""A batch of report files -> OUT/<report_id>.json and OUT/_manifest.json, as plain functions.

    inputs.py    the files named (folders walked), read bounded and hashed, same-content duplicates
    ids.py       report ids: unique in the output folder, stable across runs
    manifest.py  one FileResult per file; the ledger OUT/_manifest.json (merged, orphans, prune)
    process.py   process_file: extract one file (then its reviews) unless it is unchanged
    plan.py      what a run has to do, decided before any model loads or Prefect starts; batches

No Prefect here (flows/ runs these) and no NLP model is loaded until a file is extracted.
"""
