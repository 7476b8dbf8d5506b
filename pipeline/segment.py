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
    """Make the Doc's own sentence boundaries those of `joined_over_entities`: a line
    of its own starts a sentence (`line_starts`), a sentence start inside an entity is
    none, so that ``doc.sents`` and ``token.sent`` give the sentences the tables
    number."""
    from spacy.attrs import SENT_START

    inside = {i for ent in doc.ents for i in range(ent.start + 1, ent.end)}
    cut = sorted(i for i in inside if doc[i].is_sent_start)
    new = sorted(i for i in line_starts(doc) - inside if not doc[i].is_sent_start)
    if cut or new:  # through the array: the token setter refuses once a Doc has a parse
        starts = doc.to_array([SENT_START]).astype("int64")
        starts[cut] = -1  # spaCy's "not a sentence start"
        starts[new] = 1
        doc.from_array([SENT_START], starts.astype("uint64"))


def joined_over_entities(doc) -> list[tuple[int, int]]:
    """Token bounds of the Doc's sentences, cut again where a new line starts
    (`line_starts`), two sentences joined when an entity crosses the boundary between
    them."""
    inside = {i for ent in doc.ents for i in range(ent.start + 1, ent.end)}
    starts = sorted({sent.start for sent in doc.sents} | line_starts(doc))
    bounds: list[tuple[int, int]] = []
    for start, end in zip(starts, [*starts[1:], len(doc)], strict=True):
        if bounds and start in inside:
            bounds[-1] = (bounds[-1][0], end)
        else:
            bounds.append((start, end))
    return bounds


# what may end a line inside a sentence (a hard-wrapped text, a list being introduced)
CONTINUED = frozenset({",", "-", "–", "(", "/", "et", "ou", "de", "du", "des", "le", "la", "les"})


def line_starts(doc) -> set[int]:
    """Tokens that start a line of their own: a headline, a caption, a byline or a
    paragraph is a sentence of its own even when the sentence recogniser runs it on
    into the next line ("Le colonel X | Après la dénonciation ..."). A line starts a
    sentence when it begins with a capital, a digit, a quote or a dash, and the line
    before does not end on a comma, a hyphen or a word that needs what follows. In a
    hard-wrapped text (`hard_wrapped`) only a blank line does."""
    from spacy.attrs import IS_SPACE

    starts: set[int] = set()
    spaces = doc.to_array(IS_SPACE).nonzero()[0]  # whitespace tokens only, read once
    if not len(spaces):
        return starts
    breaks = "\n\n" if hard_wrapped(doc.text) else "\n"
    for i in spaces.tolist():
        if i == 0 or i + 1 >= len(doc) or breaks not in doc[i].text.replace("\r", ""):
            continue
        before, after = doc[i - 1], doc[i + 1]
        if before.is_space or after.is_space or before.lower_ in CONTINUED:
            continue
        first = after.text[0]
        if first.isupper() or first.isdigit() or first in "«\"“'-–—•*#":
            starts.add(after.i)
    return starts


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


SENTENCE_ENDS = (".", "!", "?", "…", "»", '"', "”", ":", ";")


def hard_wrapped(text: str) -> bool:
    """Is the text cut into lines of a fixed width (an e-mail, a plain-text dump)
    rather than into paragraphs and headlines: most of its lines (five at least) long
    and running on without sentence punctuation at their end?"""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 5:
        return False
    running = [line for line in lines if len(line) >= 50 and not line.endswith(SENTENCE_ENDS)]
    return len(running) >= 0.6 * len(lines)
