"""The custom attributes the pipeline writes on Docs and Spans.

On every entity of ``doc.ents`` (labels GPE, LOC, ORG, PER, DATE, EQUIPMENT):
``span._.norm`` (SPEC section 2), ``span._.category`` and ``span._.model`` (EQUIPMENT),
``span._.quantity`` (EQUIPMENT: the count the text states), ``span._.method`` (the stage
that found it: model, gazetteer, date_rules, equipment_rules, or a pattern family).

On the Doc: ``doc._.doc_date`` (set it before the pipeline runs to resolve relative
dates), ``doc._.events`` (`pipeline.types.Event` records, offsets into the Doc),
``doc._.candidates`` (spans proposed by each finder, by finder, until the entities are
chosen) and ``doc._.extract_errors`` (exceptions a stage caught for this Doc).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

SPAN_ATTRIBUTES = ("norm", "category", "model", "method", "quantity")


def register() -> None:
    """Declare the attributes (idempotent: declaring twice is harmless)."""
    for name in SPAN_ATTRIBUTES:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    for name in ("doc_date", "events", "candidates", "extract_errors"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register()


def set_candidates(doc, finder: str, found: list) -> None:
    """Record the candidate entities (`pipeline.tag.Candidate`) one finder proposes."""
    if doc._.candidates is None:
        doc._.candidates = {}
    doc._.candidates[finder] = found


def add_error(doc, exc: Exception) -> None:
    """Record an exception a stage caught: the document fails, the run goes on."""
    if doc._.extract_errors is None:
        doc._.extract_errors = []
    doc._.extract_errors.append(exc)
