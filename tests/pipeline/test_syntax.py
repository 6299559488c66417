"""The syntax stage: trees for the prose sentences that carry an event word, parsed or (one verb,
one event word) built from morphology."""
from pipeline.clauses import Tree
from pipeline.extract import analyse_text


def trees(text):
    doc = analyse_text(text, upto="syntax")
    return doc, {doc.tokens[first].text: Tree(doc, first) for first in doc.syntax}


def test_only_prose_sentences_with_a_verb_and_an_event_word_get_a_tree():
    doc, got = trees("Делегация Рязани в Бресте\n\n11.05.2022\n\n"
                     "Вчера делегация Рязани посетила Брест. Город красив. - визит в Брест (май 2022 г.);\n")
    assert list(got) == ["Вчера"]


def test_a_simple_sentence_is_built_from_morphology():
    doc, got = trees("Вчера в Мытищах не открылась выставка.")
    tree = got["Вчера"]
    words = {doc.tokens[i].text: i for i in range(tree.first, tree.end)}
    verb = words["открылась"]
    assert tree.heads[verb] == -1
    assert (tree.heads[words["выставка"]], tree.rels[words["выставка"]]) == (verb, "nsubj")
    assert (tree.heads[words["Мытищах"]], tree.rels[words["Мытищах"]]) == (verb, "obl")
    assert tree.rels[words["в"]] == "case" and tree.rels[words["не"]] == "advmod"


def test_a_sentence_with_two_predicates_is_parsed_into_one_acyclic_tree():
    doc, got = trees("Делегация, которая прибыла из Минска, посетила выставку и провела переговоры.")
    tree = got["Делегация"]
    roots = [i for i in range(tree.first, tree.end) if tree.heads[i] < 0]
    assert len(roots) >= 1
    for i in range(tree.first, tree.end):
        assert len(list(tree.path_up(i))) < tree.end - tree.first  # no cycle
    assert tree.predicate(next(i for i in range(tree.first, tree.end) if doc.tokens[i].text == "выставку")) != -1
