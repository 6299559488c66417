"""`city-reports server start|stop|status`: the project's Prefect server in the background (flows.server)."""
from enum import Enum

import typer

from cli.output import fail


class Action(str, Enum):
    start = "start"
    stop = "stop"
    status = "status"


def server(action: Action = typer.Argument(..., help="start, stop or status"),
           port: int = typer.Option(4200, "--port", min=1, max=65535, help="Port of the API and the UI"),
           ui: bool = typer.Option(True, "--ui/--no-ui", help="Serve Prefect's web UI too")) -> None:
    """The project's Prefect server in the background (`prefect server start --background`, its
    history in .prefect/ beside the ephemeral runs'); `extract` uses it while it runs (saves ~10 s a run)."""
    from flows import server as srv

    if action is Action.start:
        try:
            info = srv.start(port=port, ui=ui)
        except srv.ServerError as e:
            fail(f"{e} (another port: city-reports server start --port N)")
        typer.echo(f"Prefect server at {info['ui'] or info['url']} (API {info['url']}, history in {info['home']}).")
        typer.echo(f"`city-reports extract` uses it; for the prefect CLI: export PREFECT_API_URL={info['url']}")
    elif action is Action.stop:
        typer.echo("stopped" if srv.stop() else "no server of ours was running")
    else:
        info = srv.status()
        if not info:
            typer.echo("no server (extract runs Prefect in its ephemeral mode, recording into the same history)")
            raise typer.Exit(1)
        typer.echo(f"{info['ui'] or info['url']} (API {info['url']}, pid {info['pid']}): "
                   f"{'up' if info['healthy'] else 'NOT ANSWERING'}")
        raise typer.Exit(0 if info["healthy"] else 1)
