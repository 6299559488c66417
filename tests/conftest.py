import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("DO_NOT_TRACK", "1")  # before Prefect loads: no telemetry from the tests' servers
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# The command lines the tests start record their Prefect runs in a Prefect home of the session's, not
# in the project's .prefect/ (flows.config.state_dir).
os.environ.setdefault("CITY_REPORTS_PREFECT_HOME", tempfile.mkdtemp(prefix="city-reports-tests-prefect-"))

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "raw_reports" / "omsk-2021-international.txt"
GOLD_DIR = ROOT / "tests" / "fixtures" / "gold"


@pytest.fixture(scope="session", autouse=True)
def no_reviews(tmp_path_factory):
    """Reviews are looked up in ./reviews (or $CITY_REPORTS_REVIEWS): every test, and every process it
    starts (worker pools, the CLI), gets an empty folder of its own instead, so a developer's reviews
    cannot change a result. A test that records reviews passes its own folder or sets the variable."""
    folder = tmp_path_factory.mktemp("no-reviews")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CITY_REPORTS_REVIEWS", str(folder))
        yield folder
    assert not any(folder.iterdir()), f"a test wrote reviews into the shared empty folder {folder}"


@pytest.fixture(scope="session")
def seed_text() -> str:
    from pipeline.ingest.clean import clean

    return clean(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_doc(seed_text):
    """The seed through the stages up to persons (a ReportDoc: places, organisations, persons, ...)."""
    from pipeline.extract import analyse_text

    return analyse_text(seed_text, upto="persons")


@pytest.fixture(scope="session")
def seed_report():
    from pipeline.extract import extract

    return extract(SEED, SEED.read_bytes())


@pytest.fixture(scope="session")
def prefect_server():
    """One temporary Prefect server for the whole test session (about 11 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield
