"""Prefect flows and tasks: the only place Prefect is used.

    extract.py    extract_reports(): what `city-reports extract` calls; plans first (batch.plan), runs
                  Prefect only when some file has work to do
    engine.py     the Prefect flow `extract_reports` (coarse batch tasks; process or Dask runner),
                  the entrypoint of the deployments in prefect.yaml
    pool.py       the worker processes (pebble): forks of one process that loaded the models
                  (multiprocessing's fork server), a time bound per file, a memory budget per worker
    preload.py    what that fork server imports: the models, loaded once per run
    progress.py   a progress bar on a terminal, else a plain line now and then (or log lines)
    summary.py    a run's counts, warnings, cities and years (no Prefect)
    artifacts.py  what a run tells Prefect: run logger lines, a table and a markdown artifact
    config.py     the Prefect home, which API a run uses, the run's options from the environment
                  (no Prefect import)
    server.py     `city-reports server`: Prefect's own `prefect server start --background` / `stop`
"""
