"""What a flow run tells Prefect: its run logger's lines and its artifacts.

- a log line per failed file (ERROR) and per warning code (WARNING: how many files, the first one),
  and the summary (INFO);
- a table artifact `extract-files`: every file with its status, report, warnings, error, seconds;
- a markdown artifact `extract-summary`: the counts, the warnings, the cities and years covered.
"""
import logging
from contextlib import contextmanager
from pathlib import Path

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.summary import OUTCOMES, Summary, outcome, summarise

TABLE_KEY = "extract-files"
SUMMARY_KEY = "extract-summary"


def publish(results: list, logger, out_dir: str) -> Summary:
    summary = summarise(results)
    for r in results:
        if r.status == "failed":
            logger.error(f"failed: {r.path}: {r.error}")
    for code, n in summary.warnings.most_common():
        logger.warning(f"warning {code}: {n} file{'s' if n > 1 else ''}, e.g. {summary.examples[code]}")
    logger.info(summary.text())
    create_table_artifact(key=TABLE_KEY, table=[_row(r) for r in results],
                          description=f"Every file of the run: {summary.counts_text()}")
    create_markdown_artifact(key=SUMMARY_KEY, markdown=_markdown(summary, results, out_dir),
                             description=summary.counts_text())
    return summary


def _row(r) -> dict:
    return {"file": r.path, "status": outcome(r), "report": r.report_id or "", "warnings": ", ".join(r.warnings),
            "error": r.error or "", "seconds": round(r.seconds, 2)}


def _markdown(summary: Summary, results: list, out_dir: str) -> str:
    lines = ["# Extraction run", "", summary.counts_text() + ".", "", "| outcome | files |", "|---|---|"]
    lines += [f"| {o} | {summary.counts[o]} |" for o in OUTCOMES if summary.counts[o]]
    coverage = summary.coverage_text()
    if coverage:
        lines += ["", f"Covered: {coverage}."]
    if summary.warnings:
        lines += ["", "## Warnings", "", "| code | files | e.g. |", "|---|---|---|"]
        lines += [f"| `{c}` | {n} | `{summary.examples[c]}` |" for c, n in summary.warnings.most_common()]
    failed = [r for r in results if r.status == "failed"]
    if failed:
        lines += ["", "## Failed", ""] + [f"- `{r.path}`: {r.error}" for r in failed[:100]]
        if len(failed) > 100:
            lines.append(f"- … and {len(failed) - 100} more (table artifact `{TABLE_KEY}`)")
    lines += ["", f"Outputs and the manifest: `{Path(out_dir) / '_manifest.json'}`."]
    return "\n".join(lines) + "\n"


@contextmanager
def api_only_logs():
    """Flow and task run log lines at INFO and up, sent to the API and not printed (the caller
    prints its own summary); Prefect's logging as it was afterwards."""
    loggers = [logging.getLogger(name) for name in ("prefect.flow_runs", "prefect.task_runs")]
    before = [(lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.INFO)
        lg.propagate = False
    try:
        yield
    finally:
        for lg, (level, propagate) in zip(loggers, before):
            lg.setLevel(level)
            lg.propagate = propagate


def run_page(flow_run_id) -> str:
    """Where to see the flow run: its page in the Prefect UI when the run went to a server, else
    (ephemeral mode) the history it was recorded in and how to open it."""
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    if settings.api.url and settings.ui_url:
        return f"{settings.ui_url.rstrip('/')}/runs/flow-run/{flow_run_id}"
    return (f"{flow_run_id}, recorded in {settings.home}; `city-reports server start` shows it in the UI "
            f"(/runs/flow-run/{flow_run_id})")
