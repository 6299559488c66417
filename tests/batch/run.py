"""A batch run as the flow does it (plan, items to process_file, checkpoints, finish), in this process
and without Prefect: what the batch decides, not how the flow schedules it."""
import threading
from pathlib import Path

from batch.manifest import FileResult
from batch.plan import make_batches, make_plan
from batch.process import process_file

TIME_BOUND = 300.0  # seconds one file may take here (a busy machine included); more is a hang


def run(paths: list, out: Path, **options) -> list[FileResult]:
    plan = make_plan([str(p) for p in paths], str(out), **options)
    for batch in make_batches(plan.todo, 2):
        plan.record([_bounded(path, plan, entry) for path, entry in plan.items(batch)])
        plan.checkpoint()
    return plan.finish()


def _bounded(path: str, plan, entry: dict) -> FileResult:
    box = []
    t = threading.Thread(target=lambda: box.append(process_file(Path(path), plan.out_dir, plan.version, entry,
                                                                **plan.options)), daemon=True)
    t.start()
    t.join(TIME_BOUND)
    assert box, f"{path}: no result within {TIME_BOUND:.0f} s"
    return box[0]


def by_name(results: list[FileResult]) -> dict[str, FileResult]:
    return {Path(r.path).name: r for r in results}
