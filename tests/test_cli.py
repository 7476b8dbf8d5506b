"""The command line, end to end on the sample corpus."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline import cli, tables

from .conftest import CORPUS, GOLD

runner = CliRunner()


def invoke(*args):
    """The app as the command routes it (`extract PATH` is `extract run PATH`)."""
    return runner.invoke(cli.app, cli.route(list(args)), prog_name="extract")


def test_help_lists_examples_and_commands():
    result = invoke("--help")
    assert result.exit_code == 0
    assert "extract corpus/" in result.output and "extract evaluate" in result.output
    commands = result.output.split("Commands:")[1].split()
    assert {"run", "evaluate", "evaluate-hipe", "report"} <= set(commands)


def test_extract_corpus_writes_every_table_in_both_formats(tmp_path, monkeypatch, nlp):
    monkeypatch.setattr("pipeline.nlp.load", lambda model="": nlp)
    result = invoke(str(CORPUS), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    for name in tables.TABLES:
        assert (tmp_path / f"{name}.csv").exists() and (tmp_path / f"{name}.parquet").exists()
    assert "documents" in result.output and "ok 6" in result.output


def test_concrete_rows(corpus_run):
    out, _ = corpus_run
    mentions = tables.read_table(out, "mentions")
    seed = mentions[mentions.doc_id == "niger_russie_2024-11"]
    niger = seed[(seed.start == 17) & (seed.end == 22)].iloc[0]
    assert (niger.text, niger.label, niger.norm) == ("Niger", "GPE", "NER")
    cnsp = seed[seed.text == "Conseil National pour la Sauvegarde de la Patrie"].iloc[0]
    assert (cnsp.label, cnsp.norm) == ("ORG", "CNSP")
    text = (CORPUS / "niger_russie_2024-11.txt").read_text(encoding="utf-8")
    for row in mentions[mentions.doc_id == "niger_russie_2024-11"].itertuples():
        assert text[row.start : row.end] == row.text
    documents = tables.read_table(out, "documents")
    assert documents.set_index("doc_id").loc["niger_russie_2024-11", "doc_date"] == "2024-11"
    assert set(documents.status) == {"ok"}


def test_csv_and_parquet_hold_the_same_rows(corpus_run):
    out, _ = corpus_run
    for name in tables.TABLES:
        from_csv = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
        from_parquet = pd.read_parquet(out / f"{name}.parquet")
        assert list(from_csv.columns) == list(from_parquet.columns) == tables.columns(name)
        assert len(from_csv) == len(from_parquet)
        for column, kind in tables.SCHEMAS[name]:
            expected = [
                tables.csv_cell(v if kind == tables.LIST or not pd.isna(v) else None, kind)
                for v in from_parquet[column]
            ]
            assert from_csv[column].tolist() == expected, (name, column)


def test_missing_path_is_a_usage_error(tmp_path):
    result = invoke(str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "no such file or folder" in result.output
    assert "Traceback" not in result.output


def test_unknown_format_is_a_usage_error(tmp_path):
    result = invoke(str(CORPUS), "--format", "xlsx", "--out", str(tmp_path))
    assert result.exit_code == 2 and "unknown format" in result.output


def test_output_folder_that_is_a_file_or_below_one(tmp_path, monkeypatch, nlp):
    monkeypatch.setattr("pipeline.nlp.load", lambda *a, **k: nlp)
    a_file = tmp_path / "tables"
    a_file.write_text("not a folder", "utf-8")
    result = invoke(str(CORPUS), "--out", str(a_file))
    assert result.exit_code == 2 and "--out must be a folder" in result.output
    result = invoke(str(CORPUS), "--out", str(a_file / "below"))
    assert result.exit_code == 2 and "cannot write the tables (Not a directory" in result.output
    assert "Traceback" not in result.output and a_file.read_text("utf-8") == "not a folder"


def test_strict_fails_when_a_document_failed(tmp_path, monkeypatch, nlp):
    monkeypatch.setattr("pipeline.nlp.load", lambda model="": nlp)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    result = invoke(str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--strict")
    assert result.exit_code == 1
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    assert errors.doc_id.tolist() == ["empty"] and "empty" in errors.message[0]


def test_evaluate_json_on_gold(monkeypatch, nlp):
    monkeypatch.setattr("pipeline.nlp.load", lambda model="": nlp)
    result = invoke("evaluate", str(GOLD), "--json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["documents"] == 6
    assert scores["mentions"]["GPE"]["f1"] >= 0.97
    assert scores["normalisation"]["all"] >= 0.95


@pytest.mark.parametrize("argv", [["--help"], ["evaluate", "--help"]])
def test_python_dash_m_entry_point(argv):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "pipeline", *argv], capture_output=True, text=True)
    assert done.returncode == 0 and "Usage" in done.stdout


def test_console_command_exit_codes_and_outputs(tmp_path):
    """The real command (`run`, which skips interpreter teardown) still sets exit codes and
    leaves every table written."""
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Le Niger a reçu deux drones livrés par la Turquie.", "utf-8")
    (corpus / "b.txt").write_bytes(b"")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline", str(corpus), "--out", str(out), "--strict"]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "1 document(s) failed" in done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            f"{t}.{f}"
            for t in ("actors", "documents", "equipment", "errors", "events", "mentions")
            for f in ("csv", "parquet")
        ]
        + ["run.json"]
    )
    missing = subprocess.run([sys.executable, "-m", "pipeline", str(tmp_path / "nope")])
    assert missing.returncode == 2
