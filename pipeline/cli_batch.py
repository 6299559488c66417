"""CLI commands for running at scale (server, bench): registered on the main app."""
import sys
from pathlib import Path

import typer

ROOT = Path(__file__).resolve().parent.parent


def register(app) -> None:
    """Add this module's commands to the `city-reports` app."""

    @app.command()
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

    @app.command()
    def bench(n: int = typer.Option(200, "--n", "-n", help="Corpus size (reports)"),
              phases: str = typer.Option("a,b,c1,c2,d", "--phases", help="Any of a,b,c1,c2,d"),
              prefect: str = typer.Option("server", "--prefect",
                                          help="server: the running `city-reports server` (or PREFECT_API_URL), else one "
                                               "started for the bench and counted in its memory | ephemeral: Prefect's "
                                               "temporary server in every flow process"),
              workdir: Path = typer.Option(None, "--workdir", help="Keep the corpus and outputs here"),
              seed: int = typer.Option(7, "--seed"),
              code: Path = typer.Option(None, "--code", help="Bench this tree (pipeline/, models/, flows/) instead of "
                                                               "a snapshot of the project"),
              repeat: int = typer.Option(1, "--repeat", help="Cold flow runs per worker count, alternating c1, c2, "
                                                             "...; the figures use the medians")) -> None:
        """Time plain Natasha, the pipeline in a loop and the flow (1 and 2 workers, cold and unchanged)."""
        if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
            sys.path.insert(0, str(ROOT))
        from benchmarks.bench import main

        raise typer.Exit(main(n=n, phases=phases.split(","), prefect=prefect, workdir=workdir, seed=seed, code=code,
                               repeat=repeat))
