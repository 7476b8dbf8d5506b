"""`extract_entities`: the entities of the Doc, chosen among every finder's candidates.

Candidates come from the entity ruler (names and rule patterns), the statistical NER
(``doc.ents`` as the model left them, trimmed and filtered by `pipeline.tag`), the date
finder and the equipment finder. `pipeline.tag.resolve_overlaps` keeps one span wherever
they overlap (rules before the model, then the longer); the kept spans become
``doc.ents`` with the SPEC labels and their ``norm``, ``category``, ``model``,
``quantity`` and ``method``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Span

from pipeline import gazetteers, tag
from pipeline.components.extensions import add_error, set_candidates

NAME = "extract_entities"
FINDERS = ("names", "model", "dates", "equipment")  # ties go to the earlier finder


@Language.factory(NAME)
def make_entities(nlp: Language, name: str) -> EntityChooser:
    return EntityChooser(name)


class EntityChooser:
    def __init__(self, name: str = NAME):
        self.name = name

    def __call__(self, doc):
        with gazetteers.using_vocab(doc.vocab):
            return self.choose(doc)

    def choose(self, doc):
        try:
            set_candidates(doc, "model", tag.model_candidates(doc))
            found = doc._.candidates or {}
            candidates = [c for finder in FINDERS for c in found.get(finder, ())]
            candidates = tag.outside_furniture(doc, candidates)
            doc.ents = [entity(doc, c) for c in tag.resolve_overlaps(candidates)]
        except Exception as exc:  # one bad document must not stop the run
            add_error(doc, exc)
            doc.ents = []
        doc._.candidates = None
        return doc


def entity(doc, c: tag.Candidate) -> Span:
    span = Span(doc, c.start, c.end, label=c.label)
    span._.norm = c.norm
    span._.category = c.category
    span._.model = c.model
    span._.method = c.method
    span._.quantity = c.quantity
    return span
