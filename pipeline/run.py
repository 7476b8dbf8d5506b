"""The library API: documents in, tables out.

    >>> from pipeline.run import extract_tables
    >>> tables = extract_tables("corpus/")            # a folder, a file, or a list of texts
    >>> tables["events"][["type", "source", "target", "date"]]

`write_tables` does the same but streams every table to CSV and Parquet files (the CLI
uses it). Both run the stages through `pipeline.engines`, in order, whatever the number of
workers, so the output does not depend on it.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import ingest, tables
from pipeline.actors import ActorCounter
from pipeline.engines import extractions
from pipeline.rows import rows_for
from pipeline.types import Document, Extraction

Source = str | os.PathLike | Iterable[str | Document]


@dataclass(slots=True)
class Summary:
    """What a run did, for the closing report."""

    documents: Counter = field(default_factory=Counter)  # by status
    mentions: Counter = field(default_factory=Counter)  # by label
    events: Counter = field(default_factory=Counter)  # by type
    rows: dict[str, int] = field(default_factory=dict)  # by table
    files: list[Path] = field(default_factory=list)

    def add(self, extraction: Extraction) -> None:
        self.documents[extraction.document.status] += 1
        self.mentions.update(m.label for m in extraction.mentions)
        self.events.update(e.type for e in extraction.events)


def documents_of(source: Source) -> Iterator[Document]:
    if isinstance(source, str | os.PathLike):
        return ingest.read_corpus(source)
    return ingest.from_texts(source)


def iter_rows(
    source: Source,
    *,
    workers: int = 1,
    nlp=None,
    on_extraction: Callable[[Extraction], None] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> Iterator[dict[str, list[dict]]]:
    """Rows of every table, document by document; the actors rows come last."""
    actors = ActorCounter()
    if engine == "dask":
        from pipeline.dask_engine import extractions as dask_extractions

        found = dask_extractions(documents_of(source), scheduler=scheduler, workers=max(2, workers))
    else:
        found = extractions(documents_of(source), workers=workers, nlp=nlp)
    for extraction in found:
        actors.add(extraction)
        if on_extraction is not None:
            on_extraction(extraction)
        yield rows_for(extraction)
    yield {"actors": actors.rows()}


def extract_tables(
    source: Source,
    *,
    workers: int = 1,
    nlp=None,
    engine: str = "local",
    scheduler: str | None = None,
) -> dict:
    """Every table as a pandas DataFrame, with the declared columns and types."""
    collected: dict[str, list[dict]] = {name: [] for name in tables.TABLES}
    for rows in iter_rows(source, workers=workers, nlp=nlp, engine=engine, scheduler=scheduler):
        for name, table_rows in rows.items():
            collected[name].extend(table_rows)
    return {name: tables.frame(name, collected[name]) for name in tables.TABLES}


def write_tables(
    source: Source,
    out_dir: str | os.PathLike,
    *,
    formats: Iterable[str] = tables.FORMATS,
    workers: int = 1,
    nlp=None,
    on_extraction: Callable[[Extraction], None] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> Summary:
    """Stream every table to ``out_dir``; files appear, whole, only when the run ends."""
    summary = Summary()

    def seen(extraction: Extraction) -> None:
        summary.add(extraction)
        if on_extraction is not None:
            on_extraction(extraction)

    with tables.TableWriter(out_dir, formats) as writer:
        for rows in iter_rows(
            source, workers=workers, nlp=nlp, on_extraction=seen, engine=engine, scheduler=scheduler
        ):
            for name, table_rows in rows.items():
                writer.write(name, table_rows)
    summary.rows = dict(writer.counts)
    summary.files = writer.written
    return summary
