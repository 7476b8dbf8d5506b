"""Segment: sentences never end inside an entity (a Doc built by hand, no model)."""

import spacy
from spacy.tokens import Doc, Span

from pipeline.segment import hard_wrapped, line_starts, sentence_spans


def test_a_sentence_cut_inside_an_entity_is_joined_again():
    vocab = spacy.blank("fr").vocab
    words = ["Dakar", "a", "reçu", "deux", "TB30", "Epsilon", "hier", ".", "Fin", "."]
    starts = [True, False, False, False, False, True, False, False, True, False]
    doc = Doc(vocab, words=words, sent_starts=starts)
    doc.ents = [Span(doc, 4, 6, label="EQUIPMENT")]
    assert [s.text for s in sentence_spans(doc)] == [
        "Dakar a reçu deux TB30 Epsilon hier .",
        "Fin .",
    ]


def test_sentences_are_kept_when_no_entity_crosses_them():
    vocab = spacy.blank("fr").vocab
    words = ["Niamey", "attend", ".", "Gao", "aussi", "."]
    doc = Doc(vocab, words=words, sent_starts=[True, False, False, True, False, False])
    doc.ents = [Span(doc, 0, 1, label="LOC"), Span(doc, 3, 4, label="LOC")]
    assert [s.text for s in sentence_spans(doc)] == ["Niamey attend .", "Gao aussi ."]


def doc_of(words: list[str], spaces: list[bool]) -> Doc:
    """A Doc whose sentence recogniser ran a headline into the next line: one sentence."""
    starts = [True] + [False] * (len(words) - 1)
    return Doc(spacy.blank("fr").vocab, words=words, spaces=spaces, sent_starts=starts)


def test_a_headline_line_is_a_sentence_of_its_own():
    words = ["Le", "général", "Koné", "\n", "Après", "la", "visite", ",", "Dakar", "signe", "."]
    spaces = [True, True, False, False, True, True, False, True, True, False, False]
    doc = doc_of(words, spaces)
    assert [s.text for s in sentence_spans(doc)] == [
        "Le général Koné",
        "Après la visite, Dakar signe.",
    ]


def test_a_paragraph_break_ends_a_sentence_the_recogniser_ran_on():
    words = ["Il", "a", "parlé", "»", ".", "\n\n", "«", "Nous", "partons", "»", "."]
    spaces = [True, True, True, False, False, False, True, True, True, False, False]
    assert [s.text for s in sentence_spans(doc_of(words, spaces))] == [
        "Il a parlé ».",
        "« Nous partons ».",
    ]


def test_a_line_that_continues_the_sentence_is_not_cut():
    # a hard-wrapped line: the next line starts in lower case, or the line ends on "de"
    words = ["Le", "convoi", "de", "\n", "Gao", "est", "\n", "arrivé", "."]
    spaces = [True, True, False, False, True, False, False, False, False]
    assert [s.text for s in sentence_spans(doc_of(words, spaces))] == [
        "Le convoi de\nGao est\narrivé."
    ]


def test_a_line_break_inside_an_entity_cuts_nothing():
    words = ["Le", "camp", "Kamboinsin", "\n", "Nord", "a", "été", "rendu", "."]
    spaces = [True, True, False, False, True, True, True, False, False]
    doc = doc_of(words, spaces)
    doc.ents = [Span(doc, 2, 5, label="LOC")]
    assert len(sentence_spans(doc)) == 1


def test_a_hard_wrapped_text_is_cut_at_blank_lines_only():
    text = (
        "Le ministre de la Défense a annoncé lundi que les forces armées du pays\n"
        "Niger recevraient bientôt de nouveaux blindés commandés auprès de plusieurs\n"
        "Fournisseurs étrangers dont la liste complète sera publiée dans les jours\n"
        "Prochains selon un communiqué lu à la télévision nationale ce lundi soir\n"
        "Après une réunion du conseil des ministres consacrée à la sécurité du pays\n"
        "\n"
        "Fin du communiqué."
    )
    doc = spacy.blank("fr")(text)
    assert hard_wrapped(text)
    assert [doc[i].text for i in sorted(line_starts(doc))] == ["Fin"]


def test_paragraphs_and_headlines_are_not_hard_wrapped():
    text = "Un titre court\nUn paragraphe entier qui finit bien.\nUn autre paragraphe, aussi fini."
    assert not hard_wrapped(text)
