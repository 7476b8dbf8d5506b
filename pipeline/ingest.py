"""Ingest: find the articles under a path and turn each into a `Document` (SPEC section 1).

Nothing here raises for a bad input: an unreadable, empty, binary or undecodable article
becomes a Document whose ``status`` says why, and a bad row of a JSONL/CSV file becomes a
Document with status ``error``. Only a path that does not exist is the caller's mistake.

Every stream of Documents that leaves this module has unique ids (`unique_ids`), and
metadata dates are read in the usual forms (`metadata_date`); what cannot be read is kept
and said in ``Document.message``, never dropped silently.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from pipeline.language import looks_french
from pipeline.types import Document

TEXT_SUFFIXES = {".txt", ".md"}
ROW_SUFFIXES = {".jsonl", ".csv", ".parquet"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | ROW_SUFFIXES

# `date 2024-11` or `date 2024-11-28`, possibly after spaces, possibly followed by the
# first sentence on the same line.
DATE_PREFIX = re.compile(r"\A\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)(?![\d-])[ \t]*(?:\r?\n)?[ \t]*")
ISO_DATE = re.compile(r"\A\d{4}-\d{2}(?:-\d{2})?\Z")
BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
SURROGATE = re.compile("[\ud800-\udfff]")  # lone halves: JSON "\\ud800", undecodable file names
DAY_FIRST = re.compile(r"\A(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\Z")  # 12/03/2024
ISO_TIMESTAMP = re.compile(r"\A(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")  # 2024-03-12T10:00Z
WORDS_DATE = re.compile(r"\A(?:(\w+)\s+)?(\d{1,2})(?:er)?\s+(\w+\.?)\s+(\d{4})\Z")  # 12 mars 2024
RUN_MANIFEST = "run.json"  # marks an output folder (pipeline.tables.MANIFEST)
ROW_NUMBER = re.compile(r"[:\s](\d+)>?\Z")
DATES_VOCABULARY = Path(__file__).parent / "data" / "dates_fr.json"
MAX_CSV_CELL = 1 << 26  # characters
MAX_CONTROL_RATIO = 0.01  # more control characters than this: binary, not text


class CorpusNotFound(FileNotFoundError):
    """The path given to `read_corpus` does not exist."""


def read_corpus(path: str | os.PathLike) -> Iterator[Document]:
    """Every document under ``path`` (a folder, searched recursively, or one file), in a
    stable order: files sorted by relative path, rows in file order; ids unique."""
    root = Path(path)
    if not root.exists():
        raise CorpusNotFound(f"no such file or folder: {root}")
    return unique_ids(read_documents(root))


def read_documents(root: Path) -> Iterator[Document]:
    if root.is_file():
        yield from read_file(root, root.parent)
        return
    for file in iter_files(root):
        yield from read_file(file, root)


def iter_files(root: Path) -> Iterator[Path]:
    """Article files below ``root``, sorted, without following directory links (so a link
    loop cannot trap the walk), skipping hidden files and folders, and the output folders
    of earlier runs (a folder below the root holding ``run.json``): ``extract corpus/
    --out corpus/tables/`` must not read its own tables as articles the next time."""
    found: list[Path] = []
    folders = [root]  # a stack, not recursion (os.walk's): folders may nest any depth
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:  # an unreadable folder is skipped, as os.walk does
            continue
        if folder != root and any(e.name == RUN_MANIFEST and e.is_file() for e in entries):
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if is_folder(entry):  # a link to a folder is not walked
                if not entry.is_symlink():
                    folders.append(Path(entry.path))
            else:  # files, and links that lead nowhere (read_file reports them)
                found.append(Path(entry.path))
    yield from sorted(found, key=lambda p: p.relative_to(root).as_posix())


def unique_ids(documents: Iterable[Document]) -> Iterator[Document]:
    """The documents with no two sharing a ``doc_id``, deterministically: the first keeps
    its id; a later one takes its source's extension (``a.txt`` beside ``a.md``) or its
    line (``<id>:<line>``, a JSONL/CSV row), then a ``:2``, ``:3``... suffix should that
    clash too. ``Document.message`` records the renaming."""
    taken: set[str] = set()
    for document in documents:
        original = document.doc_id
        if original in taken:
            document.doc_id = free_id(document, taken)
            note(document, f"doc_id {original!r} was taken by an earlier document")
        taken.add(document.doc_id)
        yield document


def free_id(document: Document, taken: set[str]) -> str:
    source, doc_id = document.source, document.doc_id
    line = ROW_NUMBER.search(source)  # `a.jsonl:3`, `<record 3>`
    if line:
        candidate = f"{doc_id}:{line.group(1)}"
    elif source and source != doc_id and not source.startswith("<"):
        candidate = source  # the relative path, extension kept
    else:
        candidate = f"{doc_id}:2"
    base, n = candidate, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}:{n}"
    return candidate


def note(document: Document, message: str) -> None:
    """Add a message to a Document (an ok document may carry one: a repaired input)."""
    document.message = f"{document.message}; {message}" if document.message else message


def is_folder(entry: os.DirEntry) -> bool:
    """Is the entry a folder, following links (a link loop is not)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def without_surrogates(text: str) -> str:
    """``text`` with lone surrogate halves (which no UTF-8 file can hold) as U+FFFD."""
    return SURROGATE.sub("\ufffd", text)


def printable_name(relative: str) -> str:
    """A file name as text the tables can hold: bytes that are not UTF-8 (kept by Python
    as surrogates) are written as ``\\xff`` escapes."""
    return os.fsencode(relative).decode("utf-8", "backslashreplace")


def read_file(file: Path, root: Path) -> Iterator[Document]:
    relative = printable_name(file.relative_to(root).as_posix())
    suffix, stem = printable_name(file.suffix).lower(), printable_name(file.stem)
    doc_id = relative[: -len(suffix)] if suffix else relative
    if suffix not in SUPPORTED_SUFFIXES:
        yield failed(doc_id, relative, "error", f"unsupported file type {suffix or '(none)'}")
        return
    try:
        regular = stat.S_ISREG(file.stat().st_mode)  # follows links
        data = file.read_bytes() if regular else b""
    except OSError as exc:
        yield failed(doc_id, relative, "error", f"cannot read file: {exc.strerror or exc}")
        return
    if not regular:  # reading a pipe waits for a writer; /dev/zero never ends
        yield failed(doc_id, relative, "error", "not a regular file (device, pipe or socket)")
        return
    if suffix in TEXT_SUFFIXES:
        yield from_bytes(data, doc_id=doc_id, source=relative)
    elif suffix == ".jsonl":
        yield from read_jsonl(data, stem, relative)
    elif suffix == ".csv":
        yield from read_csv(data, stem, relative)
    else:
        yield from read_parquet(data, stem, relative)


def failed(doc_id: str, source: str, status: str, message: str, sha256: str = "") -> Document:
    return Document(
        doc_id=doc_id,
        source=source,
        text="",
        encoding=None,
        status=status,
        message=message,
        sha256=sha256,
    )


def from_bytes(data: bytes, *, doc_id: str, source: str) -> Document:
    """A Document from the raw bytes of one article file."""
    digest = hashlib.sha256(data).hexdigest()
    text, encoding = decode(data)
    if text is None:
        return failed(doc_id, source, "undecodable", encoding, digest)
    document = from_text(text, doc_id=doc_id, source=source)
    document.encoding = encoding
    document.sha256 = digest
    return document


def from_text(
    text: str,
    *,
    doc_id: str,
    source: str,
    doc_date: str | None = None,
    metadata: dict | None = None,
) -> Document:
    """A Document from decoded text: reads the ``date`` prefix and sets the status."""
    text = without_surrogates(text)
    body_start = 0
    match = DATE_PREFIX.match(text)
    if match and valid_iso(match.group(1)):
        body_start = match.end()
        doc_date = doc_date or match.group(1)
    document = Document(
        doc_id=doc_id,
        source=source,
        text=text,
        doc_date=doc_date,
        body_start=body_start,
        metadata=metadata or {},
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
    body = text[body_start:]
    if not body.strip():
        document.status, document.message = "empty", "no article text"
    elif control_ratio(body) > MAX_CONTROL_RATIO:
        document.status, document.message = "undecodable", "binary content"
    elif not looks_french(body):
        document.status, document.message = "not_french", "article does not look French"
    return document


def decode(data: bytes) -> tuple[str | None, str]:
    """(text, encoding), or (None, reason) when the bytes are not text."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return None, f"invalid {encoding} after a byte-order mark"
    if b"\x00" in data:
        return None, "binary content (NUL bytes)"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes as detect

    best = detect(data).best()
    if best is None:
        return None, "no text encoding fits these bytes"
    encoding = french_encoding(best.encoding)
    return data.decode(encoding, errors="replace"), encoding


def french_encoding(detected: str) -> str:
    """Single-byte Western encodings are near-indistinguishable on short French text;
    cp1252 (a superset of latin-1's printable range) decodes all of them the way French
    sites and Windows exports meant."""
    western = {
        "latin_1",
        "iso8859_1",
        "iso8859_15",
        "cp1252",
        "cp1250",
        "mac_roman",
        "iso8859_2",
        "cp850",
        "cp437",
    }
    return "cp1252" if detected.replace("-", "_").lower() in western else detected


def control_ratio(text: str) -> float:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls / max(1, len(text))


def valid_iso(value: str) -> bool:
    if not ISO_DATE.match(value):
        return False
    try:
        date.fromisoformat(value if len(value) == 10 else value + "-01")
    except ValueError:
        return False
    return True


def row_document(row: dict, *, default_id: str, source: str) -> Document:
    """A Document from one JSONL/CSV/Parquet record."""
    doc_id = without_surrogates(str(row.get("id") or row.get("doc_id") or default_id))
    text = row.get("text")
    if not isinstance(text, str):
        return failed(
            doc_id,
            source,
            "empty" if text in (None, "") else "error",
            "row has no text" if text in (None, "") else "text is not a string",
        )
    doc_date, problem = metadata_date(row.get("date"))
    metadata = {k: v for k, v in row.items() if k not in {"id", "doc_id", "text", "date"}}
    document = from_text(text, doc_id=doc_id, source=source, doc_date=doc_date, metadata=metadata)
    document.encoding = "utf-8"
    if problem:
        note(document, problem)
    return document


def metadata_date(value) -> tuple[str | None, str | None]:
    """(doc_date, problem) of a metadata date: ISO (``2024-03-12``, ``2024-03``,
    ``2024``, a timestamp), ``12/03/2024`` (day first, as French writes it), ``12 mars
    2024`` (``mardi 12 mars 2024``, ``1er mars 2024``), or a date object. Anything else
    is kept as the text given, with a problem to report."""
    if value is None or (isinstance(value, str) and not value.strip()) or value != value:
        return None, None  # (a missing value of pandas, NaN or NaT, is not equal to itself)
    if isinstance(value, datetime | date):  # Parquet dates and timestamps, pandas Timestamps
        try:
            return value.strftime("%Y-%m-%d"), None
        except ValueError:
            pass
    text = without_surrogates(str(value)).strip()
    if text.isdigit() and len(text) == 4:
        return text, None
    candidates = [text]
    if m := ISO_TIMESTAMP.match(text):
        candidates.append(m.group(1))
    if m := DAY_FIRST.match(text):
        candidates.append(f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}")
    if (m := WORDS_DATE.match(text.lower())) and (month := french_months().get(m.group(3))):
        weekday_ok = m.group(1) is None or m.group(1) in french_weekdays()
        if weekday_ok:
            candidates.append(f"{m.group(4)}-{month:02d}-{int(m.group(2)):02d}")
    for candidate in candidates:
        if valid_iso(candidate):
            return candidate, None
    return text, f"date {text!r} is not a valid date; kept as text"


@lru_cache(maxsize=1)
def date_vocabulary() -> dict:
    return json.loads(DATES_VOCABULARY.read_text(encoding="utf-8"))


def french_months() -> dict[str, int]:
    return date_vocabulary()["months"]


def french_weekdays() -> set[str]:
    weekdays = date_vocabulary()["weekdays"]
    return set(weekdays)


def read_jsonl(data: bytes, stem: str, relative: str) -> Iterator[Document]:
    text, encoding = decode(data)
    if text is None:
        yield failed(stem, relative, "undecodable", encoding)
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        default_id, source = f"{stem}:{number}", f"{relative}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield failed(default_id, source, "error", f"malformed JSON: {exc.msg}")
            continue
        if not isinstance(row, dict):
            yield failed(default_id, source, "error", "line is not a JSON object")
            continue
        yield row_document(row, default_id=default_id, source=source)


def read_csv(data: bytes, stem: str, relative: str) -> Iterator[Document]:
    text, encoding = decode(data)
    if text is None:
        yield failed(stem, relative, "undecodable", encoding)
        return
    # the default cell limit (128 KiB) is less than a long article
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_CELL))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "text" not in reader.fieldnames:
        yield failed(stem, relative, "error", "CSV file has no 'text' column")
        return
    try:
        for number, row in enumerate(reader, start=2):  # line 1 is the header
            yield row_document(row, default_id=f"{stem}:{number}", source=f"{relative}:{number}")
    except csv.Error as exc:
        yield failed(stem, relative, "error", f"malformed CSV: {exc}")


def read_parquet(data: bytes, stem: str, relative: str) -> Iterator[Document]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(pa.BufferReader(data))  # the bytes already read, not the file again
    except Exception as exc:  # pyarrow raises several unrelated types for bad files
        yield failed(stem, relative, "error", f"unreadable Parquet file: {exc}")
        return
    if "text" not in table.column_names:
        yield failed(stem, relative, "error", "Parquet file has no 'text' column")
        return
    for number, row in enumerate(table.to_pylist(), start=1):
        yield row_document(row, default_id=f"{stem}:{number}", source=f"{relative}:{number}")


def from_texts(texts: Iterable[str | dict | Document]) -> Iterator[Document]:
    """Documents for the library API, ids unique: plain strings get ids ``text:N``;
    records (``{"id", "text", "date"}``, ``doc_id`` accepted for ``id``) are read as a
    JSONL row would be, with ``text:N`` as the default id."""
    return unique_ids(_from_items(texts))


def _from_items(texts: Iterable[str | dict | Document]) -> Iterator[Document]:
    for number, item in enumerate(texts, start=1):
        if isinstance(item, Document):
            yield item
        elif isinstance(item, dict):
            yield row_document(item, default_id=f"text:{number}", source=f"<record {number}>")
        elif isinstance(item, str):
            yield from_text(item, doc_id=f"text:{number}", source=f"<text {number}>")
        else:
            raise TypeError(
                f"item {number} is a {type(item).__name__}: give texts (str), records "
                '({"id", "text", "date"}) or Documents'
            )
