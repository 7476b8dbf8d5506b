"""Transfers: an arms-transfer register in the manner of SIPRI's Trade Register, built
from the DELIVERY happenings (`pipeline.happenings`).

One row per happening and model: supplier, recipient, the model (canonical designation)
and its category, the number delivered, the date, and the documents that report that
model in that happening. Equipment named only by its class (*des blindés*) gives a row
per category that no named model covers, with ``model`` null; a delivery with no
equipment named gives one row with both null, so that every delivery is in the register.

The number is the best-attested one (the value the most documents give) among the events
of the happening, counted per model from the ``equipment`` rows that name the event
(``equipment.event_ids``): "deux TB2 et trois Akinci" gives 2 for one row and 3 for the
other.
"""

from __future__ import annotations

from pipeline.happenings import as_list, best_attested, doc_order
from pipeline.rows import date_fields

SUPPLY = "DELIVERY"


def equipment_by_event(equipment: list[dict]) -> dict[str, list[dict]]:
    """event_id → the equipment rows of the mentions that took part in it."""
    found: dict[str, list[dict]] = {}
    for row in equipment:
        for event_id in as_list(row.get("event_ids")) or (
            [row["event_id"]] if row.get("event_id") else []
        ):
            found.setdefault(event_id, []).append(row)
    return found


def per_item(mentions: list[dict]) -> dict[tuple[str | None, str | None], int | None]:
    """(model, category) → the total quantity stated in one event (None when none is)."""
    totals: dict[tuple[str | None, str | None], int | None] = {}
    for m in mentions:
        key = (m.get("model") or None, m.get("category") or None)
        quantity = m.get("quantity")
        if quantity is None:
            totals.setdefault(key, None)
        else:
            totals[key] = (totals.get(key) or 0) + int(quantity)
    return totals


def transfer_rows(
    happenings: list[dict],
    events: list[dict],
    equipment: list[dict],
    doc_dates: dict[str, str | None],
) -> list[dict]:
    """The transfers table, in the order of ``happenings``."""
    event_by_id = {e.get("event_id"): e for e in events}
    linked = equipment_by_event(equipment)
    rows = []
    for happening in happenings:
        if happening.get("type") != SUPPLY:
            continue
        members = [event_by_id[i] for i in as_list(happening.get("event_ids")) if i in event_by_id]
        items = [(e, per_item(linked.get(e.get("event_id"), []))) for e in members]
        rows.extend(register_rows(happening, items, doc_dates))
    return rows


def register_rows(happening: dict, items: list[tuple[dict, dict]], doc_dates) -> list[dict]:
    """The rows of one delivery: one per model, then one per category no model covers.
    A report that names no equipment at all reports the whole consignment: it counts in
    every row (without a quantity)."""
    found = []
    unspecific = [
        (None, doc(e)) for e, totals in items if not totals and not as_list(e.get("equipment"))
    ]
    covered: set[str] = set()
    for model in as_list(happening.get("models")):
        readings = [
            (e, key, quantity)
            for e, totals in items
            for key, quantity in totals.items()
            if key[0] == model
        ]
        category = best_attested([(key[1], doc(e)) for e, key, _ in readings])
        covered.add(category)
        quantities = [(q, doc(e)) for e, _, q in readings]
        if len(as_list(happening.get("models"))) == 1 and best_attested(quantities) is None:
            quantities = [(e.get("quantity"), doc(e)) for e, _ in items]  # one model: the total
        found.append(row(happening, model, category, quantities + unspecific, doc_dates))
    for category in as_list(happening.get("equipment")):
        if category in covered:
            continue
        readings = [
            (e, quantity)
            for e, totals in items
            for key, quantity in totals.items()
            if key == (None, category)
        ]
        if not readings:  # a category only known from the event's own equipment list
            readings = [(e, None) for e, _ in items if category in as_list(e.get("equipment"))]
        found.append(row(happening, None, category, [(q, doc(e)) for e, q in readings], doc_dates))
    if not found:
        readings = [(e.get("quantity"), doc(e)) for e, _ in items]
        found.append(row(happening, None, None, readings, doc_dates))
    return found


def doc(event: dict) -> str:
    return event.get("doc_id") or ""


def row(happening: dict, model, category, readings: list[tuple], doc_dates) -> dict:
    docs = sorted(
        {d for _, d in readings} or set(as_list(happening.get("doc_ids"))),
        key=lambda d: doc_order(d, doc_dates),
    )
    return {
        "happening_id": happening["happening_id"],
        "supplier": happening.get("source"),
        "recipient": happening.get("target"),
        "model": model,
        "category": category,
        "quantity": best_attested(readings),
        "date": happening.get("date"),
        **date_fields("date", happening.get("date")),
        "n_docs": len(docs),
        "doc_ids": docs,
    }
