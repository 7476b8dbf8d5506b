"""Evaluate: exact-span mention scores, norm accuracy, event matching and pairing."""

from pipeline.evaluate import Scorer

GOLD = {"doc_id": "d", "entities": [
    {"start": 0, "end": 5, "text": "Niger", "label": "GPE", "norm": "NER"},
    {"start": 10, "end": 16, "text": "Russie", "label": "GPE", "norm": "RUS"},
    {"start": 20, "end": 25, "text": "drone", "label": "EQUIPMENT", "norm": "uav",
     "category": "uav", "model": None}],
    "events": [
        {"type": "TERMINATION", "source": "TCD", "target": "FRA", "date": "2024-12-26",
         "location": "Faya-Largeau"},
        {"type": "TERMINATION", "source": "TCD", "target": "FRA", "date": "2025-01-11",
         "location": "Abéché"}]}


def test_mentions_events_and_pairing():
    scorer = Scorer()
    mentions = [{"start": 0, "end": 5, "label": "GPE", "norm": "NER"},
                {"start": 10, "end": 16, "label": "GPE", "norm": "RUS"},
                {"start": 10, "end": 16, "label": "LOC", "norm": "Russie"},
                {"start": 20, "end": 25, "label": "EQUIPMENT", "category": "ammunition"}]
    events = [  # the second gold event first: pairing must not be by order
        {"type": "TERMINATION", "source": "TCD", "target": "FRA", "date": "2025-01-11",
         "location": "Abéché"},
        {"type": "TERMINATION", "source": "TCD", "target": "FRA", "date": "2024-12-26",
         "location": "Faya-Largeau"},
        {"type": "DELIVERY", "source": "RUS", "target": "NER", "date": None}]
    scorer.add_document(GOLD, mentions, events)
    report = scorer.report()
    assert report["mentions"]["GPE"] == {"tp": 2, "pred": 2, "gold": 2, "precision": 1.0,
                                         "recall": 1.0, "f1": 1.0}
    assert report["mentions"]["LOC"]["precision"] == 0.0
    assert report["mentions"]["micro"]["tp"] == 3 and report["mentions"]["micro"]["pred"] == 4
    assert report["normalisation"]["equipment_category"] == 0.0
    assert report["events"]["all"]["tp"] == 2 and report["events"]["all"]["pred"] == 3
    assert report["event_fields"] == {"date": 1.0, "location": 1.0}
    assert report["actors"]["gold"] == 4  # NER, RUS, TCD, FRA


def test_prediction_tables_with_numpy_list_cells_and_missing_values():
    import numpy as np
    import pandas as pd

    from pipeline.evaluate import nulls, predictions_from_tables

    row = {"equipment": np.array([], dtype=object), "date": np.nan, "models": np.array(["Mi-8"]),
           "type": "DELIVERY", "quantity": pd.NA}
    assert nulls(row) == {"equipment": [], "date": None, "models": ["Mi-8"], "type": "DELIVERY",
                          "quantity": None}
    frames = {
        "mentions": pd.DataFrame({"doc_id": ["d"], "start": [0], "end": [5], "label": ["GPE"],
                                  "norm": ["NER"]}),
        "events": pd.DataFrame({"doc_id": ["d", "d"], "type": ["COUP", "DELIVERY"],
                                "equipment": [np.array([], dtype=object),
                                              np.array(["uav", "ammunition"], dtype=object)]}),
    }
    _, events = predictions_from_tables(frames)["d"]
    assert [e["equipment"] for e in events] == [[], ["uav", "ammunition"]]


def test_event_errors_name_the_missed_the_spurious_and_the_wrong_fields():
    scorer = Scorer()
    events = [
        {"type": "TERMINATION", "source": "TCD", "target": "FRA", "date": "2024-12-26",
         "location": "Faya"},
        {"type": "ATTACK", "source": "MLI", "target": None, "date": None,
         "evidence": "ont frappé", "sentence": "Les FAMa ont frappé."}]
    scorer.add_document(GOLD, [], events)
    errors = [e for e in scorer.errors if e["kind"].startswith("event_")]
    assert [(e["kind"], e["type"], e.get("date")) for e in errors] == [
        ("event_field", "TERMINATION", "2024-12-26"),
        ("event_missed", "TERMINATION", "2025-01-11"),
        ("event_spurious", "ATTACK", None),
    ]
    assert errors[0]["wrong"] == {"location": {"gold": "Faya-Largeau", "pred": "Faya"}}
    assert errors[2]["sentence"] == "Les FAMa ont frappé."
