"""Worker processes change nothing: the same rows, in the same order, byte for byte."""

import shutil

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
