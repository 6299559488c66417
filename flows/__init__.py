"""Prefect flows and tasks: the only place Prefect is used.

    extract.py  extract_reports(): what `city-reports extract` calls; plans first (batch.plan), runs
                Prefect only when some file has work to do
    engine.py   the Prefect flow `extract_reports` (coarse batch tasks; process or Dask runner),
                the entrypoint of the deployments in prefect.yaml
    pool.py     the worker processes: forks of one process that loaded the models (multiprocessing's
                fork server)
    preload.py  what that fork server imports: the models, loaded once per run
    config.py   where Prefect state lives, which API a run uses, quiet defaults (no Prefect import)
    server.py   `city-reports server`: a local Prefect server in the background
"""
