"""Rule data: every list says each word once (lower case, ё as е: how the stages compare words)."""
import tomllib
import pytest

from tests.conftest import ROOT

FILES = sorted((ROOT / "pipeline" / "rules").glob("*.toml")) + sorted((ROOT / "benchmarks").glob("*.toml"))


def lists(table, path=()):
    for k, v in table.items():
        if isinstance(v, dict):
            yield from lists(v, path + (k,))
        elif isinstance(v, list):
            yield ".".join(path + (k,)), v


def norm(item):
    return tuple(norm(x) for x in item) if isinstance(item, list) else str(item).lower().replace("ё", "е")


def repeated(items) -> list:
    seen, out = set(), []
    for x in map(norm, items):
        if x in seen:
            out.append(x)
        seen.add(x)
    return out


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_no_rule_list_repeats_a_word(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert {name: repeated(items) for name, items in lists(data) if repeated(items)} == {}


def test_the_check_finds_a_repeated_word():
    assert repeated(["посёлок", "город", "поселок"]) == ["поселок"]


def test_honorifics_live_in_one_file():
    honorifics = {norm(w) for _, items in lists(tomllib.loads((ROOT / "pipeline/rules/honorifics.toml").read_text()))
                  for w in items}
    elsewhere = {(p.name, name): sorted(honorifics & {norm(w) for w in items})
                 for p in FILES if p.name != "honorifics.toml"
                 for name, items in lists(tomllib.loads(p.read_text(encoding="utf-8")))}
    assert {k: v for k, v in elsewhere.items() if len(v) > 1} == {}      # a surname may be one ("Пан")
