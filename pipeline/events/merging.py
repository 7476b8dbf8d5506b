"""Event merging: the document-level part of the events stage (``pipeline.events`` finds
events sentence by sentence, then calls this module).

- ``fill_roles``: an event missing an actor borrows it from the nearest event of the same
  type whose other actor agrees (a restatement: "le matériel livré jeudi"), or from a
  partial report at most NEAR sentences away; a TERMINATION without host state takes the
  nearest TERMINATION's host, else the document's main state;
- ``merge``: restatements (same type, source, target, compatible date and place) are one
  event, keeping the earliest report, the most specific date, the first place and the
  union of equipment. Reports told as anterior ("un précédent envoi", pluperfect) merge
  only with each other, and an undated report naming both its actors merges only with a
  report at most NEAR sentences away (a headline's report merges with the story's
  wherever it is told); two deliveries naming equipment of no common category are two
  consignments; a base and a town are one place (the town is kept).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from pipeline.events.data import words
from pipeline.types import Event, Mention

HOSTED = ("ATTACK", "TRAINING")  # happenings that take place in the target's country
GIVING = ("DELIVERY", "TRAINING")  # happenings whose source gives to a host
NEAR = 2  # sentences apart within which two partial reports are one happening


def main_state(
    mentions: list[Mention], sent_id: int | None, exclude, near: int | None = None
) -> str | None:
    """The most named state of a sentence (``sent_id``) or of the document, other than
    ``exclude`` (one actor id, or a set of them). Among states named equally often, the
    one named last before sentence ``near`` (the one the text was just talking about),
    else the first named."""
    exclude = exclude if isinstance(exclude, set) else {exclude}
    named = [
        m
        for m in mentions
        if m.label == "GPE"
        and m.norm
        and m.norm not in exclude
        and (sent_id is None or m.sent_id == sent_id)
    ]
    counts = Counter(m.norm for m in named)
    if not counts:
        return None
    top = max(counts.values())
    tied = [state for state, n in counts.items() if n == top]
    if len(tied) > 1 and near is not None:
        before = [m for m in named if m.norm in tied and m.sent_id < near]
        if before:
            return max(before, key=lambda m: (m.sent_id, m.start)).norm
    return tied[0]


def main_target(events: list[Event], exclude: set) -> str | None:
    """The state the document's events go to most often (the story's receiving or
    attacked state), other than ``exclude``."""
    counts = Counter(
        e.target
        for e in events
        if e.target and e.target not in exclude and len(e.target) == 3 and e.target.isupper()
    )
    return counts.most_common(1)[0][0] if counts else None


def fill_roles(events: list[Event], mentions: list[Mention]) -> list[Event]:
    """An event missing an actor borrows it from the nearest event of the same type whose
    other actor agrees (a restatement: "le matériel livré jeudi"); a TERMINATION without
    host state takes the sentence's, else the document's, main state."""
    filled = list(events)
    for i, event in enumerate(filled):
        if event.source is not None and event.target is not None:
            continue
        donors = [
            e
            for j, e in enumerate(filled)
            if j != i
            and e.type == event.type
            and e.source is not None
            and e.target is not None
            and event.source in (None, e.source)
            and event.target in (None, e.target)
            and not (event.source is None and dated_apart(event, e))
        ]
        partners = [
            e
            for j, e in enumerate(filled)
            if j != i
            and e.type == event.type
            and abs(e.sent_id - event.sent_id) <= NEAR
            and not (event.source is None and dated_apart(event, e))
            and (
                (event.source is None and e.source is not None and e.target in (None, event.target))
                or (
                    event.target is None
                    and e.target is not None
                    and (e.source in (None, event.source) or event.type == "TERMINATION")
                )
            )
        ]
        if donors:
            donor = min(
                donors, key=lambda e: (abs(e.sent_id - event.sent_id), e.sent_id > event.sent_id)
            )
            filled[i] = replace(event, source=donor.source, target=donor.target)
        elif partners:  # "des instructeurs russes sont arrivés ... pour former les soldats maliens"
            partner = min(partners, key=lambda e: abs(e.sent_id - event.sent_id))
            filled[i] = replace(
                event, source=event.source or partner.source, target=event.target or partner.target
            )
        elif event.type == "TERMINATION" and event.source is None and event.target is not None:
            hosts = [
                e
                for e in filled
                if e.type == "TERMINATION" and e.source is not None and e.source != event.target
            ]
            nearest = min(hosts, key=lambda e: abs(e.sent_id - event.sent_id), default=None)
            host = (
                nearest.source if nearest is not None else main_state(mentions, None, event.target)
            )
            filled[i] = replace(event, source=host)
        elif event.type in HOSTED and event.source is not None and event.target is None:
            # an attack whose victims the text does not tie to a state ("ont tué trois
            # personnes"), instructors whose trainees it does not name: the state the
            # sentence, else the document, is about
            # never one of the happening's own doers ("X et Y ont lancé une offensive")
            doers = {
                e.source for e in filled if (e.sent_id, e.start) == (event.sent_id, event.start)
            }
            # for trainees, nor a party that gives or trains elsewhere in the story (a
            # supplier is no host; the story's receiving state is): "la France ... la
            # Russie, qui ..., formant 2.000 soldats"
            givers = set()
            if event.type == "TRAINING":
                givers = {e.source for e in filled if e.type in GIVING and e.source and e.target}
            state = (
                main_state(mentions, event.sent_id, doers | givers)
                or (main_target(filled, doers | givers) if givers else None)
                or main_state(mentions, None, doers, near=event.sent_id)
            )
            filled[i] = replace(event, target=state)
    return filled


def follow_visits(
    events: list[Event], kinds: dict[tuple[int, int], str], folded: set = frozenset()
) -> list[Event]:
    """Talks held during a visit go from the visitor to the host, whoever the text names
    first ("X s'est rendu à Y ... Y et X ont eu un entretien": X -> Y; annotation notes,
    events 3): talks whose two parties a visit of the same document joins the other way
    round are turned around. ``kinds`` gives the frame of each event's trigger, ``folded``
    the (visitor, host) of visits told as the circumstance of another happening."""
    visits = {
        (e.source, e.target)
        for e in events
        if kinds.get((e.sent_id, e.start)) in words("visit_frames") and e.source and e.target
    } | set(folded)
    turned = []
    for e in events:
        talks = e.type == "AGREEMENT" and kinds.get((e.sent_id, e.start)) in words("talk_frames")
        if talks and (e.target, e.source) in visits and (e.source, e.target) not in visits:
            e = replace(e, source=e.target, target=e.source)
        turned.append(e)
    return turned


def happening_kind(event: Event) -> str:
    """What kind of happening an AGREEMENT reports: a signing or conclusion of an
    agreement ("sign", told by a cue such as "signé", "conclu", "paraphé") or talks, a
    visit, a reception ("talks"). The two are separate happenings even between the same
    parties on the same day (the signing during a visit); other types have one kind."""
    if event.type != "AGREEMENT":
        return event.type
    evidence = event.evidence.lower()
    return "sign" if any(cue in evidence for cue in words("agree_cues")) else "talks"


def dated_apart(a: Event, b: Event) -> bool:
    """Two deliveries dated differently ("X a acheté des vedettes à Y en mai 2019 ... le 2
    août 2021, X a réceptionné un avion") are two consignments: the supplier of one is
    not the other's
    (the recipient, the country the text is about, usually is, and is still borrowed)."""
    return a.type == "DELIVERY" and bool(a.date and b.date) and not compatible(a.date, b.date)


def compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def is_base(place: str) -> bool:
    return place.lower().startswith(tuple(words("base_words")))


def places_agree(a: str | None, b: str | None, *, bases_in_towns: bool = True) -> bool:
    """Places of one happening: one missing, the same, or one a base or camp (it lies in
    some town: "au camp X" and, told again, "au camp X de Y" placed at Y) in the other
    place's country when the gazetteers know both. Attacks (``bases_in_towns`` False)
    take no such leniency: an attack on a camp and one on a town are two happenings."""
    if a is None or b is None or a == b:
        return True
    if not bases_in_towns or not (is_base(a) or is_base(b)):
        return False
    countries = {place_country(p) for p in (a, b)}
    return None in countries or len(countries) == 1


def place_country(place: str) -> str | None:
    from pipeline import gazetteers

    found = gazetteers.place_by_alias(place)
    return (found.country if found is not None else None) or gazetteers.capital_iso3(place)


def finer_place(a: str | None, b: str | None) -> str | None:
    """The first report's place, unless it is a base and the other report names the town
    (the event's place is the town: ANNOTATION_NOTES, events 6)."""
    if a is None or (is_base(a) and b is not None and not is_base(b)):
        return b
    return a


def other_materiel(a: Event, b: Event) -> bool:
    """Two deliveries that both name their equipment and share no category of it are two
    consignments ("X a livré des drones à Y ... X a aussi fourni le 9 mars deux vedettes"),
    not one told twice."""
    return bool(a.equipment) and bool(b.equipment) and not set(a.equipment) & set(b.equipment)


def merge(
    events: list[Event],
    earlier: frozenset = frozenset(),
    full: frozenset = frozenset(),
    headlines: frozenset = frozenset(),
) -> list[Event]:
    """One event per happening: same type, source and target, dates that agree (one a
    prefix of the other, or missing) and places that agree. The earliest report is kept,
    with the most specific date, the first place and the union of equipment. A report told
    as anterior (``earlier``: (sent_id, start) keys) merges only with anterior reports; an
    undated report that names both its actors itself (``full``) merges only with a report
    at most NEAR sentences away (farther off, it tells another happening), unless one of
    the two is told in a headline (``headlines``: sentence ids), which restates the story
    wherever the story tells it."""
    kept: list[Event] = []

    def old(e: Event) -> bool:
        return (e.sent_id, e.start) in earlier

    def reaches(k: Event, e: Event) -> bool:
        if abs(k.sent_id - e.sent_id) <= NEAR or (k.date and e.date):
            return True
        if k.location and k.location == e.location:
            return True  # the same named place: a restatement, however far apart
        if k.sent_id in headlines or e.sent_id in headlines:
            return True
        return (e.sent_id, e.start) not in full

    for event in sorted(events, key=lambda e: (e.sent_id, e.start)):
        same = [
            k
            for k in kept
            if (k.type, k.source, k.target) == (event.type, event.source, event.target)
            and happening_kind(k) == happening_kind(event)
            and old(k) == old(event)
            and reaches(k, event)
            and compatible(k.date, event.date)
            and places_agree(k.location, event.location, bases_in_towns=event.type != "ATTACK")
            and not other_materiel(k, event)
        ]
        if not same:
            kept.append(event)
            continue
        into = min(same, key=lambda k: abs(k.sent_id - event.sent_id))
        date = max((d for d in (into.date, event.date) if d), key=len, default=None)
        kept[kept.index(into)] = replace(
            into,
            date=date,
            location=finer_place(into.location, event.location),
            equipment=tuple(sorted(set(into.equipment) | set(event.equipment))),
            equipment_spans=tuple(sorted(set(into.equipment_spans) | set(event.equipment_spans))),
        )
    return kept
