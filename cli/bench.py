"""`city-reports bench` (make bench): times plain Natasha, the pipeline loop and the flow (benchmarks.bench)."""
import importlib
from enum import Enum
from pathlib import Path

import typer


class PrefectMode(str, Enum):
    server = "server"
    ephemeral = "ephemeral"


def bench(n: int = typer.Option(200, "--n", "-n", min=1, help="Corpus size (reports)"),
          phases: str = typer.Option("a,b,c1,c2,d", "--phases", help="Any of a,b,c1,c2,d"),
          prefect: PrefectMode = typer.Option(PrefectMode.server, "--prefect",
                                      help="server: the running `city-reports server` (or PREFECT_API_URL), else one "
                                           "started for the bench and counted in its memory | ephemeral: Prefect's "
                                           "temporary server in every flow process"),
          workdir: Path = typer.Option(None, "--workdir", help="Keep the corpus and outputs here"),
          seed: int = typer.Option(7, "--seed"),
          code: Path = typer.Option(None, "--code", help="Bench this tree (cli/, flows/, batch/, review/, "
                                                           "pipeline/, models/) instead of a snapshot of the project"),
          repeat: int = typer.Option(1, "--repeat", min=1, help="Cold flow runs per worker count, alternating c1, c2, "
                                                         "...; the figures use the medians"),
          long: str = typer.Option(None, "--long", help="Instead: seconds per MB and peak memory of one worker on "
                                                        "long and pathological reports of these sizes in MB, e.g. "
                                                        "0.1,1,8 (benchmarks.long)")) -> None:
    """Time plain Natasha, the pipeline in a loop and the flow (1 and 2 workers, cold and unchanged)."""
    if long:
        raise typer.Exit(importlib.import_module("benchmarks.long").main(["--sizes", long]))
    run = importlib.import_module("benchmarks.bench").main  # by name: the product does not import benchmarks/
    raise typer.Exit(run(n=n, phases=phases.split(","), prefect=prefect.value, workdir=workdir, seed=seed, code=code,
                         repeat=repeat))
