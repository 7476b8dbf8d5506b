"""PLOVER export (pipeline/plover.py): records validated against PLOVER's field list
(data/plover.json, from the PLOVER manual), the export file and its command."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pipeline import cli
from pipeline.happenings import build_happenings
from pipeline.plover import EXPORT_NAME, export_plover, load_spec, record, spec, validate
from pipeline.tables import TableWriter

DOC_DATES = {"a": "2024-03-08", "b": "2024-03-20", "c": "2023-11-05"}
EVENTS = [
    {
        "event_id": "a#E1",
        "doc_id": "a",
        "type": "DELIVERY",
        "source": "TUR",
        "target": "NER",
        "date": "2024-03-06",
        "location": "Niamey",
        "equipment": ["uav"],
        "models": ["Bayraktar TB2"],
        "quantity": 2,
        "plover": "AID",
        "sentence": "Le Niger a reçu deux drones livrés par la Turquie.",
        "sent_id": 0,
    },
    {
        "event_id": "b#E1",
        "doc_id": "b",
        "type": "DELIVERY",
        "source": "TUR",
        "target": "NER",
        "date": "2024-03",
        "location": None,
        "equipment": ["uav"],
        "models": ["Bayraktar TB2"],
        "quantity": 2,
        "plover": "AID",
        "sentence": "Ankara a fourni en mars deux drones au Niger.",
        "sent_id": 0,
    },
    {
        "event_id": "c#E1",
        "doc_id": "c",
        "type": "AGREEMENT",
        "source": "BEN",
        "target": "FRA",
        "date": None,
        "location": None,
        "equipment": [],
        "models": [],
        "quantity": None,
        "plover": "AGREE",
        "sentence": "Le Bénin et la France ont signé un accord.",
        "sent_id": 0,
    },
]
ACTORS = {
    "TUR": {"actor_id": "TUR", "name": "Turquie", "kind": "state", "country": "TUR"},
    "NER": {
        "actor_id": "NER",
        "name": "Niger",
        "kind": "state",
        "country": "NER",
        "wikidata_id": "Q1032",
    },
}


def happenings():
    rows, of_event = build_happenings(EVENTS, DOC_DATES)
    return rows, [dict(e, happening_id=of_event[e["event_id"]]) for e in EVENTS]


def test_the_field_list_is_checked_at_load(tmp_path):
    plover = spec()
    assert plover["fields"]["id"] and plover["fields"]["date"] and not plover["fields"]["mode"]
    assert "military" in plover["categories"]["AID"]["modes"]
    broken = dict(plover, type_context=["parade"])
    path = tmp_path / "plover.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ValueError, match="plover.json: type_context"):
        load_spec(path)


def test_a_delivery_record_is_valid_plover():
    rows, _ = happenings()
    delivery = next(r for r in rows if r["type"] == "DELIVERY")
    sentences = {e["event_id"]: e["sentence"] for e in EVENTS}
    found = record(delivery, ACTORS, sentences, "extract 0.1.0", "2024-06-01")
    assert validate(found) == []
    assert set(spec()["fields"]) <= set(found)  # every PLOVER field is there, empty or not
    assert found["id"] == delivery["happening_id"]
    assert (found["date"], found["enddate"], found["date_precision"]) == ("2024-03-06", None, "day")
    assert (
        found["source"]
        == found["actor"]
        == [
            {
                "code": "TUR",
                "sector": None,
                "actor_text": "Turquie",
                "identifier_id": None,
                "identifier_text": "TUR",
            }
        ]
    )
    assert found["recipient"][0]["code"] == "NER"
    assert found["recipient"][0]["identifier_id"] == "Q1032"
    assert (found["event"], found["mode"], found["context"]) == (
        ["AID"],
        ["military"],
        ["military"],
    )
    assert (found["quad_code"], found["event_scale"]) == (2, 7.4)
    assert found["event_loc"] == {"name": "Niamey", "country code": None, "cc3": "NER"}
    assert found["event_text"] == [EVENTS[0]["sentence"], EVENTS[1]["sentence"]]
    assert (found["doc_ids"], found["n_docs"]) == (["a", "b"], 2)
    assert found["text"] is None and found["time"] is None  # documented as left empty


def test_an_undated_happening_takes_its_first_report_date():
    rows, _ = happenings()
    agreement = next(r for r in rows if r["type"] == "AGREEMENT")
    found = record(agreement, {}, {}, "extract", None)
    assert validate(found) == []
    assert (found["date"], found["date_precision"], found["mode"]) == ("2023-11-05", "article", [])
    assert found["source"][0]["code"] == "BEN"  # a state code even with no actors row


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"colour": "red"}, "unknown field 'colour'"),
        ({"id": None}, "required field 'id' is empty"),
        ({"date": "2024-03"}, "date '2024-03' is not YYYY-MM-DD"),
        ({"event": ["PARADE"]}, "not a list of PLOVER categories"),
        ({"mode": ["asylum", "naval"]}, "mode ['asylum', 'naval'] is not defined"),
        ({"context": ["parade"]}, "unknown context"),
        ({"source": [{"code": "Turkey"}]}, "not a 3-letter actor code"),
        ({"recipient": [{"code": "NER", "colour": "red"}]}, "not a PLOVER actor object"),
        ({"quad_code": 4}, "quad_code 4 does not match AID"),
    ],
)
def test_validate_names_what_is_wrong(change, problem):
    rows, _ = happenings()
    delivery = next(r for r in rows if r["type"] == "DELIVERY")
    found = record(delivery, ACTORS, {}, "extract", None) | change
    assert any(problem in p for p in validate(found)), validate(found)


@pytest.fixture
def run_folder(tmp_path):
    rows, events = happenings()
    folder = tmp_path / "out"
    with TableWriter(folder, formats=("csv",)) as writer:
        writer.write("happenings", rows)
        writer.write("events", events)
        writer.write("actors", list(ACTORS.values()))
    return folder


def test_export_writes_one_valid_record_per_happening(run_folder):
    path, n, left_out = export_plover(run_folder)
    assert path == run_folder / EXPORT_NAME and (n, left_out) == (2, 0)
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [validate(r) for r in records] == [[], []]
    assert {r["event_type"] for r in records} == {"DELIVERY", "AGREEMENT"}
    # the same tables give the same file
    first = path.read_bytes()
    export_plover(run_folder)
    assert path.read_bytes() == first


def test_the_command(run_folder, tmp_path):
    runner = CliRunner()
    done = runner.invoke(cli.app, ["export-plover", str(run_folder)])
    assert done.exit_code == 0, done.output
    assert "wrote 2 record(s)" in done.output
    empty = tmp_path / "empty"
    empty.mkdir()
    done = runner.invoke(cli.app, ["export-plover", str(empty)])
    assert done.exit_code == 2 and "no happenings table" in done.output
    done = runner.invoke(cli.app, ["export-plover", str(tmp_path / "missing")])
    assert done.exit_code == 2 and "no such folder" in done.output


def test_an_unnamed_attacker_is_unidentified_armed_forces_and_a_sourceless_delivery_is_left_out(
    tmp_path,
):
    events = [
        dict(
            EVENTS[0],
            event_id="d#E1",
            doc_id="d",
            type="ATTACK",
            source=None,
            target="MLI",
            plover="ASSAULT",
            equipment=[],
            models=[],
            quantity=None,
        ),
        dict(EVENTS[0], event_id="e#E1", doc_id="e", source=None, target="BEN"),
    ]
    rows, of_event = build_happenings(events, {"d": "2024-05-01", "e": "2024-05-02"})
    attack = next(r for r in rows if r["type"] == "ATTACK")
    found = record(attack, {}, {}, "extract", None)
    assert validate(found) == []
    assert found["source"] == [
        {
            "code": None,
            "sector": "UAF",
            "actor_text": None,
            "identifier_id": None,
            "identifier_text": None,
        }
    ]
    folder = tmp_path / "out"
    with TableWriter(folder, formats=("parquet",)) as writer:
        writer.write("happenings", rows)
        writer.write("events", [dict(e, happening_id=of_event[e["event_id"]]) for e in events])
    _, n, left_out = export_plover(folder)
    assert (n, left_out) == (1, 1)
    done = CliRunner().invoke(cli.app, ["export-plover", str(folder)])
    assert "1 happening(s) without a source actor left out" in done.output


def test_every_record_exported_from_a_real_run_is_valid(corpus_run, tmp_path):
    import shutil

    out, _ = corpus_run
    folder = tmp_path / "copy"
    shutil.copytree(out, folder)  # the session's run stays as it was
    path, n, left_out = export_plover(folder)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert n == len(records) > 0
    assert [validate(r) for r in records] == [[] for _ in records]
    happenings = (folder / "happenings.csv").read_text(encoding="utf-8").count("\n") - 1
    assert n + left_out == happenings
