"""Engines: where the stages run. Local, in this process or in worker processes.

The model is loaded once in this process and worker processes are forked from it
(sharing its memory), or, where fork is missing, each spawned worker loads it; workers take
batches of documents; results come
back in input order, so the tables are the same row for row whatever the number of
workers, and at most two batches per worker are in flight, so memory stays flat.
"""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

from pipeline.types import Document, Extraction

BATCH_SIZE = 16
_processor = None  # one per worker process


def extractions(
    documents: Iterable[Document],
    *,
    workers: int = 1,
    nlp=None,
    batch_size: int = BATCH_SIZE,
    patterns: Iterable = (),
) -> Iterator[Extraction]:
    """``patterns``: extra entity-ruler patterns (files or objects), see
    `pipeline.components.entity_ruler`."""
    from pipeline.process import Processor

    patterns = list(patterns)
    if workers <= 1:
        yield from Processor(nlp, batch_size=batch_size, patterns=patterns).process(documents)
        return
    import multiprocessing

    global _processor
    if "fork" in multiprocessing.get_all_start_methods():
        # Load the model once, here; forked workers share its memory pages.
        _processor = Processor(nlp, batch_size=batch_size, patterns=patterns)
        pool_args: dict = {
            "context": multiprocessing.get_context("fork"),
            "initializer": default_signals,
        }
    else:  # each spawned worker loads its own copy
        pool_args = {
            "context": multiprocessing.get_context("spawn"),
            "initializer": _start_worker,
            "initargs": (batch_size, patterns),
        }
    context = pool_args.pop("context")
    in_flight: deque = deque()  # bounded, unlike Pool.imap, which reads all input at once
    with context.Pool(workers, **pool_args) as pool:
        for batch in batches(documents, batch_size):
            in_flight.append(pool.apply_async(_process_batch, (batch,)))
            if len(in_flight) >= 2 * workers:
                yield from in_flight.popleft().get()
        while in_flight:
            yield from in_flight.popleft().get()


def batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(documents)
    while batch := list(islice(iterator, size)):
        yield batch


def default_signals() -> None:
    """In a worker: SIGTERM kills at once and SIGINT is left to the parent. Handlers that
    raise KeyboardInterrupt (the CLI's, inherited through fork) would run the worker's
    Python clean-up when the pool stops it, which can wait forever on a queue lock that
    a sibling held when it was stopped."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_worker(batch_size: int, patterns: list) -> None:
    global _processor
    from pipeline.process import Processor

    default_signals()
    _processor = Processor(batch_size=batch_size, patterns=patterns)


def _process_batch(batch: list[Document]) -> list[Extraction]:
    return list(_processor.process(batch))
