"""Segment: sentences never end inside an entity (a Doc built by hand, no model)."""

import spacy
from spacy.tokens import Doc, Span

from pipeline.segment import sentence_spans


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
