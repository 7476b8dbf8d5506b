"""Rows: one Extraction as rows of the output tables (columns in `pipeline.tables`).

Ids: an event is ``<doc_id>#E<n>``, n counting the document's events from 1 in the order
the event stage gives them, so it is unique per row and stable for the same corpus. An
equipment mention's ``event_id`` is the first event whose ``equipment_spans`` holds it
(so joining equipment to events gives one row per mention), ``event_ids`` all of them (two
events read from one trigger share their equipment).
"""

from __future__ import annotations

from pipeline.events import plover
from pipeline.isodate import date_range
from pipeline.types import Event, Extraction, Mention


def event_id(doc_id: str, number: int) -> str:
    return f"{doc_id}#E{number}"


def date_fields(prefix: str, iso: str | None) -> dict:
    """``<prefix>_start``, ``_end`` (ISO days) and ``_precision`` of an ISO date at its
    precision; nulls when it is not one."""
    found = date_range(iso) if isinstance(iso, str) else None
    if found is None:
        return {f"{prefix}_start": None, f"{prefix}_end": None, f"{prefix}_precision": None}
    start, end, precision = found
    return {
        f"{prefix}_start": start.isoformat(),
        f"{prefix}_end": end.isoformat(),
        f"{prefix}_precision": precision,
    }


def linked_equipment(event: Event, equipment: dict[tuple[int, int], Mention]) -> list[Mention]:
    """The EQUIPMENT mentions of an event, in text order."""
    return [equipment[span] for span in sorted(event.equipment_spans) if span in equipment]


def event_equipment_fields(linked: list[Mention]) -> dict:
    """`models` (distinct canonical models, text order) and `quantity` (total stated)."""
    models = list(dict.fromkeys(m.model for m in linked if m.model))
    stated = [m.quantity for m in linked if m.quantity is not None]
    return {"models": models, "quantity": sum(stated) if stated else None}


def rows_for(extraction: Extraction) -> dict[str, list[dict]]:
    document = extraction.document
    doc_id = document.doc_id
    ids = [event_id(doc_id, n) for n, _ in enumerate(extraction.events, start=1)]
    equipment = {(m.start, m.end): m for m in extraction.mentions if m.label == "EQUIPMENT"}
    events_of_span: dict[tuple[int, int], list[str]] = {}
    for identifier, e in zip(ids, extraction.events, strict=True):
        for span in dict.fromkeys(e.equipment_spans):
            events_of_span.setdefault(span, []).append(identifier)
    rows: dict[str, list[dict]] = {
        "documents": [
            {
                "doc_id": doc_id,
                "source": document.source,
                "encoding": document.encoding,
                "doc_date": document.doc_date,
                "n_chars": len(document.text),
                "n_sentences": len(extraction.sentences),
                "status": document.status,
                "sha256": document.sha256,
                "message": document.message,
                **date_fields("doc_date", document.doc_date),
            }
        ],
        "mentions": [
            {
                "doc_id": doc_id,
                "sent_id": m.sent_id,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "label": m.label,
                "norm": m.norm,
                "category": m.category,
                "model": m.model,
                "method": m.method,
                **date_fields("date", m.norm if m.label == "DATE" else None),
            }
            for m in extraction.mentions
        ],
        "events": [
            {
                "event_id": identifier,
                "doc_id": doc_id,
                "sent_id": e.sent_id,
                "type": e.type,
                "source": e.source,
                "target": e.target,
                "date": e.date,
                "location": e.location,
                "equipment": list(e.equipment),
                "plover": plover(e),
                "evidence": e.evidence,
                "sentence": e.sentence,
                "start": e.start,
                "end": e.end,
                **event_equipment_fields(linked_equipment(e, equipment)),
                **date_fields("date", e.date),
            }
            for identifier, e in zip(ids, extraction.events, strict=True)
        ],
        "equipment": [
            {
                "doc_id": doc_id,
                "sent_id": m.sent_id,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "category": m.category,
                "model": m.model,
                "quantity": m.quantity,
                "event_id": events_of_span.get(span, [None])[0],
                "event_ids": events_of_span.get(span, []),
            }
            for span, m in equipment.items()
        ],
        "errors": [
            {"doc_id": doc_id, "source": document.source, "stage": stage, "message": message}
            for stage, message in extraction.errors
        ],
    }
    if document.status != "ok" and not extraction.errors:  # failed before processing
        rows["errors"].append(
            {
                "doc_id": doc_id,
                "source": document.source,
                "stage": "ingest",
                "message": f"{document.status}: {document.message}",
            }
        )
    return rows
