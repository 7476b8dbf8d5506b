"""Rules of the AGREEMENT and TERMINATION round (docs/events-agreement.md) that need a
parse the model does not reliably give: tested on Docs built with the slip in them."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.tokens import Doc

from pipeline.events.coordination import mend_split_subject
from pipeline.events.data import LexiconError, parse_lexicon
from pipeline.events.hyphens import mend_hyphens
from pipeline.events.roles import conjuncts


def built(rows: list[tuple], spaces: list[bool] | None = None) -> Doc:
    """A Doc from (word, pos, dep, head index, morph) rows."""
    vocab = spacy.blank("fr").vocab
    words = [r[0] for r in rows]
    return Doc(
        vocab,
        words=words,
        spaces=spaces if spaces is not None else [True] * len(words),
        pos=[r[1] for r in rows],
        deps=[r[2] for r in rows],
        heads=[r[3] for r in rows],
        morphs=[r[4] if len(r) > 4 else "" for r in rows],
    )


def test_cut_compound_takes_the_place_of_its_right_word():
    # "L'accord-cadre a été signé.": the parser left "accord" a root and "cadre" the subject
    doc = built(
        [
            ("L'", "DET", "det", 1),
            ("accord", "NOUN", "ROOT", 1),
            ("-", "NOUN", "nsubj:pass", 6),
            ("cadre", "NOUN", "nsubj:pass", 6),
            ("a", "AUX", "aux:tense", 6),
            ("été", "AUX", "aux:pass", 6),
            ("signé", "VERB", "ROOT", 6, "VerbForm=Part|Tense=Past"),
            (".", "PUNCT", "punct", 6),
        ],
        spaces=[False, False, False, True, True, True, False, False],
    )
    mend_hyphens(doc[:])
    assert (doc[1].head.i, doc[1].dep_) == (6, "nsubj:pass")
    assert doc[3].head.i == 1 and doc[2].head.i == 1 and doc[2].pos_ == "PUNCT"


def test_cut_compound_in_a_fragment_gives_the_fragment_the_role():
    # "Le chef d'état-major nigérien a signé.": "Le chef d'état" a fragment, "major" the subject
    doc = built(
        [
            ("Le", "DET", "det", 1),
            ("chef", "NOUN", "ROOT", 1),
            ("d'", "ADP", "case", 3),
            ("état", "NOUN", "nmod", 1),
            ("-", "NOUN", "punct", 5),
            ("major", "NOUN", "nsubj", 8),
            ("nigérien", "ADJ", "amod", 5),
            ("a", "AUX", "aux:tense", 8),
            ("signé", "VERB", "ROOT", 8, "VerbForm=Part|Tense=Past"),
        ],
        spaces=[True, True, False, False, False, True, True, True, False],
    )
    mend_hyphens(doc[:])
    assert (doc[1].head.i, doc[1].dep_) == (8, "nsubj")
    assert doc[5].head.i == 3  # "major" in the compound
    assert doc[6].head.i == 3  # the demonym on the compound's head word


def test_spaced_dash_and_pronoun_compounds_are_left_alone():
    # "celle-ci" (a pronoun) and a dash between spaces are no compounds of two words
    doc = built(
        [
            ("celle", "PRON", "nsubj", 3),
            ("-", "PUNCT", "punct", 0),
            ("ci", "ADV", "advmod", 0),
            ("signe", "VERB", "ROOT", 3, "VerbForm=Fin|Mood=Ind|Tense=Pres"),
        ],
        spaces=[False, False, True, False],
    )
    before = [(t.head.i, t.dep_) for t in doc]
    mend_hyphens(doc[:])
    assert [(t.head.i, t.dep_) for t in doc] == before


def fronted_phrase_doc() -> Doc:
    # "Dès la clôture de la mission Serval et Sabre, Lomé déclare son départ.": the
    # parser hung the subject "Lomé" as one more conjunct of the fronted phrase
    return built(
        [
            ("Dès", "ADP", "case", 2),
            ("la", "DET", "det", 2),
            ("clôture", "NOUN", "obl:mod", 11),
            ("de", "ADP", "case", 5),
            ("la", "DET", "det", 5),
            ("mission", "NOUN", "nmod", 2),
            ("Serval", "PROPN", "flat:name", 5),
            ("et", "CCONJ", "cc", 8),
            ("Sabre", "PROPN", "conj", 5),
            (",", "PUNCT", "punct", 10),
            ("Lomé", "PROPN", "conj", 8),
            ("déclare", "VERB", "ROOT", 11, "Mood=Ind|Tense=Pres|VerbForm=Fin"),
            ("son", "DET", "det", 13),
            ("départ", "NOUN", "obj", 11),
            (".", "PUNCT", "punct", 11),
        ]
    )


def test_stray_subject_is_not_a_conjunct_of_the_fronted_phrase():
    doc = fronted_phrase_doc()
    assert [t.text for t in conjuncts(doc[10])] == ["Lomé"]
    assert [t.text for t in conjuncts(doc[5])] == ["mission", "Sabre"]


def test_a_coordinated_subject_keeps_its_conjuncts():
    # "Le Mali et le Niger annoncent leur retrait.": the verb has its subject
    doc = built(
        [
            ("Le", "DET", "det", 1),
            ("Mali", "PROPN", "nsubj", 5),
            ("et", "CCONJ", "cc", 4),
            ("le", "DET", "det", 4),
            ("Niger", "PROPN", "conj", 1),
            ("annoncent", "VERB", "ROOT", 5, "Mood=Ind|Tense=Pres|VerbForm=Fin"),
            ("leur", "DET", "det", 7),
            ("retrait", "NOUN", "obj", 5),
        ]
    )
    assert [t.text for t in conjuncts(doc[1])] == ["Mali", "Niger"]


def test_combining_forms_must_name_states():
    text = '{"triggers": [], "modality": {}, "words": {"combining_forms": {"franco": "France"}}}'
    with pytest.raises(LexiconError, match="combining_forms"):
        parse_lexicon(text, "triggers.json")
    good = json.loads(text)
    good["words"]["combining_forms"] = {"franco": "FRA"}
    assert parse_lexicon(json.dumps(good), "triggers.json")["words"]["combining_forms"]


def test_split_coordinated_subject_is_joined_again():
    # "Niamey et Moscou ont signé un accord.": "Niamey" left a root of its own
    doc = built(
        [
            ("Niamey", "PROPN", "ROOT", 0),
            ("et", "CCONJ", "cc", 4),
            ("Moscou", "PROPN", "nsubj", 4),
            ("ont", "AUX", "aux:tense", 4),
            ("signé", "VERB", "ROOT", 4, "VerbForm=Part|Tense=Past"),
            ("un", "DET", "det", 6),
            ("accord", "NOUN", "obj", 4),
        ]
    )
    mend_split_subject(doc[:])
    assert (doc[0].head.i, doc[0].dep_) == (4, "nsubj")
    assert (doc[2].head.i, doc[2].dep_) == (0, "conj")
    assert [t.text for t in conjuncts(doc[0])] == ["Niamey", "Moscou"]


def test_a_root_phrase_before_a_clause_is_left_alone():
    # "À Niamey, et Moscou l'a confirmé ...": a phrase with its preposition stays apart
    doc = built(
        [
            ("À", "ADP", "case", 1),
            ("Niamey", "PROPN", "ROOT", 1),
            ("et", "CCONJ", "cc", 5),
            ("Moscou", "PROPN", "nsubj", 5),
            ("a", "AUX", "aux:tense", 5),
            ("confirmé", "VERB", "ROOT", 5, "VerbForm=Part|Tense=Past"),
        ]
    )
    mend_split_subject(doc[:])
    assert doc[1].head.i == 1 and doc[3].head.i == 5
