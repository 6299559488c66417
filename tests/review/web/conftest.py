"""A folder with one extracted report (the batch's own pass, so the machine's pass is kept) and its
reviews beside it, and the review app serving it on a free port of 127.0.0.1."""
import shutil
import threading
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "review" / "tver-2023-review.txt"
REPORT_ID = "tver-2023-review"
TOKEN = "test-token-" + "x" * 20


def extract(folder: Path, out: Path) -> None:
    from batch.process import process_file

    result = process_file(folder / FIXTURE.name, out, "test", force=True)
    assert result.status == "ok", result.error


@pytest.fixture
def site(tmp_path):
    """(base URL, output folder, reviews folder, input folder), the app running."""
    import uvicorn

    from review.web.app import create_app

    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / FIXTURE.name)
    reviews = out / "_reviews"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CITY_REPORTS_REVIEWS", str(reviews))
        extract(folder, out)
        server = uvicorn.Server(uvicorn.Config(create_app(out, reviews, TOKEN), host="127.0.0.1", port=0,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            threading.Event().wait(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}", out, reviews, folder
        server.should_exit = True
        thread.join(10)
