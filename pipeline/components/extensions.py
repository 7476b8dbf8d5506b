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

from dataclasses import astuple

import srsly
from spacy.tokens import Doc, Span

from pipeline.types import Event

SPAN_ATTRIBUTES = ("norm", "category", "model", "method", "quantity")
EVENT_KEY = "__extract_event__"


def register() -> None:
    """Declare the attributes (idempotent: declaring twice is harmless)."""
    for name in SPAN_ATTRIBUTES:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    for name in ("doc_date", "events", "candidates", "extract_errors"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register()


@srsly.msgpack_encoders("extract_event")
def encode_event(obj, chain=None):
    """``doc._.events`` survives ``Doc.to_bytes``, ``DocBin`` and ``nlp.pipe(n_process=2)``
    (spaCy's msgpack takes encoders from this registry)."""
    if isinstance(obj, Event):
        return {EVENT_KEY: astuple(obj)}
    return obj if chain is None else chain(obj)


@srsly.msgpack_decoders("extract_event")
def decode_event(obj, chain=None):
    if isinstance(obj, dict) and EVENT_KEY in obj:
        values = list(obj[EVENT_KEY])
        values[5] = tuple(values[5])  # equipment
        values[11] = tuple(tuple(pair) for pair in values[11])  # equipment_spans
        return Event(*values)
    return obj if chain is None else chain(obj)


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
