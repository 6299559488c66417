"""CLI commands for running at scale (server, bench): registered on the main app."""


def register(app) -> None:
    """Add this module's commands to the `city-reports` app."""
