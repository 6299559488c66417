"""The `nlp` stage runs Natasha's NER as Natasha does, less its repeated work: it tags the tokens the
segmenter found (pipeline.nlp._tag_ner) instead of cutting the text into the same tokens again and
looking each one up in the text. The spans, and the tokens under them, are Natasha's own."""
from pathlib import Path

import pytest

from pipeline import nlp

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ODD = [
    "",
    "  \n\t ",
    "Мэр Омска В.В. Шелест и посол КНР Чжан Ханьхуэй —в Харбине;A.B. Smith (США) прибыл 5.05.2021…",
    "Губернатор\u00a0Новосибирской области\u00a0А. Травников 🙂 посетил «Новосибирский завод им. Чкалова»",
    "ООО «Сибирский мост»\n\n\n- Тбилиси\n- Ереван\n1) Минск, 2) Гомель",
]


def _ner(text: str, ours: bool):
    m = nlp.models()
    doc = nlp.Doc(text)
    doc.segment(m["segmenter"])
    if ours:
        nlp._tag_ner(doc, m["ner_tagger"])
    else:
        doc.tag_ner(m["ner_tagger"])
    return [(s.start, s.stop, s.type, s.text, [(t.start, t.stop) for t in s.tokens]) for s in doc.spans]


@pytest.mark.parametrize("text", ODD + [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "reports").glob("*.txt"))])
def test_ner_over_the_segmenters_tokens_equals_natashas_own(text):
    assert _ner(text, ours=True) == _ner(text, ours=False)


def test_the_fixtures_have_spans_of_every_kind():
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "reports").glob("*.txt")))
    assert {kind for _, _, kind, _, _ in _ner(text, ours=True)} == {"PER", "LOC", "ORG"}
