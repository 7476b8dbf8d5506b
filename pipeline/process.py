"""The order of the stages, for a batch of documents.

ingest -> segment + tag (fast pass) -> dates, equipment -> normalise -> events (parse of
candidate sentences only). Everything spaCy makes stays inside one ``memory_zone`` per
batch; what leaves is plain records (`pipeline.types`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from pipeline import dates, equipment, events, tag
from pipeline import nlp as model
from pipeline.normalise import normalise_mentions
from pipeline.segment import assign_sentences, sentence_spans, sentences_of
from pipeline.types import Document, Extraction, Mention, Sentence

CHUNK_CHARS = 100_000  # longer articles are processed in pieces, offsets kept


class Processor:
    """Holds the loaded model; turns Documents into Extractions."""

    def __init__(self, nlp=None, *, batch_size: int = 16):
        self.nlp = nlp if nlp is not None else model.load()
        self.batch_size = batch_size
        self.warm_up()

    def warm_up(self) -> None:
        """Build every matcher and lexicon now, outside any memory zone: strings a matcher
        adds to the vocabulary inside a zone are freed when the zone closes."""
        tag.matchers_for(self.nlp)
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
        docs = model.fast_docs(self.nlp, (text for _, _, text in pieces), self.batch_size)
        per_document: dict[int, list] = {}
        for (i, offset, _), doc in zip(pieces, docs, strict=True):
            per_document.setdefault(i, []).append((offset, doc))
        candidates: dict[int, list] = {}  # document -> (Sentence, span) that may hold events
        for i, processed in per_document.items():
            try:
                candidates[i] = self.fill(results[i], processed)
            except Exception as exc:  # one bad document must not stop the run
                failed(results[i], exc)
        self.find_events(results, candidates)
        return results

    def fill(self, result: Extraction, processed: list) -> list:
        """Sentences and mentions of one document; returns its candidate sentences."""
        document = result.document
        sentences: list[Sentence] = []
        mentions: list[Mention] = []
        spans = []  # (Sentence, spaCy span) pairs, for the event stage
        for offset, doc in processed:
            piece_spans = sentence_spans(doc)
            piece_sentences = sentences_of(piece_spans, offset, len(sentences))
            sentences.extend(piece_sentences)
            spans.extend(zip(piece_sentences, piece_spans, strict=True))
            mentions.extend(self.tag(doc, offset, document.doc_date))
        mentions = assign_sentences(mentions, sentences)
        result.sentences = sentences
        result.mentions = normalise_mentions(mentions, document.text)
        return [(s, span) for s, span in spans if events.is_candidate(s.text)]

    def find_events(self, results: list[Extraction], candidates: dict[int, list]) -> None:
        """Parse the candidate sentences of the whole batch at once (bigger batches keep
        the model's matrices busy), then read each document's events. Should the batch
        parse fail, each document is parsed alone, so only the one at fault loses."""
        try:
            spans = [span for found in candidates.values() for _, span in found]
            parsed = iter(model.parse_spans(self.nlp, spans))
        except Exception:
            parsed = None
        for i, found in candidates.items():
            result = results[i]
            try:
                if parsed is None:
                    docs = model.parse_spans(self.nlp, [span for _, span in found])
                else:
                    docs = [next(parsed) for _ in found]
                sentences = [sentence for sentence, _ in found]
                result.events = events.find_events(
                    list(zip(sentences, docs, strict=True)),
                    result.mentions,
                    result.document.doc_date,
                )
            except Exception as exc:
                failed(result, exc)

    def tag(self, doc, offset: int, doc_date: str | None) -> list[Mention]:
        """All mentions of one processed piece, overlaps resolved, offsets in the document."""
        candidates = tag.rule_candidates(doc, self.nlp) + tag.model_candidates(doc)
        for found in (dates.find_dates(doc, doc_date), equipment.find_equipment(doc)):
            candidates.extend(c for m in found if (c := tag.char_candidate(doc, m)) is not None)
        return tag.to_mentions(doc, tag.resolve_overlaps(candidates), offset)


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
