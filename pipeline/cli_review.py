"""CLI commands for reviewing and comparing extractions (diff, review, compare): registered on the main app."""


def register(app) -> None:
    """Add this module's commands to the `city-reports` app."""
