"""The pipeline's components, registered with spaCy (``@Language.factory``).

In pipeline order, after the model's ``senter`` and ``ner`` (the fast pass):

1. ``extract_entity_ruler`` (`entity_ruler`): gazetteer names and rule patterns, a
   SpanRuler whose pattern ``id`` is the norm;
2. ``extract_dates`` (`dates`): calendar expressions with ISO norms;
3. ``extract_equipment`` (`equipment`): models and classes of materiel;
4. ``extract_entities`` (`entities`): one span wherever the finders and the model
   overlap, written to ``doc.ents`` with the attributes of `extensions`;
5. ``extract_normalise`` (`normalise`): every entity's norm, the whole Doc in view;
6. ``extract_events`` (`events`): ``doc._.events``, parsing candidate sentences only.

Importing this package registers the factories (spaCy also finds them through the
``spacy_factories`` entry points of the installed package, so ``spacy.load`` of a saved
pipeline needs no import).
"""

from __future__ import annotations

from pipeline import gazetteers
from pipeline.components import display, extensions
from pipeline.components.dates import make_dates
from pipeline.components.entities import make_entities
from pipeline.components.entity_ruler import make_entity_ruler
from pipeline.components.equipment import make_equipment
from pipeline.components.events import make_events
from pipeline.components.normalise import make_normaliser

PIPES = (
    "extract_entity_ruler",
    "extract_dates",
    "extract_equipment",
    "extract_entities",
    "extract_normalise",
    "extract_events",
)
# These need the whole document: a long article is annotated in pieces up to
# extract_entities, then joined into one Doc for them (`pipeline.process`).
DOCUMENT_PIPES = ("extract_normalise", "extract_events")

__all__ = [
    "DOCUMENT_PIPES",
    "PIPES",
    "add_to",
    "display",
    "extensions",
    "make_dates",
    "make_entities",
    "make_entity_ruler",
    "make_equipment",
    "make_events",
    "make_normaliser",
]


def add_to(nlp, *, after: str = "ner") -> None:
    """Add the components missing from ``nlp``, after ``after``, and initialise them
    from the package's data; the gazetteers they consult go in the vocabulary's lookups
    (`pipeline.gazetteers.store_in`), where ``nlp.to_disk`` saves them."""
    gazetteers.store_in(nlp.vocab)
    previous = after
    for name in PIPES:
        if name not in nlp.component_names:
            component = nlp.add_pipe(name, after=previous)
            initialize = getattr(component, "initialize", None)
            if initialize is not None:
                initialize(lambda: [], nlp=nlp)
        previous = name
