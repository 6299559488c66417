"""review.decisions: the reviews file of a report (beside the output folder, under a lock, only ever at
a path built from a report id), and the fingerprint that re-runs it when it changes."""
from pathlib import Path

import pytest

from review.decisions import ReviewFile, load_reviews, reviews_fingerprint, save_reviews
from review.record import record
from tests.fixtures.corpus.make_corpus import load
from tests.review.seed_review import SEED_ID, decisions_for


def test_fingerprint_changes_with_the_decisions(tmp_path):
    doc = load(SEED_ID)
    before = reviews_fingerprint(tmp_path, SEED_ID)
    decisions, _ = decisions_for(doc)
    record(tmp_path, SEED_ID, decisions[0])
    middle = reviews_fingerprint(tmp_path, SEED_ID)
    record(tmp_path, SEED_ID, decisions[1])
    assert len({before, middle, reviews_fingerprint(tmp_path, SEED_ID)}) == 3


def test_a_missing_file_is_no_decisions_and_a_saved_one_reads_back(tmp_path):
    assert load_reviews(tmp_path, SEED_ID) == ReviewFile(report_id=SEED_ID)
    decisions, _ = decisions_for(load(SEED_ID))
    path = save_reviews(tmp_path / "new", ReviewFile(report_id=SEED_ID, decisions=decisions))
    assert path == tmp_path / "new" / f"{SEED_ID}.json"
    assert load_reviews(tmp_path / "new", SEED_ID).decisions == decisions


def test_reviews_live_beside_the_output_folder_or_where_the_user_says(tmp_path, monkeypatch):
    from review.decisions import reviews_dir

    monkeypatch.delenv("CITY_REPORTS_REVIEWS")
    monkeypatch.chdir(tmp_path)
    assert reviews_dir(tmp_path / "p" / "extracted") == tmp_path / "p" / "extracted" / "_reviews"
    monkeypatch.setenv("CITY_REPORTS_REVIEWS", str(tmp_path / "mine"))
    assert reviews_dir(tmp_path / "p" / "extracted") == tmp_path / "mine"


def test_reviews_left_in_the_old_place_are_pointed_out(tmp_path, monkeypatch):
    from review.decisions import legacy_notice

    monkeypatch.delenv("CITY_REPORTS_REVIEWS")
    monkeypatch.chdir(tmp_path)
    assert legacy_notice(tmp_path / "extracted") is None
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / f"{SEED_ID}.json").write_text('{"report_id": "%s"}' % SEED_ID, encoding="utf-8")
    notice = legacy_notice(Path("extracted"))
    assert "./reviews/ holds 1 reviews file" in notice and "extracted/_reviews" in notice and "\n" not in notice


def test_a_reviews_file_names_its_report_and_only_an_id_makes_a_path(tmp_path):
    from review.decisions import ReviewError, read_reviews, review_path

    for bad in ("../x", "/tmp/x", "a/b", "..", "", "Omsk", "-rf"):
        with pytest.raises(ReviewError, match="is not a report id"):
            review_path(tmp_path, bad)
    (tmp_path / f"{SEED_ID}.json").write_text('{"report_id": "../../x", "decisions": []}', encoding="utf-8")
    r = read_reviews(tmp_path, SEED_ID)
    assert r.file.decisions == [] and "not a reviews file" in r.problem  # a crafted id inside: not used
    with pytest.raises(ReviewError, match="cannot read reviews"):
        load_reviews(tmp_path, SEED_ID)


def _record_in_a_process(args):
    folder, i = args
    from review.decisions import Decision as D
    from review.record import record as rec

    rec(Path(folder), SEED_ID, D(action="reject", category="places", match={"name": f"Место {i}"}))


def test_concurrent_writers_lose_no_decision(tmp_path):
    """Processes recording at once into one reviews file: every decision is kept (the file lock)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(8) as pool:
        list(pool.map(_record_in_a_process, [(str(tmp_path), i) for i in range(40)]))
    kept = load_reviews(tmp_path, SEED_ID).decisions
    assert sorted(d.match["name"] for d in kept) == sorted(f"Место {i}" for i in range(40))
