"""Normalise: canonical norms from gazetteers and from the rest of the document."""

from pipeline.normalise import main_state_of, normalise_mentions
from pipeline.types import Mention


def m(text, label, start=0, norm=None, sent_id=0):
    return Mention(start, start + len(text), text, label, norm, sent_id=sent_id)


def norms(mentions, text=""):
    return [x.norm for x in normalise_mentions(mentions, text)]


def test_surname_takes_the_full_name_seen_in_the_document():
    assert norms([m("Mamadou Keita", "PER"), m("Keita", "PER", 40)]) == [
        "Mamadou Keita",
        "Mamadou Keita",
    ]


def test_person_alias_gives_the_gazetteer_name():
    assert norms([m("Paul-Henri Damiba", "PER")]) == ["Paul-Henri Sandaogo Damiba"]


def test_defence_ministry_takes_its_state_from_the_name_or_the_words_after_it():
    text = "le ministère de la Défense du Sénégal"
    assert norms([m("ministère de la Défense", "ORG", 3)], text) == [
        "ministère de la Défense (SEN)"
    ]
    assert norms([m("ministère turc de la Défense", "ORG")]) == ["ministère de la Défense (TUR)"]


def test_ministry_with_no_state_nearby_takes_the_documents_main_state():
    mentions = [
        m("Mali", "GPE", 0, "MLI"),
        m("Mali", "GPE", 10, "MLI"),
        m("France", "GPE", 20, "FRA", sent_id=1),
        m("ministère des Armées", "ORG", 40, sent_id=2),
    ]
    assert main_state_of(mentions) == "MLI"
    assert norms(mentions)[-1] == "ministère de la Défense (MLI)"


def test_places_and_unknown_names():
    assert norms([m("N'Djamena", "LOC"), m("Kouré", "LOC"), m("Groupe X’Y", "ORG")]) == [
        "N'Djaména",
        "Kouré",
        "Groupe X'Y",
    ]


def at(text, part, label, occurrence=0, norm=None):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(part, start + 1)
    return Mention(start, start + len(part), part, label, norm)


def test_name_defined_by_its_acronym_in_brackets_takes_the_acronym():
    text = (
        "L'Agence sahélienne de sécurité maritime (ASSM) a reçu deux vedettes. "
        "Selon l'Agence sahélienne de sécurité maritime, elles patrouilleront."
    )
    name = "Agence sahélienne de sécurité maritime"
    found = [at(text, name, "ORG"), at(text, "ASSM", "ORG"), at(text, name, "ORG", 1)]
    assert norms(found, text) == ["ASSM", "ASSM", "ASSM"]


def test_bare_acronym_takes_the_named_mission_of_the_document():
    text = "La mission EUTM RCA forme les soldats. L'EUTM a été prolongée."
    found = [at(text, "EUTM RCA", "ORG", norm="EUTM RCA"), at(text, "EUTM", "ORG", 1, "EUTM")]
    assert norms(found, text) == ["EUTM RCA", "EUTM RCA"]
    # with two named missions in the document, the bare acronym stays as it is
    text2 = text + " L'EUTM Mali aussi."
    found2 = found + [at(text2, "EUTM Mali", "ORG", norm="EUTM Mali")]
    assert norms(found2, text2)[1] == "EUTM"


def test_a_demonym_two_states_share_is_the_state_the_document_names():
    # congolais: Republic of the Congo (COG) or DR Congo (COD); the document decides
    ministry = "ministère congolais de la Défense"
    assert norms([m("Brazzaville", "LOC"), m(ministry, "ORG", 30)])[-1] == (
        "ministère de la Défense (COG)"
    )
    assert norms([m("RDC", "GPE", norm="COD"), m(ministry, "ORG", 30)])[-1] == (
        "ministère de la Défense (COD)"
    )
    # both named: the one named more often
    mentions = [
        m("Kinshasa", "LOC"),
        m("RDC", "GPE", 20, norm="COD"),
        m("Congo", "GPE", 40, norm="COG"),
        m(ministry, "ORG", 60),
    ]
    assert norms(mentions)[-1] == "ministère de la Défense (COD)"
    # neither named: no third state is borrowed from the document
    mentions = [m("Gabon", "GPE", norm="GAB"), m(ministry, "ORG", 30)]
    assert norms(mentions)[-1] == "ministère de la Défense"
    # an unshared demonym is unaffected by the document
    mentions = [m("Congo", "GPE", norm="COG"), m("ministère tchadien de la Défense", "ORG", 9)]
    assert norms(mentions)[-1] == "ministère de la Défense (TCD)"
