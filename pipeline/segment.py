"""Segment: sentences with character offsets into the document text."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from pipeline.types import Mention, Sentence


def sentence_spans(doc) -> list:
    """The Doc's sentences without leading or trailing whitespace tokens (paragraph
    breaks); whitespace-only sentences are dropped. A sentence never ends inside an entity:
    the sentence recogniser sometimes cuts a model name (*PC-21 | Pilatus*), and the two
    pieces are one sentence again."""
    spans = []
    for start, end in joined_over_entities(doc):
        while start < end and doc[start].is_space:
            start += 1
        while end > start and doc[end - 1].is_space:
            end -= 1
        if start < end:
            spans.append(doc[start:end])
    return spans


def join_over_entities(doc) -> None:
    """Make the Doc's own sentence boundaries those of `joined_over_entities`: a
    sentence start inside an entity is none, so that ``doc.sents`` and ``token.sent``
    give the sentences the tables number."""
    from spacy.attrs import SENT_START

    inside = {i for ent in doc.ents for i in range(ent.start + 1, ent.end)}
    cut = sorted(i for i in inside if doc[i].is_sent_start)
    if cut:  # through the array: the token setter refuses once a Doc has a parse
        starts = doc.to_array([SENT_START]).astype("int64")
        starts[cut] = -1  # spaCy's "not a sentence start"
        doc.from_array([SENT_START], starts.astype("uint64"))


def joined_over_entities(doc) -> list[tuple[int, int]]:
    """Token bounds of the Doc's sentences, two sentences joined when an entity crosses
    the boundary between them."""
    inside = {i for ent in doc.ents for i in range(ent.start + 1, ent.end)}
    bounds: list[tuple[int, int]] = []
    for sent in doc.sents:
        if bounds and sent.start in inside:
            bounds[-1] = (bounds[-1][0], sent.end)
        else:
            bounds.append((sent.start, sent.end))
    return bounds


def sentences_of(spans: list, offset: int, first_id: int) -> list[Sentence]:
    """Sentence records for `sentence_spans` of a piece of text whose first character is
    at ``offset`` in the document; ids continue from ``first_id``."""
    return [
        Sentence(first_id + n, span.start_char + offset, span.end_char + offset, span.text)
        for n, span in enumerate(spans)
    ]


def assign_sentences(mentions: list[Mention], sentences: list[Sentence]) -> list[Mention]:
    """Each mention with the id of the sentence its first character falls in."""
    starts = [s.start for s in sentences]
    out = []
    for m in mentions:
        index = bisect_right(starts, m.start) - 1
        out.append(replace(m, sent_id=sentences[index].sent_id if index >= 0 else -1))
    return out
