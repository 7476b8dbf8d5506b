"""Actors: who appears in the corpus (SPEC section 4, `actors` table).

States (GPE mentions and state event actors), organisations and groups (ORG), and people
(PER), keyed by their norm. Places are not actors: a capital acting for its state is
counted under the state through the events that name it.

Counts, all over the corpus: ``n_mentions`` the mentions whose norm is the actor,
``n_events`` the event rows where it is source or target (an event with the same actor on
both sides counts once), ``n_docs`` the documents where it has a mention or an event role.
`ActorCounter.add_rows` takes one document's rows (`pipeline.rows.rows_for`) at a time,
so the table can be rebuilt from per-document results (cached or fresh) in any grouping,
given the same order; `ActorCounter.add` does the same from an `Extraction`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline import gazetteers
from pipeline.types import Extraction

KIND_BY_LABEL = {"GPE": "state", "ORG": "organisation", "PER": "person"}


@dataclass(slots=True)
class Tally:
    kind: str
    n_mentions: int = 0
    n_events: int = 0
    docs: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)


class ActorCounter:
    """Accumulates actors over a run, one Extraction at a time. ``known``: organisations
    the gazetteers lack, by norm, with their ``kind`` and ``country`` (from ``--patterns``
    files, see `organisations_of`)."""

    def __init__(self, known: dict[str, dict] | None = None) -> None:
        self.tallies: dict[str, Tally] = {}
        self.known = known or {}

    def add(self, extraction: Extraction) -> None:
        from pipeline.rows import rows_for

        self.add_rows(rows_for(extraction))

    def add_rows(self, rows: dict[str, list[dict]]) -> None:
        """Count one document's rows: its ``mentions`` and ``events``."""
        for m in rows.get("mentions", []):
            kind = KIND_BY_LABEL.get(m["label"])
            if kind is None or not m.get("norm"):
                continue
            tally = self.tallies.setdefault(m["norm"], Tally(kind))
            tally.n_mentions += 1
            tally.docs.add(m["doc_id"])
            tally.aliases.add(m["text"])
        for event in rows.get("events", []):
            doc_id = event["doc_id"]
            for actor in {a for a in (event.get("source"), event.get("target")) if a}:
                if actor not in self.tallies:
                    self.tallies[actor] = Tally(event_actor_kind(actor))
                self.tallies[actor].docs.add(doc_id)
                self.tallies[actor].n_events += 1

    def rows(self) -> list[dict]:
        return [
            describe(actor_id, tally, self.known)
            for actor_id, tally in sorted(self.tallies.items())
        ]


def organisations_of(patterns: list[dict]) -> dict[str, dict]:
    """Norm -> {kind, country} of the ORG patterns that give either."""
    return {
        p["id"]: {"kind": p.get("kind"), "country": p.get("country")}
        for p in patterns
        if p.get("label") == "ORG" and p.get("id") and (p.get("kind") or p.get("country"))
    }


def event_actor_kind(actor: str) -> str:
    """The kind of an event actor that no mention named: a state code, a known person,
    else an organisation (refined to ``group`` by the gazetteer in `describe`)."""
    if actor in gazetteers.state_names():
        return "state"
    if gazetteers.person_by_alias(actor) is not None:
        return "person"
    return "organisation"


def describe(actor_id: str, tally: Tally, known: dict[str, dict] | None = None) -> dict:
    name, kind, country, wikidata = actor_id, tally.kind, None, None
    if kind == "state":
        name, country = gazetteers.state_names().get(actor_id, actor_id), actor_id
    elif kind == "person":
        person = gazetteers.person_by_alias(actor_id)
        if person is not None:
            country, wikidata = person.country, person.wikidata
    else:
        org = gazetteers.organisation_by_alias(actor_id)
        if org is not None:
            kind, country, wikidata = org.kind, org.country, org.wikidata
        elif known and actor_id in known:
            kind = known[actor_id]["kind"] or kind
            country = known[actor_id]["country"]
        elif actor_id.endswith(")") and "(" in actor_id:  # ministère de la Défense (NER)
            country = actor_id.rsplit("(", 1)[1].rstrip(")")
    return {
        "actor_id": actor_id,
        "name": name,
        "kind": kind,
        "country": country,
        "wikidata_id": wikidata,
        "n_mentions": tally.n_mentions,
        "n_docs": len(tally.docs),
        "aliases": sorted(tally.aliases),
        "n_events": tally.n_events,
    }
