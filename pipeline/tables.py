"""The output tables: columns and types declared once (SPEC section 4), and the writers.

`TABLE_DECLARATIONS` is the one declaration: one `Table` per table, one `Column` (name,
kind, meaning) per column. The CSV writer, the Parquet writer (through an explicit Arrow
schema), the DataFrames of the library API, `docs/tables.md` (``python -m pipeline.tables
--markdown``) and the tests all read it. To add a table, add one `Table(...)` to the tuple.

Kinds: ``str``, ``int`` (nullable integer), ``list`` (of strings: an Arrow list in
Parquet, ``|``-joined text in CSV) and ``date`` (an Arrow ``date32`` in Parquet, an ISO
day ``YYYY-MM-DD`` in CSV, ``datetime64[s]`` in pandas), so that ``WHERE date_start >=
'2024-01-01'`` works in DuckDB. Rows hold dates as ISO day strings.

Writes are atomic: every table goes to a temporary file in the output folder and is
renamed into place only when the whole run has finished, so an interrupted run leaves the
previous outputs whole. A committed run also removes the files of the previous run that
this run did not write (tables of a format it was not asked for, a stale report), so the
folder always holds one run, described by ``run.json`` (`pipeline.manifest`). CSV cells
that a spreadsheet would run as a formula are neutralised (OWASP CSV injection: a leading
``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe); Parquet keeps
the original value.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa

STR, INT, LIST, DATE = "str", "int", "list", "date"
KIND_NAMES = {
    STR: "text",
    INT: "integer (nullable)",
    LIST: "list of text",
    DATE: "date (day)",
}


class Column(NamedTuple):
    name: str
    kind: str
    doc: str


class Table(NamedTuple):
    name: str
    doc: str
    columns: tuple[Column, ...]


def date_columns(prefix: str, of: str) -> tuple[Column, ...]:
    """The typed range of an ISO date column at its precision (`pipeline.isodate`)."""
    return (
        Column(f"{prefix}_start", DATE, f"first day {of} covers (null when it is not a date)"),
        Column(f"{prefix}_end", DATE, f"last day {of} covers: `2024-03` gives 2024-03-31"),
        Column(f"{prefix}_precision", STR, f"`year`, `month` or `day`: the precision of {of}"),
    )


TABLE_DECLARATIONS: tuple[Table, ...] = (
    Table(
        "documents",
        "One row per document read (article file, or row of a JSONL/CSV/Parquet file), "
        "whatever its status.",
        (
            Column(
                "doc_id",
                STR,
                "unique document id: the path relative to the corpus root "
                "without its extension, or a row's `id` (else `<file stem>:<line>`); a "
                "clash keeps the extension or `:line` (see docs/tables.md)",
            ),
            Column("source", STR, "path relative to the corpus root, plus `:line` for rows"),
            Column("encoding", STR, "text encoding detected (`utf-8`, `cp1252`...)"),
            Column(
                "doc_date",
                STR,
                "the document date, ISO at its precision (`2024-11`, "
                "`2024-11-28`); a metadata date that is not a date is kept as given, "
                "with a `message`",
            ),
            Column("n_chars", INT, "characters of decoded text (date prefix included)"),
            Column("n_sentences", INT, "sentences found"),
            Column("status", STR, "`ok`, `empty`, `not_french`, `undecodable` or `error`"),
            Column("sha256", STR, "SHA-256 of the file's bytes (of the text for rows)"),
            Column(
                "message",
                STR,
                "why the status is not `ok`, or what was repaired "
                "(a renamed clashing id, an unreadable date), `; `-separated",
            ),
            *date_columns("doc_date", "`doc_date`"),
        ),
    ),
    Table(
        "mentions",
        "One row per entity span (SPEC section 2); offsets are characters of the decoded "
        "document, end exclusive.",
        (
            Column("doc_id", STR, "the document (`documents.doc_id`)"),
            Column("sent_id", INT, "sentence number in the document, from 0"),
            Column("start", INT, "first character"),
            Column("end", INT, "character after the last"),
            Column("text", STR, "the span as written"),
            Column("label", STR, "`GPE`, `LOC`, `ORG`, `PER`, `DATE` or `EQUIPMENT`"),
            Column(
                "norm",
                STR,
                "normalised value: ISO3 (GPE), canonical name (LOC, ORG, "
                "PER), ISO date (DATE), category (EQUIPMENT); null when unresolved",
            ),
            Column("category", STR, "EQUIPMENT category (SPEC section 2)"),
            Column("model", STR, "EQUIPMENT canonical model, null for a generic class"),
            Column("method", STR, "the stage that found it (model, gazetteer, date_rules...)"),
            *date_columns("date", "a DATE mention's `norm`"),
        ),
    ),
    Table(
        "actors",
        "One row per actor of the corpus: states, organisations, groups and people, "
        "keyed by their norm (places are not actors).",
        (
            Column("actor_id", STR, "ISO3 for a state, canonical name otherwise"),
            Column("name", STR, "display name"),
            Column("kind", STR, "`state`, `organisation`, `person` or `group`"),
            Column("country", STR, "ISO3 of the state the actor belongs to, if known"),
            Column("wikidata_id", STR, "Wikidata item, if known"),
            Column("n_mentions", INT, "mentions (GPE, ORG, PER) whose norm is the actor"),
            Column("n_docs", INT, "documents that mention the actor or give it an event role"),
            Column("aliases", LIST, "the distinct spellings of its mentions, sorted"),
            Column("n_events", INT, "event rows where the actor is source or target"),
        ),
    ),
    Table(
        "events",
        "One row per event (SPEC section 3).",
        (
            Column(
                "event_id",
                STR,
                "unique, stable for the same corpus: `<doc_id>#E<n>`, "
                "n counting the document's events from 1",
            ),
            Column("doc_id", STR, "the document"),
            Column("sent_id", INT, "the sentence of the trigger"),
            Column(
                "type",
                STR,
                "`DELIVERY`, `TRAINING`, `AGREEMENT`, `TERMINATION`, `COUP` or `ATTACK`",
            ),
            Column(
                "source",
                STR,
                "who gives, trains, signs first or visits, ends, seizes "
                "power or attacks (null when the text does not name them)",
            ),
            Column(
                "target",
                STR,
                "who receives, is trained, visited, told to leave, overthrown or attacked",
            ),
            Column("date", STR, "when it happened, ISO at its precision, or null"),
            Column("location", STR, "most specific named place, canonical, or null"),
            Column("equipment", LIST, "categories delivered (DELIVERY)"),
            Column("plover", STR, "PLOVER type: AID, AGREE, CONSULT, SANCTION, COERCE, ASSAULT"),
            Column("evidence", STR, "trigger words as written"),
            Column("sentence", STR, "the sentence of the trigger"),
            Column("start", INT, "trigger's first character in the document"),
            Column("end", INT, "character after the trigger"),
            Column("models", LIST, "canonical models of the linked equipment, in text order"),
            Column(
                "quantity",
                INT,
                "total quantity stated for the linked equipment, null when none is stated",
            ),
            *date_columns("date", "`date`"),
            Column(
                "happening_id",
                STR,
                "the happening the event reports (`happenings.happening_id`); every event has one",
            ),
        ),
    ),
    Table(
        "happenings",
        "One row per real-world happening: the events of the whole corpus that report "
        "the same thing grouped together (rules in docs/happenings.md).",
        (
            Column(
                "happening_id",
                STR,
                "`H` + 12 hex digits of the SHA-1 of the event id that opened it; stable "
                "for the same corpus",
            ),
            Column("type", STR, "event type, as `events.type`"),
            Column("source", STR, "best-attested source (the value most documents give)"),
            Column("target", STR, "best-attested target"),
            Column(
                "date",
                STR,
                "best-attested date at the finest precision its events give, ISO, or null",
            ),
            *date_columns("date", "`date`"),
            Column("location", STR, "best-attested place, or null"),
            Column("equipment", LIST, "categories, sorted (DELIVERY)"),
            Column("models", LIST, "canonical models, the most reported first"),
            Column("quantity", INT, "best-attested quantity, null when none is stated"),
            Column("plover", STR, "PLOVER type, best-attested over its events"),
            Column("n_docs", INT, "documents that report it"),
            Column("n_events", INT, "event rows that report it"),
            Column("first_reported", STR, "earliest `doc_date` of those documents, ISO"),
            Column("doc_ids", LIST, "the documents, earliest first"),
            Column("event_ids", LIST, "the events (`events.event_id`), in corpus order"),
            Column(
                "date_disagreements",
                INT,
                "events whose date contradicts `date` (two exact days a few days apart)",
            ),
            Column(
                "quantity_disagreements",
                INT,
                "events that state another quantity than `quantity` for the same models",
            ),
        ),
    ),
    Table(
        "transfers",
        "An arms-transfer register in the manner of SIPRI's Trade Register: one row per "
        "DELIVERY happening and model (or category, when no model is named).",
        (
            Column("happening_id", STR, "the delivery (`happenings.happening_id`)"),
            Column("supplier", STR, "who delivers (the happening's `source`)"),
            Column("recipient", STR, "who receives (the happening's `target`)"),
            Column("model", STR, "canonical model, null for equipment named by its class"),
            Column("category", STR, "equipment category, null when none is named"),
            Column("quantity", INT, "best-attested number delivered, null when not stated"),
            Column("date", STR, "the happening's date, ISO at its precision"),
            *date_columns("date", "`date`"),
            Column("n_docs", INT, "documents that report this model in this delivery"),
            Column("doc_ids", LIST, "those documents, earliest first"),
        ),
    ),
    Table(
        "equipment",
        "One row per EQUIPMENT mention, with its quantity and the event it took part in.",
        (
            Column("doc_id", STR, "the document"),
            Column("sent_id", INT, "sentence number"),
            Column("start", INT, "first character"),
            Column("end", INT, "character after the last"),
            Column("text", STR, "the span as written"),
            Column("category", STR, "category (SPEC section 2)"),
            Column("model", STR, "canonical model, null for a generic class"),
            Column("quantity", INT, "number stated in the text, if any"),
            Column(
                "event_id",
                STR,
                "the (first) event it took part in (`events.event_id`), "
                "if any: one per mention, so a join gives one row per mention",
            ),
            Column(
                "event_ids",
                LIST,
                "every event it took part in (two events read from one "
                "trigger share their equipment)",
            ),
        ),
    ),
    Table(
        "errors",
        "One row per problem met: a document that failed, or a stage that failed on it.",
        (
            Column("doc_id", STR, "the document"),
            Column("source", STR, "its source"),
            Column(
                "stage",
                STR,
                "`ingest` or `process`; `corpus` for a corpus-wide table that could not be "
                "built (then `doc_id` is null)",
            ),
            Column("message", STR, "what went wrong"),
        ),
    ),
)
DECLARED: dict[str, Table] = {t.name: t for t in TABLE_DECLARATIONS}
SCHEMAS: dict[str, tuple[tuple[str, str], ...]] = {
    t.name: tuple((c.name, c.kind) for c in t.columns) for t in TABLE_DECLARATIONS
}
TABLES = tuple(SCHEMAS)
FORMATS = ("csv", "parquet")
ARROW_TYPES = {STR: pa.string(), INT: pa.int64(), LIST: pa.list_(pa.string()), DATE: pa.date32()}
PANDAS_TYPES = {STR: "object", INT: "Int64", LIST: "object", DATE: "datetime64[s]"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FLUSH_ROWS = 10_000
# Files a run may leave beside its tables; a new run removes the ones it did not rewrite.
RUN_FILES = ("report.html", "happenings.plover.jsonl")
MANIFEST = "run.json"


def columns(table: str) -> list[str]:
    return [name for name, _ in SCHEMAS[table]]


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(name, ARROW_TYPES[kind]) for name, kind in SCHEMAS[table]])


def empty_frame(table: str):
    import pandas as pd

    return pd.DataFrame(
        {name: pd.Series(dtype=PANDAS_TYPES[kind]) for name, kind in SCHEMAS[table]}
    )


def frame(table: str, rows: list[dict]):
    """A DataFrame with exactly the declared columns, in order, with the declared types."""
    import pandas as pd

    if not rows:
        return empty_frame(table)
    data = {
        name: pd.Series([row.get(name) for row in rows], dtype=PANDAS_TYPES[kind])
        for name, kind in SCHEMAS[table]
    }
    return pd.DataFrame(data)


def arrow_table(table: str, rows: list[dict]) -> pa.Table:
    """Rows as an Arrow table with the declared schema.

    Built by pyarrow's C++ JSON reader rather than ``pa.Table.from_pylist``: pyarrow's
    first conversion of Python objects imports pandas, 0.7 s of a 13 s run over 100
    articles, and the JSON reader does not. The whole buffer is one block, so no row is
    too long for it. The reader takes no dates from strings: date columns are read as
    text, then cast."""
    from pyarrow import json as pa_json

    schema = SCHEMAS[table]
    data = "".join(
        json.dumps({name: row.get(name) for name, _ in schema}, ensure_ascii=False) + "\n"
        for row in rows
    ).encode("utf-8")
    as_read = pa.schema(
        [(name, ARROW_TYPES[STR if kind == DATE else kind]) for name, kind in schema]
    )
    read = pa_json.read_json(
        io.BytesIO(data),
        read_options=pa_json.ReadOptions(block_size=max(len(data), 1 << 20)),
        parse_options=pa_json.ParseOptions(
            explicit_schema=as_read, unexpected_field_behavior="error"
        ),
    )
    return read.cast(arrow_schema(table)) if DATE in dict(schema).values() else read


def csv_cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == LIST:
        value = "|".join(value)
    elif kind == INT:
        return str(int(value))
    elif kind == DATE:
        return str(value)[:10]
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


TEMPORARY = re.compile(r"^\..+\.tmp-(\d+)$")


def remove_dead_temporaries(out_dir: Path) -> list[Path]:
    """Remove the temporary table files of runs whose process is gone (a run killed with
    SIGKILL cannot clean up after itself); a live run's files are left alone."""
    removed = []
    for path in out_dir.iterdir():
        match = TEMPORARY.match(path.name)
        if match is None or not path.is_file() or process_alive(int(match.group(1))):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


class TableWriter:
    """Streams rows of every table to temporary files; `commit` renames them into place.

    Use as a context manager: leaving the block normally commits, leaving it by an
    exception (including KeyboardInterrupt) removes the temporary files and keeps whatever
    outputs were there before. Set ``manifest`` (a dict) before leaving the block to have
    it written as ``run.json`` with the tables.
    """

    def __init__(self, out_dir: str | os.PathLike, formats=FORMATS):
        self.out_dir = Path(out_dir)
        self.formats = tuple(formats)
        self.paths: dict[Path, Path] = {}  # temporary -> final
        self.csv_files: dict[str, tuple] = {}
        self.parquet_writers: dict[str, object] = {}
        self.counts = dict.fromkeys(TABLES, 0)
        self.pending: dict[str, list[dict]] = {table: [] for table in TABLES}
        self.manifest: dict | None = None
        self.written: list[Path] = []
        self.tag = f".tmp-{os.getpid()}"

    def temporary(self, final: Path) -> Path:
        return final.with_name(f".{final.name}{self.tag}")

    def __enter__(self) -> TableWriter:
        import pyarrow.parquet as pq

        self.out_dir.mkdir(parents=True, exist_ok=True)
        remove_dead_temporaries(self.out_dir)
        for table in TABLES:
            if "csv" in self.formats:
                final = self.out_dir / f"{table}.csv"
                temporary = self.temporary(final)
                handle = open(temporary, "w", encoding="utf-8", newline="")  # noqa: SIM115
                writer = csv.writer(handle)  # RFC 4180: CRLF rows, a bare CR is quoted
                writer.writerow(columns(table))
                self.csv_files[table] = (handle, writer)
                self.paths[temporary] = final
            if "parquet" in self.formats:
                final = self.out_dir / f"{table}.parquet"
                temporary = self.temporary(final)
                self.parquet_writers[table] = pq.ParquetWriter(temporary, arrow_schema(table))
                self.paths[temporary] = final
        return self

    def write(self, table: str, rows: list[dict]) -> None:
        """Queue rows; they reach the files every `FLUSH_ROWS` rows (one Parquet row group
        each), so memory stays bounded and row groups are not tiny."""
        self.counts[table] += len(rows)
        self.pending[table].extend(rows)
        if len(self.pending[table]) >= FLUSH_ROWS:
            self.flush(table)

    def flush(self, table: str) -> None:
        rows, self.pending[table] = self.pending[table], []
        if not rows:
            return
        schema = SCHEMAS[table]
        if table in self.csv_files:
            _, writer = self.csv_files[table]
            writer.writerows(
                [csv_cell(row.get(name), kind) for name, kind in schema] for row in rows
            )
        if table in self.parquet_writers:
            self.parquet_writers[table].write_table(arrow_table(table, rows))

    def close_files(self) -> None:
        for handle, _ in self.csv_files.values():
            handle.close()
        for writer in self.parquet_writers.values():
            writer.close()
        self.csv_files, self.parquet_writers = {}, {}

    def commit(self) -> list[Path]:
        """Rename every table into place, then the manifest, then remove the previous
        run's files that this run did not write."""
        for table in TABLES:
            self.flush(table)
        self.close_files()
        if self.manifest is not None:
            final = self.out_dir / MANIFEST
            temporary = self.temporary(final)
            manifest = self.manifest | {"files": sorted(p.name for p in self.paths.values())}
            temporary.write_text(
                json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            tables_first = list(self.paths.items()) + [(temporary, final)]
        else:
            tables_first = list(self.paths.items())
        for temporary, final in tables_first:
            os.replace(temporary, final)
        kept = {final for _, final in tables_first}
        for stale in previous_run_files(self.out_dir):
            if stale not in kept:
                stale.unlink(missing_ok=True)
        written = sorted(self.paths.values())
        self.paths = {}
        return written

    def abort(self) -> None:
        self.close_files()
        for temporary in self.paths:
            temporary.unlink(missing_ok=True)
        self.paths = {}

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.written = self.commit()
        else:
            self.abort()


def previous_run_files(folder: Path) -> list[Path]:
    """The files of a run that may be in ``folder``: every table in every format, the
    manifest and `RUN_FILES`."""
    names = [f"{t}.{f}" for t in TABLES for f in FORMATS] + [MANIFEST, *RUN_FILES]
    return [folder / name for name in names if (folder / name).exists()]


def has_tables(folder: str | os.PathLike) -> bool:
    folder = Path(folder)
    return any((folder / f"{t}.{f}").is_file() for t in TABLES for f in FORMATS)


def read_table(path: str | os.PathLike, table: str):
    """A written table back as a DataFrame with the declared types (from Parquet if
    present, else CSV). List cells are Python lists, dates ``datetime64[s]``."""
    import pandas as pd
    import pyarrow.parquet as pq

    folder = Path(path)
    schema = SCHEMAS[table]
    if (folder / f"{table}.parquet").exists():
        df = pq.read_table(folder / f"{table}.parquet").to_pandas(date_as_object=False)
        for name, kind in schema:
            if name not in df.columns:
                continue
            if kind == LIST:
                df[name] = [[] if v is None else list(v) for v in df[name]]
            elif kind in (INT, DATE):
                df[name] = df[name].astype(PANDAS_TYPES[kind])
        return df
    df = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    for name, kind in schema:
        if name not in df.columns:
            continue
        if kind == INT:
            df[name] = pd.array([int(v) if v != "" else None for v in df[name]], dtype="Int64")
        elif kind == LIST:
            df[name] = [v.split("|") if v else [] for v in df[name]]
        elif kind == DATE:
            df[name] = pd.Series([v or None for v in df[name]], dtype=PANDAS_TYPES[DATE])
        else:
            df[name] = [v if v != "" else None for v in df[name]]
    return df


# ------------------------------------------------------------------------- documentation


def markdown() -> str:
    """docs/tables.md: every table and column, with its type and meaning, from the one
    declaration (``python -m pipeline.tables --markdown > docs/tables.md``)."""
    lines = [
        "# Output tables",
        "",
        "<!-- Generated by `python -m pipeline.tables --markdown > docs/tables.md` from the",
        "declaration in pipeline/tables.py; tests/test_tables.py fails when they differ. -->",
        "",
        "Written to `outputs/` (or `--out`) as `<table>.csv` and `<table>.parquet`, with",
        "`run.json` describing the run. Types: "
        + "; ".join(f"`{kind}` {meaning}" for kind, meaning in KIND_NAMES.items())
        + ". In CSV a list is `|`-joined, a date is `YYYY-MM-DD`, a null is an empty cell.",
        "",
    ]
    for table in TABLE_DECLARATIONS:
        lines += [
            f"## `{table.name}`",
            "",
            table.doc,
            "",
            "| column | type | meaning |",
            "|---|---|---|",
        ]
        lines += [f"| `{c.name}` | {c.kind} | {c.doc.replace('|', '/')} |" for c in table.columns]
        lines.append("")
    return "\n".join(lines) + "\n" + NOTES


NOTES = """## Notes

- **Unique `doc_id`.** Two documents that would get the same id (`a.txt` and `a.md`, two
  JSONL rows with the same `id`) never share it: documents are read in a stable order
  (files sorted by relative path, rows in file order); the first keeps the id, a later
  one keeps its extension (`a.txt`) or its line (`<id>:<line>`), with a `:2`, `:3`...
  suffix should that clash too, and its `documents.message` says so.
- **Dates.** `doc_date`, a DATE mention's `norm` and `events.date` keep the precision the
  text gives (`2024`, `2024-03`, `2024-03-12`); beside each, `*_start` and `*_end` are the
  first and last day it covers and `*_precision` says which of `year`, `month`, `day` it
  is. In `mentions` they are named `date_start`, `date_end`, `date_precision` (null for
  other labels). A metadata date (JSONL/CSV/Parquet `date`, or the `date` of a record)
  may be `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `DD/MM/YYYY`, `12 mars 2024` or an ISO
  timestamp; anything else is kept as text in `doc_date`, with null `doc_date_start`,
  and a `documents.message`.
- **Actors' counts.** `n_mentions` counts mentions, `n_events` event rows, `n_docs`
  documents where the actor has either. An actor named only in events has `n_mentions` 0.
- **Joins.** `mentions`, `events`, `equipment` and `errors` join `documents` on `doc_id`;
  `equipment.event_id` joins `events.event_id` (each equipment row names at most one
  event, so a left join keeps one row per equipment mention; `equipment.event_ids` lists
  every event of the mention, for `UNNEST`/`explode`); `events.source` and
  `events.target` join `actors.actor_id`.
- **`run.json`.** Package and model versions, a fingerprint of `pipeline/data/`, the
  corpus path, the options, start and end times (UTC), rows per table, documents per
  status, and `status`: `ok`, or `failures` when some document did not come out `ok`.
  A run removes from `--out` the tables of a format it did not write and a stale
  `report.html`, so the folder holds one run.

```sql
-- DuckDB: deliveries since 2024 with their equipment
SELECT e.doc_id, e.source, e.target, e.date, q.model, q.category, q.quantity
FROM 'outputs/events.parquet' e
LEFT JOIN 'outputs/equipment.parquet' q USING (event_id)
WHERE e.type = 'DELIVERY' AND e.date_start >= DATE '2024-01-01';
```
"""


if __name__ == "__main__":
    if sys.argv[1:] != ["--markdown"]:
        sys.exit("usage: python -m pipeline.tables --markdown")
    sys.stdout.write(markdown())
