"""Actors: one row per actor id, kinds and counts from mentions and event actors."""

from pipeline.actors import ActorCounter
from pipeline.types import Document, Event, Extraction, Mention


def extraction(doc_id, mentions, events=()):
    return Extraction(document=Document(doc_id=doc_id, source=doc_id, text=""),
                      mentions=list(mentions), events=list(events))


def test_rows_count_mentions_documents_and_aliases():
    counter = ActorCounter()
    counter.add(extraction("a", [Mention(0, 5, "Niger", "GPE", "NER"),
                                 Mention(9, 13, "CNSP", "ORG", "CNSP"),
                                 Mention(20, 25, "Niamey", "LOC", "Niamey")]))
    counter.add(extraction("b", [Mention(0, 5, "Niger", "GPE", "NER")], [
        Event("COUP", "Assimi Goïta", "MLI", None, None, (), "putsch", 0, "", 0, 6)]))
    rows = {r["actor_id"]: r for r in counter.rows()}
    assert set(rows) == {"NER", "CNSP", "Assimi Goïta", "MLI"}  # places are not actors
    assert (rows["NER"]["kind"], rows["NER"]["n_mentions"], rows["NER"]["n_docs"]) == (
        "state", 2, 2)
    assert rows["NER"]["country"] == "NER" and rows["NER"]["aliases"] == ["Niger"]
    assert rows["CNSP"]["country"] == "NER"
    assert rows["Assimi Goïta"]["kind"] == "person" and rows["Assimi Goïta"]["country"] == "MLI"
    assert (rows["MLI"]["kind"], rows["MLI"]["n_mentions"], rows["MLI"]["n_docs"]) == (
        "state", 0, 1)
    assert [r["actor_id"] for r in counter.rows()] == sorted(rows)


def test_counts_are_defined_alike_for_mentions_events_and_documents():
    counter = ActorCounter()
    coup = Event("COUP", "CNSP", "NER", "2023-07", None, (), "putsch", 0, "", 0, 6)
    talk = Event("AGREEMENT", "NER", "NER", None, None, (), "talks", 1, "", 9, 14)
    counter.add(extraction("a", [Mention(0, 5, "Niger", "GPE", "NER")], [coup, talk]))
    counter.add(extraction("b", [], [coup]))  # no mention, an event role
    counter.add(extraction("c", [Mention(0, 5, "Niger", "GPE", "NER")]))  # a mention only
    rows = {r["actor_id"]: r for r in counter.rows()}
    assert (rows["NER"]["n_mentions"], rows["NER"]["n_events"], rows["NER"]["n_docs"]) == (
        2, 3, 3)  # the same actor on both sides of one event counts that event once
    assert (rows["CNSP"]["n_mentions"], rows["CNSP"]["n_events"], rows["CNSP"]["n_docs"]) == (
        0, 2, 2)


def test_rebuilt_from_extractions_in_any_grouping_gives_the_same_rows():
    parts = [
        extraction("a", [Mention(0, 5, "Mali", "GPE", "MLI")]),
        extraction("b", [Mention(0, 4, "AES", "ORG", "AES")], [
            Event("AGREEMENT", "MLI", "BFA", None, None, (), "signé", 0, "", 0, 5)]),
    ]
    whole, one_by_one = ActorCounter(), [ActorCounter(), ActorCounter()]
    for part in parts:
        whole.add(part)
    for counter, part in zip(one_by_one, parts, strict=True):
        counter.add(part)
    again = ActorCounter()
    for part in parts:  # as a cache would feed stored extractions back
        again.add(part)
    assert again.rows() == whole.rows()
    assert {r["actor_id"] for c in one_by_one for r in c.rows()} == {
        r["actor_id"] for r in whole.rows()}
