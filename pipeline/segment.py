"""Segment: sentences with character offsets into the document text."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from pipeline.types import Mention, Sentence


def sentences_of(doc, offset: int, first_id: int) -> list[Sentence]:
    """The sentences of a processed piece of text whose first character is at ``offset``
    in the document; ids continue from ``first_id``. Whitespace-only sentences are dropped."""
    found = []
    for span in doc.sents:
        if not span.text.strip():
            continue
        found.append(Sentence(first_id + len(found), span.start_char + offset,
                              span.end_char + offset, span.text))
    return found


def assign_sentences(mentions: list[Mention], sentences: list[Sentence]) -> list[Mention]:
    """Each mention with the id of the sentence its first character falls in."""
    starts = [s.start for s in sentences]
    out = []
    for m in mentions:
        index = bisect_right(starts, m.start) - 1
        out.append(replace(m, sent_id=sentences[index].sent_id if index >= 0 else -1))
    return out
