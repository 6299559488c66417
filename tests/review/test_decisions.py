"""review.decisions: the reviews file of a report, and the fingerprint that re-runs it when it changes."""
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
