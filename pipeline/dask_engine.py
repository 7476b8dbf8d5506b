"""The Dask engine: the same stages on a `dask.distributed` cluster, results in input order.

Documents are read here, on the client, and sent to the workers in batches; each worker
process loads the model once (on its first batch) and sends back plain records
(`pipeline.types.Extraction`). Batches are resolved in the order they were submitted and
at most ``window`` of them are in flight at any time, so the client's memory stays flat
however long the corpus, and the tables are the same row for row as the local engine's.

With no scheduler address a `LocalCluster` of ``workers`` single-threaded processes is
started on loopback (no dashboard) and closed at the end. With an address
(``tcp://HOST:8786``) the cluster is someone else's: this module only connects to it.
See ``docs/dask.md`` for running on several machines.

Only this module imports Dask; the local engine (`pipeline.engines`) never does.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator

from pipeline.engines import BATCH_SIZE, batches
from pipeline.types import Document, Extraction

BATCHES_PER_THREAD = 2  # in flight per worker thread: one running, one queued

_processor = None  # one per worker process, made on the first batch it receives
_processor_patterns: list[dict] = []  # the extra patterns it was loaded with
_processor_lock = threading.Lock()  # a worker with several threads shares one model


def extractions(documents: Iterable[Document], *, scheduler: str | None = None,
                workers: int = 2, batch_size: int = BATCH_SIZE,
                window: int | None = None, patterns: Iterable = ()) -> Iterator[Extraction]:
    """Extractions of ``documents``, in their order, computed on a Dask cluster.

    scheduler: address of a running scheduler (``tcp://HOST:8786``); None starts a local
        cluster of ``workers`` processes on 127.0.0.1 for the duration of the run.
    workers: number of worker processes of the local cluster (ignored with a scheduler).
    batch_size: documents per task, and per spaCy batch inside a worker.
    window: most batches in flight at once; by default two per worker thread.
    patterns: extra entity-ruler patterns (files or objects); files are read here, on the
        client, and the workers get the pattern objects.
    """
    from dask.distributed import Client, LocalCluster

    from pipeline.components.entity_ruler import pattern_entries

    entries = pattern_entries(patterns)

    if scheduler is None:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=None) as cluster, \
                Client(cluster) as client:
            yield from _run(client, documents, batch_size, window, entries)
    else:
        with Client(scheduler) as client:
            yield from _run(client, documents, batch_size, window, entries)


def _run(client, documents: Iterable[Document], batch_size: int,
         window: int | None, patterns: list[dict] | None = None) -> Iterator[Extraction]:
    """Submits batches, keeps at most ``window`` in flight, yields them in order."""
    if window is None:
        threads = sum(client.nthreads().values()) or 1
        window = BATCHES_PER_THREAD * threads
    pending: deque = deque()
    try:
        for batch in batches(documents, batch_size):
            # pure=False: two batches with equal texts are still two tasks
            args = (batch, batch_size, patterns) if patterns else (batch, batch_size)
            pending.append(client.submit(process_batch, *args, pure=False))
            if len(pending) >= window:
                yield from _take(pending)
        while pending:
            yield from _take(pending)
    finally:
        if pending:  # stopped early (error or the caller closed the generator)
            client.cancel(list(pending))


def _take(pending: deque) -> list[Extraction]:
    future = pending.popleft()
    try:
        return future.result()
    finally:
        future.release()


def process_batch(
    batch: list[Document], batch_size: int = BATCH_SIZE, patterns: list[dict] | None = None
) -> list[Extraction]:
    """Runs on a worker: the batch through this process's Processor (loaded once, and
    again when a run brings other patterns: a cluster outlives runs)."""
    global _processor, _processor_patterns
    patterns = patterns or []
    with _processor_lock:
        if _processor is None or _processor_patterns != patterns:
            from pipeline.process import Processor

            _processor = Processor(batch_size=batch_size, patterns=patterns)
            _processor_patterns = patterns
        return list(_processor.process(batch))
