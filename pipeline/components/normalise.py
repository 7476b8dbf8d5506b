"""`extract_normalise`: every entity's norm (SPEC section 2), with the whole Doc in view.

The rules are `pipeline.normalise` (a person's full name named elsewhere in the document,
a ministry's state, the document's main state); they read the gazetteers the pipeline
carries (`pipeline.gazetteers.of_vocab`).
"""

from __future__ import annotations

from spacy.language import Language

from pipeline import gazetteers
from pipeline.components import records
from pipeline.components.extensions import add_error
from pipeline.normalise import normalise_mentions

NAME = "extract_normalise"


@Language.factory(NAME)
def make_normaliser(nlp: Language, name: str) -> Normaliser:
    return Normaliser(name)


class Normaliser:
    def __init__(self, name: str = NAME):
        self.name = name

    def __call__(self, doc):
        try:
            found = records.mentions(doc, records.sentences(doc))
            with gazetteers.using_vocab(doc.vocab):
                normalised = normalise_mentions(found, doc.text)
            for ent, mention in zip(doc.ents, normalised, strict=True):
                ent._.norm = mention.norm
        except Exception as exc:  # one bad document must not stop the run
            add_error(doc, exc)
        return doc
