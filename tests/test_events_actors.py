"""Document-level actor rules of the events stage (pipeline/events/merging.py,
pipeline/events/__init__.py), on events and sentences written for the tests."""

from __future__ import annotations

from pipeline.events import is_headline
from pipeline.events.merging import fill_roles, main_target, merge
from pipeline.types import Event


def event(type_, source, target, sent_id, start, date=None) -> Event:
    return Event(type_, source, target, date, None, (), "x", sent_id, "x", start, start + 1)


def pairs(events: list[Event]) -> list[tuple]:
    return sorted((e.type, e.source, e.target) for e in events)


def test_the_state_the_events_go_to_excludes_the_givers():
    events = [
        event("DELIVERY", "FRA", "CAF", 0, 0),
        event("DELIVERY", "RUS", "CAF", 1, 50),
        event("AGREEMENT", "CAF", "FRA", 2, 90),
    ]
    assert main_target(events, {"RUS"}) == "CAF"
    assert main_target(events, {"CAF"}) == "FRA"
    assert main_target(events, {"CAF", "FRA"}) is None


def test_trainees_not_named_are_never_a_supplier_of_the_story():
    events = [
        event("DELIVERY", "FRA", "CAF", 0, 0),
        event("TRAINING", "RUS", None, 3, 200),
    ]
    filled = fill_roles(events, [])
    assert ("TRAINING", "RUS", "CAF") in pairs(filled)


def test_a_headline_is_one_line_without_final_punctuation():
    assert is_headline("Le Niger reçoit des drones turcs")
    assert not is_headline("Le Niger a reçu des drones turcs.")
    assert not is_headline("Le Niger a reçu\ndes drones turcs")


def test_a_headline_report_merges_with_the_story_told_far_below():
    headline = event("AGREEMENT", "NER", "TUR", 0, 0)
    story = event("AGREEMENT", "NER", "TUR", 7, 500)
    apart = merge([headline, story], full=frozenset({(0, 0), (7, 500)}))
    assert len(apart) == 2  # two undated reports far apart: two happenings
    merged = merge([headline, story], full=frozenset({(0, 0), (7, 500)}), headlines=frozenset({0}))
    assert len(merged) == 1
