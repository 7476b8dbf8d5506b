"""The output tables: columns and types declared once (SPEC section 4), and the writers.

`SCHEMAS` is the one declaration. The CSV writer, the Parquet writer (through an explicit
Arrow schema), the DataFrames of the library API and the tests all read it. A list column
is an Arrow list in Parquet and ``|``-joined text in CSV.

Writes are atomic: every table goes to a temporary file in the output folder and is
renamed into place only when the whole run has finished, so an interrupted run leaves the
previous outputs whole. CSV cells that a spreadsheet would run as a formula are neutralised
(OWASP CSV injection: a leading ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
leading apostrophe); Parquet keeps the original value.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pyarrow as pa

STR, INT, LIST = "str", "int", "list"

SCHEMAS: dict[str, tuple[tuple[str, str], ...]] = {
    "documents": (
        ("doc_id", STR),
        ("source", STR),
        ("encoding", STR),
        ("doc_date", STR),
        ("n_chars", INT),
        ("n_sentences", INT),
        ("status", STR),
        ("sha256", STR),
        ("message", STR),
    ),
    "mentions": (
        ("doc_id", STR),
        ("sent_id", INT),
        ("start", INT),
        ("end", INT),
        ("text", STR),
        ("label", STR),
        ("norm", STR),
        ("category", STR),
        ("model", STR),
        ("method", STR),
    ),
    "actors": (
        ("actor_id", STR),
        ("name", STR),
        ("kind", STR),
        ("country", STR),
        ("wikidata_id", STR),
        ("n_mentions", INT),
        ("n_docs", INT),
        ("aliases", LIST),
    ),
    "events": (
        ("event_id", STR),
        ("doc_id", STR),
        ("sent_id", INT),
        ("type", STR),
        ("source", STR),
        ("target", STR),
        ("date", STR),
        ("location", STR),
        ("equipment", LIST),
        ("plover", STR),
        ("evidence", STR),
        ("sentence", STR),
        ("start", INT),
        ("end", INT),
    ),
    "equipment": (
        ("doc_id", STR),
        ("sent_id", INT),
        ("start", INT),
        ("end", INT),
        ("text", STR),
        ("category", STR),
        ("model", STR),
        ("quantity", INT),
        ("event_id", STR),
    ),
    "errors": (("doc_id", STR), ("source", STR), ("stage", STR), ("message", STR)),
}
TABLES = tuple(SCHEMAS)
FORMATS = ("csv", "parquet")
ARROW_TYPES = {STR: pa.string(), INT: pa.int64(), LIST: pa.list_(pa.string())}
PANDAS_TYPES = {STR: "object", INT: "Int64", LIST: "object"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FLUSH_ROWS = 10_000


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
    too long for it."""
    from pyarrow import json as pa_json

    schema = SCHEMAS[table]
    data = "".join(
        json.dumps({name: row.get(name) for name, _ in schema}, ensure_ascii=False) + "\n"
        for row in rows
    ).encode("utf-8")
    return pa_json.read_json(
        io.BytesIO(data),
        read_options=pa_json.ReadOptions(block_size=max(len(data), 1 << 20)),
        parse_options=pa_json.ParseOptions(
            explicit_schema=arrow_schema(table), unexpected_field_behavior="error"
        ),
    )


def csv_cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == LIST:
        value = "|".join(value)
    elif kind == INT:
        return str(int(value))
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class TableWriter:
    """Streams rows of every table to temporary files; `commit` renames them into place.

    Use as a context manager: leaving the block normally commits, leaving it by an
    exception (including KeyboardInterrupt) removes the temporary files and keeps whatever
    outputs were there before.
    """

    def __init__(self, out_dir: str | os.PathLike, formats=FORMATS):
        self.out_dir = Path(out_dir)
        self.formats = tuple(formats)
        self.paths: dict[Path, Path] = {}  # temporary -> final
        self.csv_files: dict[str, tuple] = {}
        self.parquet_writers: dict[str, object] = {}
        self.counts = dict.fromkeys(TABLES, 0)
        self.pending: dict[str, list[dict]] = {table: [] for table in TABLES}

    def __enter__(self) -> TableWriter:
        import pyarrow.parquet as pq

        self.out_dir.mkdir(parents=True, exist_ok=True)
        tag = f".tmp-{os.getpid()}"
        for table in TABLES:
            if "csv" in self.formats:
                final = self.out_dir / f"{table}.csv"
                temporary = final.with_name(f".{final.name}{tag}")
                handle = open(temporary, "w", encoding="utf-8", newline="")  # noqa: SIM115
                writer = csv.writer(handle)  # RFC 4180: CRLF rows, a bare CR is quoted
                writer.writerow(columns(table))
                self.csv_files[table] = (handle, writer)
                self.paths[temporary] = final
            if "parquet" in self.formats:
                final = self.out_dir / f"{table}.parquet"
                temporary = final.with_name(f".{final.name}{tag}")
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
        for table in TABLES:
            self.flush(table)
        self.close_files()
        for temporary, final in self.paths.items():
            os.replace(temporary, final)
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


def read_table(path: str | os.PathLike, table: str):
    """A written table back as a DataFrame with the declared types (from Parquet if
    present, else CSV)."""
    import pandas as pd
    import pyarrow.parquet as pq

    folder = Path(path)
    if (folder / f"{table}.parquet").exists():
        return (
            pq.read_table(folder / f"{table}.parquet")
            .to_pandas()
            .astype({name: PANDAS_TYPES[kind] for name, kind in SCHEMAS[table] if kind == INT})
        )
    df = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    for name, kind in SCHEMAS[table]:
        if kind == INT:
            df[name] = pd.array([int(v) if v != "" else None for v in df[name]], dtype="Int64")
        elif kind == LIST:
            df[name] = [v.split("|") if v else [] for v in df[name]]
        else:
            df[name] = [v if v != "" else None for v in df[name]]
    return df
