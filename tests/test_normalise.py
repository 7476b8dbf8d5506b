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
