"""Worker processes change nothing: the same rows, in the same order, byte for byte."""

import shutil
import signal

from pipeline import cli, engines, ingest
from pipeline.run import write_tables

from .conftest import CORPUS


def test_one_and_two_workers_write_identical_csv_files(tmp_path, nlp):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    for copy in range(3):  # 24 documents: two batches, one per worker
        for path in sorted(CORPUS.glob("*.txt")):
            shutil.copy(path, corpus / f"copy{copy}_{path.name}")
    one, two = tmp_path / "one", tmp_path / "two"
    write_tables(corpus, one, formats=("csv",), nlp=nlp)
    write_tables(corpus, two, formats=("csv",), workers=2)
    for table in sorted(one.glob("*.csv")):
        assert table.read_bytes() == (two / table.name).read_bytes(), table.name
    assert len((one / "mentions.csv").read_text().splitlines()) > 400


def signal_dispositions(batch):
    """Stands in for a worker's batch: what its SIGTERM and SIGINT handlers are."""
    return [(signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT))]


def test_workers_do_not_inherit_the_cli_signal_handlers(monkeypatch, nlp):
    """The CLI turns SIGTERM into KeyboardInterrupt; a worker that did the same when the
    pool stops it could hang on a queue lock. Workers die at once and ignore SIGINT."""
    monkeypatch.setattr(engines, "_process_batch", signal_dispositions)
    previous = signal.signal(signal.SIGTERM, cli.interrupted)
    try:
        documents = ingest.from_texts(["Le Niger a reçu des drones."] * 3)
        found = list(engines.extractions(documents, workers=2, nlp=nlp, batch_size=1))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert found == [(signal.SIG_DFL, signal.SIG_IGN)] * 3
