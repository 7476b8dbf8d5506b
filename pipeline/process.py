"""The order of the stages, for a batch of documents.

ingest -> the extract pipeline (`pipeline.nlp`, components in `pipeline.components`) ->
records. Each document's text (after its ``date`` line) is one Doc; an article longer
than `CHUNK_CHARS` is annotated in pieces up to ``extract_entities``, then the pieces are
joined into one Doc for the stages that need the whole document (normalisation, events).
Everything spaCy makes stays inside one ``memory_zone`` per batch; what leaves is plain
records (`pipeline.types`) read from the Docs.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from itertools import islice

from pipeline import components
from pipeline import nlp as model
from pipeline.components import records
from pipeline.types import Document, Extraction, Mention

CHUNK_CHARS = 100_000  # longer articles are processed in pieces, offsets kept


class Processor:
    """Holds the loaded pipeline; turns Documents into Extractions."""

    def __init__(self, nlp=None, *, batch_size: int = 16, patterns: Iterable = ()):
        self.nlp = nlp if nlp is not None else model.load()
        components.add_to(self.nlp)  # a pipeline of the caller's without them
        model.add_patterns(self.nlp, patterns)
        self.batch_size = batch_size
        self.warm_up()

    def warm_up(self) -> None:
        """Run one document now, outside any memory zone, so that the strings every
        document needs (labels...) are in the vocabulary for good: strings added inside a
        zone are freed when the zone closes."""
        sample = Document(
            doc_id="warm-up",
            source="",
            doc_date="2024-01-15",
            text="Le Niger a reçu lundi deux hélicoptères livrés par la Russie.",
        )
        self.process_batch([sample])

    def process(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        """Extractions in the order of the documents, one batch in memory at a time."""
        iterator = iter(documents)
        while batch := list(islice(iterator, self.batch_size)):
            with self.nlp.memory_zone():
                yield from self.process_batch(batch)

    def process_batch(self, batch: list[Document]) -> list[Extraction]:
        results = [Extraction(document=d) for d in batch]
        pieces = [
            (i, offset, text)
            for i, d in enumerate(batch)
            if d.status == "ok"
            for offset, text in chunks(d.text, d.body_start)
        ]
        docs = self.nlp.pipe(
            (self.make_doc(text, batch[i].doc_date) for i, _, text in pieces),
            batch_size=self.batch_size,
            disable=list(components.DOCUMENT_PIPES),
        )
        per_document: dict[int, list] = {}
        for (i, _, _), doc in zip(pieces, docs, strict=True):
            per_document.setdefault(i, []).append(doc)
        whole = {i: join(parts) for i, parts in per_document.items()}
        annotated = list(whole.values())
        for name in components.DOCUMENT_PIPES:
            annotated = run_pipe(self.nlp.get_pipe(name), annotated)
        for i, doc in zip(whole, annotated, strict=True):
            fill(results[i], doc)
        return results

    def make_doc(self, text: str, doc_date: str | None):
        doc = self.nlp.make_doc(text)
        doc._.doc_date = doc_date
        return doc

    def tag(self, doc, offset: int, doc_date: str | None) -> list[Mention]:
        """The entities of a Doc that went through ``senter`` and ``ner``, before
        normalisation, as Mentions with ``offset`` added."""
        doc._.doc_date = doc_date
        start = self.nlp.pipe_names.index(components.PIPES[0])
        end = self.nlp.pipe_names.index(components.DOCUMENT_PIPES[0])
        for name in self.nlp.pipe_names[start:end]:
            doc = self.nlp.get_pipe(name)(doc)
        return records.mentions(doc, [], offset)


def run_pipe(component, docs: list) -> list:
    """A component over a list of Docs, in one batch when it batches."""
    if hasattr(component, "pipe"):
        return list(component.pipe(docs, batch_size=max(1, len(docs))))
    return [component(doc) for doc in docs]


def join(parts: list):
    """One Doc from the annotated pieces of a document (or the one piece)."""
    if len(parts) == 1:
        return parts[0]
    from spacy.tokens import Doc

    with warnings.catch_warnings():  # Doc-level attributes are not carried: set below
        warnings.simplefilter("ignore")
        doc = Doc.from_docs(parts, ensure_whitespace=False)
    doc._.doc_date = parts[0]._.doc_date
    errors = [exc for part in parts for exc in part._.extract_errors or ()]
    doc._.extract_errors = errors or None
    return doc


def fill(result: Extraction, doc) -> None:
    """The records of one annotated Doc, offsets into the document text."""
    if doc._.extract_errors:
        failed(result, doc._.extract_errors[0])
        return
    offset = result.document.body_start
    result.sentences = records.sentences(doc, offset)
    result.mentions = records.mentions(doc, result.sentences, offset)
    result.events = [records.shifted(e, offset) for e in doc._.events or ()]


def failed(result: Extraction, exc: Exception) -> None:
    """Mark a document as failed in processing; it keeps no mentions or events."""
    result.errors.append(("process", f"{type(exc).__name__}: {exc}"))
    result.document.status = "error"
    result.document.message = str(exc)
    result.mentions, result.events = [], []


def chunks(text: str, start: int, size: int | None = None) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering ``text[start:]``, cut at paragraph, line or sentence ends;
    pieces hold at most ``size`` characters (default `CHUNK_CHARS`)."""
    size = size or CHUNK_CHARS
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            window = text[start:end]
            cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(". "))
            if cut > size // 2:
                end = start + cut + 1
        yield start, text[start:end]
        start = end
