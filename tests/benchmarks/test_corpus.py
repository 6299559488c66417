"""benchmarks.corpus: the bench's corpus is varied (cities, lengths) and is not the seed itself."""
from benchmarks.corpus import build_corpus
from tests.conftest import SEED


def test_bench_corpus_is_varied(tmp_path):
    info = build_corpus(24, tmp_path / "corpus")
    assert info["files"] == info["distinct"] == 24
    names = sorted(p.name for p in (tmp_path / "corpus").iterdir())
    assert len({n.split("-")[1] for n in names}) >= 6  # cities vary
    texts = [p.read_text(encoding="utf-8") for p in (tmp_path / "corpus").iterdir()]
    assert len({len(t) for t in texts}) >= 20
    assert SEED.read_text(encoding="utf-8") not in texts
