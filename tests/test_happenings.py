"""Happenings (pipeline/happenings.py): the matching rules one by one, the grouping on
hand-made event rows (invariance to input order, what must and must not merge), and the
whole pipeline on articles written for these tests: several outlets reporting one
delivery give one happening, earlier and later deliveries between the same two states
stay apart, and the tables are byte-identical whatever the workers or engine."""

from __future__ import annotations

import json
import random

import pytest

from pipeline.corpus_wide import corpus_wide_rows, without_held
from pipeline.happenings import (
    actors_compatible,
    build_happenings,
    dates_compatible,
    equipment_compatible,
    load_rules,
    places_compatible,
    reported_after,
)

# ---------------------------------------------------------------------------- rules (MFT)


@pytest.mark.parametrize(
    ("a", "b", "tolerance", "expected"),
    [
        ("2021-09-30", "2021-09", 0, True),
        ("2021-09-30", "2021", 0, True),
        ("2021-09", "2021", 0, True),
        ("2021-01", "2021-09", 0, False),
        ("2021", "2022", 0, False),
        ("2021-09-30", "2021-10", 0, False),
        (None, "2021-09", 0, True),
        ("2024-03-02", "2024-03-05", 7, True),  # arrival and announcement
        ("2024-03-02", "2024-03-20", 7, False),
        ("2024-02-28", "2024-03-02", 7, True),  # across a month end
        ("2024-03-02", "2024-03-05", 0, False),
        ("2024-02-28", "2024-03", 7, False),  # tolerance is for two exact days only
    ],
)
def test_dates_compatible(a, b, tolerance, expected):
    assert dates_compatible(a, b, tolerance) is expected
    assert dates_compatible(b, a, tolerance) is expected


@pytest.mark.parametrize(
    ("a", "b", "symmetric", "expected"),
    [
        (("TUR", "NER"), ("TUR", "NER"), False, True),
        ((None, "NER"), ("TUR", "NER"), False, True),
        (("TUR", None), ("TUR", "NER"), False, True),
        (("RUS", "NER"), ("TUR", "NER"), False, False),
        (("NER", "TUR"), ("TUR", "NER"), False, False),  # roles matter for a delivery
        ((None, None), ("TUR", "NER"), False, False),  # nothing shared
        (("MLI", "RUS"), ("RUS", "MLI"), True, True),  # who signs first varies
        (("MLI", None), ("RUS", "MLI"), True, True),
        (("MLI", "TUR"), ("RUS", "MLI"), True, False),
    ],
)
def test_actors_compatible(a, b, symmetric, expected):
    assert actors_compatible(a, b, symmetric) is expected


@pytest.mark.parametrize(
    ("a", "b", "strict", "expected"),
    [
        ("Niamey", "Niamey", False, True),
        (None, "Niamey", False, True),
        ("Niamey", "Agadez", False, True),  # both in Niger: the airport, the base, the city
        ("Niamey", "Bamako", False, False),
        ("Niamey", "Agadez", True, False),  # an attack in one town is not in another
        ("NER", "Agadez", True, True),  # a state and a town inside it
    ],
)
def test_places_compatible(a, b, strict, expected):
    assert places_compatible(a, b, strict) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((["Bayraktar TB2"], ["uav"]), (["Bayraktar TB2", "Bayraktar Akinci"], ["uav"]), True),
        ((["Bayraktar TB2"], ["uav"]), (["Bayraktar Akinci"], ["uav"]), False),
        (([], ["uav"]), (["Bayraktar Akinci"], ["uav"]), True),
        (([], ["uav"]), ([], ["armoured_vehicle"]), False),
        (([], []), (["Mi-24"], ["helicopter"]), True),
    ],
)
def test_equipment_compatible(a, b, expected):
    assert equipment_compatible(*a, *b) is expected


def test_reported_after():
    assert reported_after("2024-03", "2024-03-01")  # the month had begun
    assert not reported_after("2024-05", "2024-03-20")
    assert reported_after(None, "2024-03-20") and reported_after("2024", None)


def test_rules_file_is_checked_at_load(tmp_path):
    rules = load_rules()
    assert rules.tolerance("DELIVERY") == 7 and rules.tolerance("ATTACK") == 1
    bad = tmp_path / "rules.json"
    bad.write_text(
        json.dumps(
            {
                "day_tolerance": {"default": 7, "PARADE": 2},
                "symmetric_types": [],
                "strict_place_types": [],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="rules.json: day_tolerance"):
        load_rules(bad)
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="rules.json: cannot read"):
        load_rules(bad)


# ---------------------------------------------------------------------------- grouping rows


def delivery(
    event_id,
    date=None,
    models=(),
    quantity=None,
    source="RUS",
    target="MLI",
    location=None,
    kind="DELIVERY",
    equipment=None,
):
    return {
        "event_id": event_id,
        "doc_id": event_id.split("#")[0],
        "type": kind,
        "source": source,
        "target": target,
        "date": date,
        "location": location,
        "models": list(models),
        "quantity": quantity,
        "plover": "AID",
        "equipment": list(
            equipment if equipment is not None else (["helicopter"] if models else [])
        ),
    }


DOC_DATES = {
    "a": "2024-03-08",
    "b": "2024-03-09",
    "c": "2024-03-20",
    "d": "2025-02-02",
    "e": "2022-08-11",
    "f": "2024-11-21",
    "g": "2024-01-15",
}


def grouped(events):
    rows, of_event = build_happenings(events, DOC_DATES)
    return rows, {frozenset(r["event_ids"]) for r in rows}, of_event


def test_one_delivery_told_several_times_and_others_apart():
    events = [
        delivery("a#E1", "2024-03-06", ["Mi-171"], 3),
        delivery("b#E1", "2024-03-06", ["Mi-171"], 3),
        delivery("c#E1", "2024-03"),
        delivery("d#E1", "2024-03", ["Mi-171"], 3),  # recalled a year later
        delivery("e#E1", "2022-08-09", ["L-39"]),  # earlier
        delivery("f#E1", "2024-11-19", ["Su-25"], 2),  # later
    ]
    rows, groups, of_event = grouped(events)
    assert groups == {
        frozenset({"a#E1", "b#E1", "c#E1", "d#E1"}),
        frozenset({"e#E1"}),
        frozenset({"f#E1"}),
    }
    mi171 = next(r for r in rows if r["n_events"] == 4)
    assert (mi171["date"], mi171["date_precision"], mi171["quantity"]) == ("2024-03-06", "day", 3)
    assert mi171["n_docs"] == 4 and mi171["doc_ids"] == ["a", "b", "c", "d"]
    assert mi171["first_reported"] == "2024-03-08" and mi171["models"] == ["Mi-171"]
    assert [r["date"] for r in rows] == ["2022-08-09", "2024-03-06", "2024-11-19"]  # by date
    assert set(of_event) == {e["event_id"] for e in events}
    assert len(set(of_event.values())) == 3


def test_months_apart_stay_apart_and_a_vague_year_joins_one():
    events = [delivery("a#E1", "2024-01"), delivery("b#E1", "2024-09"), delivery("c#E1", "2024")]
    rows, groups, _ = grouped(events)
    assert len(rows) == 2
    assert sum(r["n_events"] for r in rows) == 3


def test_undated_report_cannot_be_about_a_later_delivery():
    # article g (2024-01-15) names no date: it cannot report the March delivery
    events = [delivery("a#E1", "2024-03-06"), delivery("g#E1")]
    _, groups, _ = grouped(events)
    assert groups == {frozenset({"a#E1"}), frozenset({"g#E1"})}
    # article c (2024-03-20), undated, can
    _, groups, _ = grouped([delivery("a#E1", "2024-03-06"), delivery("c#E1")])
    assert groups == {frozenset({"a#E1", "c#E1"})}


def test_disagreements_are_counted_and_the_best_attested_value_kept():
    events = [
        delivery("a#E1", "2024-03-06", ["Mi-171"], 3),
        delivery("b#E1", "2024-03-06", ["Mi-171"], 3),
        delivery("c#E1", "2024-03-08", ["Mi-171"], 4),  # two days off, one more helicopter
    ]
    [row], _, _ = grouped(events)
    assert (row["date"], row["quantity"]) == ("2024-03-06", 3)
    assert (row["date_disagreements"], row["quantity_disagreements"]) == (1, 1)


def test_other_models_on_the_same_day_are_another_delivery():
    events = [delivery("a#E1", "2024-03-06", ["Mi-171"]), delivery("b#E1", "2024-03-06", ["Su-25"])]
    assert len(grouped(events)[0]) == 2


def test_other_partner_or_type_is_another_happening():
    events = [
        delivery("a#E1", "2024-03-06"),
        delivery("b#E1", "2024-03-06", source="TUR"),
        delivery("c#E1", "2024-03-06", kind="TRAINING"),
    ]
    assert len(grouped(events)[0]) == 3


def test_agreement_actors_in_either_order_are_one_signing():
    events = [
        delivery("a#E1", "2024-03-06", source="MLI", target="RUS", kind="AGREEMENT"),
        delivery("b#E1", "2024-03-06", source="RUS", target="MLI", kind="AGREEMENT"),
        delivery("c#E1", "2024-03-06", source="MLI", target="RUS", kind="AGREEMENT"),
    ]
    [row], _, _ = grouped(events)
    assert (row["source"], row["target"], row["n_docs"]) == ("MLI", "RUS", 3)


def test_attacks_in_two_towns_on_one_day_are_two():
    events = [
        delivery(
            "a#E1",
            "2024-03-06",
            source="JNIM",
            target="BFA",
            kind="ATTACK",
            location="Djibo",
            equipment=[],
        ),
        delivery(
            "b#E1",
            "2024-03-06",
            source="JNIM",
            target="BFA",
            kind="ATTACK",
            location="Dori",
            equipment=[],
        ),
    ]
    assert len(grouped(events)[0]) == 2


def test_rows_and_ids_do_not_depend_on_input_order():
    events = [
        delivery("a#E1", "2024-03-06", ["Mi-171"], 3),
        delivery("b#E1", "2024-03-06", ["Mi-171"], 3),
        delivery("c#E1", "2024-03"),
        delivery("d#E1", "2024-03", ["Mi-171"], 3),
        delivery("e#E1", "2022-08-09", ["L-39"]),
        delivery("f#E1", "2024-11-19", ["Su-25"], 2),
        delivery("g#E1"),
        delivery("c#E2", "2024", source=None),
    ]
    expected = build_happenings(events, DOC_DATES)
    shuffled = list(events)
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        rows, of_event = build_happenings(shuffled, DOC_DATES)
        key = {e: of_event[e] for e in of_event}
        assert key == expected[1]
        strip = [{k: v for k, v in r.items() if k != "event_ids"} for r in rows]
        assert strip == [{k: v for k, v in r.items() if k != "event_ids"} for r in expected[0]]
    assert all(
        r["happening_id"].startswith("H") and len(r["happening_id"]) == 13 for r in expected[0]
    )


# ---------------------------------------------------------------------------- whole pipeline

ARTICLES = {  # written for these tests
    "outlet1/mi171": "date 2024-03-08\nLe Mali a réceptionné le 6 mars 2024 trois hélicoptères "
    "Mi-171 livrés par la Russie. Les appareils se sont posés à l'aéroport de Bamako, où le "
    "ministre de la Défense a salué un renfort décisif.",
    "outlet2/mi171": "date 2024-03-09\nLa Russie a livré mercredi 6 mars 2024 trois "
    "hélicoptères de transport Mi-171 au Mali, selon un communiqué de l'armée malienne.",
    "outlet3/mi171": "date 2024-03-20\nMoscou a fourni au Mali en mars 2024 trois "
    "hélicoptères Mi-171, selon des sources sécuritaires. Les appareils doivent appuyer les "
    "opérations dans le centre du pays.",
    "outlet4/bilan": "date 2025-02-02\nEn mars 2024, la Russie avait livré trois hélicoptères "
    "Mi-171 au Mali. Depuis, Bamako a multiplié les achats d'armement.",
    "earlier/l39": "date 2022-08-11\nLe Mali a reçu le 9 août 2022 des avions L-39 livrés par "
    "la Russie.",
    "later/su25": "date 2024-11-21\nLa Russie a livré le 19 novembre 2024 deux avions "
    "d'attaque Su-25 au Mali.",
}
TOLD_FOUR_TIMES = {"outlet1/mi171", "outlet2/mi171", "outlet3/mi171", "outlet4/bilan"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("happenings_corpus")
    for doc_id, text in ARTICLES.items():
        path = folder / f"{doc_id}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def tables(corpus, nlp):
    from pipeline.run import extract_tables

    return extract_tables(corpus, nlp=nlp)


def test_articles_reporting_one_delivery_give_one_happening(tables):
    happenings = tables["happenings"]
    deliveries = happenings[happenings["type"] == "DELIVERY"]
    by_docs = {frozenset(r["doc_ids"]): r for r in deliveries.to_dict("records")}
    told = by_docs[frozenset(TOLD_FOUR_TIMES)]
    assert told["n_docs"] == len(TOLD_FOUR_TIMES) == 4
    assert (told["source"], told["target"], told["date"]) == ("RUS", "MLI", "2024-03-06")
    assert list(told["models"]) == ["Mi-171"] and told["quantity"] == 3
    assert told["first_reported"] == "2024-03-08"
    # the earlier and the later delivery between the same two states stay apart
    assert frozenset({"earlier/l39"}) in by_docs and frozenset({"later/su25"}) in by_docs
    assert len(deliveries) == 3


def test_every_event_names_its_happening(tables):
    events, happenings = tables["events"], tables["happenings"]
    assert events["happening_id"].notna().all()
    assert set(events["happening_id"]) == set(happenings["happening_id"])
    for row in happenings.to_dict("records"):
        mine = events[events["happening_id"] == row["happening_id"]]
        assert sorted(mine["event_id"]) == sorted(row["event_ids"])
        assert row["n_events"] == len(mine) and row["n_docs"] == mine["doc_id"].nunique()


def test_corpus_wide_rows_rebuild_the_same_tables_from_per_document_rows(corpus, nlp, tables):
    from pipeline import engines, ingest
    from pipeline.rows import rows_for
    from pipeline.tables import frame

    per_document = [rows_for(e) for e in engines.extractions(ingest.read_corpus(corpus), nlp=nlp)]
    assert all("happening_id" not in e for rows in per_document for e in rows["events"])
    assert all("events" not in without_held(rows) for rows in per_document)
    again = corpus_wide_rows(iter(per_document))
    for name in ("events", "happenings", "transfers", "actors"):
        assert frame(name, again[name]).equals(tables[name]), name


def write_csv(corpus, out, **options):
    from pipeline.run import write_tables

    write_tables(corpus, out, formats=("csv",), **options)
    return {
        name: (out / f"{name}.csv").read_bytes() for name in ("events", "happenings", "transfers")
    }


def test_byte_identical_whatever_the_workers_or_engine(corpus, nlp, tmp_path):
    one = write_csv(corpus, tmp_path / "one", nlp=nlp)
    assert one["happenings"].count(b"\n") == 1 + 3  # header and the three deliveries
    assert one == write_csv(corpus, tmp_path / "two", workers=2)
    pytest.importorskip("distributed", reason="dask[distributed] is not installed")
    assert one == write_csv(corpus, tmp_path / "dask", engine="dask", workers=2)


def test_a_failure_while_grouping_costs_the_happenings_not_the_run(monkeypatch):
    """Fault injection: should grouping fail on odd data, every event is still written,
    and the errors table says why."""
    from pipeline import corpus_wide

    def broken(events, doc_dates):
        raise ValueError("odd data")

    monkeypatch.setattr(corpus_wide, "build_happenings", broken)
    rows = {
        "documents": [{"doc_id": "a", "doc_date": "2024-03-08"}],
        "mentions": [],
        "events": [delivery("a#E1", "2024-03-06")],
        "equipment": [],
    }
    found = corpus_wide_rows([rows])
    assert [e["event_id"] for e in found["events"]] == ["a#E1"]
    assert found["events"][0]["happening_id"] is None
    assert found["happenings"] == [] and found["transfers"] == []
    assert found["errors"] == [
        {
            "doc_id": None,
            "source": None,
            "stage": "corpus",
            "message": "happenings not built: ValueError: odd data",
        }
    ]


# INV: the same story with other states, places and equipment groups the same way
STORY = {
    "outlet1/main": "date 2023-10-12\nLe {R} a réceptionné le 10 octobre 2023 quatre {M1} "
    "livrés par la {S} à l'aéroport de {C}. Le ministre de la Défense a salué un renfort.",
    "outlet2/main": "date 2023-10-13\nLa {S} a livré mardi 10 octobre 2023 quatre {M1} au {R}, "
    "selon un communiqué de l'armée.",
    "outlet3/main": "date 2023-10-25\n{SC} a fourni au {R} en octobre 2023 quatre {M1}, selon "
    "des sources sécuritaires.",
    "outlet4/recall": "date 2025-06-02\nEn octobre 2023, la {S} avait livré quatre {M1} au "
    "{R}. Depuis, {C} a multiplié les achats d'armement.",
    "earlier/first": "date 2021-04-11\nLe {R} a reçu le 9 avril 2021 des {M2} livrés par la {S}.",
    "later/next": "date 2024-12-21\nLa {S} a livré le 19 décembre 2024 deux {M3} au {R}.",
}


@pytest.mark.parametrize(
    "names",
    [
        {
            "S": "Turquie",
            "SC": "Ankara",
            "R": "Niger",
            "C": "Niamey",
            "M1": "drones Bayraktar TB2",
            "M2": "véhicules blindés Cobra",
            "M3": "drones Bayraktar Akinci",
            "iso": ("TUR", "NER"),
        },
        {
            "S": "Chine",
            "SC": "Pékin",
            "R": "Tchad",
            "C": "N'Djamena",
            "M1": "véhicules blindés WZ-551",
            "M2": "drones Wing Loong II",
            "M3": "hélicoptères Z-9",
            "iso": ("CHN", "TCD"),
        },
    ],
)
def test_the_same_story_between_other_states_groups_alike(names, nlp):
    from pipeline.run import extract_tables

    texts = [{"id": k, "text": v.format(**names)} for k, v in STORY.items()]
    found = extract_tables(texts, nlp=nlp)
    events, happenings = found["events"], found["happenings"]
    reporting = set(events["doc_id"])
    told = {"outlet1/main", "outlet2/main", "outlet3/main", "outlet4/recall"} & reporting
    assert len(told) >= 3  # the events stage reads at least three of the four reports
    of = {r["doc_ids"][0]: r for r in happenings.to_dict("records")}
    main = next(r for r in happenings.to_dict("records") if "outlet2/main" in r["doc_ids"])
    assert set(main["doc_ids"]) == told and main["n_docs"] == len(told)
    assert (main["source"], main["target"], main["date"]) == (*names["iso"], "2023-10-10")
    assert main["quantity"] == 4
    assert of["earlier/first"]["n_docs"] == 1 and of["later/next"]["n_docs"] == 1
    assert len(happenings) == 3


def test_a_rules_file_that_is_not_json_is_an_error_naming_the_file(tmp_path):
    from pipeline.happenings import load_rules

    broken = tmp_path / "rules.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"rules\.json: cannot read the happening rules"):
        load_rules(broken)
    with pytest.raises(ValueError, match=r"missing\.json: cannot read the happening rules"):
        load_rules(tmp_path / "missing.json")
