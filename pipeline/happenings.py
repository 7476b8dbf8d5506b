"""Happenings: the events of a whole corpus grouped into the real-world happenings they
report (one helicopter delivery told by five outlets, then recalled for years, is one
happening with five documents).

Two event rows may report the same happening when each of these holds (the matching
rules, one function each, documented in docs/happenings.md; their parameters are data,
``data/happenings.json``):

- `same_type`: the same event type;
- `actors_compatible`: the same source and target, a missing one matching any, with at
  least one named actor shared (for symmetric types, AGREEMENT, in either order);
- `dates_compatible`: dates that can name the same day at their precisions (`2021`,
  `2021-09` and `2021-09-30` can; `2021-01` and `2021-09` cannot), or two exact days at
  most a few days apart (an arrival, its announcement and its ceremony); a missing date
  matches any;
- `reported_after`: an undated report cannot be about something that happened after its
  article's date (`doc_date`);
- `places_compatible`: places in the same state (or one missing); for ATTACK the same
  place (or a state and a place inside it);
- `equipment_compatible`: equipment that overlaps (models, else categories), or is
  missing on one side.

Grouping is greedy and deterministic: within each type, events are taken most specific
first (both actors named, then the finer date, then named models, then the earlier
article, then the event id), so vague reports join the happenings that precise reports
open; an event that several happenings could take goes to the one sharing most models,
then the same place, then the nearest date, then the most documents, then the first
opened. The order of the input rows does not matter: the same events give the same
happenings, whatever the number of workers or the engine.

A happening's values are the best-attested readings of its events (the value the most
documents give; ties go to the most specific event): the date at the finest precision its
events give, the quantity, the place, the actors. Readings that contradict the kept date
or quantity are counted in ``date_disagreements`` and ``quantity_disagreements``.

``happening_id`` is ``H`` and 12 hex digits of the SHA-1 of the event id that opened the
happening: stable for the same corpus.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from pipeline import gazetteers
from pipeline.datafile import read_json
from pipeline.isodate import PRECISIONS, compatible, date_range
from pipeline.rows import date_fields
from pipeline.types import EVENT_TYPES

RULES_FILE = Path(__file__).parent / "data" / "happenings.json"
RULE_KEYS = {"about", "day_tolerance", "symmetric_types", "strict_place_types"}
FAR = 10**6  # days: the gap to a happening with no date


# ----------------------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class Rules:
    """The parameters of the matching rules (``data/happenings.json``)."""

    day_tolerance: dict[str, int]
    symmetric_types: frozenset[str]
    strict_place_types: frozenset[str]

    def tolerance(self, kind: str) -> int:
        return self.day_tolerance.get(kind, self.day_tolerance["default"])


def load_rules(path: str | Path = RULES_FILE) -> Rules:
    """Read and check the rules file; a wrong one is a ValueError naming the file."""
    path = Path(path)
    data = read_json(path, "the happening rules")
    if (
        not isinstance(data, dict)
        or set(data) - RULE_KEYS
        or not RULE_KEYS - {"about"} <= set(data)
    ):
        raise ValueError(f"{path}: expected the keys {sorted(RULE_KEYS)}")
    tolerance = data["day_tolerance"]
    if (
        not isinstance(tolerance, dict)
        or "default" not in tolerance
        or set(tolerance) - {"default", *EVENT_TYPES}
        or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in tolerance.values()
        )
    ):
        raise ValueError(f"{path}: day_tolerance maps 'default' and event types to whole days >= 0")
    for key in ("symmetric_types", "strict_place_types"):
        kinds = data[key]
        if not isinstance(kinds, list) or set(kinds) - set(EVENT_TYPES):
            raise ValueError(f"{path}: {key} must list event types among {EVENT_TYPES}")
    return Rules(
        dict(tolerance), frozenset(data["symmetric_types"]), frozenset(data["strict_place_types"])
    )


@cache
def rules() -> Rules:
    return load_rules()


# ----------------------------------------------------------------------------- matching rules


def same_type(a: dict, b: dict) -> bool:
    return a.get("type") == b.get("type")


def actors_compatible(
    a: tuple[str | None, str | None], b: tuple[str | None, str | None], symmetric: bool = False
) -> bool:
    """(source, target) pairs that may name the same happening: no named actor contradicts
    the other pair, and at least one named actor is shared. ``symmetric``: the order of
    the two actors does not matter (who signs first)."""
    if symmetric:
        named_a, named_b = {x for x in a if x}, {x for x in b if x}
        return bool(named_a & named_b) and len(named_a | named_b) <= 2
    shared = False
    for x, y in zip(a, b, strict=True):
        if x and y:
            if x != y:
                return False
            shared = True
    return shared


def dates_compatible(a: str | None, b: str | None, tolerance_days: int = 0) -> bool:
    """Dates that can name the same day at their precisions (`2021-09-30` and `2021`),
    or two exact days at most ``tolerance_days`` apart. A missing date matches any."""
    if compatible(a, b):
        return True
    ra, rb = date_range(a), date_range(b)
    if ra is None or rb is None or ra[2] != "day" or rb[2] != "day":
        return False
    return abs((ra[0] - rb[0]).days) <= tolerance_days


def reported_after(when: str | None, doc_date: str | None) -> bool:
    """Whether something dated ``when`` can have happened by an article of ``doc_date``
    (it began on or before the article's last day). True when either is unknown."""
    rw, rd = date_range(when), date_range(doc_date)
    return rw is None or rd is None or rw[0] <= rd[1]


def place_state(place: str | None) -> str | None:
    """The state (ISO3) a canonical place lies in, a state's own code, or None."""
    if not place:
        return None
    if place in gazetteers.state_names():
        return place
    found = gazetteers.state_iso3(place) or gazetteers.capital_iso3(place)
    if found:
        return found
    known = gazetteers.place_by_alias(place)
    return known.country if known is not None else None


def is_state(place: str) -> bool:
    return place in gazetteers.state_names() or gazetteers.state_iso3(place) is not None


def places_compatible(a: str | None, b: str | None, strict: bool = False) -> bool:
    """Places that may be where one happening was: equal, one missing, or in the same
    state. ``strict`` (attacks): equal, or a state and a place inside it."""
    if not a or not b or a == b:
        return True
    sa, sb = place_state(a), place_state(b)
    if strict:
        return sa is not None and sa == sb and (is_state(a) or is_state(b))
    return sa is None or sb is None or sa == sb


def equipment_compatible(
    models_a: Collection[str],
    categories_a: Collection[str],
    models_b: Collection[str],
    categories_b: Collection[str],
) -> bool:
    """Equipment that may be one consignment: models that overlap when both sides name
    some, and categories that overlap when both sides give some."""
    if models_a and models_b and set(models_a).isdisjoint(models_b):
        return False
    return not (categories_a and categories_b and set(categories_a).isdisjoint(categories_b))


# ----------------------------------------------------------------------------- grouping


@dataclass(slots=True)
class Draft:
    """A happening being built: its events and what they have said so far."""

    type: str
    index: int
    events: list[dict] = field(default_factory=list)
    actors: tuple[str | None, str | None] = (None, None)
    dates: list[str] = field(default_factory=list)
    bound: date | None = None  # last day it can have happened (undated reports' articles)
    places: list[str] = field(default_factory=list)
    models: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    docs: set[str] = field(default_factory=set)


def pair(event: dict) -> tuple[str | None, str | None]:
    return event.get("source") or None, event.get("target") or None


def as_list(value) -> list[str]:
    return [str(v) for v in value] if value is not None and not isinstance(value, str) else []


def doc_end(event: dict, doc_dates: dict[str, str | None]) -> date | None:
    found = date_range(doc_dates.get(event.get("doc_id")))
    return found[1] if found else None


def precision_rank(iso: str | None) -> int:
    found = date_range(iso)
    return PRECISIONS.index(found[2]) + 1 if found else 0


def specificity_key(event: dict, doc_dates: dict[str, str | None]) -> tuple:
    """Most specific first: both actors named, finer date, named models, earlier article,
    then the event id (unique, so the order is total)."""
    doc = date_range(doc_dates.get(event.get("doc_id")))
    return (
        -sum(1 for actor in pair(event) if actor),
        -precision_rank(event.get("date")),
        -len(as_list(event.get("models"))),
        doc[0].isoformat() if doc else "9999-12-31",
        event.get("event_id") or "",
    )


@dataclass(frozen=True, slots=True)
class Reading:
    """What one event says, read once (the grouping checks it against many happenings)."""

    event: dict
    actors: tuple[str | None, str | None]
    date: str | None
    reported_by: str | None  # the last day of its article's date, ISO
    location: str | None
    models: frozenset[str]
    categories: frozenset[str]


def reading(event: dict, doc_dates: dict[str, str | None]) -> Reading:
    end = doc_end(event, doc_dates)
    return Reading(
        event,
        pair(event),
        event.get("date") or None,
        end.isoformat() if end else None,
        event.get("location") or None,
        frozenset(as_list(event.get("models"))),
        frozenset(as_list(event.get("equipment"))),
    )


def fits(draft: Draft, said: Reading, rule: Rules) -> bool:
    """Whether an event may report the happening ``draft`` holds: every rule, checked
    against every reading the happening has gathered."""
    kind = draft.type
    if not actors_compatible(draft.actors, said.actors, kind in rule.symmetric_types):
        return False
    if said.date:
        tolerance = rule.tolerance(kind)
        if not all(dates_compatible(said.date, d, tolerance) for d in draft.dates):
            return False
        found = date_range(said.date)
        if draft.bound is not None and found and found[0] > draft.bound:
            return False
    elif said.reported_by and not all(reported_after(d, said.reported_by) for d in draft.dates):
        return False
    strict = kind in rule.strict_place_types
    if said.location and not all(places_compatible(said.location, p, strict) for p in draft.places):
        return False
    return equipment_compatible(said.models, said.categories, draft.models, draft.categories)


def date_gap(when: str | None, dates: list[str]) -> int:
    """Days between a date and the nearest of a happening's dates (0 when they overlap)."""
    mine = date_range(when)
    if mine is None:
        return 0
    gaps = []
    for other in dates:
        theirs = date_range(other)
        if theirs is not None:
            gaps.append(max(0, (theirs[0] - mine[1]).days, (mine[0] - theirs[1]).days))
    return min(gaps, default=FAR)


def preference(draft: Draft, said: Reading) -> tuple:
    """Higher is better: shared models, same place, nearer date, more documents, opened
    first."""
    return (
        len(draft.models & said.models),
        bool(said.location) and said.location in draft.places,
        -date_gap(said.date, draft.dates),
        len(draft.docs),
        -draft.index,
    )


def absorb(draft: Draft, event: dict, doc_dates: dict[str, str | None], rule: Rules) -> None:
    draft.events.append(event)
    source, target = pair(event)
    if draft.type in rule.symmetric_types:
        named = sorted({x for x in (*draft.actors, source, target) if x})
        draft.actors = (named + [None, None])[0], (named + [None, None])[1]
    else:
        draft.actors = draft.actors[0] or source, draft.actors[1] or target
    if event.get("date"):
        if event["date"] not in draft.dates:
            draft.dates.append(event["date"])
    else:
        end = doc_end(event, doc_dates)
        if end is not None and (draft.bound is None or end < draft.bound):
            draft.bound = end
    if event.get("location") and event["location"] not in draft.places:
        draft.places.append(event["location"])
    draft.models.update(as_list(event.get("models")))
    draft.categories.update(as_list(event.get("equipment")))
    draft.docs.add(event.get("doc_id") or "")


class Index:
    """The happenings opened so far that name one actor, by the years their dates touch
    (undated ones apart), so that an event is only checked against those it could fit."""

    def __init__(self) -> None:
        self.by_year: dict[int, list[Draft]] = {}
        self.undated: list[Draft] = []
        self.years: dict[int, set[int]] = {}  # draft.index -> years it is filed under

    def file(self, draft: Draft) -> None:
        if draft.index not in self.years:
            self.years[draft.index] = set()
            if not draft.dates:  # stays listed if it gets a date later: fits() checks
                self.undated.append(draft)
        filed = self.years[draft.index]
        for when in draft.dates:
            found = date_range(when)
            if found is None:
                continue
            for year in range(found[0].year, found[1].year + 1):
                if year not in filed:
                    filed.add(year)
                    self.by_year.setdefault(year, []).append(draft)

    def candidates(self, first: date | None, last: date | None) -> list[Draft]:
        """Happenings that may hold a date between ``first`` and ``last`` (None: any
        until ``last``; both None: all)."""
        if first is None:
            years = [y for y in self.by_year if last is None or y <= last.year]
        else:  # a year either side: a few days' tolerance may cross a new year
            years = range(first.year - 1, last.year + 2)
        found = list(self.undated)
        for year in years:
            found.extend(self.by_year.get(year, ()))
        return found


def roles(actors: tuple[str | None, str | None], symmetric: bool) -> list[tuple]:
    """The named actors with their role (``s``, ``t``; ``a`` when the order does not
    matter)."""
    if symmetric:
        return [("a", x) for x in sorted({x for x in actors if x})]
    return [(role, x) for role, x in zip("st", actors, strict=True) if x]


def filing_keys(actors: tuple[str | None, str | None], symmetric: bool) -> list[tuple]:
    """Where a happening is indexed: under its pair of actors when it has both, under
    each actor alone, and as 'only this actor' when it has one."""
    named = roles(actors, symmetric)
    if len(named) == 2:
        return [("pair", *named), *named]
    return [("only", *named[0]), named[0]] if named else []


def lookup_keys(actors: tuple[str | None, str | None], symmetric: bool) -> list[tuple]:
    """Where to look for the happenings an event may join: its pair and the happenings
    that have only one of its actors; with one actor, every happening that has it."""
    named = roles(actors, symmetric)
    if len(named) == 2:
        return [("pair", *named), ("only", *named[0]), ("only", *named[1])]
    return named


def group_events(
    events: list[dict], doc_dates: dict[str, str | None], rule: Rules | None = None
) -> list[list[dict]]:
    """The events grouped into happenings: lists of event rows, each list in
    most-specific-first order, the lists in the order they were opened."""
    rule = rule or rules()
    drafts: list[Draft] = []
    indexes: dict[tuple, Index] = {}
    ordered = sorted(events, key=lambda e: (e.get("type") or "", specificity_key(e, doc_dates)))
    for event in ordered:
        kind = event.get("type") or ""
        symmetric = kind in rule.symmetric_types
        when = date_range(event.get("date"))
        first, last = (when[0], when[1]) if when else (None, doc_end(event, doc_dates))
        candidates: dict[int, Draft] = {}
        for key in lookup_keys(pair(event), symmetric):
            index = indexes.get((kind, *key))
            if index is not None:
                for d in index.candidates(first, last):
                    candidates.setdefault(d.index, d)
        said = reading(event, doc_dates)
        fitting = [d for d in candidates.values() if fits(d, said, rule)]
        if fitting:
            draft = max(fitting, key=lambda d: preference(d, said))
        else:
            draft = Draft(kind, len(drafts))
            drafts.append(draft)
        absorb(draft, event, doc_dates, rule)
        for key in filing_keys(draft.actors, symmetric):
            indexes.setdefault((kind, *key), Index()).file(draft)
    return [d.events for d in drafts]


# ----------------------------------------------------------------------------- happening rows


def best_attested(readings: list[tuple[object, str]]) -> object | None:
    """The value the most documents give; a tie goes to the first reading (readings come
    most specific first). ``readings``: (value, doc_id) pairs, None values ignored."""
    docs: dict[object, set[str]] = {}
    for value, doc_id in readings:
        if value is not None:
            docs.setdefault(value, set()).add(doc_id)
    if not docs:
        return None
    first = list(docs)
    return max(first, key=lambda v: (len(docs[v]), -first.index(v)))


def kept_date(events: list[dict]) -> tuple[str | None, int]:
    """(the best-attested date at the finest precision given, the number of events whose
    date contradicts it)."""
    dated = [(e["date"], e.get("doc_id") or "") for e in events if date_range(e.get("date"))]
    if not dated:
        return None, 0
    finest = max(precision_rank(d) for d, _ in dated)
    best = best_attested([(d, doc) for d, doc in dated if precision_rank(d) == finest])
    return best, sum(1 for d, _ in dated if not compatible(d, best))


def kept_quantity(events: list[dict]) -> tuple[int | None, int]:
    """(the best-attested quantity, the number of events that state another quantity for
    the same models)."""
    stated = [e for e in events if e.get("quantity") is not None]
    best = best_attested([(int(e["quantity"]), e.get("doc_id") or "") for e in stated])
    if best is None:
        return None, 0
    same_models = {tuple(sorted(as_list(e.get("models")))) for e in stated if e["quantity"] == best}
    return best, sum(
        1
        for e in stated
        if e["quantity"] != best and tuple(sorted(as_list(e.get("models")))) in same_models
    )


def doc_order(doc_id: str, doc_dates: dict[str, str | None]) -> tuple[str, str]:
    found = date_range(doc_dates.get(doc_id))
    return (found[0].isoformat() if found else "9999-12-31", doc_id)


def happening_id(seed_event_id: str) -> str:
    return "H" + hashlib.sha1(seed_event_id.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def happening_row(
    events: list[dict], doc_dates: dict[str, str | None], corpus_order: dict[str, int]
) -> dict:
    """One row of the happenings table from its events (most specific first)."""
    kind = events[0].get("type")
    readings = [(e, e.get("doc_id") or "") for e in events]
    when, date_disagreements = kept_date(events)
    quantity, quantity_disagreements = kept_quantity(events)
    model_docs: dict[str, set[str]] = {}
    for e, doc in readings:
        for model in as_list(e.get("models")):
            model_docs.setdefault(model, set()).add(doc)
    doc_ids = sorted({doc for _, doc in readings}, key=lambda d: doc_order(d, doc_dates))
    reported = [doc_dates.get(d) for d in doc_ids if date_range(doc_dates.get(d))]
    in_corpus = sorted(events, key=lambda e: corpus_order.get(e.get("event_id") or "", 0))
    return {
        "happening_id": happening_id(events[0].get("event_id") or ""),
        "type": kind,
        "source": best_attested([(e.get("source"), doc) for e, doc in readings]),
        "target": best_attested([(e.get("target"), doc) for e, doc in readings]),
        "date": when,
        **date_fields("date", when),
        "location": best_attested([(e.get("location"), doc) for e, doc in readings]),
        "equipment": sorted({c for e, _ in readings for c in as_list(e.get("equipment"))}),
        "models": sorted(model_docs, key=lambda m: (-len(model_docs[m]), m)),
        "quantity": quantity,
        "plover": best_attested([(e.get("plover"), doc) for e, doc in readings]),
        "n_docs": len(doc_ids),
        "n_events": len(events),
        "first_reported": reported[0] if reported else None,
        "doc_ids": doc_ids,
        "event_ids": [e.get("event_id") for e in in_corpus],
        "date_disagreements": date_disagreements,
        "quantity_disagreements": quantity_disagreements,
    }


def symmetric_orientation(row: dict, events: list[dict], rule: Rules) -> dict:
    """For symmetric types, source and target as most reports order them."""
    if row["type"] not in rule.symmetric_types:
        return row
    order = best_attested([(pair(e), e.get("doc_id") or "") for e in events if all(pair(e))])
    if order is not None:
        row["source"], row["target"] = order
    return row


def build_happenings(
    events: list[dict], doc_dates: dict[str, str | None], rule: Rules | None = None
) -> tuple[list[dict], dict[str, str]]:
    """(happenings rows, event_id → happening_id) for the event rows of a corpus.

    Rows are sorted by date (undated last), type, source, target and id, so the table
    does not depend on the order the events came in."""
    rule = rule or rules()
    corpus_order = {e.get("event_id") or "": n for n, e in enumerate(events)}
    rows, of_event = [], {}
    used: set[str] = set()
    for group in group_events(events, doc_dates, rule):
        row = symmetric_orientation(happening_row(group, doc_dates, corpus_order), group, rule)
        while row["happening_id"] in used:  # a 48-bit clash: never seen, still handled
            row["happening_id"] = happening_id(row["happening_id"])
        used.add(row["happening_id"])
        rows.append(row)
        for event in group:
            of_event[event.get("event_id") or ""] = row["happening_id"]
    rows.sort(
        key=lambda r: (
            r["date_start"] or "9999-12-31",
            r["type"] or "",
            r["source"] or "",
            r["target"] or "",
            r["happening_id"],
        )
    )
    return rows, of_event
