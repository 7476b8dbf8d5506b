"""Shared fixtures. The spaCy model loads once per test session."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = Path(__file__).resolve().parent / "fixtures" / "gold"


@pytest.fixture(scope="session")
def nlp():
    from pipeline import nlp as model

    return model.load()


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory, nlp):
    """The sample corpus run once through the CLI code path, with the shared model."""
    from pipeline.run import write_tables

    out = tmp_path_factory.mktemp("outputs")
    summary = write_tables(CORPUS, out, nlp=nlp)
    return out, summary
