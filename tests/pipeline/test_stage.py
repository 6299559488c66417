"""The stage registry: one shape, declared layers, a list of stages checked before it runs."""
import pytest

from pipeline.doc import ReportDoc
from pipeline.extract import ON_FILE, STAGES, analyse_text
from pipeline.stage import REGISTRY, check, stage


def test_every_declared_stage_is_registered_and_the_list_runs_in_order():
    assert [s.name for s in ON_FILE] == list(STAGES)
    assert set(STAGES) <= set(REGISTRY)


def test_a_stage_before_the_layers_it_requires_is_refused():
    with pytest.raises(ValueError, match="'persons' requires .*organisations"):
        check(("ingest", "layout", "structure", "nlp", "persons", "organisations"), given=("path", "data"))
    with pytest.raises(ValueError, match="no stage 'charts'"):
        check(("ingest", "charts"), given=("path", "data"))


def test_a_stage_must_name_fields_of_the_doc():
    with pytest.raises(ValueError, match="no fields of ReportDoc"):
        stage("bad", requires=("text",), assigns=("charts",))(lambda doc: None)
    assert "bad" not in REGISTRY


def test_analyse_text_runs_the_stages_up_to_the_one_named_and_no_further():
    text = "В мае 2021 года Мэр города Омска О.Н. Фадина посетила Циндао. Приехали 20 гостей."
    doc = analyse_text(text, upto="places")
    assert isinstance(doc, ReportDoc) and doc.text == text
    assert [h.value for h in doc.dates] == ["2021-05"] and [q.unit for q in doc.quantities] == ["гость"]
    assert [t.text for t in doc.tokens][:3] == ["В", "мае", "2021"]
    assert {p.name for p in doc.places} >= {"Омск", "Циндао"}
    assert doc.city is None and doc.persons == [] and doc.events == []      # later stages did not run
    assert [p.surname for p in analyse_text(text, upto="persons").persons] == ["Фадина"]


def test_token_lookup_by_span():
    doc = analyse_text("Делегация посетила Омск.", upto="nlp")
    a = doc.text.index("Омск")
    assert [doc.tokens[k].text for k in doc.span_tokens(a, a + 4)] == ["Омск"]
    assert [doc.tokens[k].low for k in doc.span_tokens(0, len(doc.text))] == ["делегация", "посетила", "омск", "."]
