"""Tables: one schema for CSV and Parquet, atomic writes, CSV formula safety."""

import json
import os

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline import tables

ROWS = [
    {
        "doc_id": "d1",
        "sent_id": 0,
        "start": 3,
        "end": 8,
        "text": "=HYPERLINK()",
        "label": "ORG",
        "norm": "-x",
        "category": None,
        "model": None,
        "method": "model",
    },
    {
        "doc_id": "d1",
        "sent_id": 1,
        "start": 10,
        "end": 15,
        "text": "Niger",
        "label": "GPE",
        "norm": "NER",
        "category": None,
        "model": None,
        "method": "gazetteer",
    },
]


def test_every_table_has_an_arrow_schema_matching_its_columns():
    for name in tables.TABLES:
        assert tables.arrow_schema(name).names == tables.columns(name)
        assert list(tables.empty_frame(name).columns) == tables.columns(name)


def test_csv_and_parquet_hold_the_same_rows_and_csv_is_formula_safe(tmp_path):
    with tables.TableWriter(tmp_path) as writer:
        writer.write("mentions", ROWS)
        writer.write(
            "actors",
            [
                {
                    "actor_id": "NER",
                    "name": "Niger",
                    "kind": "state",
                    "n_mentions": 2,
                    "n_docs": 1,
                    "aliases": ["Niger", "le Niger"],
                }
            ],
        )
    raw_csv = (tmp_path / "mentions.csv").read_text()
    assert "'=HYPERLINK()" in raw_csv and ",'-x," in raw_csv
    parquet = pq.read_table(tmp_path / "mentions.parquet").to_pandas()
    assert parquet["text"].tolist() == ["=HYPERLINK()", "Niger"]  # Parquet keeps the value
    from_csv = pd.read_csv(tmp_path / "mentions.csv", dtype=str, keep_default_na=False)
    assert from_csv["start"].tolist() == [str(v) for v in parquet["start"]]
    assert from_csv["label"].tolist() == parquet["label"].tolist()
    actors = tables.read_table(tmp_path, "actors")
    assert actors.loc[0, "aliases"] == ["Niger", "le Niger"]
    assert "Niger|le Niger" in (tmp_path / "actors.csv").read_text()


def test_interrupted_write_keeps_previous_outputs_and_leaves_no_temporary_files(tmp_path):
    with tables.TableWriter(tmp_path) as writer:
        writer.write("mentions", ROWS[:1])
    before = (tmp_path / "mentions.csv").read_bytes()
    with pytest.raises(KeyboardInterrupt), tables.TableWriter(tmp_path) as writer:
        writer.write("mentions", ROWS)
        raise KeyboardInterrupt
    assert (tmp_path / "mentions.csv").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_temporaries_of_a_killed_run_are_removed_and_a_live_runs_are_kept(tmp_path):
    import subprocess
    import sys

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(gone.stdout)  # a process that has exited: its pid names no live run
    dead = tmp_path / f".mentions.csv.tmp-{dead_pid}"
    live = tmp_path / f".events.csv.tmp-{os.getppid()}"  # the test runner's parent is alive
    unrelated = tmp_path / ".notes.tmp-x"
    for path in (dead, live, unrelated):
        path.write_text("partial")
    with tables.TableWriter(tmp_path, formats=("csv",)) as writer:
        writer.write("mentions", ROWS[:1])
    assert not dead.exists()
    assert live.exists() and unrelated.exists()
    assert (tmp_path / "mentions.csv").exists()


def test_frame_uses_declared_types():
    df = tables.frame("mentions", ROWS)
    assert str(df["start"].dtype) == "Int64" and list(df.columns) == tables.columns("mentions")


def test_rows_are_flushed_in_row_groups_and_all_arrive(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "FLUSH_ROWS", 2)
    rows = [dict(ROWS[1], start=n, end=n + 5) for n in range(5)]
    with tables.TableWriter(tmp_path) as writer:
        for row in rows:
            writer.write("mentions", [row])
    parquet = pq.ParquetFile(tmp_path / "mentions.parquet")
    assert parquet.metadata.num_row_groups == 3
    assert parquet.read().column("start").to_pylist() == [0, 1, 2, 3, 4]
    assert len((tmp_path / "mentions.csv").read_text().splitlines()) == 6


# The declaration and its documentation ------------------------------------------------


def test_docs_tables_md_is_generated_from_the_declaration():
    """Regenerate with: python -m pipeline.tables --markdown > docs/tables.md"""
    from .conftest import ROOT

    assert (ROOT / "docs" / "tables.md").read_text("utf-8") == tables.markdown()


def test_every_column_is_declared_once_with_a_known_kind_and_a_meaning():
    for table in tables.TABLE_DECLARATIONS:
        names = [c.name for c in table.columns]
        assert len(names) == len(set(names)), table.name
        for column in table.columns:
            assert column.kind in tables.KIND_NAMES and column.doc.strip(), column
            assert f"| `{column.name}` | {column.kind} |" in tables.markdown()


def test_spec_columns_come_first_in_spec_order():
    spec = {
        "documents": "doc_id source encoding doc_date n_chars n_sentences status sha256",
        "mentions": "doc_id sent_id start end text label norm category model method",
        "actors": "actor_id name kind country wikidata_id n_mentions n_docs aliases",
        "events": "event_id doc_id sent_id type source target date location equipment plover "
        "evidence sentence",
        "equipment": "doc_id sent_id start end text category model quantity event_id",
        "errors": "doc_id source stage message",
    }
    for name, columns in spec.items():
        assert tables.columns(name)[: len(columns.split())] == columns.split()


# Typed dates --------------------------------------------------------------------------

DATED = {
    "doc_id": "d",
    "source": "d.txt",
    "doc_date": "2024-02",
    "status": "ok",
    "doc_date_start": "2024-02-01",
    "doc_date_end": "2024-02-29",
    "doc_date_precision": "month",
}


def test_date_columns_are_dates_in_parquet_iso_days_in_csv_and_filter_in_pandas(tmp_path):
    import pyarrow as pa

    undated = {"doc_id": "e", "source": "e.txt", "status": "ok"}
    with tables.TableWriter(tmp_path) as writer:
        writer.write("documents", [DATED, undated])
    schema = pq.read_schema(tmp_path / "documents.parquet")
    assert schema.field("doc_date_start").type == pa.date32()
    assert schema.field("doc_date").type == pa.string()  # the date as the text gives it
    raw = pd.read_csv(tmp_path / "documents.csv", dtype=str, keep_default_na=False)
    assert raw.doc_date_end.tolist() == ["2024-02-29", ""]
    for source in ("parquet", "csv"):
        if source == "csv":
            (tmp_path / "documents.parquet").unlink()
        df = tables.read_table(tmp_path, "documents")
        assert str(df.doc_date_start.dtype) == "datetime64[s]"
        assert df[df.doc_date_end >= "2024-02-15"].doc_id.tolist() == ["d"], source
    frame = tables.frame("documents", [DATED, undated])
    assert str(frame.doc_date_start.dtype) == "datetime64[s]"
    assert frame.doc_date_start.isna().tolist() == [False, True]


def test_rows_give_every_iso_date_its_range_and_precision():
    from pipeline.rows import date_fields

    assert date_fields("date", "2023") == {
        "date_start": "2023-01-01",
        "date_end": "2023-12-31",
        "date_precision": "year",
    }
    assert date_fields("date", "2024-02-29")["date_precision"] == "day"
    assert set(date_fields("date", "2024-13-45").values()) == {None}
    assert set(date_fields("date", None).values()) == {None}


# One run per output folder ------------------------------------------------------------


def test_a_run_removes_the_formats_and_files_it_did_not_write(tmp_path):
    with tables.TableWriter(tmp_path) as writer:
        writer.write("mentions", ROWS)
    (tmp_path / "report.html").write_text("old report", "utf-8")
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    with tables.TableWriter(tmp_path, formats=("csv",)) as writer:
        writer.write("mentions", ROWS[:1])
        writer.manifest = {"status": "ok"}
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([f"{t}.csv" for t in tables.TABLES] + ["notes.txt", "run.json"])
    manifest = json.loads((tmp_path / "run.json").read_text("utf-8"))
    assert manifest["status"] == "ok"
    assert manifest["files"] == sorted(f"{t}.csv" for t in tables.TABLES)


def test_an_interrupted_run_keeps_the_previous_run_whole_formats_and_manifest(tmp_path):
    with tables.TableWriter(tmp_path) as writer:
        writer.write("mentions", ROWS)
        writer.manifest = {"status": "ok", "run": 1}
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(KeyboardInterrupt), tables.TableWriter(tmp_path, ("csv",)) as writer:
        writer.write("mentions", ROWS[:1])
        writer.manifest = {"status": "ok", "run": 2}
        raise KeyboardInterrupt
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_write_tables_manifest_describes_the_run(tmp_path, nlp):
    from pipeline.manifest import data_fingerprint
    from pipeline.run import write_tables

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Le Mali a reçu deux hélicoptères livrés par la Russie.")
    (corpus / "b.txt").write_text("")
    summary = write_tables(corpus, tmp_path / "out", nlp=nlp, formats=("parquet",))
    manifest = json.loads((tmp_path / "out" / "run.json").read_text("utf-8"))
    assert manifest["rows"] == summary.rows and manifest["rows"]["documents"] == 2
    assert manifest["documents"] == {"empty": 1, "ok": 1} and manifest["status"] == "failures"
    assert manifest["corpus"] == str(corpus.resolve())
    assert manifest["options"]["formats"] == ["parquet"]
    assert manifest["data_fingerprint"] == data_fingerprint()
    assert manifest["model_version"] == "3.8.0" and manifest["package_version"]
    assert manifest["started"] <= manifest["finished"]


def test_data_fingerprint_changes_with_an_extra_file(tmp_path):
    from pipeline.manifest import data_fingerprint

    extra = tmp_path / "patterns.jsonl"
    extra.write_text('{"label": "ORG", "pattern": "X"}\n')
    first = data_fingerprint([extra])
    assert first != data_fingerprint() and first == data_fingerprint([extra])
    extra.write_text('{"label": "ORG", "pattern": "Y"}\n')
    assert data_fingerprint([extra]) != first


# Joins over the gold sets -------------------------------------------------------------


def gold_tables(gold_dir, nlp):
    from pipeline import ingest
    from pipeline.run import extract_tables

    golds = [json.loads(f.read_text("utf-8")) for f in sorted(gold_dir.glob("*.json"))]
    documents = [
        ingest.from_text(
            g["text"], doc_id=g["doc_id"], source=g["doc_id"], doc_date=g.get("doc_date")
        )
        for g in golds
    ]
    return extract_tables(documents, nlp=nlp)


def gold_dirs():
    from .conftest import GOLD, ROOT

    devset = ROOT.parent / "shared" / "devset" / "gold"
    return [
        pytest.param(GOLD, id="sample-gold"),
        pytest.param(
            devset,
            id="devset",
            marks=pytest.mark.skipif(not devset.is_dir(), reason=f"no devset at {devset}"),
        ),
    ]


@pytest.mark.parametrize("gold_dir", gold_dirs())
def test_gold_sets_event_ids_unique_and_equipment_joins_one_row_per_mention(gold_dir, nlp):
    found = gold_tables(gold_dir, nlp)
    events, equipment = found["events"], found["equipment"]
    assert len(events) > 0 and events.event_id.is_unique
    assert all(i.startswith(f"{d}#E") for i, d in zip(events.event_id, events.doc_id, strict=True))
    joined = equipment.merge(events, on="event_id", how="left", suffixes=("", "_event"))
    assert len(joined) == len(equipment)
    linked = joined[joined.event_id.notna()]
    assert len(linked) > 0 and (linked.doc_id == linked.doc_id_event).all()
    assert linked.type.notna().all()  # every event_id names an event row
    # every delivery that names delivered equipment has it linked
    every = {i for ids in equipment.event_ids for i in ids}
    named = pd.Series([len(e) > 0 for e in events.equipment], index=events.index)
    deliveries = events[(events.type == "DELIVERY") & named]
    assert len(deliveries) > 0 and set(deliveries.event_id) <= every
    # ... and so does every delivery whose sentence holds an equipment mention
    in_sentences = set(zip(equipment.doc_id, equipment.sent_id, strict=True))
    all_deliveries = events[events.type == "DELIVERY"]
    naming = all_deliveries[
        [
            (d, s) in in_sentences
            for d, s in zip(all_deliveries.doc_id, all_deliveries.sent_id, strict=True)
        ]
    ]
    assert set(naming.event_id) <= every
    # events.models are the linked mentions' models
    for row in events.itertuples():
        mine = equipment[[row.event_id in ids for ids in equipment.event_ids]]
        assert set(row.models) == set(mine.model.dropna()), row.event_id
        stated = mine.quantity.dropna()
        assert (pd.isna(row.quantity) and stated.empty) or row.quantity == stated.sum()


def test_duckdb_joins_and_filters_on_typed_dates(corpus_run):
    duckdb = pytest.importorskip("duckdb", reason="duckdb is a dev dependency (.[dev])")
    out, _ = corpus_run
    con = duckdb.connect()
    events, equipment = (str(out / f"{t}.parquet") for t in ("events", "equipment"))
    n_equipment = con.execute(f"SELECT count(*) FROM '{equipment}'").fetchone()[0]
    joined = con.execute(
        f"SELECT count(*) FROM '{equipment}' q LEFT JOIN '{events}' e USING (event_id)"
    ).fetchone()[0]
    assert n_equipment > 0 and joined == n_equipment
    assert con.execute(f"SELECT count(*) = count(DISTINCT event_id) FROM '{events}'").fetchone()[0]
    described = con.execute(f"DESCRIBE SELECT date_start, date_end FROM '{events}'")
    types = {row[0]: row[1] for row in described.fetchall()}
    assert types == {"date_start": "DATE", "date_end": "DATE"}
    recent = con.execute(
        f"SELECT count(*) FROM '{events}' WHERE date_start >= '2024-01-01'"
    ).fetchone()[0]
    expected = tables.read_table(out, "events")
    assert recent == (expected.date_start >= "2024-01-01").sum() > 0
