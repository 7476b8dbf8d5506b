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
