"""Ingest: file kinds, encodings, the date prefix, doc_id rules, bad input."""

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import ingest

FRENCH = (
    "Le gouvernement a annoncé mardi la signature d’un accord de défense avec ses "
    "voisins, selon un communiqué lu à la télévision nationale dans la soirée."
)


def write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_date_prefix_is_metadata_and_offsets_count_from_the_file_start():
    doc = ingest.from_text(f"  date 2023-05-17 {FRENCH}", doc_id="a", source="a.txt")
    assert doc.doc_date == "2023-05-17"
    assert doc.text.startswith("  date 2023-05-17 ")
    assert doc.text[doc.body_start :].startswith("Le gouvernement")


def test_month_prefix_on_its_own_line():
    doc = ingest.from_text(f"date 2022-09\n{FRENCH}", doc_id="a", source="a.txt")
    assert doc.doc_date == "2022-09"
    assert doc.text[doc.body_start :].startswith("Le gouvernement")


def test_invalid_prefix_date_is_not_metadata():
    doc = ingest.from_text(f"date 2022-13-45 {FRENCH}", doc_id="a", source="a.txt")
    assert doc.doc_date is None and doc.body_start == 0


def test_folder_doc_ids_sources_and_order(tmp_path):
    write(tmp_path / "b.txt", FRENCH.encode())
    write(tmp_path / "sub" / "a.md", FRENCH.encode())
    write(tmp_path / ".hidden.txt", FRENCH.encode())
    docs = list(ingest.read_corpus(tmp_path))
    assert [(d.doc_id, d.source) for d in docs] == [("b", "b.txt"), ("sub/a", "sub/a.md")]
    assert all(d.status == "ok" and d.encoding == "utf-8" for d in docs)


def test_cp1252_is_detected_and_decoded(tmp_path):
    write(
        tmp_path / "w.txt", ("L'armée a reçu des véhicules blindés à Niamey. " * 5).encode("cp1252")
    )
    (doc,) = ingest.read_corpus(tmp_path)
    assert doc.encoding == "cp1252"
    assert "armée a reçu des véhicules blindés" in doc.text


def test_utf16_with_bom(tmp_path):
    write(tmp_path / "u.txt", FRENCH.encode("utf-16"))
    (doc,) = ingest.read_corpus(tmp_path)
    assert doc.status == "ok" and doc.text == FRENCH and doc.encoding == "utf-16"


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"", "empty"),
        (b"  \n\t\n ", "empty"),
        (b"\x00\x01\x02binary\x00", "undecodable"),
        (b"date 2024-01-01   \n", "empty"),
        (
            b"The minister said on Tuesday that the agreement with the neighbours was signed "
            b"and that the troops would leave the country by the end of the year.",
            "not_french",
        ),
    ],
)
def test_bad_files_get_a_status_not_an_exception(tmp_path, data, status):
    write(tmp_path / "x.txt", data)
    (doc,) = ingest.read_corpus(tmp_path)
    assert doc.status == status
    assert doc.message


def test_jsonl_rows_ids_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "n1", "text": FRENCH, "date": "2024-02-03", "url": "u"}),
        "{not json",
        json.dumps({"doc_id": "n2", "text": FRENCH}),
        json.dumps({"text": FRENCH}),
        json.dumps({"id": "n4"}),
    ]
    write(tmp_path / "feed.jsonl", "\n".join(lines).encode())
    docs = list(ingest.read_corpus(tmp_path))
    assert [(d.doc_id, d.source, d.status) for d in docs] == [
        ("n1", "feed.jsonl:1", "ok"),
        ("feed:2", "feed.jsonl:2", "error"),
        ("n2", "feed.jsonl:3", "ok"),
        ("feed:4", "feed.jsonl:4", "ok"),
        ("n4", "feed.jsonl:5", "empty"),
    ]
    assert docs[0].doc_date == "2024-02-03" and docs[0].metadata == {"url": "u"}


def test_csv_rows(tmp_path):
    write(tmp_path / "t.csv", f'id,text,date\nc1,"{FRENCH}",2021-06\nc2,,\n'.encode())
    docs = list(ingest.read_corpus(tmp_path))
    assert [(d.doc_id, d.status, d.doc_date) for d in docs] == [
        ("c1", "ok", "2021-06"),
        ("c2", "empty", None),
    ]


def test_parquet_rows(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": [FRENCH, FRENCH]}), tmp_path / "p.parquet")
    docs = list(ingest.read_corpus(tmp_path))
    assert [d.doc_id for d in docs] == ["p:1", "p:2"]


def test_symlink_loop_does_not_hang(tmp_path):
    write(tmp_path / "a" / "x.txt", FRENCH.encode())
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    assert [d.doc_id for d in ingest.read_corpus(tmp_path)] == ["a/x"]


def test_unsupported_file_is_reported(tmp_path):
    write(tmp_path / "image.png", b"\x89PNG")
    (doc,) = ingest.read_corpus(tmp_path)
    assert doc.status == "error" and "unsupported" in doc.message


def test_missing_path_raises_the_documented_error(tmp_path):
    with pytest.raises(ingest.CorpusNotFound):
        list(ingest.read_corpus(tmp_path / "nope"))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data):
    doc = ingest.from_bytes(data, doc_id="x", source="x.txt")
    assert doc.status in ("ok", "empty", "not_french", "undecodable", "error")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_random_text_never_raises_and_body_is_inside_text(text):
    doc = ingest.from_text(text, doc_id="x", source="x")
    assert 0 <= doc.body_start <= len(doc.text)


def test_folders_nested_deeper_than_the_recursion_limit(tmp_path, monkeypatch):
    root = tmp_path / "deep"
    root.mkdir()
    monkeypatch.chdir(root)
    for _ in range(1200):  # os.walk recursed once per level and raised RecursionError
        os.mkdir("a")
        os.chdir("a")
    Path("article.txt").write_text("Le Niger a reçu des drones livrés par la Turquie.", "utf-8")
    os.chdir(root)
    deepest = root.joinpath(*["a"] * 1200)
    try:
        documents = list(ingest.read_corpus(root))
        assert [d.doc_id for d in documents] == ["/".join(["a"] * 1200) + "/article"]
        assert documents[0].status == "ok"
    finally:  # pytest's clean-up (shutil.rmtree) recurses too: remove the levels one by one
        (deepest / "article.txt").unlink()
        for folder in [deepest, *deepest.parents][:1200]:
            folder.rmdir()


# Unique ids ---------------------------------------------------------------------------


def test_files_with_one_stem_get_distinct_ids_the_first_keeps_it(tmp_path):
    write(tmp_path / "rapport.md", FRENCH.encode())
    write(tmp_path / "rapport.txt", FRENCH.encode())
    docs = list(ingest.read_corpus(tmp_path))
    assert [(d.doc_id, d.source) for d in docs] == [
        ("rapport", "rapport.md"),
        ("rapport.txt", "rapport.txt"),
    ]
    assert docs[0].message is None
    assert "'rapport' was taken" in docs[1].message and docs[1].status == "ok"


def test_rows_with_one_id_keep_their_line_and_a_third_clash_gets_a_counter(tmp_path):
    rows = [{"id": "d", "text": FRENCH}, {"id": "d", "text": FRENCH}]
    write(tmp_path / "a.jsonl", "\n".join(json.dumps(r) for r in rows).encode())
    write(tmp_path / "b.jsonl", "\n\n".join(json.dumps(r) for r in rows).encode())
    docs = list(ingest.read_corpus(tmp_path))
    ids = [d.doc_id for d in docs]
    # a.jsonl: d, d:2 (line 2); b.jsonl: d:1 (line 1), then line 3 gives d:3
    assert ids == ["d", "d:2", "d:1", "d:3"]
    assert len(set(ids)) == len(ids)
    assert list(ingest.read_corpus(tmp_path)) == docs  # deterministic


def test_texts_and_records_ids_are_unique():
    docs = list(ingest.from_texts([{"id": "x", "text": FRENCH}, {"id": "x", "text": FRENCH}]))
    assert [d.doc_id for d in docs] == ["x", "x:2"]
    with pytest.raises(TypeError, match="give texts"):
        list(ingest.from_texts([3]))


# Metadata dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-03-12", "2024-03-12"),
        ("2024-03", "2024-03"),
        ("2024", "2024"),
        ("12/03/2024", "2024-03-12"),
        ("5.7.2023", "2023-07-05"),
        ("12 mars 2024", "2024-03-12"),
        ("Mardi 12 mars 2024", "2024-03-12"),
        ("1er août 2022", "2022-08-01"),
        ("2024-03-12T08:30:00+01:00", "2024-03-12"),
        (None, None),
        ("", None),
    ],
)
def test_metadata_dates_in_the_usual_forms(value, expected):
    assert ingest.metadata_date(value) == (expected, None)


def test_metadata_date_objects_and_missing_values():
    import datetime

    import pandas as pd

    assert ingest.metadata_date(datetime.date(2023, 7, 26)) == ("2023-07-26", None)
    assert ingest.metadata_date(pd.Timestamp("2023-07-26 10:00")) == ("2023-07-26", None)
    assert ingest.metadata_date(pd.NaT) == (None, None)
    assert ingest.metadata_date(float("nan")) == (None, None)


@pytest.mark.parametrize("value", ["2024-13-45", "31/02/2024", "12 brumaire 2024", "bientôt"])
def test_unreadable_metadata_date_is_kept_as_text_with_a_message(tmp_path, value):
    write(tmp_path / "f.jsonl", json.dumps({"id": "r", "text": FRENCH, "date": value}).encode())
    (doc,) = ingest.read_corpus(tmp_path)
    assert doc.doc_date == value and doc.status == "ok"
    assert f"date {value!r} is not a valid date" in doc.message


def test_an_earlier_runs_output_folder_inside_the_corpus_is_not_read(tmp_path):
    write(tmp_path / "a.txt", FRENCH.encode())
    write(tmp_path / "tables" / "mentions.csv", b"doc_id,text\nx,Niger\n")
    write(tmp_path / "tables" / "run.json", b"{}")
    write(tmp_path / "more" / "b.txt", FRENCH.encode())
    assert [d.doc_id for d in ingest.read_corpus(tmp_path)] == ["a", "more/b"]
    # the folder itself, given as the corpus, is read
    assert [d.source for d in ingest.read_corpus(tmp_path / "tables")][0] == "mentions.csv:2"
