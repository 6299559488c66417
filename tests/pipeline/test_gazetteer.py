"""The gazetteer index and its on-disk cache (built once, then loaded by every worker process)."""
import pickle

import pytest

from pipeline import gazetteer


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CITY_REPORTS_CACHE", str(tmp_path))
    gazetteer.index.cache_clear()
    yield tmp_path
    gazetteer.index.cache_clear()


def test_index_is_cached_on_disk_and_the_cache_gives_the_same_index(cache_dir):
    built = gazetteer.index()
    [cached] = cache_dir.glob("gazetteer-*.pickle")
    gazetteer.index.cache_clear()
    loaded = gazetteer.index()
    assert loaded == built
    assert gazetteer.lookup("Харбина").country_code == "CN"
    assert cached.stat().st_size > 0


def test_a_damaged_cache_is_rebuilt(cache_dir):
    path = gazetteer._cache_path()
    path.write_bytes(b"not a pickle")
    idx = gazetteer.index()
    assert gazetteer.lookup("Черногории").country_code == "ME"
    with open(path, "rb") as f:
        assert pickle.load(f) == idx


def test_the_cache_name_follows_the_place_rules(cache_dir, monkeypatch, tmp_path):
    before = gazetteer._cache_path()
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    text = gazetteer.rules.HERE.joinpath("places.toml").read_text(encoding="utf-8")
    rules_dir.joinpath("places.toml").write_text(text + "\n# changed\n", encoding="utf-8")
    monkeypatch.setattr(gazetteer.rules, "HERE", rules_dir)
    assert gazetteer._cache_path() != before
