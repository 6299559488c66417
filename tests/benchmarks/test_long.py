"""benchmarks.long / benchmarks.many: the generated texts are what their names say (no timing here)."""
from benchmarks import long, many


def test_prose_is_varied_report_text_of_the_size_asked():
    text = long.prose(300_000)
    assert 300_000 <= len(text.encode()) < 400_000 and text.count("\n\n") > 20
    assert long.prose(300_000, seed=8) != text            # other numbers, other cities


def test_pathological_inputs():
    line = long.single_line(200_000)
    assert line.count("\n") == 1 and len(line.encode()) >= 190_000
    nested = long.nested(50).splitlines()
    assert len(nested) == 50 and nested[49].startswith("1." * 49 + "1. ")
    lines = long.short_lines(1000).splitlines()
    assert len(lines) == 1000 and all(0 < len(x.split()) <= 9 for x in lines)


def test_the_corpus_has_log_uniform_sizes(tmp_path):
    many.build(20, 0.05, tmp_path)
    sizes = [p.stat().st_size for p in sorted(tmp_path.iterdir())]
    assert len(sizes) == 20 and min(sizes) >= 2000 and max(sizes) < 60_000 and len(set(sizes)) == 20


def test_drift_compares_an_aged_and_a_fresh_worker_on_a_shares_last_files(tmp_path, capsys):
    from benchmarks import drift

    many.build(8, 0.004, tmp_path / "in")
    assert drift.main([str(tmp_path / "in"), "--last", "2"]) == 0
    out = capsys.readouterr().out
    assert "4 of 8 files; the aged worker extracted 2 of them" in out and "both the last 2" in out
    assert float(out.split("aged/fresh=")[1].split()[0]) > 0
