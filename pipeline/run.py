"""The library API: documents in, tables out.

    >>> from pipeline.run import extract_tables
    >>> tables = extract_tables("corpus/")            # a folder or a file
    >>> tables = extract_tables(["Le Niger a reçu deux drones livrés par la Turquie."])
    >>> tables = extract_tables([{"id": "a1", "text": "...", "date": "2024-03-12"}])
    >>> tables = extract_tables(dataframe)            # columns text, optional id, date
    >>> tables["events"][["type", "source", "target", "date"]]

`write_tables` does the same but streams every table to CSV and Parquet files, with
``run.json`` (the CLI uses it). Both run the stages through `pipeline.engines`, in order,
whatever the number of workers, so the output does not depend on it. With ``cache=True``
(the CLI's default), `write_tables` keeps each document's result under the output folder
and the next run extracts only new and changed documents (`pipeline.incremental`); the
tables are the same bytes as a full run's.

This module installs no signal handler and never exits the process: stopping a run is
the caller's business (the CLI turns signals into KeyboardInterrupt); leaving
`write_tables` by any exception keeps the previous outputs whole.

The order of tables: every document's rows as it comes (`pipeline.rows.rows_for`), but
its events, then the corpus-wide tables, built in one place, `corpus_wide_rows`
(`pipeline.corpus_wide`): actors, happenings, transfers, and the events, held until the
end because each gets the ``happening_id`` of the whole corpus.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import incremental, ingest, manifest, tables
from pipeline.actors import organisations_of
from pipeline.corpus_wide import CorpusWide, corpus_wide_rows, without_held  # noqa: F401 (API)
from pipeline.engines import extractions
from pipeline.rows import rows_for
from pipeline.types import Document, Extraction

Source = str | os.PathLike | Iterable[str | dict | Document]


class SourceError(TypeError):
    """A source `extract_tables`/`write_tables` cannot take: says how to pass texts."""


@dataclass(slots=True)
class Summary:
    """What a run did, for the closing report."""

    documents: Counter = field(default_factory=Counter)  # by status
    mentions: Counter = field(default_factory=Counter)  # by label
    events: Counter = field(default_factory=Counter)  # by type
    rows: dict[str, int] = field(default_factory=dict)  # by table
    files: list[Path] = field(default_factory=list)
    cache: dict | None = None  # documents reused, processed, dropped (`pipeline.cache`)

    def add(self, extraction: Extraction) -> None:
        self.documents[extraction.document.status] += 1
        self.mentions.update(m.label for m in extraction.mentions)
        self.events.update(e.type for e in extraction.events)

    @property
    def failed(self) -> int:
        return sum(n for status, n in self.documents.items() if status != "ok")


def documents_of(source: Source) -> Iterator[Document]:
    """Documents, ids unique, from any source the API takes:

    - a path (`str` or `os.PathLike`) to a folder or a file: the corpus;
    - a pandas DataFrame with a ``text`` column (optional ``id``, ``date``, more kept as
      metadata): one document per row;
    - an iterable of texts (`str`), records (``{"id", "text", "date"}``) or Documents.

    A `str` is always a path: one that does not exist is an error (`CorpusNotFound`)
    saying how to pass texts, never a text read by mistake."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.exists():
            hint = (
                "; to extract texts, pass a list of strings: extract_tables([text])"
                if isinstance(source, str)
                else ""
            )
            raise ingest.CorpusNotFound(f"no such file or folder: {shorten(str(source))}{hint}")
        return ingest.read_corpus(path)
    if is_dataframe(source):
        if "text" not in source.columns:
            raise SourceError("the DataFrame has no 'text' column (columns: text, id, date)")
        return ingest.from_texts(source.to_dict("records"))
    if isinstance(source, bytes | dict | Document) or not isinstance(source, Iterable):
        raise SourceError(
            f"cannot extract from a {type(source).__name__}: give a path, a list of texts, "
            'a list of {"id", "text", "date"} records or a DataFrame'
        )
    return ingest.from_texts(source)


def is_dataframe(source) -> bool:
    return hasattr(source, "columns") and hasattr(source, "to_dict") and hasattr(source, "iloc")


def shorten(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def iter_rows(
    source: Source,
    *,
    workers: int = 1,
    nlp=None,
    on_extraction: Callable[[Extraction], None] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    patterns: Iterable = (),
    cache=None,
) -> Iterator[dict[str, list[dict]]]:
    """Rows of every table, document by document; the corpus-wide rows come last. A bad
    source or patterns file raises here, before any row. ``patterns``: extra entities,
    entity-ruler JSONL files or pattern objects (`pipeline.components.entity_ruler`).
    ``cache``: a `pipeline.cache.ResultCache` that gives the results it holds (the
    corpus-wide rows are made from them as from fresh ones) and keeps the new ones."""
    documents = documents_of(source)
    patterns = list(patterns)
    if patterns:  # (spaCy is imported only when a document needs the model)
        from pipeline.components.entity_ruler import pattern_entries

        patterns = pattern_entries(patterns)

    def run_engine(documents: Iterable[Document]) -> Iterator[Extraction]:
        if engine == "dask":
            from pipeline.dask_engine import extractions as dask_extractions

            return dask_extractions(
                documents, scheduler=scheduler, workers=max(2, workers), patterns=patterns
            )
        return extractions(documents, workers=workers, nlp=nlp, patterns=patterns)

    if cache is None:
        found = run_engine(documents)
    else:
        found = incremental.extractions(documents, cache, run_engine)
    return rows_of(found, on_extraction, known=organisations_of(patterns))


def rows_of(
    found: Iterable[Extraction],
    on_extraction: Callable[[Extraction], None] | None = None,
    *,
    known: dict[str, dict] | None = None,
) -> Iterator[dict[str, list[dict]]]:
    """The rows of extractions given in corpus order (fresh or cached), then the
    corpus-wide rows (`pipeline.corpus_wide`): each document's rows but its events as it
    comes, then actors, happenings, transfers and the events with their happening.
    ``known``: organisations of --patterns files, see `pipeline.actors.ActorCounter`."""
    wide = CorpusWide(known)
    for extraction in found:
        rows = rows_for(extraction)
        wide.add(rows)
        if on_extraction is not None:
            on_extraction(extraction)
        yield without_held(rows)
    yield wide.rows()


def extract_tables(
    source: Source,
    *,
    workers: int = 1,
    nlp=None,
    engine: str = "local",
    scheduler: str | None = None,
    patterns: Iterable = (),
) -> dict:
    """Every table as a pandas DataFrame, with the declared columns and types.
    ``source``: see `documents_of`; ``patterns``: see `iter_rows`."""
    collected: dict[str, list[dict]] = {name: [] for name in tables.TABLES}
    all_rows = iter_rows(
        source, workers=workers, nlp=nlp, engine=engine, scheduler=scheduler, patterns=patterns
    )
    for rows in all_rows:
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
    patterns: Iterable = (),
    cache: bool = False,
    full: bool = False,
) -> Summary:
    """Stream every table to ``out_dir``, with ``run.json``; files appear, whole, only
    when the run ends, and the previous run's other files go then. ``patterns``: see
    `iter_rows` (files count in the manifest's data fingerprint).

    ``cache``: keep each document's result in ``out_dir/.cache`` and reuse the results
    kept there for unchanged documents (a path source only; `pipeline.cache`); ``full``:
    ignore the kept results (the cache is written anew). The patterns, files or objects,
    are part of the cache's fingerprint."""
    formats = tuple(formats)
    patterns = list(patterns)
    files = [p for p in patterns if isinstance(p, str | os.PathLike)]
    summary = Summary()
    options = {"formats": list(formats), "workers": workers, "engine": engine}
    if files:
        options["patterns"] = [os.fspath(p) for p in files]
    started = manifest.started(source, options, extra_files=files)

    def seen(extraction: Extraction) -> None:
        summary.add(extraction)
        if on_extraction is not None:
            on_extraction(extraction)

    with incremental.cache_for(
        out_dir, source, started, enabled=cache, full=full, nlp=nlp, patterns=patterns
    ) as results:
        all_rows = iter_rows(
            source,
            workers=workers,
            nlp=nlp,
            on_extraction=seen,
            engine=engine,
            scheduler=scheduler,
            patterns=patterns,
            cache=results,
        )
        with tables.TableWriter(out_dir, formats) as writer:
            for rows in all_rows:
                for name, table_rows in rows.items():
                    writer.write(name, table_rows)
            if results is not None:
                results.commit()
                summary.cache = results.counts()
            writer.manifest = manifest.finished(
                started, writer.counts, summary.documents, summary.cache
            )
    summary.rows = dict(writer.counts)
    summary.files = writer.written
    return summary
