"""Transfers (pipeline/transfers.py): a SIPRI-style register from DELIVERY happenings, one
row per happening and model, numbers per model from the equipment rows."""

from __future__ import annotations

from pipeline.happenings import build_happenings
from pipeline.transfers import transfer_rows

DOC_DATES = {"a": "2024-03-08", "b": "2024-03-09", "c": "2024-03-20", "d": "2024-05-02"}


def event(
    event_id,
    date,
    models=(),
    quantity=None,
    equipment=(),
    kind="DELIVERY",
    source="TUR",
    target="NER",
):
    return {
        "event_id": event_id,
        "doc_id": event_id.split("#")[0],
        "type": kind,
        "source": source,
        "target": target,
        "date": date,
        "location": None,
        "models": list(models),
        "quantity": quantity,
        "equipment": list(equipment),
        "plover": "AID",
    }


def mention(event_id, category, model=None, quantity=None):
    return {
        "doc_id": event_id.split("#")[0],
        "event_id": event_id,
        "event_ids": [event_id],
        "category": category,
        "model": model,
        "quantity": quantity,
    }


def register(events, equipment):
    happenings, _ = build_happenings(events, DOC_DATES)
    return happenings, transfer_rows(happenings, events, equipment, DOC_DATES)


def test_one_row_per_model_with_its_own_number():
    events = [
        event("a#E1", "2024-03-06", ["Bayraktar TB2", "Bayraktar Akinci"], 5, ["uav"]),
        event("b#E1", "2024-03-06", ["Bayraktar Akinci"], 3, ["uav"]),
        event("c#E1", "2024-03"),  # names no equipment: reports the whole consignment
    ]
    equipment = [
        mention("a#E1", "uav", "Bayraktar TB2", 2),
        mention("a#E1", "uav", "Bayraktar Akinci", 3),
        mention("b#E1", "uav", "Bayraktar Akinci", 3),
    ]
    [happening], rows = register(events, equipment)
    assert [
        (r["model"], r["category"], r["quantity"], r["n_docs"], r["doc_ids"]) for r in rows
    ] == [
        ("Bayraktar Akinci", "uav", 3, 3, ["a", "b", "c"]),  # the most reported model first
        ("Bayraktar TB2", "uav", 2, 2, ["a", "c"]),
    ]
    assert all(r["happening_id"] == happening["happening_id"] for r in rows)
    assert all(
        (r["supplier"], r["recipient"], r["date"]) == ("TUR", "NER", "2024-03-06") for r in rows
    )
    assert rows[0]["date_start"] == "2024-03-06" and rows[0]["date_precision"] == "day"


def test_classes_that_no_model_covers_get_a_row_and_bare_deliveries_one():
    events = [
        event("a#E1", "2024-03-06", ["Bayraktar TB2"], 2, ["uav", "armoured_vehicle"]),
        event("d#E1", "2024-05-01", source="RUS"),
    ]
    equipment = [
        mention("a#E1", "uav", "Bayraktar TB2", 2),
        mention("a#E1", "armoured_vehicle", None, 10),
    ]
    _, rows = register(events, equipment)
    assert [(r["supplier"], r["model"], r["category"], r["quantity"]) for r in rows] == [
        ("TUR", "Bayraktar TB2", "uav", 2),
        ("TUR", None, "armoured_vehicle", 10),
        ("RUS", None, None, None),  # a delivery with no equipment named is still listed
    ]


def test_only_deliveries_and_the_best_attested_number():
    events = [
        event("a#E1", "2024-03-06", ["Mi-24"], 2, ["helicopter"]),
        event("b#E1", "2024-03-06", ["Mi-24"], 2, ["helicopter"]),
        event("c#E1", "2024-03-07", ["Mi-24"], 4, ["helicopter"]),
        event("d#E1", "2024-05-01", kind="TRAINING"),
    ]
    equipment = [mention(e["event_id"], "helicopter", "Mi-24", e["quantity"]) for e in events[:3]]
    happenings, rows = register(events, equipment)
    assert len(happenings) == 2
    [row] = rows
    assert (row["model"], row["quantity"], row["n_docs"]) == ("Mi-24", 2, 3)


def test_the_documented_duckdb_queries_run(tmp_path):
    """The SQL of docs/happenings.md (the README shows the first) runs on written tables."""
    import re
    from pathlib import Path

    import pytest

    duckdb = pytest.importorskip("duckdb")
    from pipeline.tables import TableWriter

    events = [
        event("a#E1", "2024-03-06", ["Mi-24"], 2, ["helicopter"]),
        event("b#E1", "2024-03", ["Mi-24"], 2, ["helicopter"]),
        event("d#E1", "2021-05-01", source="RUS"),
    ]
    events = [dict(e, sentence=f"phrase {e['event_id']}") for e in events]
    equipment = [mention(e["event_id"], "helicopter", "Mi-24", 2) for e in events[:2]]
    happenings, of_event = build_happenings(events, DOC_DATES)
    events = [dict(e, happening_id=of_event[e["event_id"]]) for e in events]
    folder = tmp_path / "outputs"
    with TableWriter(folder, formats=("parquet",)) as writer:
        writer.write("happenings", happenings)
        writer.write("events", events)
        writer.write("transfers", transfer_rows(happenings, events, equipment, DOC_DATES))
    doc = (Path(__file__).parent.parent / "docs" / "happenings.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", doc, re.DOTALL)
    assert len(queries) == 2
    found = [
        duckdb.sql(q.replace("'outputs/", f"'{folder.as_posix()}/")).fetchall() for q in queries
    ]
    happening = of_event["a#E1"]
    assert found[0] == [(happening, "TUR", "NER", "2024-03-06", 2, "Mi-24", "helicopter", 2)]
    assert [row[2] for row in found[1]] == ["a", "b"]
