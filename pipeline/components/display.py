"""displaCy colours for the SPEC labels, so ``displacy.render(doc, style="ent")`` shows
every entity type apart (spaCy's defaults know GPE, LOC, ORG and DATE, not PER or
EQUIPMENT). Registered here, and through the ``spacy_displacy_colors`` entry point of the
installed package."""

from __future__ import annotations

from spacy.util import registry

COLORS = {
    "GPE": "#feca74",
    "LOC": "#ff9561",
    "ORG": "#7aecec",
    "PER": "#aa9cfc",
    "DATE": "#bfe1d9",
    "EQUIPMENT": "#f7b2d9",
}

registry.displacy_colors.register("extract", func=COLORS)
