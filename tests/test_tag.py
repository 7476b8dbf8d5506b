"""Tag: gazetteer, pattern and model spans merged, trimmed and filtered (sentences of our own)."""

import pytest

from pipeline import tag
from pipeline.process import Processor


@pytest.fixture(scope="module")
def processor(nlp):
    return Processor(nlp)


def mentions(processor, text):
    doc = processor.nlp.make_doc(text)
    for name in ("senter", "ner"):
        doc = processor.nlp.get_pipe(name)(doc)
    return {(m.text, m.label, m.norm) for m in processor.tag(doc, 0, "2025-03-04")}


def test_states_with_articles_accents_and_apostrophes(processor):
    found = mentions(processor, "Le Tchad, les Etats-Unis et la Côte d’Ivoire ont signé.")
    assert {
        ("Tchad", "GPE", "TCD"),
        ("Etats-Unis", "GPE", "USA"),
        ("Côte d’Ivoire", "GPE", "CIV"),
    } <= found


def test_acronym_and_full_name_give_one_canonical_organisation(processor):
    found = mentions(
        processor,
        "La Communauté économique des États de l'Afrique de l'Ouest "
        "(CEDEAO) a réuni ses membres à Abuja.",
    )
    orgs = {(text, norm) for text, label, norm in found if label == "ORG"}
    assert {norm for _, norm in orgs} == {"CEDEAO"} and len(orgs) == 2
    assert ("Abuja", "LOC", "Abuja") in found


def test_named_base_is_one_place_and_its_city_another(processor):
    found = mentions(processor, "Les soldats ont quitté la base aérienne 113 de Saint-Dizier.")
    assert ("base aérienne 113", "LOC", None) in {(t, lab, None) for t, lab, _ in found}
    assert any(text == "Saint-Dizier" and label == "LOC" for text, label, _ in found)


def test_descriptions_demonyms_and_functions_are_not_names(processor):
    found = mentions(
        processor,
        "L'armée sénégalaise et le ministre de l'Intérieur, selon les Sénégalais, ont parlé.",
    )
    assert not any(label == "ORG" and "armée" in text for text, label, _ in found)
    assert not any(text.startswith("ministre") for text, _, _ in found)
    assert not any(text == "Sénégalais" for text, _, _ in found)


def test_longest_rule_span_wins_and_model_spans_yield_to_rules():
    near = tag.Candidate(0, 2, "LOC", None, "model", tag.MODEL_RANK)
    rule = tag.Candidate(1, 2, "GPE", "NER", "gazetteer", tag.RULE_RANK)
    longer = tag.Candidate(1, 4, "ORG", "AES", "gazetteer", tag.RULE_RANK)
    assert tag.resolve_overlaps([near, rule]) == [rule]
    assert tag.resolve_overlaps([near, rule, longer]) == [longer]


def test_model_name_containing_a_place_is_kept_whole():
    person = tag.Candidate(0, 2, "PER", None, "model", tag.MODEL_RANK)
    place = tag.Candidate(0, 1, "GPE", "MUS", "gazetteer", tag.RULE_RANK)
    assert tag.resolve_overlaps([person, place]) == [
        tag.Candidate(0, 2, "PER", None, "model", tag.RULE_RANK)
    ]


def test_spelling_variants():
    assert tag.spelling_variants("Côte d’Ivoire") == {
        "Côte d’Ivoire",
        "Côte d'Ivoire",
        "Cote d’Ivoire",
        "Cote d'Ivoire",
    }
