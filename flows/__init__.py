"""Prefect flows and tasks: the only place Prefect is used."""
