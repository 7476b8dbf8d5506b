"""The plain records (`pipeline.types`) of an annotated Doc: what the tables are built from.

``offset`` is where the Doc's text begins in the document (after a ``date`` line).
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.segment import assign_sentences, sentence_spans, sentences_of
from pipeline.types import Event, Mention, Sentence


def sentences(doc, offset: int = 0) -> list[Sentence]:
    """The Doc's sentences without edge whitespace, numbered from 0."""
    return sentences_of(sentence_spans(doc), offset, 0)


def sentence_pairs(doc) -> list[tuple[Sentence, object]]:
    """Each sentence record (offsets into the Doc) with its Span."""
    spans = sentence_spans(doc)
    return list(zip(sentences_of(spans, 0, 0), spans, strict=True))


def mentions(doc, in_sentences: list[Sentence], offset: int = 0) -> list[Mention]:
    """``doc.ents`` as Mentions, with their sentence ids."""
    found = [
        Mention(
            start=ent.start_char + offset,
            end=ent.end_char + offset,
            text=ent.text,
            label=ent.label_,
            norm=ent._.norm,
            category=ent._.category,
            model=ent._.model,
            method=ent._.method or "model",
            quantity=ent._.quantity,
        )
        for ent in doc.ents
    ]
    return assign_sentences(found, in_sentences)


def shifted(event: Event, offset: int) -> Event:
    """The event with its offsets moved by ``offset``."""
    if not offset:
        return event
    return replace(
        event,
        start=event.start + offset,
        end=event.end + offset,
        equipment_spans=tuple((s + offset, e + offset) for s, e in event.equipment_spans),
    )
