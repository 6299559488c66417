"""A worker keeps one copy of what Natasha's taggers share (pipeline.embedding): the morphology, NER
and syntax models read one word list, and navec keeps no word list or similarity tables of its own,
while the taggers still read the words (every other pipeline test depends on that too)."""
from pipeline import nlp, syntax
from pipeline.embedding import embedding


def test_the_three_taggers_read_one_word_list():
    models = nlp.models()
    taggers = (models["morph_tagger"], models["ner_tagger"], syntax.parser())
    lists = {id(t.infer.encoder.words_vocab) for t in taggers}
    assert len(lists) == 1
    words = taggers[0].infer.encoder.words_vocab
    assert len(words.items) > 200_000 and words.encode("город") != words.unk_id


def test_navec_keeps_only_what_the_taggers_read():
    emb = embedding()
    assert emb.vocab is None and not hasattr(emb.pq, "ab")
    assert emb.pq.indexes.shape[0] > 200_000
