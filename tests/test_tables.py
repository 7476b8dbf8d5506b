"""Tables: one schema for CSV and Parquet, atomic writes, CSV formula safety."""

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
