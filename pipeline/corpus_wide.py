"""The corpus-wide tables: built once every document is done, from per-document rows.

`corpus_wide_rows` is the one place where they are made. It takes the rows of each
document as `pipeline.rows.rows_for` gives them (fresh, or read back from a cache), in
corpus order, and returns:

- ``actors`` (`pipeline.actors`);
- ``happenings`` (`pipeline.happenings`) and ``transfers`` (`pipeline.transfers`);
- ``errors``: a row with stage ``corpus`` if the happenings could not be built;
- ``events``: every document's event rows, in corpus order, each with its
  ``happening_id``. A happening is known only once the whole corpus is read, so the
  event rows are held here until the end instead of being written document by document:
  callers write the per-document rows *without* their ``events`` (`without_held`) and
  the events from here. They are a few rows per article, the smallest of the
  per-document tables; the mentions are never held.

`CorpusWide` is the same thing as an accumulator (``add`` one document's rows, then
``rows()``), for callers that stream documents; `corpus_wide_rows` is a loop over it.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.actors import ActorCounter
from pipeline.happenings import build_happenings
from pipeline.transfers import transfer_rows

HELD = ("events",)  # per-document tables that come out of the corpus-wide step instead
KEPT_EQUIPMENT = ("event_id", "event_ids", "model", "category", "quantity", "doc_id")


def without_held(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """One document's rows to write at once: all but the tables the corpus-wide step
    gives back (``events``, with their ``happening_id``)."""
    return {name: table for name, table in rows.items() if name not in HELD}


class CorpusWide:
    """Accumulates what the corpus-wide tables need, one document's rows at a time."""

    def __init__(self, known: dict[str, dict] | None = None) -> None:
        self.actors = ActorCounter(known)
        self.events: list[dict] = []
        self.equipment: list[dict] = []  # the mentions tied to an event, a few columns
        self.doc_dates: dict[str, str | None] = {}

    def add(self, rows: dict[str, list[dict]]) -> None:
        self.actors.add_rows(rows)
        for document in rows.get("documents", []):
            self.doc_dates[document["doc_id"]] = document.get("doc_date")
        self.events.extend(rows.get("events", []))
        self.equipment.extend(
            {key: m.get(key) for key in KEPT_EQUIPMENT}
            for m in rows.get("equipment", [])
            if m.get("event_id") or m.get("event_ids")
        )

    def rows(self) -> dict[str, list[dict]]:
        """The corpus-wide rows. Should grouping fail (a bug met on odd data), the run
        still writes every event, without ``happening_id``, and an ``errors`` row with
        stage ``corpus`` says why."""
        errors = []
        try:
            happenings, of_event = build_happenings(self.events, self.doc_dates)
            events = [
                dict(event, happening_id=of_event.get(event.get("event_id") or ""))
                for event in self.events
            ]
            transfers = transfer_rows(happenings, events, self.equipment, self.doc_dates)
        except Exception as exc:  # noqa: BLE001 - one failure must not lose the run
            happenings, transfers = [], []
            events = [dict(event, happening_id=None) for event in self.events]
            errors.append(
                {
                    "doc_id": None,
                    "source": None,
                    "stage": "corpus",
                    "message": f"happenings not built: {type(exc).__name__}: {exc}",
                }
            )
        return {
            "actors": self.actors.rows(),
            "events": events,
            "happenings": happenings,
            "transfers": transfers,
            "errors": errors,
        }


def corpus_wide_rows(
    per_document: Iterable[dict[str, list[dict]]], known: dict[str, dict] | None = None
) -> dict[str, list[dict]]:
    """The corpus-wide rows (actors, events with ``happening_id``, happenings,
    transfers) from every document's rows (`pipeline.rows.rows_for`), in corpus order.
    ``known``: organisations of --patterns files (`pipeline.actors.organisations_of`)."""
    wide = CorpusWide(known)
    for rows in per_document:
        wide.add(rows)
    return wide.rows()
