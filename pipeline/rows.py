"""Rows: one Extraction as rows of the output tables (columns in `pipeline.tables`)."""

from __future__ import annotations

from pipeline.events import plover
from pipeline.types import Extraction


def event_id(doc_id: str, number: int) -> str:
    return f"{doc_id}#E{number}"


def rows_for(extraction: Extraction) -> dict[str, list[dict]]:
    document = extraction.document
    doc_id = document.doc_id
    ids = {
        (e.start, e.end, e.type): event_id(doc_id, n)
        for n, e in enumerate(extraction.events, start=1)
    }
    event_of_span = {
        span: ids[(e.start, e.end, e.type)] for e in extraction.events for span in e.equipment_spans
    }
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
            }
            for m in extraction.mentions
        ],
        "events": [
            {
                "event_id": ids[(e.start, e.end, e.type)],
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
            }
            for e in extraction.events
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
                "event_id": event_of_span.get((m.start, m.end)),
            }
            for m in extraction.mentions
            if m.label == "EQUIPMENT"
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
