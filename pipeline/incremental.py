"""Incremental runs: a corpus's extractions, in corpus order, from the result cache
(`pipeline.cache`) where it holds them and from the engine for the rest.

The order is the corpus order whatever the cache holds, so the rows, and the corpus-wide
tables built from them (`pipeline.corpus_wide`), are the same bytes as a full
run's. The engine reads ahead (batches); cached documents met meanwhile wait in a queue,
as light placeholders (their text is dropped, the cache holds it), and are restored when
their turn comes. The model is not loaded when no document needs it.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import chain

from pipeline.cache import ResultCache, corpus_root, fingerprint
from pipeline.types import Document, Extraction

Engine = Callable[[Iterable[Document]], Iterable[Extraction]]


def extractions(
    documents: Iterable[Document], cache: ResultCache, engine: Engine
) -> Iterator[Extraction]:
    """The extraction of every document, in order: restored from ``cache`` when it holds
    the document's result, else made by ``engine`` (and stored)."""
    waiting: deque = deque()  # (document, hit): hit None for a document the engine has

    def to_extract() -> Iterator[Document]:
        for document in documents:
            hit = cache.lookup(document)
            if hit is None:
                waiting.append((document, None))
                yield document
            else:
                document.text = ""  # the cache holds it; restored with the result
                waiting.append((document, hit))

    pending = to_extract()
    first = next(pending, None)
    if first is not None:
        for extraction in engine(chain([first], pending)):
            while waiting[0][1] is not None:
                yield restored(cache, *waiting.popleft())
            waiting.popleft()
            cache.store(extraction)
            yield extraction
    while waiting:
        yield restored(cache, *waiting.popleft())


def restored(cache: ResultCache, document: Document, hit) -> Extraction:
    return cache.restore(hit, document)


@contextmanager
def cache_for(
    out_dir: str | os.PathLike,
    source,
    started: dict,
    *,
    enabled: bool,
    full: bool = False,
    nlp=None,
    patterns: Iterable = (),
) -> Iterator[ResultCache | None]:
    """The result cache of ``out_dir`` for a run of ``source`` (None when ``enabled`` is
    false or the source is texts in memory, which have no corpus root). ``started`` is
    the run's manifest (`pipeline.manifest.started`): its versions and fingerprints, with
    the ``patterns`` (``--patterns`` files or pattern objects), make the cache's
    fingerprint."""
    root = corpus_root(source)
    if not enabled or root is None or not os.path.exists(root):  # (the run says it is missing)
        yield None
        return
    key = fingerprint(started, nlp, patterns)
    with ResultCache(out_dir, key, root, full=full) as cache:
        yield cache
