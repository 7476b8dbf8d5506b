"""Visits told as the circumstance of another agreement happening ("au cours d'une
visite d'État à Lomé, le ministre X a paraphé deux protocoles").

The devset README ("Agreements") and the annotation notes (events 3) count the meetings
and signings of a visit, not the visit as a whole: such a visit is no event of its own.
It still says who the parties are: the happening it frames takes the visit's other party
when it names only one, and talks elsewhere in the document follow the visit's direction
(visitor first: ``Frame.visit``, read by ``merging.follow_visits``)."""

from __future__ import annotations

from pipeline.events.data import words
from pipeline.events.roles import case_of, clause_verb
from pipeline.events.triggers import Frame


def is_circumstance(noun) -> bool:
    """Is the visit noun the circumstance of its clause ("lors de", "au cours de", "à
    l'occasion de", "en marge de", "pendant", "durant" la visite)?"""
    markers = words("circumstance_words")
    if case_of(noun) in markers:
        return True
    head = noun.head  # "au cours de la visite": the noun "cours" heads the visit noun
    return head.i != noun.i and head.lemma_.lower() in markers and case_of(noun) == "de"


def framed(visit: Frame, frames: list[Frame]) -> Frame | None:
    """The agreement happening (not a visit) of the visit's clause, if any."""
    verb = clause_verb(visit.token)
    if verb is None:
        return None
    for other in frames:
        if other is visit or other.type != "AGREEMENT":
            continue
        if other.entry["frame"] in words("visit_frames"):
            continue
        if other.token.i == verb.i or clause_verb(other.token) == verb:
            return other
    return None


def fold_visits(frames: list[Frame]) -> list[Frame]:
    """Drop the visits told as the circumstance of another agreement happening of their
    clause, lending that happening the visit's other party (see the module docstring)."""
    dropped = []
    for visit in frames:
        if visit.type != "AGREEMENT" or visit.entry["frame"] != "visit":
            continue
        if visit.token.pos_ not in ("NOUN", "PROPN") or not is_circumstance(visit.token):
            continue
        other = framed(visit, frames)
        if other is None:
            continue
        parties = visit.sources + visit.targets
        if other.sources and not other.targets:
            other.targets = [a for a in parties if a not in other.sources]
        elif other.targets and not other.sources:
            other.sources = [a for a in parties if a not in other.targets]
        visitor = visit.sources[0] if visit.sources else None
        hosts = [a for a in other.sources + other.targets if a not in visit.sources]
        if visitor is not None and hosts:
            other.visit = (visitor, hosts[0])  # talks nearby follow the visit's direction
        dropped.append(visit)
    return [f for f in frames if all(f is not d for d in dropped)]
