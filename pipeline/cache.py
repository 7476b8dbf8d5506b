"""The result cache: what each document gave, kept under the output folder, so that the
next run over a grown corpus extracts only its new and changed documents.

Layout, in ``<out>/.cache/``:

- ``segments/<run>.jsonl``: one JSON line per document result (its text, sentences,
  mentions, events, errors), appended as documents are extracted; never rewritten.
- ``index.json``: the live entries, ``key -> [segment, offset, length, digest, source]``,
  with the fingerprint, the corpus root and the record schema they were made under.
  Replaced atomically (temporary file, fsync, rename), so it is always whole.
- ``lock``: held (``flock``) by the run using the cache; a lock dies with its process.

A document's key (`document_key`) is a hash of its source path, its ``sha256``, what else
reaches the extraction (its date, where its body starts, its length) and the options that
change results. The fingerprint (`fingerprint`) hashes everything else that can change an
extraction: package, model, spaCy and Python versions, ``pipeline/data/``, the
``--patterns`` files or objects, the pipeline's source code and this module's record
format.

Why the cache is never a source of wrong tables:

- a different fingerprint or corpus root, an unreadable index or another record schema
  discards the whole cache (the run extracts every document and writes a new cache);
- a run adds lines to a new segment and only then (`checkpoint`, every
  `CHECKPOINT_SECONDS`, and when it stops) publishes them in a new index: a run killed at
  any point, ``kill -9`` included, leaves the previous index or a checkpoint, each of which
  names only lines written whole (flushed and fsynced before the index that names them);
- every entry is checked against the digest the index holds before it is used, and an
  entry is stored only if it reads back equal to the result it was made from;
- documents that failed in processing are not stored: a later run tries them again, as a
  full run would.

Only documents that ingest left ``ok`` go through the cache; the others cost no model time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
import types
import typing
import uuid
from collections.abc import Iterable
from dataclasses import fields
from functools import cache
from pathlib import Path

from pipeline.types import Document, Event, Extraction, Mention, Sentence

FORMAT = 1  # the record format of segments and index; change it when either changes
CACHE_DIR = ".cache"
INDEX = "index.json"
SEGMENTS = "segments"
LOCK = "lock"
# how often a run publishes what it has extracted so far (a killed run loses at most this)
CHECKPOINT_SECONDS = float(os.environ.get("EXTRACT_CACHE_CHECKPOINT_SECONDS", "10"))
# a complete run rewrites the live entries into one segment past this many segments, or
# when dead entries (changed and removed documents) outweigh live ones
MAX_SEGMENTS = 16
COMPACT_BYTES = 1 << 20
RECORDS = {"sentences": Sentence, "mentions": Mention, "events": Event}
SCHEMA = {name: [f.name for f in fields(cls)] for name, cls in RECORDS.items()}


class CacheError(RuntimeError):
    """The cache changed under a running run (it holds the lock: someone else wrote)."""


class CacheBusy(RuntimeError):
    """Another run holds the cache's lock (two runs into one --out at once)."""


def fingerprint(
    started: dict,
    nlp=None,
    patterns: Iterable = (),
    options: dict | None = None,
) -> str:
    """What an extraction depends on besides the document itself, as one hash: the run
    manifest's versions, data fingerprint and code fingerprint (`pipeline.manifest.started`),
    the extra patterns (``--patterns`` files by their bytes, pattern objects by their
    JSON), the Python version, the record format and the options that change results. A
    model given by the caller (``nlp``) counts by its name and version: a caller who adds
    patterns or components to it passes them here too, or runs with ``full``."""
    model, model_version = started.get("model"), started.get("model_version")
    if nlp is not None:
        meta = getattr(nlp, "meta", {}) or {}
        model = f"{meta.get('lang')}_{meta.get('name')}"
        model_version = meta.get("version")
    parts = {
        "format": FORMAT,
        "schema": SCHEMA,
        "package_version": started.get("package_version"),
        "model": model,
        "model_version": model_version,
        "spacy_version": started.get("spacy_version"),
        "data_fingerprint": started.get("data_fingerprint"),
        "code_fingerprint": started.get("code_fingerprint"),
        "patterns": [pattern_fingerprint(item) for item in patterns],
        "python": "{}.{}".format(*sys.version_info[:2]),
        "options": options or {},
    }
    return sha256_text(json.dumps(parts, sort_keys=True, ensure_ascii=True))


def pattern_fingerprint(item) -> list[str]:
    """A patterns file by its name and bytes, a pattern object by its JSON."""
    if isinstance(item, str | os.PathLike):
        return [os.fspath(item), hashlib.sha256(Path(item).read_bytes()).hexdigest()]
    return ["object", sha256_text(json.dumps(item, sort_keys=True, default=repr))]


def document_key(document: Document) -> str:
    """The key of one document's result: everything of the document that reaches the
    extraction (the text through its ``sha256``) and its source path."""
    described = [
        document.source,
        document.sha256,
        document.doc_date,
        document.body_start,
        len(document.text),
    ]
    return sha256_text(json.dumps(described, ensure_ascii=True))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def corpus_root(source) -> str | None:
    """The corpus a cache belongs to: the real path of a folder or file; None for texts
    given in memory (they get no cache)."""
    if isinstance(source, str | os.PathLike):
        return os.fsencode(os.path.realpath(source)).decode("utf-8", "backslashreplace")
    return None


# ---------------------------------------------------------------------------- records


def encode(extraction: Extraction) -> dict:
    """One document's result as JSON values: each record a list of its fields' values
    (`SCHEMA` gives the order); a sentence's text is left out when it is the document's
    text at its offsets."""
    text = extraction.document.text
    sentences = [
        [s.sent_id, s.start, s.end, None if text[s.start : s.end] == s.text else s.text]
        for s in extraction.sentences
    ]
    return {
        "text": text,
        "sentences": sentences,
        "mentions": [values(m) for m in extraction.mentions],
        "events": [values(e) for e in extraction.events],
        "errors": [list(error) for error in extraction.errors],
    }


def decode(record: dict, document: Document) -> Extraction:
    """The `Extraction` of ``record`` for ``document`` (the document as read this run:
    its id and messages are this run's)."""
    document.text = record["text"]
    text = document.text
    sentences = [
        Sentence(i, start, end, text[start:end] if own is None else own)
        for i, start, end, own in record["sentences"]
    ]
    return Extraction(
        document=document,
        sentences=sentences,
        mentions=[build(Mention, v) for v in record["mentions"]],
        events=[build(Event, v) for v in record["events"]],
        errors=[tuple(error) for error in record["errors"]],
    )


def values(record) -> list:
    return [getattr(record, f.name) for f in fields(record)]


def build(cls, row: list):
    """A record from its field values; the fields JSON cannot hold as declared (tuples)
    are converted back (`thaw`)."""
    names, to_thaw = record_fields(cls)
    if len(row) != len(names):
        raise ValueError(f"a {cls.__name__} record of {len(row)} values, not {len(names)}")
    if to_thaw:
        row = list(row)
        for i, hint in to_thaw:
            row[i] = thaw(row[i], hint)
    return cls(*row)


@cache
def record_fields(cls) -> tuple[tuple[str, ...], tuple[tuple[int, object], ...]]:
    """A record type's field names, and (position, type) of those `thaw` must convert."""
    hints = typing.get_type_hints(cls)
    names = tuple(f.name for f in fields(cls))
    return names, tuple((i, hints[n]) for i, n in enumerate(names) if holds_tuple(hints[n]))


def holds_tuple(hint) -> bool:
    origin = typing.get_origin(hint)
    if origin is tuple:
        return True
    return origin in (typing.Union, types.UnionType) and any(
        holds_tuple(a) for a in typing.get_args(hint)
    )


def thaw(value, hint):
    """A JSON value back to the declared type: lists become the tuples they were."""
    if value is None:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple and isinstance(value, list):
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(thaw(v, args[0]) for v in value)
        return tuple(thaw(v, a) for v, a in zip(value, args, strict=True))
    if origin in (typing.Union, types.UnionType):
        non_null = [a for a in args if a is not type(None)]
        if len(non_null) == 1:
            return thaw(value, non_null[0])
    return value


# ---------------------------------------------------------------------------- the store


class ResultCache:
    """The cache of one output folder, for one run. Use as a context manager:

        with ResultCache(out, fingerprint, root, full=False) as cache:
            hit = cache.lookup(document)            # None: extract it, then
            cache.store(extraction)                 # ... else
            extraction = cache.restore(hit, document)
            cache.commit()                          # the run is complete

    Leaving the block without `commit` (an exception, an interrupt) publishes what was
    extracted so far with the previous entries, for the next run to use."""

    def __init__(self, out_dir, fingerprint: str, corpus: str, *, full: bool = False):
        self.folder = Path(out_dir) / CACHE_DIR
        self.fingerprint = fingerprint
        self.corpus = corpus
        self.full = full
        self.previous: dict[str, list] = {}  # entries of the index found
        self.new: dict[str, list] = {}  # entries stored by this run
        self.used: set[str] = set()  # previous entries this run restored
        self.sources: set[str] = set()  # sources seen this run
        self.discarded: str | None = None  # why the previous entries are not used
        self.reused = self.processed = 0
        self.dropped = 0
        self.segment = None  # this run's segment file, opened at the first store
        self.segment_name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:12]}.jsonl"
        self.readers: dict[str, object] = {}
        self.last_checkpoint = time.monotonic()
        self.dirty = False
        self.lock = None
        self.committed = False

    # -- opening and closing

    def __enter__(self) -> ResultCache:
        (self.folder / SEGMENTS).mkdir(parents=True, exist_ok=True)
        self.lock = take_lock(self.folder / LOCK)
        if self.lock is None:
            raise CacheBusy(f"another run is using the cache in {self.folder}")
        self.previous, self.discarded = self.read_index()
        return self

    def read_index(self) -> tuple[dict[str, list], str | None]:
        path = self.folder / INDEX
        if not path.exists():
            return {}, "no cache yet"
        if self.full:
            return {}, "--full"
        try:
            index = json.loads(path.read_text(encoding="utf-8"))
            entries = index["entries"]
            fingerprint, corpus = index["fingerprint"], index["corpus"]
            if index.get("format") != FORMAT or index.get("schema") != SCHEMA:
                return {}, "made by another version of the cache"
        except (OSError, ValueError, KeyError, TypeError):
            return {}, "unreadable index"
        if corpus != self.corpus:
            return {}, f"made for another corpus ({corpus})"
        if fingerprint != self.fingerprint:
            return {}, "package, model, data, patterns or code changed"
        if not isinstance(entries, dict):
            return {}, "unreadable index"
        return entries, None

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if not self.committed:
                # keep what was extracted; a failure here must not hide the run's own error
                with contextlib.suppress(OSError) if exc_type else contextlib.nullcontext():
                    self.publish(final=False)
        finally:
            self.close()

    def close(self) -> None:
        for reader in self.readers.values():
            reader.close()
        self.readers = {}
        if self.segment is not None:
            self.segment.close()
            self.segment = None
        if self.lock is not None:
            self.lock.close()  # releases the flock
            self.lock = None

    # -- reading

    def lookup(self, document: Document) -> tuple[str, list] | None:
        """``(key, entry)`` of ``document``'s result if the cache holds it whole; None to
        extract it. Counts the document as reused or processed."""
        self.sources.add(document.source)
        if document.status == "ok":
            key = document_key(document)
            entry = self.previous.get(key)
            if entry is not None and self.read_entry(entry) is not None:
                self.used.add(key)
                self.reused += 1
                return key, entry
        self.processed += 1
        return None

    def read_entry(self, entry) -> bytes | None:
        """An entry's bytes, if its segment holds them with the digest the index gives."""
        try:
            segment, offset, length, digest, _source = entry
            reader = self.readers.get(segment)
            if reader is None:
                if "/" in segment or segment.startswith("."):
                    return None
                reader = self.readers[segment] = open(self.folder / SEGMENTS / segment, "rb")  # noqa: SIM115
            reader.seek(offset)
            data = reader.read(length)
        except (OSError, ValueError, TypeError):
            return None
        if len(data) != length or hashlib.sha256(data).hexdigest()[:32] != digest:
            return None
        return data

    def restore(self, hit: tuple[str, list], document: Document) -> Extraction:
        """The cached result of ``document``, from the ``hit`` `lookup` gave."""
        key, entry = hit
        try:
            record = json.loads(self.read_entry(entry))
            if record["key"] != key:
                raise ValueError("an entry under another key")
            return decode(record, document)
        except (TypeError, ValueError, KeyError) as exc:
            raise CacheError(
                f"the result cache in {self.folder} changed during the run ({exc}); "
                "run again, with --full if it persists"
            ) from None

    # -- writing

    def store(self, extraction: Extraction) -> None:
        """Keep ``extraction`` (just made), if it is one to keep and it reads back equal to
        itself."""
        document = extraction.document
        if document.status != "ok" or extraction.errors:
            return
        key = document_key(document)
        try:
            record = {"key": key, **encode(extraction)}
            line = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            same = decode(json.loads(line), copy_document(document)) == extraction
        except (TypeError, ValueError, KeyError):  # UnicodeEncodeError is a ValueError
            same = False
        if not same:  # a field type the records cannot carry: extracted again next time
            return
        if self.segment is None:
            self.segment = open(self.folder / SEGMENTS / self.segment_name, "ab")  # noqa: SIM115
        offset = self.segment.tell()
        self.segment.write(line + b"\n")
        digest = hashlib.sha256(line).hexdigest()[:32]
        self.new[key] = [self.segment_name, offset, len(line), digest, document.source]
        self.dirty = True
        if time.monotonic() - self.last_checkpoint >= CHECKPOINT_SECONDS:
            self.publish(final=False)

    def commit(self) -> None:
        """The run is complete: the index becomes the entries of this corpus only
        (documents gone or changed are dropped), and segments nobody names are removed."""
        self.dropped = len(
            {entry[4] for entry in self.previous.values() if is_entry(entry)} - self.sources
        )
        self.publish(final=True)
        self.committed = True

    def publish(self, *, final: bool) -> None:
        """Write the index: with ``final``, the entries this run used or made; else (a
        checkpoint, an interrupted run) the previous entries too, so nothing is lost."""
        if not final and not self.dirty:
            return
        if final:
            entries = {k: self.previous[k] for k in self.used} | self.new
            if self.wasteful(entries):
                entries = self.compact(entries)
        else:
            entries = self.previous | self.new
        if self.segment is not None:
            self.segment.flush()
            os.fsync(self.segment.fileno())
        index = {
            "format": FORMAT,
            "fingerprint": self.fingerprint,
            "corpus": self.corpus,
            "schema": SCHEMA,
            "entries": dict(sorted(entries.items())),
        }
        write_atomically(self.folder / INDEX, json.dumps(index))
        self.last_checkpoint, self.dirty = time.monotonic(), False
        if final:
            self.remove_unnamed_segments(entries)

    def wasteful(self, entries: dict[str, list]) -> bool:
        """Do the segments hold more than `MAX_SEGMENTS` files, or more dead bytes (results
        of changed and removed documents) than live ones?"""
        named = {entry[0] for entry in entries.values()}
        if len(named) > MAX_SEGMENTS:
            return True
        live = sum(entry[2] + 1 for entry in entries.values())
        total = 0
        for name in named:
            with contextlib.suppress(OSError):
                total += (self.folder / SEGMENTS / name).stat().st_size
        return total > 2 * live and total > COMPACT_BYTES

    def compact(self, entries: dict[str, list]) -> dict[str, list]:
        """The live entries of older segments copied, bytes as they are, to this run's
        segment; the old segments go once the new index names none of them."""
        moved = {}
        for key, entry in sorted(entries.items(), key=lambda item: item[1][:2]):
            if entry[0] == self.segment_name:
                moved[key] = entry
                continue
            data = self.read_entry(entry)
            if data is None:  # unreadable now: dropped, extracted again next time
                continue
            if self.segment is None:
                self.segment = open(self.folder / SEGMENTS / self.segment_name, "ab")  # noqa: SIM115
            offset = self.segment.tell()
            self.segment.write(data + b"\n")
            moved[key] = [self.segment_name, offset, *entry[2:]]
        return moved

    def remove_unnamed_segments(self, entries: dict[str, list]) -> None:
        named = {entry[0] for entry in entries.values()}
        for path in (self.folder / SEGMENTS).iterdir():
            if path.name not in named:
                if path.name in self.readers:
                    self.readers.pop(path.name).close()
                with contextlib.suppress(OSError):
                    path.unlink()
        for stale in self.folder.glob(f".{INDEX}.*"):  # temporaries of killed runs
            with contextlib.suppress(OSError):
                stale.unlink()

    def counts(self) -> dict:
        """What the cache did, for the summary and run.json."""
        return {
            "reused": self.reused,
            "processed": self.processed,
            "dropped": self.dropped,
            "discarded": self.discarded,
        }


def is_entry(entry) -> bool:
    return isinstance(entry, list) and len(entry) == 5


def copy_document(document: Document) -> Document:
    return Document(
        **{f.name: getattr(document, f.name) for f in fields(Document)}
        | {"metadata": dict(document.metadata)}
    )


def write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    with contextlib.suppress(OSError):  # the rename itself, on filesystems that allow it
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def take_lock(path: Path):
    """An open file holding an exclusive lock on ``path``, or None when another process
    holds it. Where ``fcntl`` is missing (Windows), no lock is taken."""
    handle = open(path, "a+b")  # noqa: SIM115
    try:
        import fcntl
    except ImportError:
        return handle
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle
