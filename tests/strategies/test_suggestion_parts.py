"""The parts of the suggestions: the Aurora queries' Scopus syntax and matcher, and the
lemma tables with their cache and their fallback for words simplemma does not know."""

import json

import pytest

from app.strategies import aurora, lemmas
from app.strategies.aurora import Leaf, Matcher, Node, parse
from app.strategies.keywords import sdg_targets


def matcher(text: str) -> Matcher:
    words = [token.folded for token in lemmas.tokens(text)]
    return Matcher(words, words, lambda word: word, lambda i: i // 50)


def test_or_binds_before_proximity_and_proximity_before_and():
    tree = parse('"a" OR "b" W/3 "c" AND "d" AND NOT "e"')
    assert tree.operator == "NOT"
    assert tree.left.operator == "AND"
    near = tree.left.left
    assert (near.operator, near.distance) == ("W", 3)
    assert near.left == Node("OR", Leaf(("a",)), Leaf(("b",)))


@pytest.mark.parametrize("line", ['"a" OR', '( "a" OR "b"', '"a" NEAR/3 "b"', "a OR b", '""'])
def test_syntax_it_does_not_know_is_refused(line):
    with pytest.raises(ValueError):
        parse(line)


def test_every_aurora_file_parses_and_names_real_targets():
    found = aurora.queries()
    assert len(found) >= 370
    targets = {query.target for query in found}
    # Aurora's only query beyond the targets is "13.0", for goal 13 as a whole.
    assert targets - set(sdg_targets()) == {"13.0"}
    assert len(targets & set(sdg_targets())) >= 160


def test_proximity_phrases_prefixes_and_exclusion_match_as_scopus_does():
    text = "We will increase the share of renewable energy and promote clean fuels."
    m = matcher(text)
    assert m.match(parse('( "increas*" ) W/3 ( "share" )'))
    assert m.match(parse('"renewable energy"'))
    assert not m.match(parse('"energy renewable"'))
    assert not m.match(parse('( "increas*" ) W/2 ( "renewable" )'))
    assert m.match(parse('"renewable" AND "fuel*"'))
    assert not m.match(parse('"renewable" AND NOT "clean"'))
    positions = m.match(parse('"clean" W/1 "fuels"'))
    words = text.split()
    assert [words[i] for i in positions] == ["clean", "fuels."]


def test_and_needs_both_in_the_same_stretch():
    text = "renewable " + "word " * 120 + "fuel"
    assert not matcher(text).match(parse('"renewable" AND "fuel"'))


def test_a_lemma_table_is_built_once_and_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("WARSZTAT_CACHE_DIR", str(tmp_path))
    words = ["nezaměstnanost", "doprava"]
    first = lemmas.lemmatiser("cs", words)
    assert first.lemma("nezamestnanosti") == "nezamestnanost"
    (table,) = tmp_path.glob("lemmas-cs-*.json")
    data = json.loads(table.read_text(encoding="utf-8"))
    assert data["forms"]["dopravou"] == "doprava"
    # A second process reads the table instead of building it.
    lemmas._built.clear()
    data["forms"]["dopravou"] = "marked"
    table.write_text(json.dumps(data), encoding="utf-8")
    assert lemmas.lemmatiser("cs", words).lemma("dopravou") == "marked"
    lemmas._built.clear()


def test_a_word_simplemma_does_not_know_still_finds_its_forms(tmp_path, monkeypatch):
    monkeypatch.setenv("WARSZTAT_CACHE_DIR", str(tmp_path))
    found = lemmas.lemmatiser("cs", ["fotovoltaika"])
    assert found.lemma("fotovoltaiky") == "fotovoltaika"
    assert found.lemma("cokoli") == "cokoli"
    lemmas._built.clear()


@pytest.mark.parametrize(
    ("language", "word", "stem"),
    [
        ("cs", "fotovoltaiky", "fotovoltaik"),
        ("hu", "napelemeket", "napelem"),
        ("pl", "dom", "dom"),  # too short to cut
    ],
)
def test_endings_are_cut_from_folded_words(language, word, stem):
    assert lemmas.stem(language, word) == stem
