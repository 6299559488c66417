"""A batch of report files -> OUT/<report_id>.json and OUT/_manifest.json, as plain functions.

    inputs.py    the files named (folders walked), their hashes, same-content duplicates
    manifest.py  one FileResult per file; the run manifest read and written
    process.py   process_file: extract one file (then its reviews) unless it is unchanged
    plan.py      what a run has to do, decided before any model loads or Prefect starts; batches

No Prefect here (flows/ runs these) and no NLP model is loaded until a file is extracted.
"""
