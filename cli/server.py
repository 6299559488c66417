"""`city-reports server start|stop|status`: a local Prefect server in the background (flows.server)."""
import typer


def server(action: str = typer.Argument("start", help="start | stop | status"),
           port: int = typer.Option(4200, "--port", help="Port (another free one when taken)"),
           ui: bool = typer.Option(True, "--ui/--no-ui", help="Serve Prefect's web UI too")) -> None:
    """A local Prefect server in the background; `extract` uses it while it runs (saves ~10 s a run)."""
    from flows import server as srv

    if action == "start":
        info = srv.start(port=port, ui=ui)
        typer.echo(f"Prefect server at {info['url']} (pid {info['pid']}, state in {info['home']}).")
        typer.echo(f"`city-reports extract` uses it; for the prefect CLI: export PREFECT_API_URL={info['url']}")
    elif action == "stop":
        typer.echo("stopped" if srv.stop() else "no server of ours was running")
    elif action == "status":
        info = srv.status()
        if not info:
            typer.echo("no server (extract runs Prefect in its ephemeral mode)")
            raise typer.Exit(1)
        typer.echo(f"{info['url']} pid {info['pid']}: {'up' if info['healthy'] else 'NOT ANSWERING'}")
        raise typer.Exit(0 if info["healthy"] else 1)
    else:
        raise typer.BadParameter("start, stop or status", param_hint="ACTION")
