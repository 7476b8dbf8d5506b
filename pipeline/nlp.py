"""The extract pipeline: the spaCy model with this package's components, loaded once.

`load` returns a `spacy.language.Language`: ``nlp(text)`` gives a Doc whose ``doc.ents``
carry the SPEC labels and norms and whose ``doc._.events`` holds the events
(`pipeline.components`). It keeps the speed design of the tables: the model's
``senter`` and ``ner`` (each with its own small embedding layer) run on every document;
the expensive dependency parse (shared ``tok2vec``, morphologizer, parser, lemmatizer)
is disabled in the pipeline and run by ``extract_events`` only on the sentences that may
hold an event. ``nlp.to_disk(path)`` saves it all; ``spacy.load(path)`` gives it back.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

MODEL = "fr_core_news_md"
# attribute_ruler is left out: in this model it only copies each token's POS to its TAG,
# which nothing here reads (the lemmatiser works from POS).
PARSE_PIPES = ("tok2vec", "morphologizer", "parser", "lemmatizer")
SKIPPED_PIPES = (*PARSE_PIPES, "attribute_ruler")


def load(model: str = MODEL, *, patterns: Iterable = ()):
    """The extract pipeline on ``model``; ``patterns``: entity-ruler JSONL files whose
    patterns are added to the gazetteers (`pipeline.components.entity_ruler`).

    Loaded through `french_tokenizer`, which saves 3 s of regular-expression compiling,
    and without the vocabulary's 700,000 stored strings (a spaCy serialisation field,
    0.9 s and some 60 MB): the models hash token texts themselves, vectors are found by
    hash, and every string a run needs is added when its token is made."""
    from pipeline import components, french_tokenizer

    nlp = french_tokenizer.load(model, exclude=("strings",))
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    for name in SKIPPED_PIPES:
        if name in nlp.pipe_names:
            nlp.disable_pipe(name)
    components.add_to(nlp)
    add_patterns(nlp, patterns)
    return nlp


def add_patterns(nlp, patterns: Iterable) -> None:
    """Add patterns to the pipeline's entity ruler: JSONL files (paths) or pattern
    objects (dicts). A bad one raises `PatternError` naming the file and line, before
    anything is added."""
    from pipeline.components.entity_ruler import NAME, pattern_entries

    found = pattern_entries(patterns)
    if found:
        nlp.get_pipe(NAME).add_patterns(found)


# What the parse components write on a token; copied from each parsed sentence onto its
# Doc (HEAD is relative to the token, so a sentence's values hold at any position).
PARSE_ATTRS = ("POS", "TAG", "MORPH", "LEMMA", "HEAD", "DEP")


def parse_spans(nlp, spans: list) -> None:
    """Tag, lemmatise and parse these sentences of their Docs, in place: the model's
    parse components run on a Doc made of each span's own tokens (words and spaces, so
    nothing is tokenised a second time), whose annotations are then written onto the
    span's tokens (`write_parse`). The other sentences of the Docs stay unparsed; each
    Doc keeps its sentence boundaries."""
    from spacy.tokens import Doc

    copies = [
        Doc(nlp.vocab, words=[t.text for t in span], spaces=spaces_of(span)) for span in spans
    ]
    for name in PARSE_PIPES:
        copies = list(nlp.get_pipe(name).pipe(copies))
    by_doc: dict[int, tuple] = {}
    for span, parsed in zip(spans, copies, strict=True):
        by_doc.setdefault(id(span.doc), (span.doc, []))[1].append((span, parsed))
    for doc, pairs in by_doc.values():
        write_parse(doc, pairs)


def write_parse(doc, pairs: list) -> None:
    """Write each (span, parsed copy)'s tags, lemmas and dependencies onto the span's
    tokens. spaCy sets sentence starts from the parse's roots when heads are written;
    the Doc's own boundaries (the sentence recogniser's) are put back, so ``doc.sents``
    does not change."""
    with kept_sentence_starts(doc):
        values = doc.to_array(PARSE_ATTRS)
        for span, parsed in pairs:
            values[span.start : span.end] = parsed.to_array(PARSE_ATTRS)
        doc.from_array(PARSE_ATTRS, values)


@contextmanager
def kept_sentence_starts(doc):
    """Whatever the block does to the Doc's heads, its sentence starts are the same after
    it (changing a head makes spaCy recompute them from the parse's roots)."""
    from spacy.attrs import SENT_START

    starts = doc.to_array([SENT_START])
    try:
        yield doc
    finally:
        doc.from_array([SENT_START], starts)


def spaces_of(span) -> list[bool]:
    """Whether each token of the span is followed by a space, the last one not (a span's
    text stops at its last token, as ``span.text`` does)."""
    spaces = [bool(t.whitespace_) for t in span]
    if spaces:
        spaces[-1] = False
    return spaces
